/**
 * The fake Daytona's other surfaces, driven by the raw SDK (tests may import it; src/ only through the adapter):
 * sessions with async commands and followed logs, preview links, injected latency, request counts.
 */
import * as assert from 'node:assert/strict';
import { Daytona } from '@daytonaio/sdk';
import { FakeDaytona } from '../daytona/fakeDaytona';

describe('fake Daytona with the raw SDK', function () {
  this.timeout(30_000);
  let fake: FakeDaytona;
  let daytona: Daytona;
  beforeEach(async () => {
    fake = await new FakeDaytona().start();
    daytona = new Daytona({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', useDeprecatedPolling: true });
  });
  afterEach(async () => {
    await daytona[Symbol.asyncDispose]();
    await fake.stop();
  });

  it('sessions: async command, exit code, logs as a snapshot and followed (stdout and stderr apart)', async () => {
    const sandbox = await daytona.create({ labels: { t: '1' } }, { timeout: 10 });
    await sandbox.process.createSession('s1');
    const { cmdId } = await sandbox.process.executeSessionCommand('s1', { command: 'echo out; echo err >&2; sleep 0.2; echo done; exit 4', runAsync: true });
    let stdout = '';
    let stderr = '';
    await sandbox.process.getSessionCommandLogs('s1', cmdId!, (t) => (stdout += t), (t) => (stderr += t));
    assert.equal(stdout, 'out\ndone\n');
    assert.equal(stderr, 'err\n');
    assert.equal((await sandbox.process.getSessionCommand('s1', cmdId!)).exitCode, 4);
    const snapshot = await sandbox.process.getSessionCommandLogs('s1', cmdId!);
    assert.equal(snapshot.stdout, 'out\ndone\n');
    const sync = await sandbox.process.executeSessionCommand('s1', { command: 'echo hi' });
    assert.equal(sync.exitCode, 0);
    assert.equal(sync.output, 'hi\n');
  });

  it('preview links and per-request latency; requests counted per route', async () => {
    const sandbox = await daytona.create({ labels: { t: '1' } }, { timeout: 10 });
    fake.resetCounts();
    fake.latencyMs = 100;
    const started = Date.now();
    const link = await sandbox.getPreviewLink(3000);
    assert.ok(Date.now() - started >= 100);
    assert.match(link.url, /\/preview\/.+\/3000$/);
    assert.ok(link.token);
    assert.equal(fake.count('GET /sandbox/:id/ports/:port/preview-url'), 1);
  });

  it('toolbox calls on a stopped sandbox fail like the proxy does', async () => {
    const sandbox = await daytona.create({ labels: { t: '1' } }, { timeout: 10 });
    await sandbox.stop();
    await assert.rejects(sandbox.fs.listFiles('.'), /is stopped/);
  });
});
