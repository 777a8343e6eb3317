#!/usr/bin/env node
// npm start: opens Kirby in a real VS Code with a small demo workspace (the integration tests' fixture project).
// Desktop VS Code when a `code` binary is on PATH; otherwise code-server on 127.0.0.1, printing the URL to open.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VSCODE, NODE24, REPO_ROOT, SERVER_MAIN, envWithoutNpmVariables } from '../test/host/paths.mjs';

const demo = path.join(REPO_ROOT, '.vscode-test', 'demo');
if (!fs.existsSync(path.join(demo, 'node_modules'))) {
  fs.cpSync(path.join(REPO_ROOT, 'test/integration/workspace'), demo, { recursive: true });
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: demo, stdio: 'inherit', shell: process.platform === 'win32' });
}

const code = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['code'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
if (code) {
  console.log(`Opening ${demo} in desktop VS Code with Kirby loaded from ${REPO_ROOT}`);
  spawn(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, demo], { stdio: 'inherit', detached: true }).unref();
} else {
  if (!fs.existsSync(SERVER_MAIN)) execFileSync(process.execPath, [path.join(REPO_ROOT, 'test/host/install.mjs')], { stdio: 'inherit' });
  const port = await freePort();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-start-'));
  const server = spawn(
    NODE24,
    [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
      '--disable-telemetry', '--user-data-dir', path.join(data, 'user'), '--server-data-dir', path.join(data, 'server'),
      '--extensions-dir', path.join(data, 'extensions')],
    { stdio: 'inherit', env: { ...envWithoutNpmVariables(), EXTENSIONS_GALLERY: '{}' } },
  );
  const authority = `127.0.0.1:${port}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`]]);
  console.log(`\ncode-server (VS Code ${vsCodeVersion()}) with Kirby loaded. Open:\n\n  http://${authority}/?folder=${encodeURIComponent(demo)}&payload=${encodeURIComponent(payload)}\n\nCtrl+C stops it.`);
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (codeOrNull) => {
    fs.rmSync(data, { recursive: true, force: true });
    process.exit(codeOrNull ?? 0);
  });
}

function vsCodeVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(CODE_SERVER_VSCODE, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
