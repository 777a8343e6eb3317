import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunStore } from '../core/runs/runStore';
import type { RunStatus } from '../core/runs/types';
import type { RunStats, ToExtension, ToWebview } from '../webview/protocol';
import type { BuildManager } from './buildManager';

/** Live runs are re-sent at most this often while builds change. */
const REFRESH_MS = 500;

/**
 * "Kirby: Open Build Dashboard": the runs of this workspace (search, limit, stats, live updates), each run's timeline,
 * process tree and CPU/memory charts, delete and export. A webview with a strict CSP: only our bundled script and
 * stylesheet (nonce), no remote resources; VS Code's theme colours.
 */
export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastQuery = { search: '', limit: 50 };
  /** A run to open once the page asks for its list (the page may not be listening yet when show() is called). */
  private pendingSelection: string | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: () => RunStore | undefined,
    builds: BuildManager,
  ) {
    this.listener = builds.onDidChange(() => {
      if (!this.panel || this.refreshTimer) return;
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        this.sendRuns();
      }, REFRESH_MS);
    });
  }

  /** Opens the dashboard (or brings it to the front), with `runId`'s detail open when given. */
  show(runId?: string): void {
    if (this.panel) {
      this.panel.reveal();
      if (runId) this.post({ type: 'select', id: runId });
      return;
    }
    this.pendingSelection = runId;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('kirby.dashboard', 'Kirby: Build Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panel = panel;
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage((m: ToExtension) => void this.receive(m));
    panel.webview.html = this.html(panel.webview, dist);
  }

  private async receive(message: ToExtension): Promise<void> {
    const store = this.runs();
    if (!store) return;
    switch (message.type) {
      case 'query':
        this.lastQuery = { search: String(message.search ?? ''), limit: Math.min(1000, Math.max(1, Number(message.limit) || 50)) };
        this.sendRuns();
        if (this.pendingSelection) this.post({ type: 'select', id: this.pendingSelection });
        this.pendingSelection = undefined;
        break;
      case 'detail': {
        const data = store.export(message.id);
        if (data) this.post({ type: 'detail', ...data });
        break;
      }
      case 'delete': {
        const result = store.deleteRuns(Array.isArray(message.ids) ? message.ids.map(String) : []);
        this.post({ type: 'deleted', ...result });
        this.sendRuns();
        break;
      }
      case 'export':
        await this.exportRun(store, message.id);
        break;
    }
  }

  /** "Export as JSON": the whole record of the run, to a file the user picks (the workspace folder by default). */
  private async exportRun(store: RunStore, id: string): Promise<void> {
    const data = store.export(id);
    if (!data) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(data.run.cwd);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `kirby-run-${id}.json`),
      filters: { JSON: ['json'] },
      title: 'Export Build Run',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(data, null, 2)}\n`));
      this.post({ type: 'exported', path: target.fsPath });
    } catch (e) {
      void vscode.window.showErrorMessage(`Kirby could not export the run to ${target.fsPath}: ${(e as Error).message}`);
    }
  }

  private sendRuns(): void {
    const store = this.runs();
    if (!store) return;
    const all = store.runs();
    const byStatus: Partial<Record<RunStatus, number>> = {};
    for (const r of all) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const stats: RunStats = { total: all.length, live: byStatus.running_live ?? 0, byStatus };
    this.post({ type: 'runs', runs: store.runs(this.lastQuery), stats });
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.css'));
    const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource} 'nonce-${nonce}'; img-src ${webview.cspSource} data:; font-src ${webview.cspSource}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Kirby: Build Dashboard</title>
</head>
<body>
<header>
  <h1>Build runs</h1>
  <div id="stats" class="stats" role="status" aria-live="polite"></div>
</header>
<div class="toolbar">
  <label>Search <input id="search" type="search" placeholder="command or arguments"></label>
  <label>Show <select id="limit"><option>20</option><option selected>50</option><option>200</option></select></label>
  <button id="delete">Delete selected</button>
  <div id="status" role="status" aria-live="polite"></div>
</div>
<main>
  <table aria-label="Build runs">
    <thead><tr><th></th><th>Status</th><th>Command</th><th>Tool</th><th>Started</th><th>Duration</th></tr></thead>
    <tbody id="runs"></tbody>
  </table>
  <section id="detail" aria-label="Run detail"><p>Pick a run to see its timeline, processes and charts.</p></section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.listener.dispose();
    this.panel?.dispose();
  }
}
