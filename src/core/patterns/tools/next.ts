import type { ToolSpec } from '../types';
import { MIETTE_UNDERLINE } from './swc';
import { TSC_PLAIN_PROBLEM, TSC_PRETTY_PROBLEM } from './tsc';

/** Next.js 15/16: `next dev` and `next build` (Turbopack or webpack). */
export const NEXT: ToolSpec = {
  id: 'next',
  name: 'Next.js',
  docs:
    'Next.js 15 and 16, `dev` and `build` (Turbopack or webpack). In a build, "✓ Compiled successfully" comes long before type checking and page ' +
    'generation, so it is not the verdict: the route table is. In dev, pages compile on request; "✓ Compiled …" ' +
    'after a save is a rebuild and "⨯ …" an error. The build\'s ESLint errors and warnings are problems.',
  detect: ['^\\s*▲ Next\\.js \\d+\\.\\d+'],
  embeds: ['tsc'],
  command: '\\bnext\\s+(?:dev|build|start)\\b',
  watchCommand: '\\bnext\\s+dev\\b',
  events: {
    buildStart: ['^\\s*Creating an optimized production build', '^\\s*○ Compiling \\S'],
    watchReady: ['^\\s*✓ Ready in \\d'],
    // Next 15 ends the type-check spinner without a newline: "   Linting and checking validity of types  ...Failed to compile."
    buildError: ['^> Build error occurred$', '^Failed to type check\\.$', '(?:^|\\.\\.\\.)Failed to compile\\.?$', '^\\s*⨯ \\S'],
    buildSuccess: [
      '^\\s*✓ Ready in \\d',
      '^\\s*✓ Compiled (?!successfully)\\S',
      '^Route \\((?:app|pages)\\)',
      // dev: a page compiled on request and was served
      '^\\s*(?:GET|HEAD|POST) \\S+ [23]\\d\\d in \\d',
    ],
    warning: ['^\\s*⚠ '],
  },
  problems: [
    {
      // `next build`'s lint step (Next 15): after "Failed to compile.", per file "./app/page.tsx" and one line per
      // problem, "10:5  Error: React Hook "useEffect" is called conditionally. …  react-hooks/rules-of-hooks"
      // (ESLint's positions, from 1; the rule after two spaces). With warnings only the list comes mid-build.
      severity: 'error',
      header: '^(?<file>\\.{1,2}/\\S(?:.*\\S)?\\.(?:tsx|ts|jsx|js|mts|cts|mjs|cjs))$',
      steps: [{ regexp: '^(?<line>\\d+):(?<column>\\d+)  (?<severity>Error|Warning): (?<message>.+?)(?:  (?<code>[@\\w/-]+))?$' }],
    },
    {
      // Turbopack: "./app/page.tsx:13:7" (dev prefixes "⨯ "; a CSS module's error has no position) and under it
      // "Error: Expression expected"
      severity: 'error',
      steps: [
        {
          regexp: '^(?:\\s*⨯ )?(?<file>\\.{1,2}/[^:]*[^\\s:])(?::(?<line>\\d+):(?<column>\\d+))?\\n(?:\\w*Error|Type error): (?<message>\\S.*)$',
          withPrevious: true,
        },
      ],
    },
    {
      // Next 14/15 dev (webpack, SWC): "Error:   × Expression expected" (or "  × …" for the next one) then
      // "    ╭─[/abs/app/page.tsx:9:1]". That position is where the snippet starts (Next 14) or the error's line
      // (Next 15); the underline in the snippet marks the error: " 6 │     <h1>" over "   ·      ──" is 6:6.
      severity: 'error',
      steps: [
        {
          regexp: '^(?:\\w*Error: +|\\s*)× (?<message>\\S.*)\\n\\s*╭─\\[(?<file>.+?):(?<line>\\d+):(?<column>\\d+)\\]$',
          withPrevious: true,
        },
        MIETTE_UNDERLINE,
      ],
    },
    {
      // dev: a page that throws while rendering, "⨯ Error: …" then the stack's first frame "    at Page (app/page.tsx:6:11)"
      severity: 'error',
      steps: [
        { regexp: '^\\s*⨯ (?<message>\\w*Error: .+)$' },
        { regexp: '^\\s+at (?:.* \\()?(?<file>[^()\\s][^()]*?):(?<line>\\d+):(?<column>\\d+)\\)?$' },
      ],
    },
    {
      // a page that throws while it is prerendered in a build: 'Error occurred prerendering page "/report". …',
      // "Error: …", then the stack, whose first frame in the app's own code is where ("    at <unknown>
      // (app/report/page.tsx:4:9)")
      severity: 'error',
      steps: [
        { regexp: '^(?<message>Error occurred prerendering page "[^"]*")' },
        { regexp: '^(?<message>\\w*Error: .+)$', within: 2 },
        { regexp: '^\\s+at (?:.* \\()?(?<file>(?!\\.next/|node_modules/|node:)[^()\\s/][^()]*?):(?<line>\\d+):(?<column>\\d+)\\)?$', within: 2 },
      ],
    },
    // the type check: "app/page.tsx(4,7): error TS2322: …", or as tsc prints it on a terminal (Next.js 16.4:
    // "app/page.tsx:9:9 - error TS2322: …"); older versions print "./app/page.tsx:4:7" + "Type error: …" (above)
    TSC_PLAIN_PROBLEM,
    TSC_PRETTY_PROBLEM,
  ],
};
