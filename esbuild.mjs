// Bundles the extension, the CLI and the pty host into dist/. Natives (node-pty) and `vscode` stay external:
// node-pty loads its binary with a dynamic require, and `vscode` is provided by the extension host.
// The Daytona SDK is bundled on its own into dist/daytona-sdk.js (~1.2 MB minified, its dependency tree would be tens
// of MB in node_modules), loaded only when a Daytona build starts: the other bundles require it from next to them.
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
  external: ['vscode', '@lydell/node-pty', 'node-pty'],
  logLevel: 'info',
  plugins: [
    {
      name: 'daytona-sdk-beside',
      setup(build) {
        build.onResolve({ filter: /^@daytonaio\/sdk$/ }, () => ({ path: './daytona-sdk.js', external: true }));
      },
    },
  ],
};

// Only loaded when OpenTelemetry or object storage is asked for, which Kirby never does (and a workspace .env
// asking for OpenTelemetry then fails loudly instead of shipping traces).
const sdkUnused = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/otlp-exporter-base',
  '@opentelemetry/semantic-conventions',
  '@opentelemetry/resources',
  '@aws-sdk/*',
];

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // the pty host wraps every local pty build so its last output is never lost (see src/run/ptyHost.ts)
  { entryPoints: ['src/run/ptyHost.ts'], outfile: `${outdir}/ptyHost.js` },
  { entryPoints: ['node_modules/@daytonaio/sdk/cjs/index.js'], outfile: `${outdir}/daytona-sdk.js`, minify: true, sourcemap: false, external: sdkUnused, plugins: [] },
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
