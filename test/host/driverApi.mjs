// The driver API: a loopback HTTP server through which tests running in the extension host drive the workbench
// UI in the browser (test/integration/driver.ts is the client). JSON in, JSON out; a request is answered only when
// its action is done; a failed action answers HTTP 500 {error}. Actions run one at a time (they share one page).
//
// DOM facts for VS Code 1.139 (code-server 4.139.1):
// - status bar items are `.part.statusbar .statusbar-item` elements; an extension's item created with
//   createStatusBarItem(id, ...) gets the element id `<publisher>.<name>.<id>` (e.g. kirby-dev.kirby.kirby.state);
//   the label is `a.statusbar-item-label` with codicons as `<span class="codicon codicon-NAME">`;
//   a string tooltip is not in the DOM (VS Code shows a custom hover) but ends the aria-label: "<text>, <tooltip>".
// - the quick input is `.quick-input-widget` (hidden with display:none); its rows are `.monaco-list-row` with the
//   label in `.label-name`; F1 and Ctrl+Shift+P both open the command palette in headless Chromium.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const ACTION_TIMEOUT_MS = 10_000;
const PALETTE_MATCH_WAIT_MS = 3_000; // the filtered list renders within milliseconds; this is slack for a busy CI
const PALETTE_ATTEMPTS = 2;
const POLL_MS = 100;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ActionError extends Error {}

// ---- in-page helpers (run inside the browser by page.evaluate; they must be self-contained)

/** Text of a DOM subtree with codicons written back as `$(name)` / `$(name~spin)`, whitespace collapsed. */
function textWithCodiconsInPage(root) {
  const ICON_PREFIX = 'codicon-';
  const MODIFIER_PREFIX = 'codicon-modifier-';
  let text = '';
  const visit = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        text += child.textContent;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const classes = [...child.classList];
        const icon = classes.find((c) => c.startsWith(ICON_PREFIX) && !c.startsWith(MODIFIER_PREFIX));
        if (classes.includes('codicon') && icon) {
          const modifiers = classes.filter((c) => c.startsWith(MODIFIER_PREFIX)).map((c) => `~${c.slice(MODIFIER_PREFIX.length)}`);
          text += `$(${icon.slice(ICON_PREFIX.length)}${modifiers.join('')})`;
        } else {
          visit(child);
        }
      }
    }
  };
  visit(root);
  return text.replace(/\s+/g, ' ').trim();
}

function readStatusBarInPage(textWithCodicons) {
  return [...document.querySelectorAll('.part.statusbar .statusbar-item')].map((element) => {
    const label = element.querySelector('.statusbar-item-label') ?? element;
    const item = { text: textWithCodicons(label), ariaLabel: element.getAttribute('aria-label') ?? label.getAttribute('aria-label') ?? '' };
    return element.id ? { id: element.id, ...item } : item;
  });
}

function readQuickInputInPage(textWithCodicons) {
  const widget = document.querySelector('.quick-input-widget');
  if (!widget || getComputedStyle(widget).display === 'none') return null;
  const title = widget.querySelector('.quick-input-title');
  const input = widget.querySelector('.quick-input-box input');
  const rows = [...widget.querySelectorAll('.quick-input-list .monaco-list-row')]
    .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
    .map((row) => {
      const name = row.querySelector('.label-name');
      return { label: name ? textWithCodicons(name) : (row.getAttribute('aria-label') ?? ''), focused: row.classList.contains('focused'), index: Number(row.dataset.index) };
    });
  return {
    title: title && getComputedStyle(title).display !== 'none' ? title.textContent.trim() : undefined,
    placeholder: input?.getAttribute('placeholder') || undefined,
    value: input?.value ?? '',
    rows,
  };
}

// ---- page-side reads

/**
 * An expression calling `read(helper)` in the page. Playwright evaluates expression strings through the DevTools
 * protocol, so this is not subject to the workbench's Content-Security-Policy (a `new Function` in the page would be).
 */
const callInPage = (read, helper) => `(${read})(${helper})`;

async function statusBarItems(page) {
  await page.waitForSelector('.part.statusbar .statusbar-item', { timeout: ACTION_TIMEOUT_MS });
  return page.evaluate(callInPage(readStatusBarInPage, textWithCodiconsInPage));
}

