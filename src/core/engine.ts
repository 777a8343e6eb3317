import type { Clock } from './clock';
import { systemClock } from './clock';
import { StreamDecoder } from './decoder';
import { Emitter, type Disposable } from './emitter';
import type { BuildEvent, BuildEventType, BuildState, Problem, ProblemEvent, StateChange } from './events';
import { LineAssembler } from './lineAssembler';
import { OutputMatcher, Prefiltered } from './matcher';
import type { CompiledTool } from './patterns/compile';
import { PatternRegistry } from './patterns/registry';
import { BuildStateMachine, type BuildResult, type CycleCounts, type EventReporter } from './stateMachine';
import { DEFAULT_MAX_LINE_LENGTH } from './screen';
import { TailBuffer } from './tailBuffer';
import { RowFlag, WasmTerminal } from './wasm/terminal';

export interface EngineOptions {
  registry?: PatternRegistry;
  clock?: Clock;
  /** Use this tool and never switch (`--tool vite`). Unknown ids are refused. */
  tool?: string;
  /** The command line being run: names the tool before it prints anything, and tells watch mode. */
  command?: string;
  /** The tool seen last time this command ran (a cache): used when the command names none; output may still switch. */
  toolHint?: string;
  /** Building with no output for this long ends with an assumed verdict; 0 disables. Default 30 s. */
  idleTimeoutMs?: number;
  /** A line without a newline is read after this much silence. Default 250 ms. */
  partialLineFlushMs?: number;
  /** Silence that separates two bursts of output. Default 200 ms. */
  quietGapMs?: number;
  screenRows?: number;
  maxLineLength?: number;
  /** How many recent visible lines to keep for display (the last line of a build that died). Default 50. */
  tailLines?: number;
  /**
   * Use the WebAssembly terminal model when available (default true). False runs the JavaScript model: the
   * reference the WebAssembly one is tested against, and the fallback where WebAssembly is missing.
   */
  webAssembly?: boolean;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_PARTIAL_LINE_FLUSH_MS = 250;
export const DEFAULT_QUIET_GAP_MS = 200;
/** Timers re-arm for the remaining time; a remainder below this is rounding, not time (it would loop forever). */
const EPSILON_MS = 0.001;

/**
 * One build's output pipeline: bytes → text → visible lines → tool events → state. Pure (no vscode, no I/O):
 * backends feed it, adapters listen to it. Timers go through the injected clock.
 */
export class BuildEngine implements Disposable {
  private readonly clock: Clock;
  private readonly matcher: OutputMatcher;
  private readonly machine: BuildStateMachine;
  private readonly flushMs: number;
  private readonly tailLines: number;
  /** The WebAssembly terminal model (it reads bytes), or without it the JavaScript one with its decoder and tail. */
  private readonly terminal: WasmTerminal | undefined;
  private readonly decoder: StreamDecoder | undefined;
  private readonly assembler: LineAssembler | undefined;
  private readonly tail: TailBuffer | undefined;
  /** The terminal record being matched (its row above is what the matcher's `rowAbove` reads). */
  private record = 0;

  private flushTimer: unknown;
  private idleTimer: unknown;
  private settleTimer: unknown;
  private lastChunk = 0;
  /** The last script a package manager or runner echoed runs a tool that prints nothing on success (tsc). */
  private silentScriptEchoed = false;
  private ended = false;
  /** The event line being read, for the state machine's reporter; and a deferred success's line, kept. */
  private reading: Omit<BuildEvent, 'type'> = { tool: '', time: 0, offset: 0, line: '' };
  private kept: Omit<BuildEvent, 'type'> | undefined;

  private readonly eventEmitter = new Emitter<BuildEvent>();
  private readonly problemEmitter = new Emitter<ProblemEvent>();
  private readonly toolEmitter = new Emitter<CompiledTool>();
  private readonly lineEmitter = new Emitter<string>();
  readonly onEvent = this.eventEmitter.event;
  readonly onProblem = this.problemEmitter.event;
  readonly onToolChange = this.toolEmitter.event;
  /** Every visible line (for pattern debugging; costs nothing when nobody listens). */
  readonly onLine = this.lineEmitter.event;
  readonly onStateChange: (listener: (change: StateChange) => void) => Disposable;
  readonly onBuildComplete: (listener: (result: BuildResult) => void) => Disposable;

