import type { ToolSpec } from './types';
import { ASTRO } from './tools/astro';
import { BABEL } from './tools/babel';
import { ESBUILD, TSDOWN, TSUP } from './tools/esbuild';
import { ANGULAR, CREATE_REACT_APP, RSBUILD, VUE_CLI } from './tools/frameworkClis';
import { GENERIC } from './tools/generic';
import { NEXT } from './tools/next';
import { NODEMON, TSX } from './tools/nodeRunners';
import { NUXT } from './tools/nuxt';
import { PARCEL } from './tools/parcel';
import { ROLLUP } from './tools/rollup';
import { TAILWIND } from './tools/tailwind';
import { TSC } from './tools/tsc';
import { VITE } from './tools/vite';
import { SWC } from './tools/swc';
import { RSPACK, WEBPACK, WEBPACK4, WEBPACK_DEV_SERVER } from './tools/webpack';

export const GENERIC_TOOL_ID = 'generic';

/**
 * Every built-in tool. Order matters only for command lines that name two tools at the same place (the earlier
 * entry wins), so the more specific entries come first; the generic fallback is always last.
 */
export const BUILTIN_TOOLS: readonly ToolSpec[] = [
  ASTRO,
  NUXT,
  ANGULAR,
  CREATE_REACT_APP,
  VUE_CLI,
  RSBUILD,
  VITE,
  ROLLUP,
  WEBPACK_DEV_SERVER,
  WEBPACK4,
  RSPACK,
  WEBPACK,
  PARCEL,
  NEXT,
  TSUP,
  TSDOWN,
  ESBUILD,
  TSC,
  TAILWIND,
  BABEL,
  SWC,
  NODEMON,
  TSX,
  GENERIC,
];
