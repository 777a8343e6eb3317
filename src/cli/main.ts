import { parseArgs } from 'node:util';
import * as fs from 'node:fs';
import { PatternRegistry } from '../core/patterns/registry';
import { applyOverrides } from '../core/patterns/overrides';
import { BUILTIN_TOOLS } from '../core/patterns/database';
import { replay } from './replay';
import { JsonLineWriter } from './output';

const USAGE = `Usage:
  kirby replay FILE [--tool ID] [--patterns FILE] [--idle-timeout SECONDS] [--lines] [--builds]
  kirby run [--json FILE] [--tool ID] [--patterns FILE] -- COMMAND [ARGS…]
  kirby run --backend daytona [--api-url URL] [--target REGION] [--install CMD] -- COMMAND [ARGS…]
  kirby record FILE -- COMMAND [ARGS…]
  kirby tools

replay  reads an asciicast v2/v3 recording (or a raw log) and prints JSON lines: events, states, problems, end.
run     runs COMMAND in a pseudo-terminal, relays its output, reports the build state on stderr.
        With --backend daytona it runs in a Daytona sandbox for this folder (key from DAYTONA_API_KEY), after
        sending the folder's files (.gitignore respected; node_modules, dist… left out; .env-like files kept local)
        and running --install CMD (e.g. "npm ci") when the lockfile changed.
record  runs COMMAND like run and writes its output to FILE as an asciicast v2 recording.
tools   lists the built-in tools.`;

/** Exit status for usage and input errors. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'replay':
        return await replayCommand(rest);
      case 'run':
      case 'record': {
        const { runCommand } = await import('./run');
        return await runCommand(command, rest, loadRegistry);
      }
      case 'tools':
        for (const t of BUILTIN_TOOLS) process.stdout.write(`${t.id.padEnd(20)} ${t.name}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kirby: ${e.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    tool: { type: 'string' },
    patterns: { type: 'string' },
    'idle-timeout': { type: 'string' },
    lines: { type: 'boolean' },
    builds: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('replay takes exactly one FILE');
  const file = positionals[0];
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const registry = loadRegistry(values.patterns as string | undefined);
  // `kirby replay FILE --lines | head`: a reader that stops early ends the replay quietly, as with other tools
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`kirby: standard output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 1);
  });
  if (values.tool !== undefined && !registry.get(values.tool as string)) {
    throw new UsageError(`unknown tool "${values.tool}" (see "kirby tools")`);
  }
  let idleTimeoutMs: number | undefined;
  if (values['idle-timeout'] !== undefined) {
    const s = Number(values['idle-timeout']);
    if (!Number.isFinite(s) || s < 0) throw new UsageError(`--idle-timeout takes seconds (0 = never), got "${values['idle-timeout']}"`);
    idleTimeoutMs = s * 1000;
  }
  await replay({
    file,
    tool: values.tool as string | undefined,
    registry,
    idleTimeoutMs,
    lines: values.lines === true,
    builds: values.builds === true,
    out: new JsonLineWriter(process.stdout),
  });
  return 0;
}

/** Loads `--patterns FILE` on top of the built-in database; any problem in the file is a usage error (exit 2). */
export function loadRegistry(file: string | undefined): PatternRegistry {
  if (file === undefined) return PatternRegistry.builtin();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read pattern file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`pattern file ${file} is not JSON: ${(e as Error).message}`);
  }
  // accept both the bare map and a settings.json-like object holding it
  const root = 'kirby.buildToolPatterns';
  const overrides =
    typeof json === 'object' && json !== null && root in json ? (json as Record<string, unknown>)[root] : json;
  const { specs, issues } = applyOverrides(BUILTIN_TOOLS, overrides, root);
  if (issues.length > 0) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}${i.pattern !== undefined ? ` (pattern ${JSON.stringify(i.pattern)})` : ''}`);
    throw new UsageError(`invalid patterns in ${file}:\n${lines.join('\n')}`);
  }
  return new PatternRegistry(specs);
}

type ParseConfig = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(args: string[], options: ParseConfig): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`kirby: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
