import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import { TSC_TRANSLATIONS } from '../../src/core/patterns/tools/tscMessages';

const ROOT = path.resolve(__dirname, '../../..');

describe('tsc --locale', () => {
  it("tscMessages.ts is what scripts/gen-tsc-messages.mjs makes of the installed TypeScript's translations", () => {
    const run = spawnSync(process.execPath, ['scripts/gen-tsc-messages.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  // the lines as tsc --watch prints them: a time, then the translated message (recorded fixtures: tsc/*-fr, *-es)
  for (const [locale, m] of Object.entries(TSC_TRANSLATIONS)) {
    for (const webAssembly of [true, false]) {
      it(`reads a watch run in ${locale} (${webAssembly ? 'WebAssembly' : 'JavaScript'} model)`, () => {
        const engine = new BuildEngine({ clock: new VirtualClock(), command: 'tsc --watch', webAssembly, idleTimeoutMs: 0 });
        const events: string[] = [];
        engine.onEvent((e) => events.push(e.type));
        engine.start();
        const lines = [
          `[10:00:00] ${m.start}`,
          `[10:00:01] ${m.watchMany.replace('{0}', '0')}`,
          `[10:00:02] ${m.change}`,
          "src/a.ts:1:7 - error TS2322: Type 'number' is not assignable to type 'string'.",
          `[10:00:03] ${m.watchMany.replace('{0}', '2')}`,
          `[10:00:04] ${m.change}`,
          `[10:00:05] ${m.watchOne}`,
        ];
        engine.write(`${lines.join('\r\n')}\r\n`);
        // a verdict line also says it watches (the same order as for English lines: pattern order); the stream
        // carries watch-ready once per run
        assert.deepEqual(events, [
          'build-start', 'watch-ready', 'build-success',
          'rebuild-start', 'build-error',
          'rebuild-start', 'build-error',
        ]);
        assert.equal(engine.state, 'Error');
        engine.dispose();
      });
    }
  }
});
