import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { checkHealth, portStatus } from '../../src/run/ports';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ports and health', function () {
  this.timeout(20_000);

  it('tells a port in use, by which process, and that an HTTP server there is healthy', async () => {
    const script = `require('node:http').createServer((q, s) => { s.statusCode = q.url === '/' ? 404 : 200; s.end('x'); })
      .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = Number(await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
      const status = await portStatus(port);
      assert.equal(status.inUse, true);
      if (process.platform === 'linux') {
        assert.deepEqual(status.owners.map((o) => o.pid), [child.pid]);
        assert.match(status.owners[0].cmdline, /createServer/);
      }
      const health = await checkHealth(`http://127.0.0.1:${port}/`);
      assert.deepEqual({ ok: health.ok, status: health.status }, { ok: true, status: 404 }, 'a 404 is still a running server');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a free port is not in use, and a health check there fails with the reason', async () => {
    const port = await freePort();
    assert.deepEqual(await portStatus(port), { port, inUse: false, owners: [] });
    const health = await checkHealth(`http://127.0.0.1:${port}/`, 1000);
    assert.equal(health.ok, false);
    assert.match(health.error ?? '', /ECONNREFUSED/);
  });
});
