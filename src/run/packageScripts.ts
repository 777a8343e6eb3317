import * as fs from 'node:fs';
import * as path from 'node:path';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export const PACKAGE_MANAGERS: readonly PackageManager[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** Lockfiles in the order they are checked: a folder with two lockfiles is more likely pnpm/yarn/bun that kept an old npm one. */
const LOCKFILES: ReadonlyArray<[string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export interface PackageScripts {
  /** The package.json file. */
  file: string;
  /** Its folder: where the scripts run. */
  dir: string;
  /** The package's "name", if any. */
  name?: string;
  scripts: Record<string, string>;
  packageManager: PackageManager;
}

/**
 * Reads a package.json and works out how its scripts are run. The package manager comes from the `packageManager`
 * field (corepack's "pnpm@9.1.0"), else from the nearest lockfile between the package and `root` (a monorepo keeps
 * one lockfile at the top), else npm. Throws with the file's path when the JSON is broken.
 */
export function readPackageScripts(file: string, root: string = path.dirname(file)): PackageScripts {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const pkg = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const scripts: Record<string, string> = {};
  if (typeof pkg.scripts === 'object' && pkg.scripts !== null) {
    for (const [name, body] of Object.entries(pkg.scripts)) if (typeof body === 'string') scripts[name] = body;
  }
  const dir = path.dirname(file);
  return {
    file,
    dir,
    name: typeof pkg.name === 'string' ? pkg.name : undefined,
    scripts,
    packageManager: fromPackageManagerField(pkg.packageManager) ?? detectFromLockfiles(dir, root) ?? 'npm',
  };
}

function fromPackageManagerField(value: unknown): PackageManager | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.split('@')[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name) ? (name as PackageManager) : undefined;
}

/** Walks up from `dir` to `root` (inclusive), returning the manager of the first lockfile found. */
export function detectFromLockfiles(dir: string, root: string): PackageManager | undefined {
  let current = path.resolve(dir);
  const stop = path.resolve(root);
  for (;;) {
    for (const [lockfile, manager] of LOCKFILES) if (fs.existsSync(path.join(current, lockfile))) return manager;
    const parent = path.dirname(current);
    if (current === stop || parent === current || !isInside(parent, stop)) return undefined;
    current = parent;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The command line that runs a script with its package manager, quoting the name for the shell when needed. */
export function scriptCommand(manager: PackageManager, script: string): string {
  return `${manager} run ${shellQuote(script)}`;
}

export function shellQuote(word: string): string {
  if (/^[\w:.@/+=-]+$/.test(word)) return word;
  if (process.platform === 'win32') return `"${word.replace(/"/g, '""')}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
