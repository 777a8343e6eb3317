// Messages between the dashboard webview and the extension (no vscode import: both sides use these types).
import type { RunExport, RunRecord, RunStatus } from '../core/runs/types';

export interface RunStats {
  total: number;
  live: number;
  byStatus: Partial<Record<RunStatus, number>>;
}

export type ToExtension =
  | { type: 'query'; search: string; limit: number }
  | { type: 'detail'; id: string }
  | { type: 'delete'; ids: string[] }
  | { type: 'export'; id: string };

export type ToWebview =
  | { type: 'runs'; runs: RunRecord[]; stats: RunStats }
  | ({ type: 'detail' } & RunExport)
  | { type: 'select'; id: string }
  | { type: 'exported'; path: string }
  | { type: 'deleted'; deleted: string[]; errors: { id: string; message: string }[] };
