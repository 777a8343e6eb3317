import * as os from 'node:os';
import * as path from 'node:path';
import { openDaytonaWorkspace, type DaytonaWorkspace } from '../run/daytona/workspace';

export interface DaytonaCliOptions {
  apiUrl: string | undefined;
  target: string | undefined;
  install: string | undefined;
}

/**
 * `kirby run --backend daytona`: the current folder on a Daytona sandbox. The key comes from DAYTONA_API_KEY, the
 * endpoint from --api-url or DAYTONA_API_URL (the process environment only, never a .env file).
 */
export async function openDaytonaForCli(options: DaytonaCliOptions, note: (text: string) => void): Promise<DaytonaWorkspace> {
  const apiUrl = options.apiUrl ?? process.env.DAYTONA_API_URL ?? 'https://app.daytona.io/api';
  note(`daytona: opening a sandbox for ${process.cwd()} at ${apiUrl}`);
  const ws = await openDaytonaWorkspace({
    settings: { apiKey: process.env.DAYTONA_API_KEY, apiUrl, target: options.target ?? process.env.DAYTONA_TARGET ?? 'us' },
    localRoot: process.cwd(),
    stateDir: path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'kirby', 'daytona'),
    installCommand: options.install,
  });
  const steps = ws.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(', ');
  note(`daytona: sandbox ${ws.sandbox.id} ${ws.created ? 'created' : 'reused'} (${steps})`);
  note(`daytona: ${ws.sync.uploaded.length} file(s) sent in ${ws.sync.uploadRequests} request(s), ${ws.sync.deleted.length} deleted`);
  if (ws.sync.secretFiles.length > 0) note(`daytona: kept local (credentials?): ${ws.sync.secretFiles.join(', ')}`);
  return ws;
}
