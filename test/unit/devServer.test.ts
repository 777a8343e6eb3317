import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ServerAddressFinder, serverAddressIn } from '../../src/core/devServer';
import { BuildEngine } from '../../src/core/engine';
import { FIXTURES } from '../support/replay';

/** The visible lines of a recording, as the engine assembles them (colours, redraws and all handled). */
function visibleLines(file: string): string[] {
  const lines: string[] = [];
  const engine = new BuildEngine();
  engine.onLine((line) => lines.push(line));
  for (const raw of fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').slice(1)) {
    if (!raw.trim()) continue;
    const [, code, data] = JSON.parse(raw) as [number, string, string];
    if (code === 'o') engine.write(data);
  }
  engine.endOfStream();
  engine.dispose();
  return lines;
}

describe('dev server address', () => {
  // each recording's server was started on a port of our choosing: the address must be that one
  const recordings: [string, string][] = [
    ['vite/vite5-dev.cast', 'http://127.0.0.1:51733/'],
    ['vite/vite7-dev.cast', 'http://127.0.0.1:51731/'],
    ['vite/vite8-dev.cast', 'http://127.0.0.1:51732/'],
    ['next/next-dev.cast', 'http://127.0.0.1:51761/'],
    ['parcel/parcel2-serve.cast', 'http://127.0.0.1:51751/'],
    ['webpack-dev-server/webpack-dev-server3-dev.cast', 'http://127.0.0.1:51742/'],
    ['webpack-dev-server/webpack-dev-server5-dev.cast', 'http://127.0.0.1:51741/'],
  ];
  for (const [file, url] of recordings) {
    it(`finds ${url} in the real output of ${path.basename(file, '.cast')}`, () => {
      const finder = new ServerAddressFinder();
      for (const line of visibleLines(file)) if (finder.push(line)) break;
      assert.equal(finder.address?.url, url);
      assert.equal(finder.address?.local, true);
    });
  }

  it('finds nothing in builds that only print documentation links', () => {
    for (const file of ['rollup/rollup4-build-warn.cast', 'tailwind/tailwind3-build-ok.cast', 'webpack/webpack5-watch.cast']) {
      const finder = new ServerAddressFinder();
      for (const line of visibleLines(file)) finder.push(line);
      assert.equal(finder.address, undefined, file);
    }
  });

  it('reads wildcard hosts, port phrases, and prefers a local address over a network one', () => {
    assert.equal(serverAddressIn('  ➜  Local:   http://0.0.0.0:5173/app/')?.url, 'http://localhost:5173/app/');
    assert.equal(serverAddressIn('Server listening on port 8080')?.url, 'http://localhost:8080/');
    assert.equal(serverAddressIn('Express app started on :4000')?.port, 4000);
    assert.equal(serverAddressIn('see https://example.com:8443/docs'), undefined, 'a remote host is not our server');
    assert.equal(serverAddressIn('Imported 3000 modules'), undefined);
    const finder = new ServerAddressFinder();
    assert.equal(finder.push('  - Network:  http://192.168.1.20:3000'), false);
    assert.equal(finder.address?.url, 'http://192.168.1.20:3000/');
    assert.equal(finder.push('  - Local:    http://localhost:3000'), true);
    assert.equal(finder.address?.url, 'http://localhost:3000/');
  });
});
