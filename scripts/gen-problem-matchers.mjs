#!/usr/bin/env node
// Writes package.json's contributes.problemMatchers from the pattern database (src/core/patterns/), so the
// parser and the matchers tasks.json users pick from never disagree. Run by `npm run build`; a unit test checks.
import fs from 'node:fs';
import path from 'node:path';
import { loadPatterns, root } from './load-patterns.mjs';

const { toProblemMatchers, BUILTIN_TOOLS } = await loadPatterns();
const file = path.join(root, 'package.json');
const text = fs.readFileSync(file, 'utf8');
const manifest = JSON.parse(text);
manifest.contributes.problemMatchers = toProblemMatchers(BUILTIN_TOOLS);
const next = `${JSON.stringify(manifest, null, 2)}\n`;
if (next !== text) {
  fs.writeFileSync(file, next);
  console.log(`package.json: ${manifest.contributes.problemMatchers.length} problem matchers regenerated from the pattern database`);
}
