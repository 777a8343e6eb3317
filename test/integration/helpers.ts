import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildInfo, KirbyApi } from '../../src/vscode/api';

export const EXTENSION_ID = 'kirby-dev.kirby';

export async function kirby(): Promise<KirbyApi> {
  const extension = vscode.extensions.getExtension<KirbyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri.fsPath;
}

export function workspaceFile(rel: string): string {
  return path.join(workspaceDir(), rel);
}

/**
 * Waits until `predicate` holds for the build (re-checked on every change Kirby reports, and every 100 ms).
 * Fails with what the build looked like last, so a wrong state reads as a diagnosis, not as a timeout.
 */
export async function waitForBuild(
  api: KirbyApi,
  id: string,
  predicate: (b: BuildInfo) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<BuildInfo> {
  let last: BuildInfo | undefined;
  const check = () => {
    last = api.builds.find((b) => b.id === id);
    return last && predicate(last) ? last : undefined;
  };
  const found = check();
  if (found) return found;
  return new Promise((resolve, reject) => {
    const finish = (value: BuildInfo | undefined, error?: Error) => {
      clearInterval(poll);
      clearTimeout(timer);
      listener.dispose();
      if (error) reject(error);
      else resolve(value!);
    };
    const attempt = () => {
      const hit = check();
      if (hit) finish(hit);
    };
    const listener = api.onDidChangeBuilds(attempt);
    const poll = setInterval(attempt, 100);
    const timer = setTimeout(
      () => finish(undefined, new Error(`timed out waiting for ${what}; the build was ${JSON.stringify(last && summary(last))}`)),
      timeoutMs,
    );
  });
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

function summary(b: BuildInfo) {
  return { state: b.state, tool: b.tool, running: b.running, exitCode: b.exitCode, errors: b.errors, lastBuild: b.lastBuild };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes every terminal Kirby opened, so each test starts from no builds. */
export async function closeAllBuilds(api: KirbyApi): Promise<void> {
  for (const b of api.builds) await api.stopBuild(b.id);
  for (const t of vscode.window.terminals) t.dispose();
  await waitFor(() => api.builds.length === 0, 'every build to go away').catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(api.builds.map((b) => [b.name, b.origin, b.state, b.terminalName ?? null]))}`);
  });
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('kirby').update(key, value, vscode.ConfigurationTarget.Workspace);
}

export function writeSource(rel: string, text: string): void {
  fs.writeFileSync(workspaceFile(rel), text);
}

export const GOOD_SOURCE = `export function greet(name: string): string {
  const greeting: string = \`Hello, \${name}\`;
  return greeting;
}
`;

/** Line 2, column 9 is "greeting": TS2322 there. */
export const BAD_SOURCE = `export function greet(name: string): string {
  const greeting: number = \`Hello, \${name}\`;
  return greeting;
}
`;
