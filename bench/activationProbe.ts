/**
 * Runs in a fresh Node process: loads an extension bundle against the fake `vscode` module and prints how long
 * require + activate() took, and whether node-pty got loaded. Used by bench/run.ts.
 */
import Module = require('node:module');
import { fakeVscode } from './fakeVscode';

const bundle = process.argv[2];
/**
 * VS Code's extension host imports these Node built-ins itself before any extension activates (checked in
 * code-server's extensionHostProcess.js), so loading them costs an extension nothing there. With `--host-builtins`
 * they are loaded before the clock starts, for Kirby and the reference alike; without it they count.
 */
const HOST_BUILTINS = ['child_process', 'crypto', 'net', 'os', 'stream', 'http'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (process.argv.includes('--host-builtins')) for (const name of HOST_BUILTINS) require(name);
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, ...rest);
};

const memento = { get: () => undefined, update: async () => undefined, keys: () => [] };
const context = {
  subscriptions: [] as unknown[],
  workspaceState: memento,
  globalState: memento,
  extensionPath: '',
  secrets: {},
  globalStorageUri: { fsPath: '/nonexistent/kirby-bench-global-storage' }, // never written at activation
};
const t0 = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(bundle) as { activate: (context: unknown) => unknown };
const t1 = process.hrtime.bigint();
extension.activate(context);
const t2 = process.hrtime.bigint();
const ptyLoaded = Object.keys(require.cache).some((file) => /[\\/]node-pty[\\/]/.test(file));
const daytonaLoaded = Object.keys(require.cache).some((file) => /daytona-sdk\.js$|@daytonaio/.test(file));
process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6, ptyLoaded, daytonaLoaded }));
