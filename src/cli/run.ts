import * as fs from 'node:fs';
import { castEventLine, castHeaderLine } from '../core/asciicast';
import { StreamDecoder } from '../core/decoder';
import { BuildEngine } from '../core/engine';
import { BuildState, type StateChange } from '../core/events';
import type { PatternRegistry } from '../core/patterns/registry';
import { KirbyDaytonaError } from '../run/daytona/errors';
import { createLocalBackend } from '../run/local';
import { killTree } from '../run/processTree';
import type { Backend, BuildProcess, ExitStatus } from '../run/types';
import { openDaytonaForCli } from './daytona';
import { parse, UsageError } from './main';
import { JsonLineWriter, round } from './output';

const STATE_LOOK: Record<BuildState, { icon: string; colour: string }> = {
  [BuildState.Idle]: { icon: '○', colour: '2' },
  [BuildState.Building]: { icon: '◐', colour: '33' },
  [BuildState.Rebuilding]: { icon: '◐', colour: '33' },
  [BuildState.Ready]: { icon: '✓', colour: '32' },
  [BuildState.WatchModeActive]: { icon: '◉', colour: '36' },
  [BuildState.Error]: { icon: '✗', colour: '31' },
};

/** `kirby run` and `kirby record`: a command in a pty, its bytes relayed as they are, its state on stderr. */
export async function runCommand(
  kind: 'run' | 'record',
  args: string[],
  loadRegistry: (file: string | undefined) => PatternRegistry,
): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'string' },
    tool: { type: 'string' },
    patterns: { type: 'string' },
    pipes: { type: 'boolean' },
    quiet: { type: 'boolean' },
    backend: { type: 'string' },
    'api-url': { type: 'string' },
    target: { type: 'string' },
    install: { type: 'string' },
  });
  const castFile = kind === 'record' ? positionals.shift() : undefined;
  if (kind === 'record' && !castFile) throw new UsageError('record needs a FILE before "--"');
  if (positionals.length === 0) throw new UsageError(`${kind} needs a command after "--"`);
  const registry = loadRegistry(values.patterns as string | undefined);
  if (values.tool !== undefined && !registry.get(values.tool as string)) {
    throw new UsageError(`unknown tool "${values.tool}" (see "kirby tools")`);
  }

  const [file, ...commandArgs] = positionals;
  const cols = process.stdout.isTTY ? process.stdout.columns : 120;
  const rows = process.stdout.isTTY ? process.stdout.rows : 30;
  const remote = values.backend === 'daytona';
  if (values.backend !== undefined && !remote) throw new UsageError(`unknown backend "${values.backend}" (only "daytona"; the local pty is the default)`);
  for (const flag of ['api-url', 'target', 'install']) {
    if (values[flag] !== undefined && !remote) throw new UsageError(`--${flag} needs --backend daytona`);
  }
  const status = new StatusReporter(values.quiet === true);
  let daytona: Awaited<ReturnType<typeof openDaytonaForCli>> | undefined;
  let backend: Backend;
  if (remote) {
    try {
      daytona = await openDaytonaForCli(
        { apiUrl: values['api-url'] as string | undefined, target: values.target as string | undefined, install: values.install as string | undefined },
        (text) => status.note(text),
      );
    } catch (e) {
      if (!(e instanceof KirbyDaytonaError)) throw e;
      process.stderr.write(`kirby: ${e.message}\n`);
      return 1;
    }
    backend = daytona.backend;
  } else {
    backend = createLocalBackend({ forcePipes: values.pipes === true });
  }
  const proc = await backend.spawn({ command: file, args: commandArgs, cwd: process.cwd(), cols, rows });
  const startedAt = performance.now();

  const engine = new BuildEngine({ registry, tool: values.tool as string | undefined, command: positionals.join(' '), screenRows: rows });
  const json = typeof values.json === 'string' ? JsonLineWriter.toFile(values.json) : undefined;
  const cast = castFile ? new CastWriter(castFile, positionals.join(' '), cols, rows) : undefined;
  const seconds = (ms: number) => round((ms - startedAt) / 1000);

  engine.onStateChange((c) => {
    status.state(c);
    json?.write({ type: 'state', state: c.state, time: seconds(c.time), previous: c.previous, tool: c.tool, reason: c.reason });
  });
  if (json) {
    engine.onEvent((e) => json.write({ type: 'event', event: e.type, tool: e.tool, time: seconds(e.time), line: e.line }));
    engine.onProblem((p) => json.write({ type: 'problem', tool: p.tool, time: seconds(p.time), ...p.problem }));
  }
  if (backend.kind === 'pipe' && proc.backendNote) status.note(`running through ${proc.backendNote}`);

  proc.onData((data) => {
    process.stdout.write(data);
    status.sawOutput(data);
    engine.write(data);
    cast?.output(data);
  });
  engine.start();

  const restoreInput = forwardInput(proc);
  const detachSignals = forwardSignals(proc);
  const onResize = () => proc.resize(process.stdout.columns, process.stdout.rows);
  if (process.stdout.isTTY) process.stdout.on('resize', onResize);

  const exit = await new Promise<ExitStatus>((resolve) => proc.onExit(resolve));
  restoreInput();
  detachSignals();
  process.stdout.off('resize', onResize);
  engine.exit(exit.code, exit.signal, exit.stopped);

  // no orphans: whatever the command left running in its session goes with it
  if (proc.pid !== undefined && process.platform !== 'win32') await killTree(proc.pid, { graceMs: 1000 });

  status.summary(engine, exit, (performance.now() - startedAt) / 1000);
  json?.write({ type: 'end', state: engine.state, time: seconds(performance.now()), exitCode: exit.code, ...(exit.signal ? { signal: exit.signal } : {}) });
  await cast?.close(exit.code);
  await json?.close();
  engine.dispose();
  proc.dispose();
  await daytona?.dispose();
  return exit.code;
}

