/**
 * The integration suite's entry (extensionTestsPath): VS Code loads this file in the extension host and awaits
 * run(). It runs every out/test/integration/**\/*.test.js with mocha (bdd, 60 s per test) and the repo's summary
 * reporter, and rejects when a test failed.
 *
 * Under test/host/runCodeServer.mjs it also talks to that driver through the environment it inherits:
 *   KIRBY_TEST_OUTPUT_FILE   the reporter's lines are appended here; the driver prints them as they come
 *   KIRBY_TEST_RESULTS_FILE  counts and per-test records as JSON, rewritten after every test (survives a hang)
 *   KIRBY_TEST_DRIVER        the UI driver; used here for the end-of-suite screenshot (workbench-final.png)
 * Under desktop VS Code (test/host/runElectron.mjs) none is set and the reporter's output goes to the console.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { format } from 'util';
import { driver } from './driver';

type MochaClass = typeof import('mocha');

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestRecord[];
  files: string[];
  done: boolean;
  error?: string;
  host?: Record<string, string | null>;
  startedAt: string;
  finishedAt?: string;
}

const TEST_TIMEOUT_MS = 60_000;
const OUTPUT_FILE = process.env.KIRBY_TEST_OUTPUT_FILE;
const RESULTS_FILE = process.env.KIRBY_TEST_RESULTS_FILE;

// mocha 12 is ESM-only. With module=commonjs, tsc turns `import()` into `require()`, which loads ESM only on Node
// builds with require(esm); a Function body keeps a real import(), which works in code-server's Node 24 extension
// host and in desktop VS Code's Electron alike. The absolute file URL keeps resolution independent of the caller.
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

async function loadMocha(): Promise<MochaClass> {
  const entry = require.resolve('mocha', { paths: [__dirname] });
  const loaded = (await importModule(pathToFileURL(entry).href)) as { default: MochaClass };
  return loaded.default;
}

/** All *.test.js files below this directory, sorted so the order is the same on every machine. */
function findTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(dir, file))
    .sort();
}

function describeHost(): Record<string, string | null> {
  // untyped on purpose: the suite entry must not depend on @types/vscode
  const vscode = require('vscode') as { version: string; env: { appName: string; appRoot: string } };
  return {
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    vscode: vscode.version,
    appName: vscode.env.appName,
    appRoot: vscode.env.appRoot,
  };
}

function saveResults(results: SuiteResults): void {
  if (RESULTS_FILE) fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2));
}

function appendOutput(text: string): void {
  if (OUTPUT_FILE) fs.appendFileSync(OUTPUT_FILE, text);
}

/**
 * Tees what the reporter prints (mocha's Base.consoleLog and the summary line's process.stdout.write) into the
 * output file while still printing it. Returns the function that undoes it.
 */
function teeReporterOutput(MochaApi: MochaClass): () => void {
  const Base = MochaApi.reporters.Base;
  const originalConsoleLog = Base.consoleLog;
  const originalWrite = process.stdout.write;
  let insideConsoleLog = false; // console.log may itself write to process.stdout: record that once
  Base.consoleLog = (...data: unknown[]) => {
    appendOutput(`${format(...data)}\n`);
    insideConsoleLog = true;
    try {
      originalConsoleLog(...data);
    } finally {
      insideConsoleLog = false;
    }
  };
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    if (!insideConsoleLog) appendOutput(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  return () => {
    Base.consoleLog = originalConsoleLog;
    process.stdout.write = originalWrite;
  };
}

function record(results: SuiteResults, test: Mocha.Runnable, state: TestRecord['state'], error?: unknown): void {
  const entry: TestRecord = { title: test.fullTitle(), state, durationMs: test.duration };
  if (error !== undefined) entry.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  results.tests.push(entry);
  if (state === 'passed') results.passed++;
  else if (state === 'failed') results.failed++;
  else results.pending++;
  saveResults(results);
}

function runMocha(mocha: Mocha, MochaApi: MochaClass, results: SuiteResults): Promise<void> {
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = MochaApi.Runner.constants;
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on(EVENT_TEST_PASS, (test) => record(results, test, 'passed'));
    runner.on(EVENT_TEST_FAIL, (test, error) => record(results, test, 'failed', error));
    runner.on(EVENT_TEST_PENDING, (test) => record(results, test, 'pending'));
  });
}

// The summary reporter prints its closing line from a setImmediate after the run ends: let it through first.
const afterPendingImmediates = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

export async function run(): Promise<void> {
  const files = findTestFiles(__dirname);
  const results: SuiteResults = { passed: 0, failed: 0, pending: 0, tests: [], files, done: false, startedAt: new Date().toISOString() };
  let undoTee = () => {};
  try {
    results.host = describeHost();
    saveResults(results);
    const MochaApi = await loadMocha();
    // required here, not imported at the top: it loads mocha too, which must not fail before results exist
    const SummaryReporter = require('../support/summaryReporter') as Mocha.ReporterConstructor;
    // KIRBY_TEST_GREP=<text> runs only the tests whose full title contains it (for debugging one test)
    const grep = process.env.KIRBY_TEST_GREP;
    const mocha = new MochaApi({ ui: 'bdd', timeout: TEST_TIMEOUT_MS, color: false, reporter: SummaryReporter, ...(grep ? { grep } : {}) });
    files.forEach((file) => mocha.addFile(file));
    if (OUTPUT_FILE) undoTee = teeReporterOutput(MochaApi);
    await mocha.loadFilesAsync();
    await runMocha(mocha, MochaApi, results);
    await afterPendingImmediates();
    results.done = true;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    appendOutput(`suite entry error: ${results.error}\n`);
    throw error;
  } finally {
    undoTee();
    results.finishedAt = new Date().toISOString();
    saveResults(results);
    await screenshotFinalWorkbench();
  }
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}

// Taken while the extension host still runs, so the extension's status bar item and views are still on screen.
async function screenshotFinalWorkbench(): Promise<void> {
  if (!driver.available) return;
  try {
    await driver.screenshot('workbench-final');
  } catch (error) {
    console.error(`end-of-suite screenshot failed: ${String(error)}`);
  }
}
