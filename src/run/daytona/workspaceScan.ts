/**
 * What of a workspace goes to the sandbox: every file not excluded by a .gitignore (at any depth, git's semantics via
 * the `ignore` package) or by the exclude list, with its SHA-1. Hashes are reused from the last manifest while size
 * and mtime are unchanged, so a rescan of an unchanged tree reads no file contents. Files that look like secrets
 * (.env and friends) are listed so the caller can ask before they leave the machine.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const DEFAULT_SYNC_EXCLUDE: readonly string[] = ['node_modules', '.git', 'dist', 'out', 'build', '.next', 'coverage'];

export interface LocalFile {
  /** Relative, with forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
  sha1: string;
}

export interface WorkspaceScan {
  files: LocalFile[];
  /** Relative paths of files that usually hold credentials. */
  secretFiles: string[];
}

/** Previously known hashes, by relative path. */
export type KnownHashes = ReadonlyMap<string, { size: number; mtimeMs: number; sha1: string }>;

const SECRET_NAME = /^(?:\.env(?:\..+)?|\.npmrc|\.netrc|\.pypirc|id_(?:rsa|dsa|ecdsa|ed25519)|.*\.(?:pem|key|p12|pfx))$/i;
const NOT_SECRET = /^\.env\.(?:example|sample|template|dist|defaults)$/i;

export function looksSecret(relativePath: string): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

interface Rules {
  /** The directory (relative, '' for the root) the rules' patterns are relative to. */
  base: string;
  rules: Ignore;
}

/** Answers "is this path left out?" with git's semantics: the exclude list, then every .gitignore above the path. */
export class IgnoreFilter {
  private readonly excluded: Ignore;
  private readonly stacks = new Map<string, Rules[]>();

  constructor(
    private readonly root: string,
    exclude: readonly string[] = DEFAULT_SYNC_EXCLUDE,
  ) {
    this.excluded = ignore().add([...exclude]);
  }

  /** For a path of the walk (its parent directories already found not ignored). */
  ignores(rel: string, isDir: boolean): boolean {
    const asked = isDir ? `${rel}/` : rel;
    if (this.excluded.ignores(asked)) return true;
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    return this.rulesFor(dir).some((r) => r.rules.ignores(r.base ? asked.slice(r.base.length + 1) : asked));
  }

  /** For any path: also true when one of its directories is ignored. */
  ignoresPath(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (this.ignores(parts.slice(0, i).join('/'), true)) return true;
    return this.ignores(rel, false);
  }

  private rulesFor(dir: string): Rules[] {
    const cached = this.stacks.get(dir);
    if (cached) return cached;
    const parent = dir === '' ? [] : this.rulesFor(dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
    const gitignore = readIfExists(path.join(this.root, dir, '.gitignore'));
    const stack = gitignore === undefined ? parent : [...parent, { base: dir, rules: ignore().add(gitignore) }];
    this.stacks.set(dir, stack);
    return stack;
  }
}

export async function scanWorkspace(root: string, options: { exclude?: readonly string[]; known?: KnownHashes } = {}): Promise<WorkspaceScan> {
  const files: LocalFile[] = [];
  const secretFiles: string[] = [];
  const filter = new IgnoreFilter(root, options.exclude);
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(path.join(root, dir), { withFileTypes: true });
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      const full = path.join(root, rel);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // a link to a file is sent as that file; a link to a directory is skipped (it may loop)
        isFile = statOrUndefined(full)?.isFile() ?? false;
        isDir = false;
      }
      if ((!isDir && !isFile) || filter.ignores(rel, isDir)) continue;
      if (isDir) {
        await walk(rel);
        continue;
      }
      const st = await fs.promises.stat(full);
      const before = options.known?.get(rel);
      const sha1 = before && before.size === st.size && before.mtimeMs === st.mtimeMs ? before.sha1 : await hashFile(full);
      files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs, sha1 });
      if (looksSecret(rel)) secretFiles.push(rel);
    }
  };
  await walk('');
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, secretFiles: secretFiles.sort() };
}

export async function hashFile(full: string): Promise<string> {
  return createHash('sha1').update(await fs.promises.readFile(full)).digest('hex');
}

export function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
