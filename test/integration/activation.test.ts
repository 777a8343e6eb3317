import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, kirby } from './helpers';

const ptyLoaded = () => Object.keys(require.cache).some((file) => /[\\/]node-pty[\\/]/.test(file));

// The file name sorts first: these run before any build has started.
describe('activation', () => {
  it('activates in a workspace with a package.json without loading node-pty, and shows the status bar item', async () => {
    const api = await kirby();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.equal(ptyLoaded(), false, 'node-pty waits for the first build');
    assert.deepEqual(api.builds, []);
    assert.equal(api.statusBarText, '$(play) Kirby');
  });

  it('registers every command in the Kirby category', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['kirby.startBuild', 'kirby.stopBuild', 'kirby.restartBuild', 'kirby.showTerminal', 'kirby.goToFirstError', 'kirby.showHistory']) {
      assert.ok(all.includes(id), id);
    }
  });
});
