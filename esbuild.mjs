// Bundles the extension, the CLI and the pty host into dist/. Natives (node-pty) and `vscode` stay external:
// node-pty loads its binary with a dynamic require, and `vscode` is provided by the extension host.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --outdir DIR: build elsewhere (the benchmark measures a production bundle without touching dist/)
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex > 0 ? process.argv[outdirIndex + 1] : 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', '@lydell/node-pty', 'node-pty', '@daytonaio/sdk'],
  logLevel: 'info',
};

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // the pty host wraps every local pty build so its last output is never lost (see src/run/ptyHost.ts)
  { entryPoints: ['src/run/ptyHost.ts'], outfile: `${outdir}/ptyHost.js` },
];
if (existsSync('src/extension.ts')) entries.push({ entryPoints: ['src/extension.ts'], outfile: `${outdir}/extension.js` });
// the dashboard's page: browser code with uPlot and its stylesheet bundled in (no CDN)
entries.push({ entryPoints: { dashboard: 'src/webview/dashboard.ts' }, outdir, platform: 'browser', format: 'iife', external: [], loader: { '.css': 'css' }, inject: [] });

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