  constructor(options: EngineOptions = {}) {
    const registry = options.registry ?? PatternRegistry.builtin();
    this.clock = options.clock ?? systemClock;
    this.flushMs = options.partialLineFlushMs ?? DEFAULT_PARTIAL_LINE_FLUSH_MS;
    this.tailLines = options.tailLines ?? 50;

    let initial: CompiledTool | undefined;
    if (options.tool !== undefined) {
      initial = registry.get(options.tool);
      if (!initial) throw new Error(`unknown tool "${options.tool}" (known: ${registry.tools.map((t) => t.id).join(', ')})`);
    } else if (options.command) {
      initial = registry.fromCommand(options.command);
    }
    if (!initial && options.toolHint !== undefined) initial = registry.get(options.toolHint);
    const watch = !!(options.command && (initial ?? registry.generic).watchCommand?.test(options.command));

    this.machine = new BuildStateMachine({
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      quietGapMs: options.quietGapMs ?? DEFAULT_QUIET_GAP_MS,
      watch,
    });
    this.machine.reporter = this.reporter;
    this.onStateChange = this.machine.onDidChange;
    this.onBuildComplete = this.machine.onBuildComplete;
    this.matcher = new OutputMatcher(
      registry,
      {
        event: (type, tool, line, offset) => this.handleEvent(type, tool, line, offset),
        problem: (tool, problem, offset) => this.handleProblem(tool, problem, offset),
        toolChanged: (tool) => this.handleToolChange(tool),
        commandEcho: (commandLine, tool) => {
          // the echo comes before the tool it names is switched to: a silent script's build ends at the next echo
          if (this.silentScriptEchoed) this.machine.nextScript(this.clock.now());
          this.silentScriptEchoed = tool?.silentSuccess === true;
          if (tool?.watchCommand?.test(commandLine)) this.machine.markWatch();
        },
      },
      options.tool !== undefined,
      initial,
    );
    this.applyTool(this.matcher.tool);
    const screenRows = Math.max(1, options.screenRows ?? 30);
    const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.terminal =
      options.webAssembly === false
        ? undefined
        : WasmTerminal.create({ screenRows: Math.max(screenRows, 60), maxLineLength, tailLines: this.tailLines });
    if (this.terminal) {
      this.terminal.resize(screenRows);
      this.matcher.rowAbove = () => this.terminal!.above(this.record);
    } else {
      this.decoder = new StreamDecoder();
      const tail = (this.tail = new TailBuffer(this.tailLines));
      const assembler = (this.assembler = new LineAssembler(
        (text, offset) => {
          tail.push(text);
          if (this.lineEmitter.hasListeners) this.lineEmitter.fire(text);
          this.matcher.line(text, offset);
        },
        { screenRows, maxLineLength },
      ));
      this.matcher.rowAbove = () => assembler.rowAbove();
    }
  }

  get state(): BuildState {
    return this.machine.state;
  }

  get tool(): CompiledTool {
    return this.matcher.tool;
  }

  get isWatch(): boolean {
    return this.machine.isWatch;
  }

  get counts(): Readonly<CycleCounts> {
    return this.machine.cycleCounts;
  }

  get cycleStartTime(): number {
    return this.machine.cycleStartTime;
  }

  /** The most recent visible lines, oldest first. */
  recentLines(count = this.tailLines): string[] {
    return this.terminal ? this.terminal.recentLines(count) : this.tail!.lines(count);
  }

  /** The process started. */
  start(): void {
    this.lastChunk = this.clock.now();
    this.machine.start(this.lastChunk);
    this.armIdle();
  }

