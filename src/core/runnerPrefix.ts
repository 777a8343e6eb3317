/**
 * Script runners that run the scripts of several packages put a prefix on every line they relay: pnpm's recursive
 * and filtered runs ("packages/app build: vite v8.3.8 building…"), turbo ("app:build: vite v8.3.8 building…").
 * Tool patterns are anchored at the start of a line, so the matcher reads such lines without their prefix.
 *
 * A prefix is learned from the runner's echo of the script it starts, which is the only line that says it is one:
 *   pnpm   "packages/app build$ vite build"        (prefix "packages/app build: ")
 *   turbo  "app:build: > vite build"               (prefix "app:build: ")
 * Then "packages/app build: Done" / "… Failed" are pnpm's own verdict on that package's script.
 */

/** A code frame's marked line, after its "> ": "12 |   import …" (Babel's frames, and tools that print them). */
const CODE_FRAME = /^ *\d+ *\|/;
/** npm's and pnpm's script header, after its "> ": "app@1.0.0 build", "@scope/app@1.0.0 build /path". */
const SCRIPT_HEADER = /^(?:@[^\s/]+\/)?[^\s@]+@\S* /;

/**
 * The command a package manager echoes before it runs a script ("> vite build"; yarn's and bun's "$ vite build"),
 * or undefined. Two lines of that shape are not commands: a code frame's marked line ("> 12 | import x from 'vite'")
 * and npm's header naming the package and script ("> vite-demo@1.0.0 build"; the command is on the next line).
 * Either would name a tool that is not running. The WebAssembly terminal model flags rows the same way (`notCommand`
 * in assembly/terminal.ts).
 */
export function echoedCommand(line: string): string | undefined {
  if (line.charCodeAt(1) !== 0x20 || (line.charCodeAt(0) !== 0x3e && line.charCodeAt(0) !== 0x24)) return undefined;
  const rest = line.slice(2);
  return CODE_FRAME.test(rest) || SCRIPT_HEADER.test(rest) ? undefined : rest;
}

export const enum RunnerVerdict {
  None,
  Success,
  Failure,
}

/** pnpm's echo: "<package> <script>$ <command>". The package may be a path or a scoped name, never with spaces. */
const PNPM_ECHO = /^([^\s$]+) ([^\s$]+)\$ (.+)$/;
/** turbo's lines: "<package>:<task>: …"; its relay of npm's echo ("app:build: > vite build") teaches the prefix. */
const TURBO_ECHO = /^([^\s:]+:[^\s:]+): > /;
/** Prefixes kept at most (a monorepo's packages): older ones are forgotten first. */
const MAX_PREFIXES = 64;

export class RunnerPrefixes {
  private readonly known: string[] = [];
  /** The prefixes learned from pnpm's echo (whose "Done" / "Failed" are verdicts). */
  private readonly pnpm = new Set<string>();

  get isEmpty(): boolean {
    return this.known.length === 0;
  }

  /**
   * A line a runner's echo may be: learns its prefix. Returns the command pnpm's echo names ("vite build");
   * turbo's echo is npm's "> vite build" behind the prefix, read as such once the prefix is stripped.
   */
  learn(line: string): string | undefined {
    // most lines fail here: a runner's echo has "> " after its first word (turbo) or "$" ending its second (pnpm)
    const space = line.indexOf(' ');
    if (space <= 0) return undefined;
    const turbo = line.charCodeAt(space - 1) === 0x3a;
    if (turbo ? line.charCodeAt(space + 1) !== 0x3e : line.charCodeAt(line.indexOf(' ', space + 1) - 1) !== 0x24) {
      return undefined;
    }
    const m = (turbo ? TURBO_ECHO : PNPM_ECHO).exec(line);
    if (!m) return undefined;
    if (turbo) {
      this.add(`${m[1]}: `, false);
      return undefined;
    }
    this.add(`${m[1]} ${m[2]}: `, true);
    return m[3];
  }

  /** The learned prefix the line starts with, if any. */
  prefixOf(line: string): string | undefined {
    const known = this.known;
    for (let i = 0; i < known.length; i++) if (line.startsWith(known[i])) return known[i];
    return undefined;
  }

  /** The line without a learned prefix (the line itself when it has none). */
  strip(line: string): string {
    for (let prefix = this.prefixOf(line); prefix !== undefined; prefix = this.prefixOf(line)) line = line.slice(prefix.length);
    return line;
  }

  /** pnpm's verdict on a package's script: "<prefix>Done" or "<prefix>Failed". */
  verdict(prefix: string, rest: string): RunnerVerdict {
    if (!this.pnpm.has(prefix)) return RunnerVerdict.None;
    const word = rest.trimEnd();
    return word === 'Done' ? RunnerVerdict.Success : word === 'Failed' ? RunnerVerdict.Failure : RunnerVerdict.None;
  }

  private add(prefix: string, pnpm: boolean): void {
    if (this.known.includes(prefix)) return;
    if (this.known.length >= MAX_PREFIXES) this.pnpm.delete(this.known.shift()!);
    this.known.push(prefix);
    if (pnpm) this.pnpm.add(prefix);
  }
}
