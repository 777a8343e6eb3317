#!/usr/bin/env node
// npm run package: a VSIX for this platform (node-pty's prebuilt binary for it included), from a production bundle.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const platform = process.platform === 'win32' ? 'win32' : process.platform;
const target = `${platform}-${process.arch}`;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

run(process.execPath, ['scripts/build-wasm.mjs']);
run(process.execPath, ['esbuild.mjs', '--production']);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--target', target, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', `kirby-${target}.vsix`]);
