/**
 * Opening a workspace on Daytona (sandbox, push, install) with the real SDK against the fake server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KirbyDaytonaError } from '../../src/run/daytona/errors';
import { openDaytonaWorkspace, type DaytonaWorkspaceOptions } from '../../src/run/daytona/workspace';
import { FakeDaytona } from '../daytona/fakeDaytona';

describe('daytona workspace (real SDK, fake server)', function () {
  this.timeout(30_000);
  let fake: FakeDaytona;
  let local: string;
  let state: string;
  let options: DaytonaWorkspaceOptions;
  beforeEach(async () => {
    fake = await new FakeDaytona().start();
    local = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-ws-'));
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-ws-state-'));
    fs.writeFileSync(path.join(local, 'package-lock.json'), '{"v":1}');
    options = {
      settings: { apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', pollState: true },
      localRoot: local,
      stateDir: state,
      installCommand: 'echo installed >> install.log',
    };
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(local, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('installs in the sandbox once per lockfile, with every step timed', async () => {
    const first = await openDaytonaWorkspace(options);
    const log = path.join(fake.workDir(first.sandbox.id), 'workspace', 'install.log');
    assert.deepEqual(first.steps.map((s) => s.step), ['find', 'create', 'sync', 'install']);
    await first.dispose();
    const second = await openDaytonaWorkspace(options);
    assert.equal(second.created, false);
    assert.equal(fs.readFileSync(log, 'utf8'), 'installed\n');
    await second.dispose();
    fs.writeFileSync(path.join(local, 'package-lock.json'), '{"v":2}');
    const third = await openDaytonaWorkspace(options);
    assert.equal(fs.readFileSync(log, 'utf8'), 'installed\ninstalled\n');
    await third.dispose();
  });

  it('a failing install: its output, the hint about restricted networks, and the new sandbox deleted', async () => {
    try {
      await openDaytonaWorkspace({ ...options, installCommand: 'echo "npm ERR! network"; exit 9' });
      assert.fail('did not reject');
    } catch (e) {
      assert.ok(e instanceof KirbyDaytonaError);
      assert.equal(e.failure, 'sandbox-failed');
      assert.match(e.message, /exit code 9[^]*npm ERR! network[^]*restricted outbound network/);
    }
    assert.deepEqual(fake.sandboxIds(), []);
  });
});
