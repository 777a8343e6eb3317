#!/usr/bin/env node
// Runs the extension's mocha integration suite inside a REAL VS Code: code-server's VS Code server (its extension
// host is a Node 24 process on this machine) with the workbench shown in headless Chromium via playwright-core.
// Plain Node ESM for the machine's Node 20; it starts Node 24 only for the server. Tools come from install.mjs.
//
// Usage: node test/host/runCodeServer.mjs [--ext DIR] [--tests FILE] [--workspace DIR] [--artifacts DIR]
//                                         [--timeout SEC] [--verbose] [--keep-tmp]
// stdout: the suite's reporter lines as they come, ending with "N passed, N failed".
// stderr: progress as "[host 12.3s] ..."; with --verbose also the whole browser console.
// Exit: 0 all passed and at least one ran; 1 failures, no tests, or an infrastructure error; 124 timeout;
//       130 interrupted.
//
// Protocol with the suite entry (test/integration/index.ts), all through the environment that the extension host
// inherits from the server process:
//   KIRBY_TEST_RESULTS_FILE  JSON written by the entry: counts, per-test records, done flag
//   KIRBY_TEST_OUTPUT_FILE   the reporter's output lines, appended as they are printed (tailed here)
//   KIRBY_TEST_DRIVER        base URL of the driver API (driverApi.mjs) the tests use to drive the UI
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { startDriverApi } from './driverApi.mjs';
import {
  CHROMIUM, NODE24, REPO_ROOT, SERVER_MAIN, TOOLS_DIR, envWithoutNpmVariables,
} from './paths.mjs';

const { values: options } = parseArgs({
  options: {
    ext: { type: 'string', default: REPO_ROOT },
    tests: { type: 'string', default: path.join(REPO_ROOT, 'out/test/integration/index.js') },
    workspace: { type: 'string', default: path.join(REPO_ROOT, 'test/integration/workspace') },
    artifacts: { type: 'string', default: path.join(REPO_ROOT, '.vscode-test/artifacts') },
    timeout: { type: 'string', default: '600' },
    verbose: { type: 'boolean', default: false },
    'keep-tmp': { type: 'boolean', default: false },
  },
});
const EXT = path.resolve(options.ext);
const TESTS = path.resolve(options.tests);
const WORKSPACE = path.resolve(options.workspace);
const ARTIFACTS = path.resolve(options.artifacts);
const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');
const TIMEOUT_S = Number(options.timeout);
const SUMMARY_LINE = /^\d+ passed, \d+ failed(, \d+ skipped)?$/;

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
const log = (...parts) => console.error(`[host ${elapsed()}]`, ...parts); // progress on stderr, results on stdout

// ---- preconditions

function inputProblems() {
  const required = [
    ['Node 24 (run: node test/host/install.mjs)', NODE24],
    ['code-server (run: node test/host/install.mjs)', SERVER_MAIN],
    ['chromium (sudo apt-get install -y chromium, or set KIRBY_CHROMIUM)', CHROMIUM],
    ['extension manifest', path.join(EXT, 'package.json')],
    ['compiled suite entry (npm run compile-tests)', TESTS],
    ['workspace folder', WORKSPACE],
  ];
  const problems = required.filter(([, file]) => !fs.existsSync(file)).map(([what, file]) => `${what} not found at ${file}`);
  if (!(TIMEOUT_S > 0)) problems.push(`--timeout must be a positive number of seconds, got ${options.timeout}`);
  return problems;
}

// ---- per-run scratch space (deleted at the end unless --keep-tmp)

function makeRunDirs() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-vscode-'));
  const dirs = { root };
  for (const name of ['user-data', 'server-data', 'extensions', 'xdg-data', 'xdg-config', 'xdg-cache', 'tmp']) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name], { recursive: true });
  }
  dirs.resultsFile = path.join(root, 'results.json');
  dirs.outputFile = path.join(root, 'output.log');
  fs.writeFileSync(dirs.outputFile, '');
  return dirs;
}

function prepareArtifacts() {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true }); // no stale pictures from an earlier run
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return { serverLog: path.join(ARTIFACTS, 'server.log'), browserLog: path.join(ARTIFACTS, 'browser-console.log') };
}

// The server keeps the user profile under <user-data-dir>/User; these are the global settings of the run.
function writeUserSettings(userDataDir) {
  const settings = {
    'terminal.integrated.gpuAcceleration': 'off', // terminal text lands in the DOM, readable through /text
    'git.enabled': false, // the workspace lives inside this repo: keep VS Code's git from touching its index
    'chat.disableAIFeatures': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty) chat view would take a third of each screenshot
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
  };
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

// ---- the VS Code server

