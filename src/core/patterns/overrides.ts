import { compilePattern, PatternError } from './regex';
import { EVENT_KEYS, type EventKey, type ProblemSpec, type ToolSpec } from './types';

/** One thing wrong with the user's patterns: where (a key path under the setting) and which pattern. */
export interface PatternIssue {
  path: string;
  message: string;
  pattern?: string;
}

export interface OverrideResult {
  specs: ToolSpec[];
  issues: PatternIssue[];
}

const TOOL_KEYS = new Set(['name', 'detect', 'command', 'watchCommand', 'silentSuccess', 'events', 'problems']);

/**
 * Applies user overrides (the `kirby.buildToolPatterns` shape) to the built-in specs. An override of a known tool
 * replaces the event lists it names and keeps the rest; an unknown id adds a tool. Every pattern is compiled here:
 * a bad one is reported with its key path and dropped, and every other pattern keeps working.
 */
export function applyOverrides(builtin: readonly ToolSpec[], overrides: unknown, root = 'kirby.buildToolPatterns'): OverrideResult {
  const issues: PatternIssue[] = [];
  const specs = builtin.map((s) => ({ ...s, events: { ...s.events } }));
  if (overrides === undefined || overrides === null) return { specs, issues };
  if (!isPlainObject(overrides)) {
    issues.push({ path: root, message: `expected an object of tools, got ${describe(overrides)}` });
    return { specs, issues };
  }
  for (const [id, raw] of Object.entries(overrides)) {
    const path = `${root}.${id}`;
    if (!/^[A-Za-z0-9][\w.-]*$/.test(id)) {
      issues.push({ path, message: 'a tool id uses letters, digits, ".", "_" and "-"' });
      continue;
    }
    if (!isPlainObject(raw)) {
      issues.push({ path, message: `expected an object with "detect" and "events", got ${describe(raw)}` });
      continue;
    }
    const existing = specs.find((s) => s.id === id);
    const spec: ToolSpec = existing ?? { id, name: id, detect: [], events: {}, docs: 'Defined in settings.' };
    for (const key of Object.keys(raw)) {
      if (!TOOL_KEYS.has(key)) issues.push({ path: `${path}.${key}`, message: `unknown key (known: ${[...TOOL_KEYS].join(', ')})` });
    }
    if (raw.name !== undefined) {
      if (typeof raw.name === 'string' && raw.name.trim()) spec.name = raw.name;
      else issues.push({ path: `${path}.name`, message: `expected a non-empty string, got ${describe(raw.name)}` });
    }
    if (raw.detect !== undefined) {
      const list = patternList(raw.detect, `${path}.detect`, issues);
      if (list) spec.detect = list;
    }
    for (const key of ['command', 'watchCommand'] as const) {
      if (raw[key] === undefined) continue;
      const one = singlePattern(raw[key], `${path}.${key}`, issues);
      if (one !== undefined) spec[key] = one;
    }
    if (raw.silentSuccess !== undefined) {
      if (typeof raw.silentSuccess === 'boolean') spec.silentSuccess = raw.silentSuccess;
      else issues.push({ path: `${path}.silentSuccess`, message: `expected true or false, got ${describe(raw.silentSuccess)}` });
    }
    if (raw.events !== undefined) {
      if (!isPlainObject(raw.events)) {
        issues.push({ path: `${path}.events`, message: `expected an object of event lists, got ${describe(raw.events)}` });
      } else {
        for (const [key, value] of Object.entries(raw.events)) {
          if (!(EVENT_KEYS as readonly string[]).includes(key)) {
            issues.push({ path: `${path}.events.${key}`, message: `unknown event (known: ${EVENT_KEYS.join(', ')})` });
            continue;
          }
          const list = patternList(value, `${path}.events.${key}`, issues);
          if (list) spec.events = { ...spec.events, [key as EventKey]: list };
        }
      }
    }
    if (raw.problems !== undefined) {
      const problems = problemList(raw.problems, `${path}.problems`, issues);
      if (problems) spec.problems = problems;
    }
    if (!existing) {
      if (spec.detect.length === 0 && spec.command === undefined) {
        issues.push({ path, message: 'a new tool needs "detect" (output patterns) or "command" (a command-line pattern)' });
        continue;
      }
      specs.splice(specs.length - 1, 0, spec); // before the generic fallback, which stays last
    }
  }
  return { specs, issues };
}

/** Accepts a string or an array of strings; compiles each, keeping the good ones. */
function patternList(value: unknown, path: string, issues: PatternIssue[]): string[] | undefined {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) {
    issues.push({ path, message: `expected a regex string or an array of them, got ${describe(value)}` });
    return undefined;
  }
  const good: string[] = [];
  items.forEach((item, index) => {
    const itemPath = typeof value === 'string' ? path : `${path}[${index}]`;
    const ok = singlePattern(item, itemPath, issues);
    if (ok !== undefined) good.push(ok);
  });
  return good;
}

function singlePattern(value: unknown, path: string, issues: PatternIssue[]): string | undefined {
  if (typeof value !== 'string') {
    issues.push({ path, message: `expected a regex string, got ${describe(value)}` });
    return undefined;
  }
  try {
    compilePattern(value);
    return value;
  } catch (e) {
    const message = e instanceof PatternError ? e.message : String(e);
    issues.push({ path, pattern: value, message });
    return undefined;
  }
}

function problemList(value: unknown, path: string, issues: PatternIssue[]): ProblemSpec[] | undefined {
  if (!Array.isArray(value)) {
    issues.push({ path, message: `expected an array of problem patterns, got ${describe(value)}` });
    return undefined;
  }
  const out: ProblemSpec[] = [];
  value.forEach((item, index) => {
    const p = `${path}[${index}]`;
    if (!isPlainObject(item)) {
      issues.push({ path: p, message: `expected {"regexp": "…"} or {"steps": […]}, got ${describe(item)}` });
      return;
    }
    const severity = item.severity ?? 'error';
    if (severity !== 'error' && severity !== 'warning') {
      issues.push({ path: `${p}.severity`, message: `expected "error" or "warning", got ${describe(severity)}` });
      return;
    }
    const columnBase = item.columnBase ?? 1;
    if (columnBase !== 0 && columnBase !== 1) {
      issues.push({ path: `${p}.columnBase`, message: `expected 0 or 1, got ${describe(columnBase)}` });
      return;
    }
    const rawSteps = item.steps ?? (item.regexp !== undefined ? [{ regexp: item.regexp }] : undefined);
    if (!Array.isArray(rawSteps) || rawSteps.length === 0) {
      issues.push({ path: p, message: 'needs "regexp" or a non-empty "steps" array' });
      return;
    }
    const steps = [];
    for (let k = 0; k < rawSteps.length; k++) {
      const step = rawSteps[k];
      const sp = item.steps ? `${p}.steps[${k}]` : `${p}.regexp`;
      const regexp = singlePattern(isPlainObject(step) ? step.regexp : step, isPlainObject(step) ? `${sp}.regexp` : sp, issues);
      if (regexp === undefined) return;
      const within = isPlainObject(step) && typeof step.within === 'number' ? step.within : undefined;
      steps.push({ regexp, within });
    }
    out.push({ severity, columnBase, steps });
  });
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
