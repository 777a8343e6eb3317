#!/usr/bin/env node
// `npm run test:integration`: runs the compiled integration suite in a real VS Code.
//   default                                   install.mjs (no-op when up to date), then runCodeServer.mjs
//   --electron or KIRBY_TEST_HOST=electron    runElectron.mjs (desktop VS Code via @vscode/test-electron)
// Every other argument goes to the chosen runner (e.g. --verbose, --timeout 300, --tests FILE).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { HOST_DIR } from './paths.mjs';

const args = process.argv.slice(2);
const useElectron = args.includes('--electron') || process.env.KIRBY_TEST_HOST === 'electron';
const runnerArgs = args.filter((arg) => arg !== '--electron');

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
  return runStep('runCodeServer.mjs', runnerArgs);
}

process.exit(await main());
