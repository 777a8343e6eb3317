// No vscode import: the unit tests compare these defaults with package.json's contributes.configuration.
import type { PackageManager } from '../run/packageScripts';

export type RevealTerminal = 'always' | 'onError' | 'never';

export type BuildBackend = 'local' | 'daytona';

export const SETTING_DEFAULTS = {
  enableBuildOutputParsing: true as boolean,
  buildToolPatterns: {} as unknown,
  idleTimeoutSeconds: 30 as number,
  buildCommand: '' as string,
  defaultScript: '' as string,
  packageManager: 'auto' as PackageManager | 'auto',
  revealTerminal: 'always' as RevealTerminal,
  monitorAllTerminals: false as boolean,
  sampleIntervalMs: 1000 as number,
  maxRuns: 200 as number,
  maxRunStorageMB: 50 as number,
  externalTerminalPatterns: [
    '^(?:npm|pnpm|yarn|bun)\\s+run\\s+\\S',
    '^(?:npm|pnpm|yarn|bun)\\s+(?:start|dev|build|watch|serve)\\b',
    '^(?:(?:npx|bunx|pnpx)\\s+|(?:pnpm|yarn)\\s+(?:exec\\s+)?)?(?:vite|webpack|webpack-dev-server|tsc|esbuild|rollup|parcel|next|tailwindcss|nodemon|tsx)\\b',
  ] as string[],
  backend: 'local' as BuildBackend,
  'daytona.apiUrl': 'https://app.daytona.io/api' as string,
  'daytona.target': 'us' as string,
  'daytona.image': '' as string,
  'daytona.snapshot': '' as string,
  'daytona.resources': {} as { cpu?: number; memory?: number; disk?: number },
  'daytona.autoStopMinutes': 15 as number,
  'daytona.readyTimeoutSeconds': 120 as number,
  'daytona.syncExclude': ['node_modules', '.git', 'dist', 'out', 'build', '.next', 'coverage'] as string[],
  'daytona.installCommand': 'auto' as string,
  'daytona.publicPreview': false as boolean,
  'daytona.keepSandboxRunning': false as boolean,
};
