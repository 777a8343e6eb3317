import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from '../../src/vscode/commandIds';
import { SETTING_DEFAULTS } from '../../src/vscode/settingDefaults';
import { applyOverrides } from '../../src/core/patterns/overrides';
import { BUILTIN_TOOLS } from '../../src/core/patterns/database';

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

  it('activates lazily (never "*") and refuses builds in untrusted workspaces', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('kirby.buildCommand'));
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
});
