/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The build dashboard's page script (runs in the webview, bundled by esbuild with uPlot; no CDN, no remote resource).
import 'uplot/dist/uPlot.min.css';
import '../../media/dashboard.css';
import uPlot from 'uplot';
import type { ProcessRecord, RunEvent, RunExport, RunRecord } from '../core/runs/types';
import type { ToExtension, ToWebview } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: ToExtension): void };
const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const search = $<HTMLInputElement>('search');
const limit = $<HTMLSelectElement>('limit');
const rows = $<HTMLTableSectionElement>('runs');
const stats = $<HTMLDivElement>('stats');
const detail = $<HTMLElement>('detail');
const deleteButton = $<HTMLButtonElement>('delete');
const status = $<HTMLDivElement>('status');
let selected: string | undefined;
let charts: uPlot[] = [];

function query(): void {
  vscode.postMessage({ type: 'query', search: search.value, limit: Number(limit.value) });
}

search.addEventListener('input', query);
limit.addEventListener('change', query);
deleteButton.addEventListener('click', () => {
  const ids = [...rows.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((c) => c.value);
  if (ids.length > 0) vscode.postMessage({ type: 'delete', ids });
});

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const message = e.data;
  if (message.type === 'runs') showRuns(message.runs, message.stats);
  else if (message.type === 'detail') showDetail(message);
  else if (message.type === 'select') {
    selected = message.id;
    for (const row of rows.querySelectorAll<HTMLTableRowElement>('tr')) row.setAttribute('aria-selected', String(row.dataset.id === selected));
    vscode.postMessage({ type: 'detail', id: message.id });
  } else if (message.type === 'exported') status.textContent = `Exported to ${message.path}.`;
  else if (message.type === 'deleted') {
    status.textContent =
      `Deleted ${message.deleted.length} run(s).` + message.errors.map((err) => ` ${err.id}: ${err.message}.`).join('');
  }
});

