import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_TOOLS } from '../../src/vscode/agentToolNames';
import { Command } from '../../src/vscode/commandIds';
import { SETTING_DEFAULTS } from '../../src/vscode/settingDefaults';
import { DEFAULT_SYNC_EXCLUDE } from '../../src/run/daytona/workspaceScan';
import { applyOverrides } from '../../src/core/patterns/overrides';
import { BUILTIN_TOOLS } from '../../src/core/patterns/database';
import { groupNumbers, toProblemMatchers } from '../../src/core/patterns/problemMatchers';
import { withToolsTable } from '../../src/core/patterns/toolDocs';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

describe('package.json (the extension manifest)', () => {
  it('contributes exactly the commands of the Command enum, each in the Kirby category', () => {
    const contributed = (manifest.contributes.commands as { command: string; category: string }[]).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Command).sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Kirby', c.command);
  });

  it('declares every setting Kirby reads, with the same default', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; markdownDescription?: string }>;
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTING_DEFAULTS).map((k) => `kirby.${k}`).sort());
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(properties[`kirby.${key}`].default, value, key);
      assert.ok(properties[`kirby.${key}`].markdownDescription, `${key} has a markdownDescription`);
    }
  });

  it('the default sync exclusions are the sync module\'s own (one list)', () => {
    assert.deepEqual(SETTING_DEFAULTS['daytona.syncExclude'], [...DEFAULT_SYNC_EXCLUDE]);
  });

  it('a workspace cannot point the Daytona key at another server', () => {
    assert.equal(manifest.contributes.configuration.properties['kirby.daytona.apiUrl'].scope, 'machine');
  });

  it('activates lazily (never "*") and refuses builds in untrusted workspaces', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('kirby.buildCommand'));
  });

  it('contributes exactly the agent tools Kirby registers, each described for the model and with an input schema', () => {
    const tools = manifest.contributes.languageModelTools as { name: string; modelDescription: string; displayName: string; inputSchema: { type: string } }[];
    assert.deepEqual(tools.map((t) => t.name).sort(), Object.values(AGENT_TOOLS).sort());
    for (const t of tools) {
      assert.ok(t.modelDescription.length > 80 && t.displayName, t.name);
      assert.equal(t.inputSchema.type, 'object', t.name);
    }
  });

  it('the menus only name contributed commands', () => {
    const ids = new Set(Object.values(Command) as string[]);
    for (const entries of Object.values(manifest.contributes.menus) as { command: string }[][]) {
      for (const entry of entries) assert.ok(ids.has(entry.command), entry.command);
    }
  });

  it("the README's example override for kirby.buildToolPatterns is valid", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const block = /```jsonc?\n(\{\s*"kirby\.buildToolPatterns"[\s\S]*?)```/.exec(readme);
    assert.ok(block, 'the README shows an example override');
    const example = JSON.parse(block[1])['kirby.buildToolPatterns'];
    assert.deepEqual(applyOverrides(BUILTIN_TOOLS, example).issues, []);
  });

  it("the README's tools table is what the pattern database says (run `npm run build` after changing a tool's docs)", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    assert.equal(readme, withToolsTable(readme, BUILTIN_TOOLS));
    for (const spec of BUILTIN_TOOLS) assert.ok(readme.includes(`\`${spec.id}\``), spec.id);
  });
});

describe('contributed problem matchers', () => {
  const matchers = toProblemMatchers(BUILTIN_TOOLS);

  it('package.json holds exactly what the pattern database generates (run `npm run build` after changing patterns)', () => {
    assert.deepEqual(manifest.contributes.problemMatchers, JSON.parse(JSON.stringify(matchers)));
  });

  it('offers $kirby-<tool> for one-shot tasks and $kirby-<tool>-watch with begin/end patterns for background tasks', () => {
    const names = matchers.map((m) => m.name);
    for (const name of ['kirby-vite', 'kirby-webpack', 'kirby-tsc', 'kirby-tsc-watch', 'kirby-esbuild', 'kirby-esbuild-watch']) {
      assert.ok(names.includes(name), name);
    }
    for (const m of matchers) {
      for (const p of [m.pattern].flat()) new RegExp(p.regexp);
      if (m.background) {
        new RegExp(m.background.beginsPattern);
        new RegExp(m.background.endsPattern);
      }
    }
  });

  it('numbers the groups as RegExp does, so VS Code reads the same fields the engine reads', () => {
    const tsc = matchers.find((m) => m.name === 'kirby-tsc')!;
    const pattern = [tsc.pattern].flat()[0];
    const line = "src/index.ts:4:7 - error TS2322: Type 'number' is not assignable to type 'string'.";
    const m = new RegExp(pattern.regexp).exec(line)!;
    assert.deepEqual(
      [m[pattern.file!], m[pattern.line!], m[pattern.column!], m[pattern.severity!], m[pattern.code!], m[pattern.message!]],
      ['src/index.ts', '4', '7', 'error', 'TS2322', "Type 'number' is not assignable to type 'string'."],
    );
    const watch = matchers.find((m) => m.name === 'kirby-tsc-watch')!;
    assert.match('[2:55:23 AM] File change detected. Starting incremental compilation...', new RegExp(watch.background!.beginsPattern));
    assert.match('[2:55:25 AM] Found 0 errors. Watching for file changes.', new RegExp(watch.background!.endsPattern));
  });

  it('groupNumbers skips escaped parentheses, character classes and non-capturing groups', () => {
    assert.deepEqual([...groupNumbers('\\((?:x)[(](a)(?<file>b)(?=c)(?<line>\\d)').entries()], [['file', 2], ['line', 3]]);
  });
});
