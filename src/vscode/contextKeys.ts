import * as vscode from 'vscode';
import type { BuildManager } from './buildManager';

/** The when-clause keys Kirby's menus use, set only when their value changes. */
export class ContextKeys implements vscode.Disposable {
  private readonly values = new Map<string, boolean>();
  private readonly listener: vscode.Disposable;

  constructor(private readonly builds: BuildManager) {
    this.update();
    this.listener = builds.onDidChange(() => this.update());
  }

  private update(): void {
    const all = this.builds.all;
    this.set('kirby.hasBuilds', all.length > 0);
    this.set('kirby.hasRunningBuilds', all.some((b) => b.running));
    this.set('kirby.hasProblems', all.some((b) => b.problems.some((p) => p.uri)));
  }

  private set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    this.listener.dispose();
  }
}
