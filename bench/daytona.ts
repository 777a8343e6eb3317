/**
 * Daytona figures against the fake server on loopback (the real SDK end to end; no real network, so the streaming
 * rate is the client's and the transport's cost, not Daytona's): workspace sync of 2,000 files with 50 ms added to
 * every request (fake in this process, so its file writes are in the time), and a PTY stream through the remote
 * runner (fake in its own process) against the same `cat` through the local pty backend.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaytonaBackend } from '../src/run/daytona/remotePtyRunner';
import { ensureSandbox } from '../src/run/daytona/sandbox';
import { connectDaytona } from '../src/run/daytona/sdkAdapter';
import { fileManifestStore, pushWorkspace } from '../src/run/daytona/sync';
import { PtyBackend } from '../src/run/localPty';
import { loadPty } from '../src/run/ptyLoader';
import type { Backend } from '../src/run/types';
import { startFakeDaytonaProcess } from '../test/daytona/fakeServerProcess';
import { startHarness } from '../test/daytona/harness';

export interface SyncFigure {
  label: string;
  requests: number;
  ms: number;
}

export interface DaytonaFigures {
  sync: SyncFigure[];
  remoteMBps: number;
  localMBps: number;
  streamMB: number;
}

export async function daytonaFigures(streamMB: number): Promise<DaytonaFigures> {
  const sync = await syncFigures();
  const stream = await streamFigures(streamMB);
  return { sync, ...stream, streamMB };
}

async function syncFigures(): Promise<SyncFigure[]> {
  const h = await startHarness();
  const local = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-bench-daytona-'));
  try {
    const { sandbox } = await ensureSandbox(h.client, { labels: { kirby: '1', workspace: 'bench' }, readyTimeoutSeconds: 30 });
    const remoteRoot = `${await sandbox.workDir()}/workspace`;
    for (let i = 0; i < 2000; i++) {
      fs.mkdirSync(path.join(local, `src/m${i % 40}`), { recursive: true });
      fs.writeFileSync(path.join(local, `src/m${i % 40}/file${i}.ts`), `export const v${i} = ${i};\n`.repeat(40));
    }
    const store = fileManifestStore(`${local}.manifest.json`);
    h.fake.latencyMs = 50;
    const sync: SyncFigure[] = [];
    const measure = async (label: string) => {
      h.fake.resetCounts();
      const report = await pushWorkspace(sandbox, local, remoteRoot, store);
      sync.push({ label, requests: [...h.fake.requests.values()].reduce((a, b) => a + b, 0), ms: report.ms });
    };
    await measure('initial');
    await measure('no change');
    fs.appendFileSync(path.join(local, 'src/m1/file1.ts'), '// changed\n');
    await measure('one file changed');
    return sync;
  } finally {
    await h.dispose();
    fs.rmSync(local, { recursive: true, force: true });
    fs.rmSync(`${local}.manifest.json`, { force: true });
  }
}

async function streamFigures(streamMB: number): Promise<{ remoteMBps: number; localMBps: number }> {
  const fake = await startFakeDaytonaProcess();
  const client = await connectDaytona({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', pollState: true });
  const local = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-bench-daytona-'));
  try {
    const { sandbox } = await ensureSandbox(client, { labels: { kirby: '1', workspace: 'bench' }, readyTimeoutSeconds: 30 });
    const remoteRoot = `${await sandbox.workDir()}/workspace`;
    const row = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\n';
    const big = path.join(local, 'big.txt');
    fs.writeFileSync(big, row.repeat(Math.ceil((streamMB * 1024 * 1024) / row.length)));
    await sandbox.files.upload([{ path: `${remoteRoot}/big.txt`, content: fs.readFileSync(big) }]);
    const remote = new DaytonaBackend({ ptys: sandbox.ptys, files: sandbox.files, localRoot: local, remoteRoot, stateDir: `${remoteRoot}/../.kirby` });
    const remoteMBps = await catRate(remote, local);
    const localMBps = await catRate(new PtyBackend(loadPty()), local);
    return { remoteMBps, localMBps };
  } finally {
    await client.dispose();
    await fake.stop();
    fs.rmSync(local, { recursive: true, force: true });
  }
}

/** `cat big.txt` through a backend: output MB per second, from spawn to exit. */
async function catRate(backend: Backend, cwd: string): Promise<number> {
  const started = performance.now();
  const proc = await backend.spawn({ command: 'cat big.txt', cwd });
  let bytes = 0;
  proc.onData((d) => (bytes += d.length));
  await new Promise<void>((resolve) => proc.onExit(() => resolve()));
  proc.dispose();
  return bytes / 1024 / 1024 / ((performance.now() - started) / 1000);
}
