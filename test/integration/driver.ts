/**
 * Client for the UI driver of test/host/runCodeServer.mjs. Tests run inside the extension host (a Node process on
 * the same machine as the driver); through this client they act on the workbench shown in the browser: take
 * screenshots, read the status bar and quick picks, run palette commands, press keys.
 *
 * The driver's URL arrives in KIRBY_TEST_DRIVER. Without it (the desktop launcher test/host/runElectron.mjs)
 * `driver.available` is false and every call rejects, so UI checks skip themselves:
 *
 *   it('shows Building', async function () {   // a function, not an arrow: `this.skip()` needs mocha's context
 *     if (!driver.available) this.skip();
 *     ...
 *   });
 */
import * as http from 'http';

/** A status bar item as the workbench shows it. */
export interface StatusBarItem {
  /** Element id; an extension's item created with createStatusBarItem(id, ...) has `<publisher>.<name>.<id>`. */
  id?: string;
  /** Visible text, codicons written back as `$(name)` (`$(sync~spin)` for a spinning one). */
  text: string;
  /** The accessible label; VS Code appends a string tooltip to it as ", <tooltip>" (tooltips are not in the DOM). */
  ariaLabel: string;
}

/** The quick pick / quick input on screen; `items` are the labels of the rows shown (the list is virtualized). */
export interface QuickPickState {
  title?: string;
  placeholder?: string;
  /** What the input box holds (a file dialog's path). */
  value?: string;
  items: string[];
}

/** Keyboard input: `text` is typed first, then each `press` key (Playwright names: "Enter", "Control+C", ...). */
export interface KeyInput {
  text?: string;
  press?: string[];
}

const DRIVER_URL = process.env.KIRBY_TEST_DRIVER ?? '';
// Actions wait up to 10 s for the UI themselves; this only catches a driver that stopped answering.
const REQUEST_TIMEOUT_MS = 45_000;

function post<T>(endpoint: string, body: object = {}): Promise<T> {
  if (!DRIVER_URL) {
    return Promise.reject(new Error(`driver.${endpoint}: no UI driver (KIRBY_TEST_DRIVER is unset; only test/host/runCodeServer.mjs provides one)`));
  }
  return new Promise<T>((resolve, reject) => {
    const request = http.request(`${DRIVER_URL}/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => {
        let answer: { error?: string };
        try {
          answer = JSON.parse(text) as { error?: string };
        } catch {
          reject(new Error(`driver.${endpoint}: HTTP ${response.statusCode}, not JSON: ${text.slice(0, 200)}`));
          return;
        }
        if (response.statusCode === 200) resolve(answer as T);
        else reject(new Error(`driver.${endpoint}: ${answer.error ?? `HTTP ${response.statusCode}`}`));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`driver.${endpoint}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readStatusBar(): Promise<StatusBarItem[]> {
  return (await post<{ items: StatusBarItem[] }>('statusbar')).items;
}

export const driver = {
  /** False when no UI driver runs the suite (desktop VS Code through test-electron): skip UI checks then. */
  available: DRIVER_URL !== '',

  /** Saves a picture of the whole workbench (or of `clip` only, in CSS pixels) as <artifacts>/screenshots/<name>.png. */
  async screenshot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
    return (await post<{ path: string }>('screenshot', { name, clip })).path;
  },

  /** The status bar items in DOM order (left-aligned ones first). */
  statusBar: readStatusBar,

  /**
   * Polls the status bar until the item with this id is shown and `accept` says yes (the status bar follows the
   * extension asynchronously). Resolves with the item; rejects after timeoutMs with the last state seen.
   */
  async waitForStatusBarItem(id: string, accept: (item: StatusBarItem) => boolean = () => true, timeoutMs = 10_000): Promise<StatusBarItem> {
    const end = Date.now() + timeoutMs;
    let last: StatusBarItem | undefined;
    for (;;) {
      last = (await readStatusBar()).find((item) => item.id === id);
      if (last && accept(last)) return last;
      if (Date.now() >= end) throw new Error(`status bar item ${id} not as expected within ${timeoutMs} ms; last seen: ${JSON.stringify(last ?? null)}`);
      await sleep(200);
    }
  },

  /** Opens the command palette, types the title ("Category: Title" as listed there) and runs the matching entry. */
  async palette(commandTitle: string): Promise<void> {
    await post('palette', { command: commandTitle });
  },

  /** Types into whatever has focus, then presses keys (e.g. {press: ['Control+C']} in a focused terminal). */
  async keys(input: KeyInput): Promise<void> {
    await post('keys', input);
  },

  /**
   * The quick pick on screen. Waits up to waitMs for one with at least one row (the quick pick a test just opened
   * renders asynchronously); {items: []} when none is shown. A quick pick already on screen is returned at once:
   * close the previous one (waitForNoQuickPick) before opening the next.
   */
  async quickPick(waitMs = 5_000): Promise<QuickPickState> {
    return post<QuickPickState>('quickpick', { waitMs });
  },

  /** Polls until no quick pick is shown (one that was just accepted or dismissed hides asynchronously). */
  async waitForNoQuickPick(timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const state = await post<QuickPickState>('quickpick', { waitMs: 0 });
      if (state.items.length === 0) return;
      if (Date.now() >= end) throw new Error(`a quick pick is still shown after ${timeoutMs} ms: ${JSON.stringify(state)}`);
      await sleep(100);
    }
  },

  /** Clicks the status bar item with this element id (see StatusBarItem.id). */
  async clickStatusBarItem(id: string): Promise<void> {
    await post('clickStatusBarItem', { id });
  },

  /** innerText of the first element matching a CSS selector in any frame: inside a webview (waits up to 10 s). */
  async webviewText(selector: string): Promise<string> {
    return (await post<{ text: string }>('webviewText', { selector })).text;
  },

  /** Clicks the first element matching a CSS selector in any frame (a webview's button or row). */
  async webviewClick(selector: string): Promise<void> {
    await post('webviewClick', { selector });
  },

  /** Hovers the first element matching a CSS selector and returns the hover's text (a status bar tooltip). */
  async hover(selector: string): Promise<string> {
    return (await post<{ text: string }>('hover', { selector })).text;
  },

  /** innerText of the first element matching a CSS selector (waits up to 10 s for it): the escape hatch. */
  async text(selector: string): Promise<string> {
    return (await post<{ text: string }>('text', { selector })).text;
  },
};
