/**
 * `kirby run --backend daytona` as a user runs it: the bundled dist/cli.js (with dist/daytona-sdk.js beside it) in a
 * child process, against the fake server in this one.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeDaytona } from '../daytona/fakeDaytona';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function kirby(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

(process.platform === 'win32' ? describe.skip : describe)('kirby run --backend daytona (fake server)', function () {
  this.timeout(60_000);
  let fake: FakeDaytona;
  let work: string;
  let cache: string;
  before(async () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built by npm run build');
    fake = await new FakeDaytona().start();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-cli-daytona-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-cli-cache-'));
    fs.writeFileSync(path.join(work, 'hello.txt'), 'hello from the workspace\n');
    fs.writeFileSync(path.join(work, '.env'), 'TOKEN=secret\n');
  });
  after(async () => {
    await fake.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('syncs the folder, runs the command in the sandbox, relays its output and exits with its code', async () => {
    const env = { DAYTONA_API_KEY: fake.apiKey, XDG_CACHE_HOME: cache };
    const r = await kirby(['run', '--backend', 'daytona', '--api-url', fake.apiUrl, '--', 'sh', '-c', 'cat hello.txt; ls -a; exit 3'], work, env);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^hello from the workspace\r\n/);
    assert.doesNotMatch(r.stdout, /\.env/, '.env stays local');
    assert.match(r.stderr, /sandbox \S+ created/);
    assert.match(r.stderr, /1 file\(s\) sent in 1 request/);
    assert.match(r.stderr, /kept local \(credentials\?\): \.env/);
    const again = await kirby(['run', '--backend', 'daytona', '--api-url', fake.apiUrl, '--', 'true'], work, env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /sandbox \S+ reused/);
    assert.match(again.stderr, /0 file\(s\) sent in 0 request/);
    assert.equal(fake.sandboxIds().length, 1);
  });

  it('without DAYTONA_API_KEY: exit 1 and how to set it', async () => {
    const r = await kirby(['run', '--backend', 'daytona', '--api-url', fake.apiUrl, '--', 'true'], work, { DAYTONA_API_KEY: '', XDG_CACHE_HOME: cache });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No Daytona API key is set\..*DAYTONA_API_KEY/);
  });

  it('--api-url without --backend daytona is a usage error', async () => {
    const r = await kirby(['run', '--api-url', fake.apiUrl, '--', 'true'], work, {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--api-url needs --backend daytona/);
  });
});