/** Keystrokes go to the command; in raw mode Ctrl+C arrives as a byte and the pty turns it into SIGINT. */
function forwardInput(proc: BuildProcess): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    // piped input is passed on; no EOF is forwarded (a watcher reading its keyboard would quit)
    const onData = (d: Buffer) => proc.write(d.toString('utf8'));
    stdin.on('data', onData);
    stdin.on('error', () => undefined);
    return () => {
      stdin.off('data', onData);
      stdin.pause();
    };
  }
  stdin.setRawMode(true);
  const onData = (d: Buffer) => proc.write(d.toString('utf8'));
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}

/** SIGINT is passed on as Ctrl+C (twice within 2 s ends the whole tree); SIGTERM and SIGHUP end the tree. */
function forwardSignals(proc: BuildProcess): () => void {
  let lastInterrupt = 0;
  const onInt = () => {
    const now = Date.now();
    if (now - lastInterrupt < 2000) void proc.stop();
    else proc.interrupt();
    lastInterrupt = now;
  };
  const onTerm = () => void proc.stop();
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
  };
}

/** The state on stderr: coloured lines on a terminal, plain lines otherwise, always starting on a fresh line. */
class StatusReporter {
  private readonly tty = process.stderr.isTTY === true;
  private atLineStart = true;

  constructor(private readonly quiet: boolean) {}

  sawOutput(data: Uint8Array): void {
    if (data.length > 0) this.atLineStart = data[data.length - 1] === 0x0a;
  }

  state(change: StateChange): void {
    const tool = change.tool && change.tool !== 'generic' ? ` (${change.tool})` : '';
    const assumed = change.assumed ? ' — assumed, no verdict was printed' : '';
    this.print(change.state, `${change.state}${tool}${assumed}`);
  }

  note(text: string): void {
    this.print(undefined, text);
  }

  summary(engine: BuildEngine, exit: ExitStatus, seconds: number): void {
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const { errors, warnings } = engine.counts;
    this.print(engine.state, `${engine.state} — ${how} after ${seconds.toFixed(1)} s · ${errors} error(s), ${warnings} warning(s)`);
  }

  private print(state: BuildState | undefined, text: string): void {
    if (this.quiet) return;
    const prefix = this.atLineStart ? '' : '\r\n';
    this.atLineStart = true;
    if (this.tty) {
      const look = state ? STATE_LOOK[state] : { icon: '·', colour: '2' };
      process.stderr.write(`${prefix}\x1b[2m[kirby]\x1b[0m \x1b[${look.colour}m${look.icon} ${text}\x1b[0m\r\n`);
    } else {
      process.stderr.write(`${prefix}[kirby] ${text}\n`);
    }
  }
}

/** Writes an asciicast v2 file as output arrives, with the exit status as a final "x" event. */
class CastWriter {
  private readonly stream: fs.WriteStream;
  private readonly decoder = new StreamDecoder();
  private readonly start = performance.now();

  constructor(file: string, command: string, cols: number, rows: number) {
    this.stream = fs.createWriteStream(file);
    this.stream.write(
      castHeaderLine({
        version: 2,
        width: cols,
        height: rows,
        timestamp: Math.floor(Date.now() / 1000),
        command,
        env: { TERM: 'xterm-256color', SHELL: process.env.SHELL ?? '/bin/sh' },
      }) + '\n',
    );
  }

  output(data: Uint8Array): void {
    const text = this.decoder.write(data);
    if (text.length > 0) this.stream.write(castEventLine(this.elapsed(), 'o', text) + '\n');
  }

  close(code: number): Promise<void> {
    const rest = this.decoder.end();
    if (rest.length > 0) this.stream.write(castEventLine(this.elapsed(), 'o', rest) + '\n');
    this.stream.write(castEventLine(this.elapsed(), 'x', String(code)) + '\n');
    return new Promise((resolve) => this.stream.end(resolve));
  }

  private elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }
}
