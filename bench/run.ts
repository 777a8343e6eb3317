/**
 * npm run bench — figures measured in one run on this machine, with ratios against references measured in the same
 * run (grep -E over the same file with the same patterns; node-pty's own delivery rate). Not a test: it asserts
 * nothing. Set KIRBY_BENCH_QUICK=1 for a short run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from '../src/core/clock';
import { BuildEngine } from '../src/core/engine';
import { OutputMatcher } from '../src/core/matcher';
import { PatternRegistry } from '../src/core/patterns/registry';
import { parsePatternSource } from '../src/core/patterns/regex';
import { PtyBackend } from '../src/run/localPty';
import { ProcessSampler } from '../src/run/processSampler';
import { loadPty } from '../src/run/ptyLoader';
import { WasmTerminal } from '../src/core/wasm/terminal';
import { allNeedles, quietLines, toolNeedles, writeLargeLog } from './corpus';
import { daytonaFigures } from './daytona';
import { toEre } from './ere';

const QUICK = process.env.KIRBY_BENCH_QUICK === '1';
const DATA = path.resolve(__dirname, '../../bench/.data');
const MB = 1024 * 1024;
const CHUNK = 4095; // node-pty's typical read size

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Linux: the machine's CPU time so far, and how much of it the host gave to other guests (steal), in ticks. */
function cpuTicks(): { total: number; steal: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** " (runs 80–120)": how far apart the runs behind a median were. */
function spread(runs: number[]): string {
  return runs.length > 1 ? ` (runs ${Math.min(...runs).toFixed(0)}–${Math.max(...runs).toFixed(0)})` : '';
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(58)} ${value}\n`);
}

/**
 * Machine calibration: the simplest JavaScript loop over the same bytes (count the control bytes). Nothing that
 * looks at every byte in JavaScript can be faster, so parser / this is a machine-independent efficiency figure.
 */
function byteLoop(data: Buffer): number {
  const t0 = process.hrtime.bigint();
  let controls = 0;
  for (let i = 0; i < data.length; i++) if (data[i] < 0x20) controls++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (controls < 0) throw new Error('unreachable');
  return data.length / MB / seconds;
}

/**
 * The matcher by itself (no bytes, no terminal model, no state machine), over the visible lines of `data` that hold
 * a literal some tool needs, finding the literals in each line itself (in the engine the WebAssembly search hands
 * them over): what the JavaScript side of the parser costs at most on this corpus. MB/s of `data`.
 */
function matchingAlone(data: Buffer): number {
  const lines: string[] = [];
  const needles = allNeedles();
  const collector = new BuildEngine({ clock: new VirtualClock(), idleTimeoutMs: 0 });
  collector.onLine((text) => {
    const lower = text.toLowerCase();
    if (needles.some((n) => lower.includes(n))) lines.push(text);
  });
  collector.start();
  for (let i = 0; i < data.length; i += CHUNK) collector.write(data.subarray(i, i + CHUNK));
  collector.endOfStream();
  collector.dispose();
  const registry = PatternRegistry.builtin();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const matcher = new OutputMatcher(registry, { event() {}, problem() {}, toolChanged() {}, commandEcho() {} }, false);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++) matcher.line(lines[i], i);
    best = Math.max(best, data.length / MB / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return best;
}

/** Feeds the file through one engine in pty-sized Buffer chunks; returns MB/s. */
function parserThroughput(data: Buffer, webAssembly = true, expectEvents = true): number {
  const clock = new VirtualClock();
  const engine = new BuildEngine({ clock, idleTimeoutMs: 0, webAssembly });
  let events = 0;
  engine.onEvent(() => events++);
  engine.start();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < data.length; i += CHUNK) engine.write(data.subarray(i, i + CHUNK));
  engine.endOfStream();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  engine.dispose();
  if (expectEvents && events === 0) throw new Error('the corpus produced no events: the benchmark would measure nothing');
  if (!expectEvents && events > 0) throw new Error(`the quiet lines produced ${events} events`);
  return data.length / MB / seconds;
}

/**
 * The WebAssembly terminal model alone, as the engine configures it: bytes to visible rows, with the row search for
 * the needles of `needles` (none: no search), nothing decoded or matched. The floor under the parser. MB/s.
 */
function terminalAlone(data: Buffer, needles: readonly string[]): number {
  const terminal = WasmTerminal.create({ screenRows: 60, maxLineLength: 4096, tailLines: 50 });
  if (!terminal) throw new Error('WebAssembly is unavailable');
  terminal.setNeedles(needles);
  const ignore = () => undefined;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < data.length; i += CHUNK) terminal.write(data.subarray(i, i + CHUNK), ignore, ignore);
  terminal.end(ignore);
  return data.length / MB / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function grepThroughput(file: string, size: number): { mbps: number; used: number; skipped: number } {
  const patterns: string[] = [];
  let skipped = 0;
  for (const tool of PatternRegistry.builtin().tools) {
    const sources = [
      ...tool.spec.detect,
      ...Object.values(tool.spec.events).flat(),
      ...(tool.spec.problems ?? []).flatMap((p) => p.steps.map((s) => s.regexp)),
    ];
    for (const s of sources) {
      const ere = toEre(parsePatternSource(s!).source);
      if (ere === undefined) skipped++;
      else patterns.push(ere);
    }
  }
  const patternFile = path.join(DATA, 'patterns.ere');
  fs.writeFileSync(patternFile, patterns.join('\n') + '\n');
  const times: number[] = [];
  for (let i = 0; i < 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('grep', ['-E', '-c', '-f', patternFile, file], { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    if (r.status !== 0 && r.status !== 1) throw new Error(`grep failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { mbps: size / MB / median(times), used: patterns.length, skipped };
}