/** The visible quick input (rows in list order) or null. */
async function quickInput(page) {
  return page.evaluate(callInPage(readQuickInputInPage, textWithCodiconsInPage));
}

async function waitFor(probe, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value || Date.now() >= end) return value;
    await sleep(POLL_MS);
  }
}

/** Presses Escape until no quick input is shown (a second one may sit below the first). */
async function closeQuickInputs(page) {
  for (let attempt = 0; attempt < 3 && (await quickInput(page)); attempt++) {
    await page.keyboard.press('Escape');
    await waitFor(async () => !(await quickInput(page)), 1000);
  }
}

/**
 * Opens a fresh command palette, types the title and waits for the entry whose label equals it.
 * Returns {match, typed} when found, else {match: null, seen} with the labels that were shown.
 */
async function findInPalette(page, command) {
  await closeQuickInputs(page);
  await page.keyboard.press('F1');
  if (!(await waitFor(() => quickInput(page), ACTION_TIMEOUT_MS))) throw new ActionError('F1 did not open the command palette');
  await page.keyboard.type(command);
  const typed = await quickInput(page);
  const findMatch = async () => (await quickInput(page))?.rows.find((row) => sameCommandTitle(row.label, command));
  const match = await waitFor(findMatch, PALETTE_MATCH_WAIT_MS);
  if (match) return { match, typed };
  return { match: null, seen: (await quickInput(page))?.rows.map((row) => row.label) ?? [] };
}

const sameCommandTitle = (a, b) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

function cssAttributeValue(value) {
  return `"${String(value).replace(/["\\]/g, '\\$&')}"`;
}

// ---- actions (one per endpoint)

function createActions({ getPage, screenshotsDir }) {
  return {
    // `clip` ({x, y, width, height} in CSS pixels) saves only that part of the page (a status bar detail)
    async screenshot({ name, clip }) {
      if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) throw new ActionError(`screenshot name must match [A-Za-z0-9_.-]+, got ${JSON.stringify(name)}`);
      const file = path.join(screenshotsDir, `${name}.png`);
      fs.mkdirSync(screenshotsDir, { recursive: true });
      await (await getPage()).screenshot(clip ? { path: file, clip } : { path: file, fullPage: true });
      return { path: file };
    },

    async statusbar() {
      return { items: await statusBarItems(await getPage()) };
    },

    async palette({ command }) {
      if (typeof command !== 'string' || !command.trim()) throw new ActionError('palette needs {"command": "<Category: Title>"}');
      const page = await getPage();
      // The palette lists the commands known when it opened; a second opening catches one that arrived just after.
      let found = null;
      for (let attempt = 0; attempt < PALETTE_ATTEMPTS && !found?.match; attempt++) found = await findInPalette(page, command);
      if (!found.match) {
        await closeQuickInputs(page);
        throw new ActionError(`no command palette entry is ${JSON.stringify(command)}; entries seen: ${JSON.stringify(found.seen)}`);
      }
      const { match, typed } = found;
      if (match.focused) await page.keyboard.press('Enter');
      else await page.locator(`.quick-input-widget .monaco-list-row[data-index="${match.index}"]`).click();
      // Done when the palette closed or was replaced (a command may open its own quick pick at once).
      const closedOrReplaced = async () => { const now = await quickInput(page); return !now || now.value !== typed.value || now.placeholder !== typed.placeholder; };
      if (!(await waitFor(closedOrReplaced, ACTION_TIMEOUT_MS))) throw new ActionError(`the command palette stayed open after choosing ${JSON.stringify(command)}`);
      return { ok: true };
    },

    async keys({ text, press }) {
      const page = await getPage();
      if (text != null) await page.keyboard.type(String(text));
      for (const key of press ?? []) await page.keyboard.press(String(key));
      return { ok: true };
    },

    async quickpick({ waitMs } = {}) {
      const page = await getPage();
      const state = await waitFor(async () => { const q = await quickInput(page); return q && q.rows.length ? q : null; }, Number(waitMs) || 0) ?? await quickInput(page);
      if (!state) return { items: [] };
      const result = { items: state.rows.map((row) => row.label) };
      if (state.title) result.title = state.title;
      if (state.placeholder) result.placeholder = state.placeholder;
      if (state.value) result.value = state.value;
      return result;
    },

    async clickStatusBarItem({ id }) {
      if (typeof id !== 'string' || !id) throw new ActionError('clickStatusBarItem needs {"id": "<publisher>.<name>.<itemId>"}');
      const page = await getPage();
      const item = page.locator(`.part.statusbar .statusbar-item[id=${cssAttributeValue(id)}]`);
      try {
        await item.waitFor({ state: 'visible', timeout: ACTION_TIMEOUT_MS });
      } catch {
        const ids = (await statusBarItems(page).catch(() => [])).map((entry) => entry.id);
        throw new ActionError(`no visible status bar item with id ${JSON.stringify(id)}; ids: ${JSON.stringify(ids)}`);
      }
      await item.locator('.statusbar-item-label').click({ timeout: ACTION_TIMEOUT_MS });
      return { ok: true };
    },

    // moves the mouse over an element (a status bar item's tooltip), waits for a hover and returns its text
    async hover({ selector }) {
      if (typeof selector !== 'string' || !selector) throw new ActionError('hover needs {"selector": "<css>"}');
      const page = await getPage();
      await page.mouse.move(0, 0);
      await page.locator(selector).first().hover({ timeout: ACTION_TIMEOUT_MS });
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
      await hover.waitFor({ state: 'visible', timeout: ACTION_TIMEOUT_MS });
      return { text: await hover.innerText({ timeout: ACTION_TIMEOUT_MS }) };
    },

    async text({ selector }) {
      if (typeof selector !== 'string' || !selector) throw new ActionError('text needs {"selector": "<css>"}');
      const page = await getPage();
      return { text: await page.locator(selector).first().innerText({ timeout: ACTION_TIMEOUT_MS }) };
    },

    // Webviews live in nested iframes: these look for the selector in every frame of the page.
    async webviewText({ selector }) {
      const locator = await inSomeFrame(await getPage(), selector);
      return { text: await locator.innerText({ timeout: ACTION_TIMEOUT_MS }) };
    },

    async webviewClick({ selector }) {
      const locator = await inSomeFrame(await getPage(), selector);
      await locator.click({ timeout: ACTION_TIMEOUT_MS });
      return { ok: true };
    },
  };
}