function startServer({ port, dirs, serverLog, driverUrl }) {
  const args = [
    SERVER_MAIN,
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    '--enable-smoke-test-driver', // without it the workbench ignores the extensionTestsPath payload
    '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', dirs['user-data'], '--server-data-dir', dirs['server-data'],
    '--extensions-dir', dirs.extensions,
  ];
  const env = {
    ...envWithoutNpmVariables(),
    KIRBY_TEST_RESULTS_FILE: dirs.resultsFile,
    KIRBY_TEST_OUTPUT_FILE: dirs.outputFile,
    KIRBY_TEST_DRIVER: driverUrl,
    XDG_DATA_HOME: dirs['xdg-data'], XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: dirs['xdg-cache'],
    VSCODE_AGENT_FOLDER: dirs['server-data'],
    EXTENSIONS_GALLERY: '{}', // no gallery: code-server's default (open-vsx.org) is unreachable and only adds noise
    TMPDIR: dirs.tmp, // VS Code leaves unix sockets in TMPDIR; this one is deleted with the run
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  const logFd = fs.openSync(serverLog, 'w');
  // detached: its own process group, so the extension host, pty host and watcher it forks die with it
  const server = spawn(NODE24, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  return server;
}

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

async function waitForHttp(url, server, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    if (hasExited(server)) throw new Error(`the VS Code server exited (${server.exitCode ?? server.signalCode}) before answering HTTP`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error.cause?.code ?? error.message);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the VS Code server did not answer ${url} within ${timeoutMs} ms (last: ${last})`);
}

async function stopServer(server) {
  if (!server) return;
  const signalGroup = (signal) => { try { process.kill(-server.pid, signal); } catch { /* already gone */ } };
  if (!hasExited(server)) {
    signalGroup('SIGTERM');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 4000))]);
  }
  signalGroup('SIGKILL'); // children (extension host, pty host) may outlive the server's own exit
  await waitUntilGroupIsGone(server.pid, 3000); // before the run directory they write into is deleted
}

async function waitUntilGroupIsGone(groupId, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try { process.kill(-groupId, 0); } catch { return; } // ESRCH: no process left in the group
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- the browser

async function launchBrowser() {
  const { chromium } = createRequire(path.join(TOOLS_DIR, 'package.json'))('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our own SIGINT/SIGTERM handlers clean up; Playwright's would kill Chromium and exit(130) before the server
    // is stopped, orphaning it.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    // the network flags keep Chromium from flooding the closed network with connection attempts
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

async function closeBrowser(browser) {
  if (!browser) return;
  const browserProcess = browser.process?.();
  await Promise.race([browser.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (browserProcess && browserProcess.exitCode === null) { try { browserProcess.kill('SIGKILL'); } catch { /* already gone */ } }
}

function workbenchUrl(port) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload = [['extensionDevelopmentPath', remote(EXT)], ['extensionTestsPath', remote(TESTS)]];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Opens the workbench; resolves the returned promise with the code the workbench passes to codeAutomationExit. */
async function openWorkbench(page, port, browserLog) {
  let reportExit;
  const exited = new Promise((resolve) => { reportExit = resolve; });
  // must exist before navigation: the workbench looks it up when the tests end
  await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
  page.on('console', (message) => {
    const line = `[${elapsed()} ${message.type()}] ${message.text()}\n`;
    browserLog.write(line);
    if (options.verbose) process.stderr.write(`[browser ${line.slice(1)}`);
  });
  page.on('pageerror', (error) => browserLog.write(`[${elapsed()} pageerror] ${error.message}\n`));
  await page.goto(workbenchUrl(port), { waitUntil: 'domcontentloaded' });
  return exited;
}

// ---- suite output and results

/** Follows the output file the suite entry appends to and prints each complete line to stdout. */
function followOutput(file) {
  let offset = 0;
  let partial = '';
  const decoder = new StringDecoder('utf8'); // a read may end inside a multi-byte character (✔)
  let printedLines = 0;
  let lastLine = '';
  const print = (line) => { process.stdout.write(`${line}\n`); printedLines++; if (line.trim()) lastLine = line.trim(); };
  const readNew = () => {
    let chunk = '';
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(Math.max(0, fs.fstatSync(fd).size - offset));
        offset += fs.readSync(fd, buffer, 0, buffer.length, offset);
        chunk = decoder.write(buffer);
      } finally {
        fs.closeSync(fd);
      }
    } catch { /* not there (yet) */ }
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    lines.forEach(print);
  };
  const timer = setInterval(readNew, 250);
  return {
    stop() {
      clearInterval(timer);
      readNew();
      if (partial) print(partial);
      partial = '';
      return { printedLines, endedWithSummary: SUMMARY_LINE.test(lastLine) };
    },
  };
}

function readResults(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; }
}

/** Prints what the suite's own output did not say, ends stdout with the summary line, returns the exit code. */
function report({ results, output, workbenchExit, timedOut, error }) {
  if (results?.host) log('extension host:', JSON.stringify(results.host));
  if (output.printedLines === 0) printTestRecords(results?.tests ?? []);
  const passed = results?.passed ?? 0;
  const failed = results?.failed ?? 0;
  const problems = [];
  if (timedOut) problems.push(`timed out after ${TIMEOUT_S} s`);
  if (error) problems.push(error);
  if (!results) problems.push('the suite entry wrote no results (see browser-console.log in the artifacts)');
  if (results?.error) problems.push(`the suite entry failed: ${results.error}`);
  if (results && !results.done && !timedOut) problems.push('the suite did not finish');
  if (results?.done && passed + failed === 0) problems.push('no tests ran');
  if (workbenchExit != null && workbenchExit !== 0 && failed === 0) problems.push(`the workbench reported exit code ${workbenchExit} but no test failed`);
  for (const problem of problems) console.log(`harness error: ${problem}`);
  if (problems.length || !output.endedWithSummary) {
    const skipped = results?.pending ? `, ${results.pending} skipped` : '';
    console.log(`${passed} passed, ${failed} failed${skipped}`);
  }
  if (timedOut) return 124;
  return problems.length || failed > 0 || workbenchExit !== 0 ? 1 : 0;
}

// Fallback when the reporter's lines never arrived: one line per recorded test.
function printTestRecords(tests) {
  for (const test of tests) {
    console.log(`  ${test.state === 'passed' ? '✓' : '✗'} ${test.title}`);
    if (test.error) console.log(test.error.split('\n').map((line) => `      ${line}`).join('\n'));
  }
}

// ---- main

const problems = inputProblems();
if (problems.length) {
  for (const problem of problems) console.log(`harness error: ${problem}`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const dirs = makeRunDirs();
const { serverLog, browserLog: browserLogFile } = prepareArtifacts();
const browserLog = fs.createWriteStream(browserLogFile);
const output = followOutput(dirs.outputFile);
let server = null;
let browser = null;
let page = null;
let resolvePage;
const pageReady = new Promise((resolve) => { resolvePage = resolve; });
const driverApi = await startDriverApi({ getPage: () => pageReady, screenshotsDir: SCREENSHOTS, log: (line) => options.verbose && log(line) });

let cleanedUp = null;
/** Stops everything this run started; safe to call twice (the signal handler and the normal end may overlap). */
function cleanUp() {
  cleanedUp ??= (async () => {
    await closeBrowser(browser);
    await stopServer(server);
    await driverApi.close();
    await new Promise((resolve) => browserLog.end(resolve));
    if (options['keep-tmp']) log('kept the run directory', dirs.root);
    else {
      try { fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 }); } catch (error) { log(`could not delete ${dirs.root}: ${error.message}`); }
    }
  })();
  return cleanedUp;
}

async function runSuite() {
  const port = await freePort();
  writeUserSettings(dirs['user-data']);
  log(`starting the VS Code server on 127.0.0.1:${port}; driver API ${driverApi.url}`);
  server = startServer({ port, dirs, serverLog, driverUrl: driverApi.url });
  await waitForHttp(`http://127.0.0.1:${port}/`, server, 60_000);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  resolvePage(page);
  log('opening the workbench');
  const serverDied = new Promise((_, reject) => server.once('exit', (code, signal) => reject(new Error(`the VS Code server exited (${signal ?? code}) during the run`))));
  const workbenchExit = await Promise.race([openWorkbench(page, port, browserLog), serverDied]);
  log(`the workbench reported codeAutomationExit(${workbenchExit})`);
  return workbenchExit;
}

// Best effort: a picture of a hung or broken run is the quickest way to see why.
async function screenshotAfterTrouble(name) {
  if (!page) return;
  try { log(`screenshot ${(await Promise.race([driverApi.takeScreenshot(name), new Promise((_, reject) => setTimeout(() => reject(new Error('took too long')), 10_000))])).path}`); } catch (error) { log(`screenshot ${name} failed: ${error.message}`); }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (interrupted) return; // a second signal (Ctrl+C reaches run.mjs and us both) must not cut the cleanup short
    interrupted = true;
    log(`${signal}: cleaning up`);
    output.stop();
    await cleanUp();
    process.exit(130);
  });
}

async function main() {
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000); });
  let outcome;
  try {
    const result = await Promise.race([runSuite(), timedOut]);
    outcome = result === 'timeout' ? { timedOut: true } : { workbenchExit: result };
  } catch (error) {
    outcome = { error: error.message };
  }
  clearTimeout(timer);
  if (interrupted) return null; // the signal handler reports and exits
  if (outcome.timedOut || outcome.error) await screenshotAfterTrouble(outcome.timedOut ? 'workbench-timeout' : 'workbench-error');
  const exitCode = report({ ...outcome, results: readResults(dirs.resultsFile), output: output.stop() });
  if (exitCode !== 0) {
    try { log(`server log (tail; full log ${serverLog}):\n${fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n')}`); } catch { /* no log */ }
  }
  await cleanUp();
  log(`done in ${elapsed()}, exit ${exitCode}; artifacts in ${ARTIFACTS}`);
  return exitCode;
}

const exitCode = await main();
if (exitCode !== null) process.exit(exitCode);
