import type { CompiledTool } from './compile';
import { compileTool } from './compile';
import { BUILTIN_TOOLS, GENERIC_TOOL_ID } from './database';
import type { ToolSpec } from './types';

/** The compiled set of tools a build is matched against: the built-in database with the user's overrides on top. */
export class PatternRegistry {
  readonly tools: readonly CompiledTool[];
  private readonly byId = new Map<string, CompiledTool>();

  constructor(specs: readonly ToolSpec[]) {
    this.tools = specs.map(compileTool);
    for (const tool of this.tools) this.byId.set(tool.id, tool);
    if (!this.byId.has(GENERIC_TOOL_ID)) throw new Error(`the pattern database has no "${GENERIC_TOOL_ID}" tool`);
  }

  static builtin(): PatternRegistry {
    return builtinRegistry ??= new PatternRegistry(BUILTIN_TOOLS);
  }

  get generic(): CompiledTool {
    return this.byId.get(GENERIC_TOOL_ID)!;
  }

  get(id: string): CompiledTool | undefined {
    return this.byId.get(id);
  }

  /** The tool a command line runs (`npx vite build --watch` → vite), if any pattern says so. */
  fromCommand(commandLine: string): CompiledTool | undefined {
    let best: CompiledTool | undefined;
    let bestIndex = Infinity;
    for (const tool of this.tools) {
      const m = tool.command?.exec(commandLine);
      // the tool named first wins: `tsc && vite build` starts as tsc
      if (m && m.index < bestIndex) {
        best = tool;
        bestIndex = m.index;
      }
    }
    return best;
  }
}

let builtinRegistry: PatternRegistry | undefined;