/** `cat FILE` through node-pty itself (no Kirby code on the path): bytes received per second. */
async function ptyDelivery(file: string): Promise<number> {
  const pty = loadPty().module;
  const p = pty.spawn('cat', [file], { name: 'xterm-256color', cols: 120, rows: 30, cwd: os.tmpdir(), env: process.env, encoding: null });
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  p.onData((d) => (bytes += d.length));
  await new Promise<void>((resolve) => p.onExit(() => resolve()));
  return bytes / MB / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Time from a chunk's arrival to the event it carries, for chunks that end in a verdict line. */
function chunkToEventLatency(sample: Buffer): { p50: number; p99: number } {
  const clock = new VirtualClock();
  const engine = new BuildEngine({ clock, idleTimeoutMs: 0, command: 'webpack --watch' });
  let fired = 0n;
  engine.onEvent(() => (fired = process.hrtime.bigint()));
  engine.start();
  const noise = sample.subarray(0, CHUNK - 120).toString('latin1').replace(/[^\x20-\x7e\r\n]/g, '');
  const verdicts = ['webpack 5.112.2 compiled successfully in 54 ms', 'webpack 5.112.2 compiled with 1 error in 52 ms'];
  const latencies: number[] = [];
  const n = QUICK ? 2000 : 20000;
  for (let i = 0; i < n; i++) {
    const chunk = Buffer.from(`${noise}\r\n${verdicts[i % 2]}\r\n`);
    // a second apart: each verdict is the next build's (webpack --watch prints no rebuild line; a quiet gap is one)
    clock.advanceTo(i * 1000);
    fired = 0n;
    const t0 = process.hrtime.bigint();
    engine.write(chunk);
    if (fired === 0n) throw new Error('no event for a verdict chunk');
    latencies.push(Number(fired - t0) / 1e6);
  }
  engine.dispose();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** RSS before and after pushing `total` bytes through one long-lived engine. */
function rssGrowth(data: Buffer, total: number): { before: number; after: number; peakHeap: number } {
  const engine = new BuildEngine({ clock: new VirtualClock(), idleTimeoutMs: 0 });
  engine.start();
  for (let i = 0; i < Math.min(data.length, 20 * MB); i += CHUNK) engine.write(data.subarray(i, i + CHUNK)); // warm-up
  gc();
  const before = process.memoryUsage().rss;
  let peakHeap = 0;
  let fed = 0;
  while (fed < total) {
    for (let i = 0; i < data.length && fed < total; i += CHUNK) {
      const piece = data.subarray(i, i + CHUNK);
      engine.write(piece);
      fed += piece.length;
    }
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  gc();
  const after = process.memoryUsage().rss;
  engine.dispose();
  return { before, after, peakHeap };
}

/** `cat` of a 27 MB file, N times, through Kirby's pty backend and through bare node-pty; counts lost bytes. */
async function tailLoss(file: string, runs: number): Promise<{ kirbyLost: number; kirbyRuns: number; rawLostRuns: number; rawRuns: number }> {
  const expected = fs.statSync(file).size;
  const countBytes = (d: Uint8Array) => {
    let n = 0;
    for (let i = 0; i < d.length; i++) if (d[i] !== 0x0d) n++;
    return n;
  };
  const backend = new PtyBackend(loadPty());
  let kirbyLost = 0;
  for (let i = 0; i < runs; i++) {
    const proc = await backend.spawn({ command: 'cat', args: [file], cwd: os.tmpdir() });
    let got = 0;
    proc.onData((d) => (got += countBytes(d)));
    await new Promise((r) => proc.onExit(r));
    kirbyLost += expected - got;
  }
  const pty = loadPty().module;
  const rawRuns = Math.min(runs, 20);
  let rawLostRuns = 0;
  for (let i = 0; i < rawRuns; i++) {
    const p = pty.spawn('cat', [file], { name: 'xterm-256color', cols: 120, rows: 30, cwd: os.tmpdir(), env: process.env, encoding: null });
    let got = 0;
    p.onData((d) => (got += countBytes(d as Buffer)));
    await new Promise<void>((r) => p.onExit(() => r()));
    if (got < expected) rawLostRuns++;
  }
  return { kirbyLost, kirbyRuns: runs, rawLostRuns, rawRuns };
}

/** Activation of the production bundle in fresh processes (fake vscode), against a one-command extension. */
function activation(): { size: number; kirby: number; cold: number; reference: number; ptyLoaded: boolean; daytonaLoaded: boolean } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-bench-ext-'));
  try {
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', dir], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`production build failed: ${built.stderr}`);
    const reference = path.join(dir, 'reference.js');
    fs.writeFileSync(
      reference,
      "const vscode = require('vscode');\nexports.activate = (context) => {\n" +
        "  context.subscriptions.push(vscode.commands.registerCommand('x.hello', () => undefined));\n" +
        "  const item = vscode.window.createStatusBarItem('x.item', vscode.StatusBarAlignment.Left, 0);\n" +
        "  item.text = 'hello';\n  item.show();\n};\n",
    );
    const probe = path.join(__dirname, 'activationProbe.js');
    const time = (bundle: string, hostBuiltins = true) => {
      const runs: number[] = [];
      let ptyLoaded = false;
      let daytonaLoaded = false;
      for (let i = 0; i < (QUICK ? 3 : 7); i++) {
        const out = spawnSync(process.execPath, [probe, bundle, ...(hostBuiltins ? ['--host-builtins'] : [])], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`activation probe failed: ${out.stderr}`);
        const r = JSON.parse(out.stdout) as { requireMs: number; activateMs: number; ptyLoaded: boolean; daytonaLoaded: boolean };
        runs.push(r.requireMs + r.activateMs);
        ptyLoaded ||= r.ptyLoaded;
        daytonaLoaded ||= r.daytonaLoaded;
      }
      return { ms: median(runs), ptyLoaded, daytonaLoaded };
    };
    const kirby = time(path.join(dir, 'extension.js'));
    const cold = time(path.join(dir, 'extension.js'), false);
    return {
      size: fs.statSync(path.join(dir, 'extension.js')).size,
      kirby: kirby.ms,
      cold: cold.ms,
      reference: time(reference).ms,
      ptyLoaded: kirby.ptyLoaded,
      daytonaLoaded: kirby.daytonaLoaded,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The process sampler's own CPU cost on a 200-process tree, as % of one core when sampling once a second. */
async function samplerCost(): Promise<{ processes: number; percentAt1Hz: number; msPerSample: number }> {
  const { spawn } = await import('node:child_process');
  const root = spawn('sh', ['-c', 'for i in $(seq 199); do sleep 600 & done; echo ready; wait'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  try {
    await new Promise<void>((resolve) => root.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const sampler = new ProcessSampler(root.pid!);
    let processes = (await sampler.sample())?.length ?? 0;
    const rounds = QUICK ? 10 : 30;
    const before = process.cpuUsage();
    for (let i = 0; i < rounds; i++) processes = (await sampler.sample())?.length ?? 0;
    const cpu = process.cpuUsage(before);
    const cpuMsPerSample = (cpu.user + cpu.system) / 1000 / rounds;
    return { processes, percentAt1Hz: cpuMsPerSample / 10, msPerSample: cpuMsPerSample };
  } finally {
    try {
      process.kill(-root.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) process.stdout.write('(run with --expose-gc for exact memory figures)\n');
  const size = QUICK ? 32 * MB : 64 * MB;
  const { file, size: actual } = writeLargeLog(DATA, size);
  const data = fs.readFileSync(file).subarray(0, actual);
  process.stdout.write(`Kirby benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, node ${process.version}\n`);
  process.stdout.write(`corpus: the recorded fixtures repeated to ${(actual / MB).toFixed(0)} MB (${file})\n\n`);

  const act = activation();
  line('dist/extension.js, production bundle', `${(act.size / 1024).toFixed(0)} KB (limit 400 KB)`);
  line('activation: require + activate(), fresh process, median', `${act.kirby.toFixed(1)} ms (limit 30 ms)`);
  line('  (Node built-ins the extension host already has, preloaded)', `cold, loading them too: ${act.cold.toFixed(1)} ms`);
  line('  reference: a one-command extension, same way', `${act.reference.toFixed(1)} ms (ratio ${(act.kirby / act.reference).toFixed(1)}×)`);
  line('  node-pty loaded at activation', act.ptyLoaded ? 'YES (it must not be)' : 'no');
  line('  Daytona SDK loaded at activation', act.daytonaLoaded ? 'YES (it must not be)' : 'no');
  if (process.platform !== 'win32') {
    const sampler = await samplerCost();
    line(`process sampler, ${sampler.processes}-process tree, CPU per sample`, `${sampler.msPerSample.toFixed(2)} ms`);
    line('  its cost sampling at 1 Hz, % of one core (limit 1%)', `${sampler.percentAt1Hz.toFixed(2)}% (ratio to the limit ${sampler.percentAt1Hz.toFixed(2)}×)`);
  }
  process.stdout.write('\n');

  parserThroughput(data.subarray(0, 16 * MB)); // warm-up
  // this machine's speed drifts by minutes: parser, references, calibration and the quiet lines are interleaved, medians of 5
  const rounds = QUICK ? 1 : 5;
  const quiet = quietLines(data);
  const parserRuns: number[] = [];
  const ptyRuns: number[] = [];
  const loopRuns: number[] = [];
  const quietRuns: number[] = [];
  const terminalRuns: number[] = [];
  const searchRuns: number[] = [];
  const viteNeedles = toolNeedles('vite');
  const ticksBefore = cpuTicks();
  for (let r = 0; r < rounds; r++) {
    terminalRuns.push(terminalAlone(data, []));
    searchRuns.push(terminalAlone(data, viteNeedles));
    parserRuns.push(parserThroughput(data));
    ptyRuns.push(await ptyDelivery(file));
    loopRuns.push(byteLoop(data));
    quietRuns.push(parserThroughput(quiet, true, false));
  }
  const ticksAfter = cpuTicks();
  const parser = median(parserRuns);
  const pty = median(ptyRuns);
  const loop = median(loopRuns);
  const regexOnly = parserThroughput(data, false);
  const matching = matchingAlone(data.subarray(0, 16 * MB));
  const grep = grepThroughput(file, actual);
  line('parser throughput (decode+assemble+match+state)', `${parser.toFixed(0)} MB/s${spread(parserRuns)}`);
  line('  same with the JavaScript terminal model', `${regexOnly.toFixed(0)} MB/s`);
  line('calibration: a JavaScript loop that only counts control bytes', `${loop.toFixed(0)} MB/s`);
  line(`grep -E, same ${grep.used} patterns (${grep.skipped} need lookaround, left out)`, `${grep.mbps.toFixed(0)} MB/s`);
  line('node-pty delivery (cat of the corpus through a pty)', `${pty.toFixed(0)} MB/s${spread(ptyRuns)}`);
  line('ratio parser / grep -E', `${(parser / grep.mbps).toFixed(2)}×`);
  line('ratio parser / node-pty delivery', `${(parser / pty).toFixed(2)}×`);
  line('ratio parser / calibration loop', `${(parser / loop).toFixed(2)}×`);
  if (ticksBefore && ticksAfter && ticksAfter.total > ticksBefore.total) {
    const stolen = (100 * (ticksAfter.steal - ticksBefore.steal)) / (ticksAfter.total - ticksBefore.total);
    line('  CPU time the host gave to other guests during these rounds', `${stolen.toFixed(1)}% (steal; high means noisy figures)`);
  }
  line(`  the corpus's quiet lines only (${((100 * quiet.length) / data.length).toFixed(0)}% of it: plain, no literal)`, `${median(quietRuns).toFixed(0)} MB/s (${(median(quietRuns) / pty).toFixed(2)}× node-pty)`);
  const terminal = median(terminalRuns);
  const searched = median(searchRuns);
  line('  floor: the terminal model alone (bytes to rows, nothing matched)', `${terminal.toFixed(0)} MB/s (${(terminal / pty).toFixed(2)}× node-pty, ${(terminal / loop).toFixed(2)}× calibration)`);
  line(`  same, rows searched for one tool's ${viteNeedles.length} literals (Vite's)`, `${searched.toFixed(0)} MB/s (${(searched / pty).toFixed(2)}× node-pty, ${(searched / loop).toFixed(2)}× calibration)`);
  line('  matching alone: the matcher over the visible lines with a literal', `${matching.toFixed(0)} MB/s of corpus (${(matching / pty).toFixed(2)}× node-pty)`);

  const latency = chunkToEventLatency(data);
  line('chunk → event latency p50 / p99 (4 KB chunks)', `${(latency.p50 * 1000).toFixed(1)} µs / ${(latency.p99 * 1000).toFixed(1)} µs`);

  const total = QUICK ? 256 * MB : 1024 * MB;
  const mem = rssGrowth(data, total);
  line(`RSS growth over ${(total / MB).toFixed(0)} MB of output`, `${((mem.after - mem.before) / MB).toFixed(1)} MB (peak heap ${(mem.peakHeap / MB).toFixed(0)} MB)`);

  const runs = Number(process.env.KIRBY_BENCH_TAIL_RUNS ?? (QUICK ? 10 : 100));
  const tailFile = path.join(DATA, 'tail-27mb.txt');
  if (!fs.existsSync(tailFile)) {
    const row = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\n';
    fs.writeFileSync(tailFile, row.repeat(Math.ceil((27 * MB) / row.length)));
  }
  const tail = await tailLoss(tailFile, runs);
  line(`tail loss, cat 27 MB then exit, Kirby pty backend ×${tail.kirbyRuns}`, `${tail.kirbyLost} bytes lost`);
  line(`tail loss, same through bare node-pty ×${tail.rawRuns} (reference)`, `${tail.rawLostRuns}/${tail.rawRuns} runs lost bytes`);

  if (process.platform !== 'win32') {
    process.stdout.write('\nDaytona, real SDK against the fake server on loopback:\n');
    const d = await daytonaFigures(QUICK ? 16 : 64);
    for (const s of d.sync) line(`  sync of 2,000 files, 50 ms per request: ${s.label}`, `${s.requests} requests, ${s.ms} ms`);
    line(`  remote pty stream, cat ${d.streamMB} MB`, `${d.remoteMBps.toFixed(0)} MB/s`);
    line(`  local pty stream, same cat (reference)`, `${d.localMBps.toFixed(0)} MB/s`);
    line('  ratio remote / local pty stream', `${(d.remoteMBps / d.localMBps).toFixed(2)}×`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