  write(chunk: string | Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    let text = '';
    if (!this.terminal) {
      text = this.decoder!.write(chunk);
      if (text.length === 0) return;
    }
    const now = this.clock.now();
    // a new burst of output: a problem held back for its position belongs to the burst before
    if (now - this.lastChunk >= this.machine.quietGapMs) this.matcher.releaseWaiting();
    this.lastChunk = now;
    this.machine.output(now);
    if (this.terminal) {
      this.terminal.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, this.readRows, this.beforeCall);
    } else {
      this.assembler!.write(text);
    }
    if (this.flushTimer === undefined && this.flushMs > 0 && this.hasPending) {
      this.flushTimer = this.clock.setTimer(() => this.onFlushTimer(), this.flushMs);
    }
    if (this.matcher.waitsForBurstEnd) this.armSettle();
  }

  private get hasPending(): boolean {
    return this.terminal ? this.terminal.hasPending : this.assembler!.hasPending;
  }

  /** Before each call into the WebAssembly model: rows are searched for the current tool's literals. */
  private readonly beforeCall = (): void => {
    this.terminal!.setNeedles(this.matcher.needles);
    this.matcher.beginChunk();
  };

  /**
   * The rows the WebAssembly model emitted: only those holding one of the tool's literals (or echoing a command)
   * are decoded and matched, unless a multi-line problem waits for its next line or someone listens to every line.
   */
  private readonly readRows = (count: number): void => {
    const terminal = this.terminal!;
    const matcher = this.matcher;
    const searching = terminal.searching;
    for (let k = 0; k < count; k++) {
      const flags = terminal.flags(k);
      const listening = this.lineEmitter.hasListeners;
      if ((flags & (RowFlag.Hit | RowFlag.Echo)) === 0 && searching && !listening && matcher.canSkipLine) continue;
      const text = terminal.text(k);
      if (listening) this.lineEmitter.fire(text);
      this.record = k;
      const echo = (flags & RowFlag.Echo) !== 0;
      if (!searching || (flags & RowFlag.Many) !== 0) {
        matcher.line(text, terminal.offset(k), Prefiltered.Unknown, undefined, 0, 0, echo);
      } else {
        // an echo is read for the command it names; its literals (if any) are the ones found
        const verdict = (flags & (RowFlag.Hit | RowFlag.Echo)) !== 0 ? Prefiltered.Found : Prefiltered.Nothing;
        matcher.line(text, terminal.offset(k), verdict, terminal.found, terminal.foundStart(k), terminal.foundCount(k), echo);
      }
      if (matcher.needles !== terminal.needleList) {
        // the line switched the tool: the rest of the batch is searched again for the new tool's literals
        terminal.setNeedles(matcher.needles);
        terminal.research(k + 1, count);
        matcher.beginChunk();
      }
    }
  };

  resize(rows: number): void {
    if (this.terminal) this.terminal.resize(rows);
    else this.assembler!.resize(rows);
  }

  /**
   * The process exited: reads what is left, then lets the exit status decide what the output did not. `stopped`:
   * Kirby ended it (see ExitStatus.stopped).
   */
  exit(code: number | undefined, signal?: number | string, stopped = false): void {
    if (this.ended) return;
    this.finishOutput();
    this.machine.exit(this.clock.now(), code, signal, stopped);
  }

  /** The output ended with no exit status (a recording that has none). */
  endOfStream(): void {
    if (this.ended) return;
    this.finishOutput();
    this.machine.endOfStream(this.clock.now());
  }

  /** Swaps in new patterns while the build runs (settings changed). */
  setRegistry(registry: PatternRegistry): void {
    this.matcher.setRegistry(registry);
    this.applyTool(this.matcher.tool);
  }

  dispose(): void {
    this.ended = true;
    this.clearTimers();
    this.eventEmitter.dispose();
    this.problemEmitter.dispose();
    this.toolEmitter.dispose();
    this.lineEmitter.dispose();
    this.machine.dispose();
  }

  private finishOutput(): void {
    if (this.terminal) {
      this.terminal.end(this.readRows);
    } else {
      const rest = this.decoder!.end();
      if (rest.length > 0) this.assembler!.write(rest);
      this.assembler!.end();
    }
    this.matcher.flush();
    this.ended = true;
    this.clearTimers();
  }

