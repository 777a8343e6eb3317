import type { ToolSpec } from './types';

// The README's "Supported tools" table is written from the pattern database (each tool's `docs`), so what the docs
// promise and what the parser reads come from one place. scripts/gen-tool-docs.mjs writes it; a unit test checks it.
export const TOOLS_TABLE_BEGIN = '<!-- tools: written by scripts/gen-tool-docs.mjs from the pattern database; edit the tools\' docs instead -->';
export const TOOLS_TABLE_END = '<!-- /tools -->';

/** One row per tool; tools that share their docs (webpack and webpack 4) share a row. */
export function toolsTable(specs: readonly ToolSpec[]): string {
  const rows = new Map<string, ToolSpec[]>();
  for (const spec of specs) rows.set(spec.docs, [...(rows.get(spec.docs) ?? []), spec]);
  const lines = ['| id | tool | what Kirby reads |', '| --- | --- | --- |'];
  for (const [docs, group] of rows) {
    // the base tool first (webpack, then webpack4 which extends it)
    const ordered = [...group.filter((s) => !s.extends), ...group.filter((s) => s.extends)];
    const ids = ordered.map((s) => `\`${s.id}\``).join(', ');
    lines.push(`| ${ids} | ${ordered[0].name} | ${docs.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

/** The README with its tools table rewritten; throws when the markers are missing. */
export function withToolsTable(readme: string, specs: readonly ToolSpec[]): string {
  const begin = readme.indexOf(TOOLS_TABLE_BEGIN);
  const end = readme.indexOf(TOOLS_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no "${TOOLS_TABLE_BEGIN}" … "${TOOLS_TABLE_END}" section`);
  return `${readme.slice(0, begin + TOOLS_TABLE_BEGIN.length)}\n${toolsTable(specs)}\n${readme.slice(end)}`;
}
