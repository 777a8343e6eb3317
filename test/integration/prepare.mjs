// Set-up for the integration tests: a fresh copy of the fixture workspace (tests edit its files and settings) with
// its real build tool installed from the lockfile. Run by `npm run test:integration` before VS Code starts.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const template = path.join(repo, 'test/integration/workspace');
const target = path.join(repo, '.vscode-test/workspace');

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.cpSync(template, target, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
const started = Date.now();
execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' });
console.log(`[prepare] fixture workspace ready in ${target} (npm ci ${((Date.now() - started) / 1000).toFixed(1)} s)`);
