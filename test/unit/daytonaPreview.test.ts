/**
 * Sandbox previews: the real SDK's preview link, through Kirby's loopback proxy that adds the token (HTTP and a
 * WebSocket upgrade, as a dev server's hot reload uses), against the fake Daytona's preview proxy.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { startPreviewProxy } from '../../src/run/daytona/previewProxy';
import { connectDaytona, type DaytonaClient } from '../../src/run/daytona/sdkAdapter';
import { FakeDaytona } from '../daytona/fakeDaytona';

/** A dev server stand-in in the "sandbox": answers GET and accepts a WebSocket upgrade that echoes one frame. */
async function devServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => res.end(`served ${req.url}`));
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', (data: Buffer) => socket.send(data.toString())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('daytona preview (real SDK, fake server)', function () {
  this.timeout(30_000);
  let fake: FakeDaytona;
  let client: DaytonaClient;
  beforeEach(async () => {
    fake = await new FakeDaytona().start();
    client = await connectDaytona({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', pollState: true });
  });
  afterEach(async () => {
    await client.dispose();
    await fake.stop();
  });

  it('a private preview needs its token; the loopback proxy adds it for pages and WebSocket upgrades', async () => {
    const server = await devServer();
    const sandbox = await client.create({ labels: { kirby: '1' } }, 30);
    const link = await sandbox.previewLink(server.port);
    const proxy = await startPreviewProxy(link);
    try {
      const refused = await fetch(`${link.url}/app`);
      assert.equal(refused.status, 401, 'without the token the preview refuses');
      await refused.text();
      const page = await fetch(`${proxy.url}app?x=1`);
      assert.equal(page.status, 200);
      assert.equal(await page.text(), 'served /app?x=1');

      // a real WebSocket client (the ws package), as a browser's hot-reload socket would connect
      const echoed = await new Promise<string>((resolve, reject) => {
        const socket = new WebSocket(`${proxy.url.replace('http:', 'ws:')}hmr`);
        socket.on('open', () => socket.send('ping'));
        socket.on('message', (data: Buffer) => {
          resolve(data.toString());
          socket.close();
        });
        socket.on('error', reject);
      });
      assert.equal(echoed, 'ping');
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
