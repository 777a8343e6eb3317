#!/usr/bin/env node
// `npm run test:integration`: runs the compiled integration suite in a real VS Code.
//   default                                   install.mjs (no-op when up to date), then runCodeServer.mjs
//   --electron or KIRBY_TEST_HOST=electron    runElectron.mjs (desktop VS Code via @vscode/test-electron)
//   --vsix FILE                               installs the packaged extension into code-server the way a user
//                                             would, and runs the suite against the installed copy
// Every other argument goes to the chosen runner (e.g. --verbose, --timeout 300, --tests FILE).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_CLI, HOST_DIR, NODE24 } from './paths.mjs';

const args = process.argv.slice(2);
const useElectron = args.includes('--electron') || process.env.KIRBY_TEST_HOST === 'electron';
const vsixIndex = args.indexOf('--vsix');
const vsix = vsixIndex >= 0 ? path.resolve(args[vsixIndex + 1] ?? '') : undefined;
const runnerArgs = args.filter((arg, i) => arg !== '--electron' && (vsixIndex < 0 || (i !== vsixIndex && i !== vsixIndex + 1)));

let child = null;
// Forward signals and wait for the runner's exit code: it cleans up (browser, server) before exiting.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child?.kill(signal));

function runStep(script, scriptArgs = []) {
  return new Promise((resolve) => {
    child = spawn(process.execPath, [path.join(HOST_DIR, script), ...scriptArgs], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
    child.on('error', (error) => { console.error(`run.mjs: ${script}: ${error.message}`); resolve(1); });
  });
}

async function main() {
  if (useElectron) return runStep('runElectron.mjs', runnerArgs);
  const installed = await runStep('install.mjs');
  if (installed !== 0) return installed;
  if (!vsix) return runStep('runCodeServer.mjs', runnerArgs);
  const extensions = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-vsix-'));
  try {
    const install = spawnSync(NODE24, [CODE_SERVER_CLI, '--extensions-dir', extensions, '--install-extension', vsix], { encoding: 'utf8' });
    const installedDir = fs.readdirSync(extensions).find((name) => name.startsWith('kirby-dev.kirby-'));
    if (install.status !== 0 || !installedDir) {
      console.error(`run.mjs: installing ${vsix} into code-server failed:\n${install.stdout}${install.stderr}`);
      return 1;
    }
    console.error(`[run] installed ${path.basename(vsix)} as ${installedDir}; testing that copy`);
    return await runStep('runCodeServer.mjs', [...runnerArgs, '--ext', path.join(extensions, installedDir)]);
  } finally {
    fs.rmSync(extensions, { recursive: true, force: true });
  }
}

process.exit(await main());
