// The part of the WebAssembly JavaScript API the terminal model (terminal.ts) uses. Node.js and VS Code's extension
// host provide it; @types/node 20 does not declare it (only the DOM library does, which this project does not load).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Global {
    value: unknown;
  }
}
