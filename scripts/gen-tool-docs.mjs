#!/usr/bin/env node
// Writes README.md's "Supported tools" table from the pattern database (each tool's `docs`), so the docs and the
// parser never disagree. Run by `npm run build`; a unit test checks the README.
import fs from 'node:fs';
import path from 'node:path';
import { loadPatterns, root } from './load-patterns.mjs';

const { withToolsTable, BUILTIN_TOOLS } = await loadPatterns();
const file = path.join(root, 'README.md');
const text = fs.readFileSync(file, 'utf8');
const next = withToolsTable(text, BUILTIN_TOOLS);
if (next !== text) {
  fs.writeFileSync(file, next);
  console.log(`README.md: the tools table rewritten from the pattern database (${BUILTIN_TOOLS.length} tools)`);
}
