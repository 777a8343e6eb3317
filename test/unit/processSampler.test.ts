import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { parsePs, ProcessSampler, PS_ARGS } from '../../src/run/processSampler';

(process.platform === 'win32' ? describe.skip : describe)('process sampler', function () {
  this.timeout(20_000);

  it('finds every process of a real tree, with CPU % for the busy one and RSS for all', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
      const idle = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore', detached: true });
      console.log(busy.pid + ' ' + idle.pid);
      setInterval(() => {}, 1000);`;
    const root = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [busy, idle] = (await new Promise<string>((resolve) => root.stdout.once('data', (d: Buffer) => resolve(d.toString())))).trim().split(' ').map(Number);
      const sampler = new ProcessSampler(root.pid!);
      await sampler.sample();
      await new Promise((r) => setTimeout(r, 1000));
      const samples = await sampler.sample();
      assert.ok(samples, 'this system can be sampled');
      const byPid = new Map(samples.map((s) => [s.pid, s]));
      for (const pid of [root.pid!, busy, idle]) assert.ok(byPid.has(pid), `pid ${pid} in ${[...byPid.keys()].join(', ')}`);
      assert.ok(byPid.get(busy)!.cpu > 30, `the busy child uses CPU: ${byPid.get(busy)!.cpu}%`);
      assert.ok(byPid.get(idle)!.cpu < 30, `the idle child does not: ${byPid.get(idle)!.cpu}%`);
      for (const s of samples) assert.ok(s.rss > 1024 * 1024, `${s.pid} has a resident size: ${s.rss}`);
      assert.match(byPid.get(busy)!.cmdline, /for\(;;\)/);
      process.kill(busy, 'SIGKILL');
      process.kill(idle, 'SIGKILL');
    } finally {
      root.kill('SIGKILL');
    }
  });

  it('reads real `ps` output (macOS, and a Linux sandbox asked remotely): this process with its parent, name and memory', () => {
    const rows = parsePs(execFileSync('ps', PS_ARGS, { encoding: 'utf8' }));
    const me = rows.find((r) => r.pid === process.pid);
    assert.ok(me, `pid ${process.pid} among ${rows.length} rows`);
    assert.equal(me.ppid, process.ppid);
    assert.match(me.name, /node|mocha/);
    assert.ok(me.rss > 1024 * 1024, `RSS in bytes: ${me.rss}`);
  });
});
