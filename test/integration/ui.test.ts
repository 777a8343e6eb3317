import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { driver } from './driver';
import { closeAllBuilds, GOOD_SOURCE, kirby, setSetting, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

/** The custom tool in watch mode: every state can be held still long enough to look at. */
const MYTOOL_WATCH = {
  name: 'My Tool',
  command: 'custom-tool',
  watchCommand: 'custom-tool',
  detect: ['^MYTOOL\\b'],
  events: {
    buildStart: ['^MYTOOL: starting$'],
    buildSuccess: ['^MYTOOL: all good$'],
    buildError: ['^MYTOOL: failed$'],
    watchReady: ['^MYTOOL v1 watching$'],
  },
  problems: [{ regexp: '^MYTOOL problem (?<file>\\S+):(?<line>\\d+):(?<column>\\d+) (?<message>.+)$' }],
};

/** The left end of the status bar (the workbench is 1400×900 CSS pixels): where Kirby's item sits. */
const STATUS_BAR_CLIP = { x: 0, y: 874, width: 320, height: 26 };

/** The status bar text as the browser shows it, once it contains `expected`. */
async function statusBarShows(expected: string): Promise<string> {
  return waitFor(async () => {
    const items = await driver.statusBar();
    const kirbyItem = items.find((i) => (i.ariaLabel ?? '').startsWith('Kirby'));
    return kirbyItem && kirbyItem.text.includes(expected) ? kirbyItem.text : undefined;
  }, `the status bar to show "${expected}"`);
}

describe('the workbench UI, through the browser', function () {
  let api: KirbyApi;
  before(async function () {
    if (!driver.available) this.skip(); // the desktop launcher has no browser to drive
    api = await kirby();
  });
  after(async () => {
    if (!driver.available) return;
    await setSetting('buildToolPatterns', undefined);
    await closeAllBuilds(api);
  });

  it('the status bar follows a build through every state (a screenshot of each)', async () => {
    await setSetting('buildToolPatterns', { mytool: MYTOOL_WATCH });
    const id = (await api.startBuild({ script: 'custom', cwd: workspaceDir() }))!;
    const type = (text: string) => vscode.window.terminals.find((t) => t.name === 'custom')!.sendText(text, true);
    const step = async (state: string, label: string, shot: string) => {
      await waitForBuild(api, id, (b) => b.state === state, state);
      const text = await statusBarShows(label);
      assert.ok(text.includes('custom'), text);
      await driver.screenshot(`state-${shot}`);
      await driver.screenshot(`status-${shot}`, STATUS_BAR_CLIP);
    };
    await step('Building', 'Building', 'building');
    type('build');
    type('ok');
    await step('WatchModeActive', 'Watching', 'watching');
    type('build');
    await step('Rebuilding', 'Rebuilding', 'rebuilding');
    type('fail');
    await step('Error', '1 error', 'error');
    type('build');
    type('ok');
    await step('WatchModeActive', 'Watching', 'watching-again');
    await closeAllBuilds(api);
    await statusBarShows('Kirby');

    writeSource('src/index.ts', GOOD_SOURCE);
    const once = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
    await waitForBuild(api, once, (b) => !b.running && b.state === 'Ready', 'tsc to succeed');
    await statusBarShows('build: Ready');
    await driver.screenshot('state-ready');
    await driver.screenshot('status-ready', STATUS_BAR_CLIP);
  });

  it('commands run from the command palette: Show Build History lists the builds', async () => {
    assert.ok(api.history.length > 0, 'the test above recorded builds');
    await driver.palette('Kirby: Show Build History');
    const pick = await waitFor(async () => {
      const shown = await driver.quickPick();
      return shown.items.length > 0 ? shown : undefined;
    }, 'the history quick pick');
    assert.ok(pick.items.some((label) => label.includes('build')), JSON.stringify(pick.items));
    await driver.keys({ press: ['Escape'] });
  });

  it('clicking the status bar item offers the build actions', async () => {
    const id = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => !b.running, 'tsc to finish');
    await statusBarShows('build:');
    await driver.clickStatusBarItem(await kirbyItemId());
    const pick = await waitFor(async () => {
      const shown = await driver.quickPick();
      return shown.items.length > 0 ? shown : undefined;
    }, 'the actions quick pick');
    for (const action of ['Show Terminal', 'Restart', 'Start Build…', 'Show Build History']) {
      assert.ok(pick.items.some((label) => label.includes(action)), `${action} in ${JSON.stringify(pick.items)}`);
    }
    await driver.screenshot('actions');
    await driver.keys({ press: ['Escape'] });
  });
});

async function kirbyItemId(): Promise<string> {
  const items = await driver.statusBar();
  const item = items.find((i) => (i.ariaLabel ?? '').startsWith('Kirby'));
  assert.ok(item?.id, `the Kirby item has an id: ${JSON.stringify(items)}`);
  return item.id;
}
