// Loads the pattern database and what is generated from it, straight from the TypeScript sources (bundled by
// esbuild into a temporary file), for the scripts that write package.json's problem matchers and README's table.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** { BUILTIN_TOOLS, toProblemMatchers, withToolsTable } */
export async function loadPatterns() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-patterns-'));
  try {
    const outfile = path.join(dir, 'patterns.cjs');
    await esbuild.build({
      stdin: {
        contents: [
          "export { BUILTIN_TOOLS } from './src/core/patterns/database';",
          "export { toProblemMatchers } from './src/core/patterns/problemMatchers';",
          "export { withToolsTable } from './src/core/patterns/toolDocs';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'error',
    });
    return createRequire(import.meta.url)(outfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
