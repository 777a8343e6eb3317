import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isAlive, listProcesses, treeMembers } from '../../src/run/processTree';
import type { KirbyApi } from '../../src/vscode/api';
import { closeAllBuilds, kirby, waitFor, waitForBuild, workspaceDir } from './helpers';

describe('stopping builds in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(() => closeAllBuilds(api));

  it('Kirby: Stop Build leaves no process of the build behind (children, a detached child, a grandchild)', async () => {
    const id = (await api.startBuild({ script: 'tree', cwd: workspaceDir() }))!;
    const running = await waitForBuild(api, id, (b) => b.running && b.pid !== undefined, 'the tree to start');
    const root = running.pid!;
    const members = await waitFor(async () => {
      const tree = treeMembers(await listProcesses(), root, new Set([root]));
      return tree.size >= 6 ? tree : undefined; // sh, npm's shell, node tree.js, 3 children, 1 grandchild
    }, 'the whole tree to be spawned');
    await vscode.commands.executeCommand('kirby.stopBuild', id);
    const stopped = api.builds.find((b) => b.id === id)!;
    assert.equal(stopped.running, false);
    const alive = [...members, root].filter(isAlive);
    assert.deepEqual(alive, [], `still alive: ${alive.join(', ')}`);
  });
});
