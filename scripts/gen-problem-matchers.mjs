#!/usr/bin/env node
// Writes package.json's contributes.problemMatchers from the pattern database (src/core/patterns/), so the
// parser and the matchers tasks.json users pick from never disagree. Run by `npm run build`; a unit test checks.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-matchers-'));
try {
  const outfile = path.join(dir, 'matchers.cjs');
  await esbuild.build({
    stdin: {
      contents: "export { toProblemMatchers } from './src/core/patterns/problemMatchers'; export { BUILTIN_TOOLS } from './src/core/patterns/database';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error',
  });
  const { toProblemMatchers, BUILTIN_TOOLS } = createRequire(import.meta.url)(outfile);
  const file = path.join(root, 'package.json');
  const text = fs.readFileSync(file, 'utf8');
  const manifest = JSON.parse(text);
  manifest.contributes.problemMatchers = toProblemMatchers(BUILTIN_TOOLS);
  const next = `${JSON.stringify(manifest, null, 2)}\n`;
  if (next !== text) {
    fs.writeFileSync(file, next);
    console.log(`package.json: ${manifest.contributes.problemMatchers.length} problem matchers regenerated from the pattern database`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
