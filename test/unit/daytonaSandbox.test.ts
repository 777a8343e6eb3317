/**
 * The Daytona adapter and sandbox lifecycle, with the real @daytonaio/sdk against the fake server.
 */
import * as assert from 'node:assert/strict';
import { KirbyDaytonaError } from '../../src/run/daytona/errors';
import { deleteKirbySandboxes, ensureSandbox, IdleWatchdog, listKirbySandboxes, workspaceLabels } from '../../src/run/daytona/sandbox';
import { connectDaytona } from '../../src/run/daytona/sdkAdapter';
import { startHarness, type Harness } from '../daytona/harness';

async function rejectsWith(promise: Promise<unknown>, failure: string, text: RegExp): Promise<KirbyDaytonaError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof KirbyDaytonaError, `not a KirbyDaytonaError: ${String(e)}`);
    assert.equal(e.failure, failure, e.message);
    assert.match(e.message, text);
    return e;
  }
  assert.fail('did not reject');
}

describe('daytona sandbox (real SDK, fake server)', function () {
  this.timeout(30_000);
  let h: Harness;
  const labels = workspaceLabels('/home/me/project');
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.dispose());

  it('labels a workspace by a hash of its path, never the path', () => {
    assert.equal(labels.kirby, '1');
    assert.match(labels.workspace, /^[0-9a-f]{16}$/);
    assert.notDeepEqual(workspaceLabels('/home/me/other'), labels);
  });

  it('creates a sandbox once, then reuses it; timings per step', async () => {
    const first = await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10 });
    assert.equal(first.created, true);
    assert.equal(first.sandbox.state, 'started');
    assert.deepEqual(first.steps.map((s) => s.step), ['find', 'create']);
    const again = await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10 });
    assert.equal(again.created, false);
    assert.equal(again.sandbox.id, first.sandbox.id);
    assert.equal(h.fake.count('POST /sandbox'), 1);
  });

  it('sends the image, resources, auto-stop and public flag the settings ask for', async () => {
    await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10, image: 'node:22-bookworm', resources: { cpu: 2, memory: 4 }, autoStopMinutes: 15, public: false });
    const body = h.fake.lastCreateRequest!;
    assert.deepEqual({ cpu: body.cpu, memory: body.memory, autoStopInterval: body.autoStopInterval, public: body.public }, { cpu: 2, memory: 4, autoStopInterval: 15, public: false });
    assert.ok(JSON.stringify(body.buildInfo ?? body).includes('node:22-bookworm'), JSON.stringify(body));
  });

  it('starts a stopped sandbox instead of creating another', async () => {
    const { sandbox } = await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10 });
    await sandbox.stop(10);
    assert.equal(h.fake.state(sandbox.id), 'stopped');
    const again = await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10 });
    assert.equal(again.sandbox.id, sandbox.id);
    assert.deepEqual(again.steps.map((s) => s.step), ['find', 'start']);
    assert.equal(h.fake.state(sandbox.id), 'started');
  });

  it('a sandbox that never becomes ready: a clear timeout error, and nothing left behind', async () => {
    h.fake.slowCreate = true;
    const started = Date.now();
    const e = await rejectsWith(ensureSandbox(h.client, { labels, readyTimeoutSeconds: 1 }), 'timeout', /not ready within 1 s/);
    assert.match(e.message, /readyTimeoutSeconds/);
    assert.ok(Date.now() - started < 5000, 'the wait is bounded');
    assert.deepEqual(h.fake.sandboxIds(), []);
    assert.equal(h.fake.count('DELETE /sandbox/:id'), 1);
  });

  it('lists and deletes only Kirby sandboxes', async () => {
    await ensureSandbox(h.client, { labels, readyTimeoutSeconds: 10 });
    await ensureSandbox(h.client, { labels: workspaceLabels('/elsewhere'), readyTimeoutSeconds: 10 });
    await h.client.create({ labels: { other: 'tool' } }, 10);
    assert.equal((await listKirbySandboxes(h.client)).length, 2);
    assert.equal(await deleteKirbySandboxes(h.client), 2);
    assert.equal(h.fake.sandboxIds().length, 1);
  });

  it('maps a wrong key (401) to a message that names the command to set it', async () => {
    const bad = await connectDaytona({ apiKey: 'wrong', apiUrl: h.fake.apiUrl, target: 'us', pollState: true });
    try {
      await rejectsWith(ensureSandbox(bad, { labels, readyTimeoutSeconds: 5 }), 'unauthorized', /401.*Kirby: Set Daytona API Key/);
    } finally {
      await bad.dispose();
    }
  });

  it('refuses to start without a key, before any request', async () => {
    await rejectsWith(connectDaytona({ apiKey: '', apiUrl: h.fake.apiUrl, target: 'us' }), 'no-key', /No Daytona API key.*Set Daytona API Key/);
    assert.equal(h.fake.requests.size, 0);
  });

  it('maps 429 to rate limit/quota advice and 500 to a server error, without leaving a sandbox', async () => {
    h.fake.failNext(429, { route: 'POST /sandbox' });
    await rejectsWith(h.client.create({ labels }, 5), 'rate-limited', /rate limit or quota.*429.*delete sandboxes/);
    h.fake.failNext(500, { route: 'GET /sandbox' });
    await rejectsWith(ensureSandbox(h.client, { labels, readyTimeoutSeconds: 5 }), 'server', /server error \(500/);
    assert.deepEqual(h.fake.sandboxIds(), []);
  });

  it('maps an unreachable server to a network error naming the URL', async () => {
    const url = h.fake.apiUrl;
    const client = await connectDaytona({ apiKey: 'k', apiUrl: url.replace(/:\d+/, ':1'), target: 'us', pollState: true });
    try {
      await rejectsWith(client.list({}), 'network', /Could not reach Daytona at http:\/\/127\.0\.0\.1:1\/api/);
    } finally {
      await client.dispose();
    }
  });
});

describe('idle watchdog', () => {
  it('stops only after idleMs without activity and never while a build runs', () => {
    let now = 0;
    const dog = new IdleWatchdog(1000, () => now);
    now = 999;
    assert.equal(dog.shouldStop(), false);
    assert.equal(dog.msUntilIdle(), 1);
    now = 1000;
    assert.equal(dog.shouldStop(), true);
    dog.buildStarted();
    now = 10_000;
    assert.equal(dog.shouldStop(), false);
    assert.equal(dog.msUntilIdle(), Infinity);
    dog.buildEnded();
    now = 10_500;
    assert.equal(dog.shouldStop(), false);
    now = 11_000;
    assert.equal(dog.shouldStop(), true);
  });

  it('0 means never', () => {
    let now = 0;
    const dog = new IdleWatchdog(0, () => now);
    now = 1e9;
    assert.equal(dog.shouldStop(), false);
  });
});
