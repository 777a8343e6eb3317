import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { CastEventReader, castRows, parseCastHeader, type CastHeader } from '../core/asciicast';
import { VirtualClock } from '../core/clock';
import { BuildEngine } from '../core/engine';
import type { PatternRegistry } from '../core/patterns/registry';
import { JsonLineWriter, round } from './output';

export interface ReplayOptions {
  file: string;
  tool?: string;
  registry: PatternRegistry;
  idleTimeoutMs?: number;
  /** Also print every visible line (for writing and debugging patterns). */
  lines?: boolean;
  /** Also print one {"type":"build"} line per completed build. */
  builds?: boolean;
  out: JsonLineWriter;
}

/**
 * Replays a recording through the engine on a virtual clock taken from the recording: timeouts behave as they did
 * in real time, and the replay itself is instant. A file that is not an asciicast is replayed as a raw log.
 */
export async function replay(options: ReplayOptions): Promise<string> {
  const { out } = options;
  const clock = new VirtualClock(0);
  const seconds = () => round(clock.now() / 1000);
  let engine: BuildEngine | undefined;

  const createEngine = (header: CastHeader | undefined) => {
    const e = new BuildEngine({
      registry: options.registry,
      clock,
      tool: options.tool,
      command: typeof header?.command === 'string' ? header.command : undefined,
      idleTimeoutMs: options.idleTimeoutMs,
      screenRows: header ? castRows(header) : undefined,
    });
    // the contract's five event names; warnings reach the output as problems
    e.onEvent((ev) => {
      if (ev.type !== 'warning') out.write({ type: 'event', event: ev.type, tool: ev.tool, time: round(ev.time / 1000), line: ev.line });
    });
    e.onProblem((p) => out.write({ type: 'problem', tool: p.tool, time: round(p.time / 1000), ...p.problem }));
    e.onStateChange((c) =>
      out.write({ type: 'state', state: c.state, time: round(c.time / 1000), previous: c.previous, tool: c.tool, reason: c.reason, ...(c.assumed ? { assumed: true } : {}) }),
    );
    if (options.builds) {
      e.onBuildComplete((b) =>
        out.write({ type: 'build', result: b.result, start: round(b.startTime / 1000), end: round(b.endTime / 1000), errors: b.errors, warnings: b.warnings, ...(b.assumed ? { assumed: true } : {}) }),
      );
    }
    if (options.lines) e.onLine((text) => out.write({ type: 'line', time: seconds(), text }));
    e.start();
    return e;
  };

  const input = fs.createReadStream(options.file);
  const firstBytes = await peek(options.file, 4096);
  const header = parseCastHeader(firstBytes.split('\n', 1)[0]);

  if (header) {
    const reader = new CastEventReader(header);
    const rl = readline.createInterface({ input, crlfDelay: Infinity });
    let first = true;
    let exitCode: number | undefined;
    let exitTime = 0;
    let lastTime = 0;
    for await (const line of rl) {
      if (first) {
        first = false;
        engine = createEngine(header);
        continue;
      }
      const ev = reader.read(line);
      if (!ev) continue;
      lastTime = ev.time;
      clock.advanceTo(ev.time * 1000);
      if (ev.kind === 'output') engine!.write(ev.data);
      else if (ev.kind === 'resize') engine!.resize(ev.rows);
      else if (ev.kind === 'exit') {
        exitCode = ev.code;
        exitTime = ev.time;
      }
    }
    engine ??= createEngine(header);
    if (exitCode !== undefined) {
      clock.advanceTo(exitTime * 1000);
      engine.exit(exitCode);
    } else {
      const end = typeof header.duration === 'number' && header.duration > lastTime ? header.duration : lastTime;
      clock.advanceTo(end * 1000);
      engine.endOfStream();
    }
  } else {
    // a raw log: no timing, so it is one instant of output
    engine = createEngine(undefined);
    for await (const chunk of input) engine.write(chunk as Buffer);
    engine.endOfStream();
  }
  const final = engine.state;
  out.write({ type: 'end', state: final, time: seconds(), tool: engine.tool.id });
  engine.dispose();
  return final;
}

async function peek(file: string, bytes: number): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