/** The first element matching `selector` in any frame (webview content is two iframes deep), waiting for it. */
async function inSomeFrame(page, selector) {
  if (typeof selector !== 'string' || !selector) throw new ActionError('needs {"selector": "<css>"}');
  const end = Date.now() + ACTION_TIMEOUT_MS;
  for (;;) {
    for (const frame of page.frames()) {
      const locator = frame.locator(selector).first();
      if ((await locator.count().catch(() => 0)) > 0) return locator;
    }
    if (Date.now() > end) throw new ActionError(`no frame has ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---- HTTP plumbing

function readJsonBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      try { resolve(body.trim() ? JSON.parse(body) : {}); } catch { reject(new ActionError(`request body is not JSON: ${body.slice(0, 200)}`)); }
    });
    request.on('error', reject);
  });
}

function respond(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

/**
 * Starts the API on 127.0.0.1 (random port). getPage resolves to the Playwright page once the browser is up.
 * Returns {url, close()}.
 */
export async function startDriverApi({ getPage, screenshotsDir, log }) {
  const actions = createActions({ getPage, screenshotsDir });
  let queue = Promise.resolve();
  const oneAtATime = (action) => { const run = queue.then(action, action); queue = run.catch(() => {}); return run; };

  const server = http.createServer(async (request, response) => {
    const name = new URL(request.url, 'http://driver').pathname.slice(1);
    if (request.method !== 'POST' || !Object.hasOwn(actions, name)) {
      respond(response, 404, { error: `unknown endpoint ${request.method} /${name}; POST one of ${Object.keys(actions).join(', ')}` });
      return;
    }
    const started = Date.now();
    try {
      const body = await readJsonBody(request);
      const result = await oneAtATime(() => actions[name](body));
      log(`driver /${name} ${JSON.stringify(body)} -> ok (${Date.now() - started} ms)`);
      respond(response, 200, result);
    } catch (error) {
      log(`driver /${name} -> error (${Date.now() - started} ms): ${error.message}`);
      respond(response, 500, { error: error.message });
    }
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    takeScreenshot: (name) => oneAtATime(() => actions.screenshot({ name })),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