  private clearTimers(): void {
    if (this.flushTimer !== undefined) this.clock.clearTimer(this.flushTimer);
    if (this.idleTimer !== undefined) this.clock.clearTimer(this.idleTimer);
    if (this.settleTimer !== undefined) this.clock.clearTimer(this.settleTimer);
    this.flushTimer = this.idleTimer = this.settleTimer = undefined;
  }

  /** One timer per idle interval, not per chunk: it re-arms for the remainder while output keeps coming. */
  private onFlushTimer(): void {
    this.flushTimer = undefined;
    if (this.ended) return;
    const quietFor = this.clock.now() - this.lastChunk;
    if (quietFor >= this.flushMs - EPSILON_MS) {
      if (this.terminal) this.terminal.flush(this.readRows);
      else this.assembler!.flushPartial();
    } else if (this.hasPending) {
      this.flushTimer = this.clock.setTimer(() => this.onFlushTimer(), this.flushMs - quietFor);
    }
  }

  private armIdle(): void {
    if (this.ended || this.idleTimer !== undefined) return;
    const wait = this.machine.checkIdle(this.clock.now());
    if (wait !== undefined) {
      this.idleTimer = this.clock.setTimer(() => {
        this.idleTimer = undefined;
        this.armIdle();
        this.armSettle();
      }, wait);
    }
  }

  private handleEvent(matched: BuildEventType, tool: string, line: string, offset: number): void {
    const time = this.clock.now();
    // A start after a finished build in a watch run is a rebuild, however the tool words it ("rollup v4…" again).
    const type: BuildEventType =
      matched === 'build-start' && this.machine.isWatch && this.machine.completedBuilds > 0 && !this.machine.isBuilding
        ? 'rebuild-start'
        : matched;
    const reading = this.reading;
    reading.tool = tool;
    reading.time = time;
    reading.offset = offset;
    reading.line = line;
    this.machine.event(type, time);
    this.armIdle();
    this.armSettle();
  }

  /** The state machine says which events the stream carries (one start and one verdict per build). */
  private readonly reporter: EventReporter = {
    report: (type) => this.fireEvent(type, this.reading),
    keep: () => {
      const { tool, time, offset, line } = this.reading;
      this.kept = { tool, time, offset, line };
    },
    reportKept: (type) => {
      if (this.kept) this.fireEvent(type, this.kept);
      this.kept = undefined;
    },
  };

  private fireEvent(type: BuildEventType, { tool, time, offset, line }: Omit<BuildEvent, 'type'>): void {
    if (this.eventEmitter.hasListeners) this.eventEmitter.fire({ type, tool, time, offset, line });
  }

  /** A deferred success, the record of the last verdict and a held problem wait until the output has been quiet for the gap. */
  private armSettle(): void {
    if (this.ended || this.settleTimer !== undefined || !(this.machine.needsSettle || this.matcher.waitsForBurstEnd)) return;
    const due = this.lastChunk + this.machine.quietGapMs - this.clock.now();
    this.settleTimer = this.clock.setTimer(() => {
      this.settleTimer = undefined;
      if (this.ended) return;
      if (this.clock.now() - this.lastChunk >= this.machine.quietGapMs - EPSILON_MS) {
        this.matcher.releaseWaiting();
        this.machine.settle(this.clock.now());
      } else {
        this.armSettle();
      }
    }, Math.max(0, due));
  }

  private handleProblem(tool: string, problem: Problem, offset: number): void {
    this.machine.problem(problem.severity);
    if (this.problemEmitter.hasListeners) {
      this.problemEmitter.fire({ type: 'problem', tool, time: this.clock.now(), offset, problem });
    }
  }

  private handleToolChange(tool: CompiledTool): void {
    this.applyTool(tool);
    this.toolEmitter.fire(tool);
  }

  private applyTool(tool: CompiledTool): void {
    this.machine.tool = tool.id;
    this.machine.silentSuccess = tool.silentSuccess;
    this.machine.deferSuccess = tool.deferSuccess;
  }
}
