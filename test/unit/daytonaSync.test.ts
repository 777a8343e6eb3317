/**
 * Workspace sync with the real SDK against the fake server: request counts, .gitignore and excludes, incremental
 * by content hash, deletions, pulling the build's changes back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureSandbox, workspaceLabels } from '../../src/run/daytona/sandbox';
import type { SandboxHandle } from '../../src/run/daytona/sdkAdapter';
import { batches, fileManifestStore, pullChanges, pushWorkspace, shellQuote, type ManifestStore } from '../../src/run/daytona/sync';
import { IgnoreFilter, looksSecret } from '../../src/run/daytona/workspaceScan';
import { startHarness, type Harness } from '../daytona/harness';

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** `sources` files in 40 folders, plus what must not be sent. */
function makeWorkspace(sources: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-sync-'));
  for (let i = 0; i < sources; i++) write(root, `src/m${i % 40}/file${i}.ts`, `export const v${i} = ${i};\n`.repeat(20));
  write(root, '.gitignore', '*.log\ntmp/\n');
  write(root, 'src/m1/.gitignore', 'generated.ts\n');
  write(root, 'src/m1/generated.ts', 'ignored by a nested .gitignore');
  write(root, 'debug.log', 'ignored');
  write(root, 'tmp/scratch.txt', 'ignored');
  write(root, 'node_modules/dep/index.js', 'excluded');
  write(root, 'dist/out.js', 'excluded');
  write(root, '.env', 'SECRET=1');
  write(root, '.env.example', 'SECRET=');
  write(root, 'package.json', '{"name":"x"}');
  return root;
}

