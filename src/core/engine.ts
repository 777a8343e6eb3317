import type { Clock } from './clock';
import { systemClock } from './clock';
import { StreamDecoder } from './decoder';
import { Emitter, type Disposable } from './emitter';
import type { BuildEvent, BuildEventType, BuildState, Problem, ProblemEvent, StateChange } from './events';
import { LineAssembler, type Candidates } from './lineAssembler';
import { OutputMatcher } from './matcher';
import type { CompiledTool } from './patterns/compile';
import { PatternRegistry } from './patterns/registry';
import { BuildStateMachine, type BuildResult, type CycleCounts } from './stateMachine';
import { TailBuffer } from './tailBuffer';
import { LineScanner } from './wasm/lineScanner';

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
  /** Use the WebAssembly line prefilter when available (default true; false measures the regex-only path). */
  prefilter?: boolean;
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
  private readonly decoder = new StreamDecoder();
  private readonly assembler: LineAssembler;
  private readonly matcher: OutputMatcher;
  private readonly machine: BuildStateMachine;
  private readonly tail: TailBuffer;
  private readonly flushMs: number;
  private scanner: LineScanner | undefined;
  private scannerNeedles: readonly string[] | undefined;
  private scannerUsable = false;

  private flushTimer: unknown;
  private idleTimer: unknown;
  private settleTimer: unknown;
  private lastChunk = 0;
  private ended = false;

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
    this.tail = new TailBuffer(options.tailLines ?? 50, options.maxLineLength);
    this.scanner = options.prefilter === false ? undefined : LineScanner.create();

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
    this.onStateChange = this.machine.onDidChange;
    this.onBuildComplete = this.machine.onBuildComplete;
    this.matcher = new OutputMatcher(
      registry,
      {
        event: (type, tool, line, offset) => this.handleEvent(type, tool, line, offset),
        problem: (tool, problem, offset) => this.handleProblem(tool, problem, offset),
        toolChanged: (tool) => this.handleToolChange(tool),
        commandEcho: (commandLine, tool) => {
          if (tool?.watchCommand?.test(commandLine)) this.machine.markWatch();
        },
      },
      options.tool !== undefined,
      initial,
    );
    this.applyTool(this.matcher.tool);
    this.matcher.rowAbove = () => this.assembler.rowAbove();
    this.assembler = new LineAssembler(
      (text, offset, _partial, prefiltered) => {
        this.tail.push(text);
        if (this.lineEmitter.hasListeners) this.lineEmitter.fire(text);
        this.matcher.line(text, offset, prefiltered);
      },
      { screenRows: options.screenRows, maxLineLength: options.maxLineLength },
      {
        canSkip: () => !this.lineEmitter.hasListeners && this.matcher.canSkipLine,
        skipped: (raw) => this.tail.pushRaw(raw),
        keep: options.tailLines ?? 50,
      },
    );
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
  recentLines(count?: number): string[] {
    return this.tail.lines(count);
  }

  /** The process started. */
  start(): void {
    this.lastChunk = this.clock.now();
    this.machine.start(this.lastChunk);
    this.armIdle();
  }

  write(chunk: string | Uint8Array): void {
    if (this.ended) return;
    const candidates = this.prefilter(chunk);
    const text = this.decoder.write(chunk);
    if (text.length === 0) return;
    const now = this.clock.now();
    this.lastChunk = now;
    this.machine.output(now);
    this.matcher.beginChunk();
    this.assembler.write(text, candidates);
    if (this.assembler.candidatesMismatched) {
      // the scanner and the terminal model disagree about where lines end: stop trusting the scanner
      this.scanner = undefined;
      this.assembler.candidatesMismatched = false;
    }
    if (this.flushTimer === undefined && this.flushMs > 0 && this.assembler.hasPending) {
      this.flushTimer = this.clock.setTimer(() => this.onFlushTimer(), this.flushMs);
    }
  }

  /** Which lines of this chunk may match, from the WebAssembly scanner; undefined means all of them. */
  private prefilter(chunk: string | Uint8Array): Candidates | undefined {
    const scanner = this.scanner;
    if (!scanner) return undefined;
    const needles = this.matcher.needles;
    if (needles !== this.scannerNeedles) {
      this.scannerUsable = scanner.setNeedles(needles);
      this.scannerNeedles = needles;
    }
    // scanned even when its verdict is not used, so its line state stays in step with the stream
    const result = scanner.scan(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return this.scannerUsable ? result : undefined;
  }

  resize(rows: number): void {
    this.assembler.resize(rows);
  }

  /** The process exited: reads what is left, then lets the exit status decide what the output did not. */
  exit(code: number | undefined, signal?: number | string): void {
    if (this.ended) return;
    this.finishOutput();
    this.machine.exit(this.clock.now(), code, signal);
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
    const rest = this.decoder.end();
    if (rest.length > 0) this.assembler.write(rest);
    this.assembler.end();
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
      this.assembler.flushPartial();
    } else if (this.assembler.hasPending) {
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
    if (this.eventEmitter.hasListeners) this.eventEmitter.fire({ type, tool, time, offset, line });
    this.machine.event(type, time);
    this.armIdle();
    this.armSettle();
  }

  /** A deferred success, and the record of the last verdict, wait until the output has been quiet for the gap. */
  private armSettle(): void {
    if (this.ended || this.settleTimer !== undefined || !this.machine.needsSettle) return;
    const due = this.lastChunk + this.machine.quietGapMs - this.clock.now();
    this.settleTimer = this.clock.setTimer(() => {
      this.settleTimer = undefined;
      if (this.ended) return;
      if (this.clock.now() - this.lastChunk >= this.machine.quietGapMs - EPSILON_MS) this.machine.settle(this.clock.now());
      else this.armSettle();
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
