#!/usr/bin/env node
// Writes README.md's "Supported tools" table from the pattern database (each tool's `docs`), so the docs and the
// parser never disagree. Run by `npm run build`; a unit test checks the README.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-tool-docs-'));
try {
  const outfile = path.join(dir, 'docs.cjs');
  await esbuild.build({
    stdin: {
      contents: "export { withToolsTable } from './src/core/patterns/toolDocs'; export { BUILTIN_TOOLS } from './src/core/patterns/database';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error',
  });
  const { withToolsTable, BUILTIN_TOOLS } = createRequire(import.meta.url)(outfile);
  const file = path.join(root, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const next = withToolsTable(text, BUILTIN_TOOLS);
  if (next !== text) {
    fs.writeFileSync(file, next);
    console.log(`README.md: the tools table rewritten from the pattern database (${BUILTIN_TOOLS.length} tools)`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
