import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectFromLockfiles, readPackageScripts, scriptCommand, shellQuote } from '../../src/run/packageScripts';

describe('package scripts', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-pkg-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function write(rel: string, content: string): string {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  it('reads the scripts and defaults to npm without a lockfile', () => {
    const file = write('package.json', JSON.stringify({ name: 'app', scripts: { build: 'vite build', bad: 42 } }));
    const pkg = readPackageScripts(file, root);
    assert.deepEqual(pkg.scripts, { build: 'vite build' });
    assert.equal(pkg.name, 'app');
    assert.equal(pkg.packageManager, 'npm');
  });

  it('finds the lockfile of a monorepo root from a nested package, and prefers the packageManager field', () => {
    write('pnpm-lock.yaml', '');
    const nested = write('packages/web/package.json', JSON.stringify({ scripts: { dev: 'vite' } }));
    assert.equal(readPackageScripts(nested, root).packageManager, 'pnpm');
    const pinned = write('packages/api/package.json', JSON.stringify({ packageManager: 'yarn@4.1.0', scripts: {} }));
    assert.equal(readPackageScripts(pinned, root).packageManager, 'yarn');
  });

  it('never looks above the workspace folder', () => {
    write('yarn.lock', '');
    const inner = path.join(root, 'folder');
    fs.mkdirSync(inner);
    assert.equal(detectFromLockfiles(inner, inner), undefined);
    assert.equal(detectFromLockfiles(inner, root), 'yarn');
  });

  it('names the file when its JSON is broken', () => {
    const file = write('package.json', '{ "scripts": ');
    assert.throws(() => readPackageScripts(file, root), (e: Error) => e.message.startsWith(file));
  });

  it('quotes script names the shell would split', () => {
    assert.equal(scriptCommand('npm', 'build:prod'), 'npm run build:prod');
    if (process.platform !== 'win32') {
      assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
      assert.equal(scriptCommand('bun', 'a b'), "bun run 'a b'");
    }
  });
});