function text(tag: string, content: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function showRuns(runs: RunRecord[], s: { total: number; live: number; byStatus: Record<string, number> }): void {
  stats.replaceChildren(
    text('span', `${s.total} runs`),
    text('span', `${s.live} live`),
    ...Object.entries(s.byStatus).map(([k, v]) => text('span', `${v} ${k.replace('_', ' ')}`, `badge ${k}`)),
  );
  rows.replaceChildren(
    ...runs.map((run) => {
      const tr = document.createElement('tr');
      tr.tabIndex = 0;
      tr.dataset.id = run.id;
      tr.setAttribute('aria-selected', String(run.id === selected));
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = run.id;
      box.setAttribute('aria-label', `select ${run.command}`);
      box.addEventListener('click', (e) => e.stopPropagation());
      const cell = document.createElement('td');
      cell.append(box);
      tr.append(
        cell,
        text('td', run.status.replace('_', ' '), `badge ${run.status}`),
        text('td', `${run.command} ${run.args.join(' ')}`.trim()),
        text('td', run.tool ?? ''),
        text('td', new Date(run.startTime).toLocaleString()),
        text('td', duration(run.durationMs)),
      );
      const open = () => {
        selected = run.id;
        vscode.postMessage({ type: 'detail', id: run.id });
      };
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
      return tr;
    }),
  );
  if (selected && runs.some((r) => r.id === selected && r.status === 'running_live')) vscode.postMessage({ type: 'detail', id: selected });
}

function showDetail({ run, events, processes, samples }: RunExport): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  const exportButton = text('button', 'Export as JSON') as HTMLButtonElement;
  exportButton.addEventListener('click', () => vscode.postMessage({ type: 'export', id: run.id }));
  const header = document.createElement('div');
  header.className = 'detail-header';
  header.append(text('h2', `${run.command} ${run.args.join(' ')}`.trim()), exportButton);
  const facts = text('p', `${run.status.replace('_', ' ')} · exit ${run.exitCode ?? '—'} · ${duration(run.durationMs)} · ${run.processCount} processes · ${run.cwd}`);
  const cpu = document.createElement('div');
  const mem = document.createElement('div');
  const tree = document.createElement('div');
  tree.className = 'tree';
  tree.append(text('h3', 'Processes'), ...processTree(processes));
  const timeline = document.createElement('ol');
  timeline.className = 'timeline';
  timeline.append(
    ...events.slice(-300).map((e) => text('li', `${new Date(e.timestamp).toLocaleTimeString()}  ${e.type.replace('_', ' ')}  ${summary(e)}`, e.type)),
  );
  detail.replaceChildren(header, facts, text('h3', 'CPU (% of one core)'), cpu, text('h3', 'Memory (MB)'), mem, tree, text('h3', 'Timeline'), timeline);
  // seconds since the run started: a build reads better as "at 12 s" than as a clock time
  const xs = samples.map((s) => (s.time - run.startTime) / 1000);
  const width = Math.max(280, detail.clientWidth - 24);
  const opts = (label: string, color: string): uPlot.Options => ({
    width,
    height: 140,
    scales: { x: { time: false } },
    legend: { show: false }, // the heading names the one series; the legend's "--" readout only adds noise
    axes: [{ stroke: 'var(--vscode-foreground)', label: 'seconds since start' }, { stroke: 'var(--vscode-foreground)' }],
    series: [{ label: 's' }, { label, stroke: color, width: 2 }],
  });
  if (samples.length > 0) {
    const style = getComputedStyle(document.body);
    const blue = style.getPropertyValue('--vscode-charts-blue') || '#3794ff';
    const green = style.getPropertyValue('--vscode-charts-green') || '#89d185';
    const cpuSeries = samples.map((s) => s.processes.reduce((n, p) => n + p.cpu, 0));
    const memSeries = samples.map((s) => s.processes.reduce((n, p) => n + p.mem, 0) / 1048576);
    charts.push(new uPlot(opts('CPU %', blue), [xs, cpuSeries], cpu));
    charts.push(new uPlot(opts('MB', green), [xs, memSeries], mem));
    // the figures a chart cannot say in words (screen readers, and a glance): the peak and when
    cpu.append(text('p', peak(xs, cpuSeries, '% CPU'), 'chart-note'));
    mem.append(text('p', peak(xs, memSeries, ' MB'), 'chart-note'));
  } else {
    cpu.append(text('p', run.status === 'running_live' ? 'No samples yet.' : 'No samples: the run ended before the first one, or ran on Windows, where sampling is not available yet.'));
  }
}

function peak(xs: number[], ys: number[], unit: string): string {
  let at = 0;
  for (let i = 1; i < ys.length; i++) if (ys[i] > ys[at]) at = i;
  return `Peak ${Math.round(ys[at])}${unit} at ${xs[at].toFixed(1)} s · ${ys.length} sample${ys.length === 1 ? '' : 's'}`;
}

function summary(e: RunEvent): string {
  const d = e.data;
  if (typeof d.message === 'string') return `${d.file ?? ''}${d.line ? `:${d.line}` : ''} ${d.message}`;
  if (typeof d.state === 'string') return d.state;
  if (typeof d.result === 'string') return `${d.result} in ${duration(d.durationMs as number)}`;
  if (typeof d.name === 'string') return `${d.name} (${d.pid})`;
  if (typeof d.processes === 'number') return `${d.processes} processes, ${Math.round(d.cpu as number)}% CPU, ${Math.round((d.mem as number) / 1048576)} MB`;
  return Object.keys(d).length > 0 ? JSON.stringify(d) : '';
}

/** Nested <details>: expandable with the keyboard like any disclosure. */
function processTree(processes: ProcessRecord[]): HTMLElement[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const roots = processes.filter((p) => !byPid.has(p.ppid));
  const node = (p: ProcessRecord): HTMLElement => {
    const children = processes.filter((c) => c.ppid === p.pid);
    const label = `${p.name} (${p.pid}) — ${p.status}, ${Math.round(p.cpu)}% CPU, ${(p.mem / 1048576).toFixed(1)} MB — ${p.cmdline}`;
    if (children.length === 0) return text('div', label, 'leaf');
    const details = document.createElement('details');
    details.open = true;
    details.append(text('summary', label), ...children.map(node));
    return details;
  };
  return roots.length > 0 ? roots.map(node) : [text('p', 'No processes were sampled.')];
}

query();