describe('daytona sync (real SDK, fake server)', function () {
  this.timeout(60_000);
  let h: Harness;
  let sandbox: SandboxHandle;
  let local: string;
  let remoteRoot: string;
  let store: ManifestStore;
  const remote = (rel: string) => path.join(remoteRoot, rel);

  beforeEach(async function () {
    h = await startHarness();
    sandbox = (await ensureSandbox(h.client, { labels: workspaceLabels('/w'), readyTimeoutSeconds: 10 })).sandbox;
    remoteRoot = `${await sandbox.workDir()}/workspace`;
    // the request-count test needs the 2,000 files; the others are as telling with 200 and faster
    local = makeWorkspace(this.currentTest?.title.startsWith('initial sync') ? 2000 : 200);
    store = fileManifestStore(path.join(local, '..', `${path.basename(local)}-manifest.json`));
    h.fake.resetCounts();
  });
  afterEach(async () => {
    await h.dispose();
    fs.rmSync(local, { recursive: true, force: true });
  });

  it('initial sync of 2,000 files in at most 5 requests; then nothing; then one file in one request', async () => {
    const first = await pushWorkspace(sandbox, local, remoteRoot, store);
    assert.equal(first.uploaded.length, 2004, 'the 2,000 sources, .gitignore, src/m1/.gitignore, package.json, .env.example');
    assert.ok(first.uploadRequests <= 5, `${first.uploadRequests} requests`);
    assert.equal(h.fake.count('POST /files/bulk-upload'), first.uploadRequests);
    assert.equal(fs.readFileSync(remote('src/m7/file1247.ts'), 'utf8'), fs.readFileSync(path.join(local, 'src/m7/file1247.ts'), 'utf8'));

    h.fake.resetCounts();
    const none = await pushWorkspace(sandbox, local, remoteRoot, store);
    assert.deepEqual([none.uploaded, none.deleted, none.uploadRequests], [[], [], 0]);
    assert.equal(h.fake.requests.size, 0, `no request at all: ${[...h.fake.requests.keys()]}`);

    write(local, 'src/m3/file3.ts', 'changed\n');
    const one = await pushWorkspace(sandbox, local, remoteRoot, store);
    assert.deepEqual(one.uploaded, ['src/m3/file3.ts']);
    assert.equal(h.fake.count('POST /files/bulk-upload'), 1);
    assert.equal(fs.readFileSync(remote('src/m3/file3.ts'), 'utf8'), 'changed\n');
  });

  it('respects .gitignore (nested too) and the exclude list; keeps .env local unless allowed, and says so', async () => {
    const report = await pushWorkspace(sandbox, local, remoteRoot, store);
    for (const rel of ['debug.log', 'tmp/scratch.txt', 'src/m1/generated.ts', 'node_modules/dep/index.js', 'dist/out.js', '.env']) {
      assert.equal(fs.existsSync(remote(rel)), false, `${rel} must not be sent`);
    }
    assert.ok(fs.existsSync(remote('.env.example')));
    assert.deepEqual(report.secretFiles, ['.env']);
    assert.equal(report.secretsUploaded, false);
    const allowed = await pushWorkspace(sandbox, local, remoteRoot, store, { uploadSecrets: true });
    assert.deepEqual(allowed.uploaded, ['.env']);
    assert.equal(fs.readFileSync(remote('.env'), 'utf8'), 'SECRET=1');
  });

  it('deletes remotely what was deleted locally, in one request', async () => {
    await pushWorkspace(sandbox, local, remoteRoot, store);
    fs.rmSync(path.join(local, 'src/m5'), { recursive: true });
    h.fake.resetCounts();
    const report = await pushWorkspace(sandbox, local, remoteRoot, store);
    assert.equal(report.deleted.length, 5);
    assert.equal(report.uploaded.length, 0);
    assert.equal(fs.existsSync(remote('src/m5/file5.ts')), false);
    assert.equal(h.fake.count('POST /process/execute'), 1);
  });

  it('pulls back what the build changed in the sandbox, but never over a local edit', async () => {
    await pushWorkspace(sandbox, local, remoteRoot, store);
    fs.writeFileSync(remote('src/m2/file2.ts'), 'rewritten by the build\n');
    fs.writeFileSync(remote('src/new.ts'), 'created by the build\n');
    fs.writeFileSync(remote('src/m4/file4.ts'), 'remote edit\n');
    fs.writeFileSync(path.join(local, 'src/m4/file4.ts'), 'local edit\n');
    fs.mkdirSync(remote('dist'), { recursive: true });
    fs.writeFileSync(remote('dist/bundle.js'), 'build output stays remote');
    h.fake.resetCounts();
    const pulled = await pullChanges(sandbox, local, remoteRoot, store);
    assert.deepEqual(pulled.downloaded.sort(), ['src/m2/file2.ts', 'src/new.ts']);
    assert.deepEqual(pulled.conflicts, ['src/m4/file4.ts']);
    assert.equal(fs.readFileSync(path.join(local, 'src/new.ts'), 'utf8'), 'created by the build\n');
    assert.equal(fs.readFileSync(path.join(local, 'src/m4/file4.ts'), 'utf8'), 'local edit\n');
    assert.equal(fs.existsSync(path.join(local, 'dist/bundle.js')), false);
    assert.equal(h.fake.count('POST /files/bulk-download'), 1);
    // what was pulled is known: the next push sends only the conflicting local edit
    const next = await pushWorkspace(sandbox, local, remoteRoot, store);
    assert.deepEqual(next.uploaded, ['src/m4/file4.ts']);
  });
});

describe('sync helpers', () => {
  it('batches by bytes and by count; a file bigger than a batch goes alone', () => {
    const f = (p: string, size: number) => ({ path: p, size, mtimeMs: 0, sha1: '' });
    const paths = (b: ReturnType<typeof batches>) => b.map((x) => x.map((y) => y.path));
    assert.deepEqual(paths(batches([f('a', 4), f('b', 4), f('c', 20), f('d', 1)], 10, 100)), [['a', 'b'], ['c'], ['d']]);
    assert.deepEqual(paths(batches([f('a', 1), f('b', 1), f('c', 1)], 100, 2)), [['a', 'b'], ['c']]);
  });

  it('recognises .env-like files, not their templates', () => {
    for (const p of ['.env', 'app/.env.local', '.env.production', 'certs/server.key', 'id_rsa', '.npmrc']) assert.ok(looksSecret(p), p);
    for (const p of ['.env.example', 'env.ts', 'keys.ts', 'src/.envrc.md']) assert.ok(!looksSecret(p), p);
  });

  it('quotes shell words, quotes included', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });

  it('ignore filter: paths under an ignored directory are ignored', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-ignore-'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'cache/\n');
    const filter = new IgnoreFilter(root, ['node_modules']);
    assert.equal(filter.ignoresPath('cache/a/b.txt'), true);
    assert.equal(filter.ignoresPath('pkg/node_modules/x.js'), true);
    assert.equal(filter.ignoresPath('src/cache.ts'), false);
    fs.rmSync(root, { recursive: true });
  });
});
