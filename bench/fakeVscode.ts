/**
 * Just enough of the `vscode` module for activate() to run outside VS Code, so `npm run bench` can time activation
 * in a plain Node process. Every call is a no-op that returns the right shape; nothing here is used by tests.
 */
const disposable = { dispose(): void {} };
const event = () => disposable;

class EventEmitter {
  event = event;
  fire(): void {}
  dispose(): void {}
}

function item() {
  return new Proxy(
    { show() {}, hide() {}, dispose() {} },
    {
      get: (target, key) => (key in target ? target[key as keyof typeof target] : undefined),
      set: () => true,
    },
  );
}

/** A namespace whose unknown `onDid…` members are events and `register…` members return a disposable. */
function namespace<T extends object>(known: T): T {
  return new Proxy(known, {
    get: (target, key) => {
      if (key in target) return target[key as keyof T];
      if (typeof key === 'string' && key.startsWith('onDid')) return event;
      if (typeof key === 'string' && key.startsWith('register')) return () => disposable;
      return undefined;
    },
  });
}

export const fakeVscode = {
  version: '1.139.0',
  env: { appRoot: '/nonexistent' },
  EventEmitter,
  Disposable: class {
    static from(): typeof disposable {
      return disposable;
    }
    dispose(): void {}
  },
  ThemeColor: class {},
  ThemeIcon: class {},
  MarkdownString: class {
    appendMarkdown(): this {
      return this;
    }
  },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  window: namespace({
    createOutputChannel: () => ({ ...item(), info() {}, warn() {}, error() {}, debug() {}, trace() {}, append() {}, appendLine() {} }),
    createStatusBarItem: item,
    showWarningMessage: async () => undefined,
    terminals: [],
  }),
  workspace: namespace({
    isTrusted: true,
    workspaceFolders: [],
    onDidChangeConfiguration: event,
    getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback, inspect: () => undefined }),
  }),
  commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
  languages: { createDiagnosticCollection: () => ({ ...item(), set() {}, clear() {} }) },
  tasks: namespace({ taskExecutions: [] }),
};
