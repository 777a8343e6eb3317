#!/usr/bin/env node
// Runs the integration suite in desktop VS Code (Electron) through @vscode/test-electron, for developers' machines
// and CI elsewhere. It downloads VS Code from Microsoft's update server (cached in .vscode-test/), so it cannot
// run on machines that reach only the npm registry: those use runCodeServer.mjs. On Linux without a display, run
// it under xvfb-run.
//
// There is no UI driver here: KIRBY_TEST_DRIVER stays unset, driver.available is false and UI checks skip.
// The reporter's lines (ending with "N passed, N failed") reach stdout through VS Code's own output.
//
// Usage: node test/host/runElectron.mjs [--ext DIR] [--tests FILE] [--workspace DIR] [--vscode-version V]
// Exit: 0 when every test passed, 1 otherwise.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './paths.mjs';

// The VS Code that code-server 4.139.1 ships, so both hosts test the same version by default.
const DEFAULT_VSCODE_VERSION = '1.139.1';

const { values: options } = parseArgs({
  options: {
    ext: { type: 'string', default: REPO_ROOT },
    tests: { type: 'string', default: path.join(REPO_ROOT, 'out/test/integration/index.js') },
    workspace: { type: 'string', default: path.join(REPO_ROOT, 'test/integration/workspace') },
    'vscode-version': { type: 'string', default: process.env.KIRBY_VSCODE_VERSION || DEFAULT_VSCODE_VERSION },
  },
});

async function loadTestElectron() {
  try {
    return await import('@vscode/test-electron');
  } catch (error) {
    throw new Error(`@vscode/test-electron is not installed (npm install; it is a devDependency): ${error.message}`);
  }
}

async function main() {
  const { runTests } = await loadTestElectron();
  const cache = path.join(REPO_ROOT, '.vscode-test');
  await runTests({
    version: options['vscode-version'],
    cachePath: cache,
    extensionDevelopmentPath: path.resolve(options.ext),
    extensionTestsPath: path.resolve(options.tests),
    // No UI driver in desktop VS Code; an inherited value would point the tests at a driver that is not there.
    extensionTestsEnv: { KIRBY_TEST_DRIVER: '', KIRBY_TEST_OUTPUT_FILE: '', KIRBY_TEST_RESULTS_FILE: '' },
    launchArgs: [
      path.resolve(options.workspace),
      '--disable-extensions',
      // test-electron's own defaults, but under the repo rather than the current directory
      `--user-data-dir=${path.join(cache, 'user-data')}`,
      `--extensions-dir=${path.join(cache, 'extensions')}`,
    ],
  });
}

try {
  await main();
} catch (error) {
  // runTests rejects with TestRunFailedError (code/signal of VS Code) when a test failed or VS Code crashed
  console.error(`runElectron: ${error.message}`);
  process.exit(1);
}
