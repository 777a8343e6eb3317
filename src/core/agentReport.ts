// Plain-text reports for AI agents (Language Model Tools): short, factual, sized for a model's context.
import { describeRun } from './runs/runHistory';
import type { ProcessRecord, RunRecord } from './runs/types';
import { formatAge, formatCounts, formatDuration } from './summary';

export interface ProblemSnapshot {
  file?: string;
  line?: number;
  column?: number;
  severity: string;
  code?: string;
  message: string;
}

/** A live build as the agent tools see it (plain data, taken from a session). */
export interface BuildSnapshot {
  id: string;
  name: string;
  command: string;
  cwd: string;
  state: string;
  tool?: string;
  watch: boolean;
  running: boolean;
  origin: string;
  exitCode?: number;
  lastBuild?: { result: string; durationMs: number; endedAt: number; assumed: boolean };
  errors: number;
  warnings: number;
  problems: readonly ProblemSnapshot[];
  /** The last visible lines of output, oldest first. */
  recentLines: readonly string[];
  serverUrl?: string;
}

export const MAX_PROBLEMS = 20;
const MAX_LINE = 300;

export function formatBuild(b: BuildSnapshot, now: number, lines = 10): string {
  const out: string[] = [];
  out.push(`Build ${b.id} "${b.name}": ${b.state}`);
  out.push(`Command: ${b.command} (in ${b.cwd})`);
  const kind = b.watch ? 'watch mode' : 'one-shot';
  const running = b.running ? 'running' : `not running${b.exitCode !== undefined ? ` (exit code ${b.exitCode})` : ''}`;
  out.push(`Tool: ${b.tool ?? 'not recognised'} · ${kind} · started by ${b.origin === 'kirby' ? 'Kirby' : `a ${b.origin}`} · ${running}`);
  if (b.serverUrl) out.push(`Serving: ${b.serverUrl}`);
  if (b.lastBuild) {
    const verdict = b.lastBuild.result === 'success' ? 'succeeded' : b.lastBuild.result === 'error' ? 'failed' : 'was cancelled';
    out.push(`Last build: ${verdict} in ${formatDuration(b.lastBuild.durationMs)}, ${formatAge(now - b.lastBuild.endedAt)}${b.lastBuild.assumed ? ' (assumed: the tool printed no verdict)' : ''}`);
  } else if (b.running) out.push('Last build: none finished yet');
  out.push(`Problems: ${formatCounts(b.errors, b.warnings)}`);
  out.push(...formatProblems(b.problems));
  if (lines > 0 && b.recentLines.length > 0) {
    out.push(`Last ${Math.min(lines, b.recentLines.length)} lines of output:`);
    out.push(...b.recentLines.slice(-lines).map((l) => `  ${clip(l)}`));
  }
  return out.join('\n');
}

export function formatProblems(problems: readonly ProblemSnapshot[]): string[] {
  // errors first: a model acting on a budget should see what fails the build
  const ordered = [...problems].sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
  const shown = ordered.slice(0, MAX_PROBLEMS).map((p) => {
    const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''} ` : '';
    return `  ${p.severity} ${where}${p.code ? `${p.code}: ` : ''}${clip(p.message)}`;
  });
  if (problems.length > MAX_PROBLEMS) shown.push(`  … and ${problems.length - MAX_PROBLEMS} more`);
  return shown;
}

/** A finished run from the store (when no live build matches). */
export function formatRun(run: RunRecord, now: number): string {
  const when = formatAge(now - (run.endTime ?? run.startTime));
  return [
    `Run ${run.id} "${run.name ?? run.command}": ${describeRun(run)}, ${when}`,
    `Command: ${run.command} (in ${run.cwd}) · tool ${run.tool ?? 'not recognised'} · ${run.backend} · status ${run.status}${run.exitCode !== undefined ? `, exit code ${run.exitCode}` : ''}`,
  ].join('\n');
}

/** A process tree (from the latest sample), indented by parentage, with CPU and memory. */
export function formatProcessTree(processes: readonly ProcessRecord[], limit = 30): string[] {
  const byParent = new Map<number, ProcessRecord[]>();
  const pids = new Set(processes.map((p) => p.pid));
  for (const p of processes) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: string[] = [];
  const visit = (p: ProcessRecord, depth: number) => {
    if (out.length >= limit) return;
    out.push(`${'  '.repeat(depth + 1)}${p.pid} ${p.name} · ${p.status} · ${Math.round(p.cpu)}% CPU · ${formatMb(p.mem)} · ${clip(p.cmdline, 120)}`);
    for (const child of byParent.get(p.pid) ?? []) visit(child, depth + 1);
  };
  for (const root of processes.filter((p) => !pids.has(p.ppid))) visit(root, 0);
  if (processes.length > out.length) out.push(`  … and ${processes.length - out.length} more processes`);
  return out;
}

export function formatMb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function clip(text: string, max = MAX_LINE): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
