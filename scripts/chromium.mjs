/**
 * Launches Debian's Chromium with the built extension loaded, for the end-to-end tests and the
 * demo (`npm start`). The recipe is RECIPES.md §4: a persistent context on a temporary profile,
 * `--disable-extensions-except` (Playwright itself passes `--disable-extensions`), and the
 * extension id read from its service worker's URL.
 *
 * Also here: the few steps the tests and the demo both take as a user, written against
 * docs/ui-contract.md, so that they subscribe the same way.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Where Chromium is looked for when neither CHROMIUM_PATH nor CHROME_PATH is set. */
export const CHROMIUM_CANDIDATES = Object.freeze([
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]);

/**
 * What `npm run build:e2e` writes: the extension with loopback host access granted.
 * `DISPATCH_EXTENSION_DIR` points the tests at another copy of that build.
 */
export const E2E_EXTENSION_DIR = process.env.DISPATCH_EXTENSION_DIR ?? '.output/chrome-mv3-e2e';

/**
 * The Chromium executable: `CHROMIUM_PATH` or `CHROME_PATH` when set (it must exist), else the
 * first of {@link CHROMIUM_CANDIDATES} that exists. A browser test that cannot find its browser
 * must fail, so this throws, naming what it tried and how to install one.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function findChromium(env = process.env) {
  const fromEnv = env.CHROMIUM_PATH ? 'CHROMIUM_PATH' : env.CHROME_PATH ? 'CHROME_PATH' : undefined;
  if (fromEnv) {
    const chosen = /** @type {string} */ (env[fromEnv]);
    if (existsSync(chosen)) return chosen;
    throw new Error(
      `${fromEnv} is set to ${chosen}, but there is no such file. Point it to a Chromium or ` +
        'Chrome executable, or unset it and install Chromium: `apt-get install -y chromium`.',
    );
  }
  const found = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new Error(
    `Chromium not found. Tried ${CHROMIUM_CANDIDATES.join(', ')} (and CHROMIUM_PATH / CHROME_PATH ` +
      'are not set). Install it with `apt-get install -y chromium`, or set CHROMIUM_PATH to a ' +
      'Chromium or Chrome executable.',
  );
}

/**
 * @typedef {object} LaunchOptions
 * @property {string} [extensionDir] The unpacked build; default {@link E2E_EXTENSION_DIR}.
 * @property {boolean} [headless] Default true. Headed needs a display (`DISPLAY`).
 * @property {string} [executablePath] Default {@link findChromium}().
 */

/**
 * @typedef {object} ExtensionBrowser
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Worker} worker The extension's service worker.
 * @property {string} extensionId 32 letters a–p; differs per checkout path, so always read it here.
 * @property {string} optionsUrl
 * @property {string} popupUrl
 * @property {() => Promise<import('playwright-core').Page>} openOptions A new tab on the options page.
 * @property {() => Promise<import('playwright-core').Page>} openPopup The popup, opened as a tab.
 * @property {() => Promise<import('playwright-core').Worker>} currentWorker The live service
 *   worker: `worker` unless Chromium stopped and restarted it.
 * @property {() => Promise<void>} close Closes the browser and deletes the temporary profile.
 */

/**
 * Chromium's flags for a test run with the extension at `extensionPath` loaded (and no other),
 * nothing fetched in the background, no first-run UI.
 * @param {string} extensionPath
 */
export function chromiumArgs(extensionPath) {
  return [
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

/**
 * Starts Chromium on a fresh temporary profile with the extension loaded, and waits for its
 * service worker.
 * @param {LaunchOptions} [options]
 * @returns {Promise<ExtensionBrowser>}
 */
export async function launchWithExtension({
  extensionDir = E2E_EXTENSION_DIR,
  headless = true,
  executablePath = findChromium(),
} = {}) {
  const extensionPath = path.resolve(extensionDir);
  if (!existsSync(path.join(extensionPath, 'manifest.json'))) {
    throw new Error(
      `No built extension in ${extensionPath}. Build it first: npm run build:e2e (or npx wxt build --mode e2e).`,
    );
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'dispatch-chromium-'));
  /** @type {import('playwright-core').BrowserContext | undefined} */
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless,
      args: chromiumArgs(extensionPath),
    });
    context.setDefaultTimeout(15_000);
    const worker = await findWorker(context);
    const extensionId = new URL(worker.url()).host;
    const optionsUrl = `chrome-extension://${extensionId}/options.html`;
    const popupUrl = `chrome-extension://${extensionId}/popup.html`;
    const live = /** @type {import('playwright-core').BrowserContext} */ (context);
    /** @param {string} url */
    const open = async (url) => {
      const page = await live.newPage();
      await page.goto(url);
      return page;
    };
    return {
      context: live,
      worker,
      extensionId,
      optionsUrl,
      popupUrl,
      openOptions: () => open(optionsUrl),
      openPopup: () => open(popupUrl),
      currentWorker: () => findWorker(live, extensionId),
      close: async () => {
        await live.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The extension's service worker: already running (it usually is, about 1 s after launch) or the
 * next one to start.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} [extensionId] Only a worker of this extension.
 */
async function findWorker(context, extensionId) {
  /** @param {import('playwright-core').Worker} w */
  const isOurs = (w) =>
    w.url().startsWith('chrome-extension://') &&
    (!extensionId || new URL(w.url()).host === extensionId);
  return (
    context.serviceWorkers().find(isOurs) ??
    (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }))
  );
}

// The functions passed to `worker.evaluate` below are serialized and run in the extension's
// service worker, which has the `chrome` global that this Node process lacks.

/**
 * The toolbar badge text ('' when there is none).
 * @param {import('playwright-core').Worker} worker
 * @returns {Promise<string>}
 */
export function badgeText(worker) {
  return worker.evaluate(() => /** @type {any} */ (globalThis).chrome.action.getBadgeText({}));
}

/**
 * The notifications currently shown, by id.
 * @param {import('playwright-core').Worker} worker
 * @returns {Promise<Record<string, true>>}
 */
export function notifications(worker) {
  return worker.evaluate(() => /** @type {any} */ (globalThis).chrome.notifications.getAll());
}

/**
 * Clears every notification, so that a test can count the ones that come next.
 * @param {import('playwright-core').Worker} worker
 * @returns {Promise<void>}
 */
export async function clearNotifications(worker) {
  await worker.evaluate(async () => {
    const { notifications } = /** @type {any} */ (globalThis).chrome;
    const shown = await notifications.getAll();
    await Promise.all(Object.keys(shown).map((id) => notifications.clear(id)));
  });
}

/**
 * Subscribes on the options page as a user does: types the address into "Blog or feed URL",
 * presses "Add", and waits until the status line says "Following …". Throws with the status
 * line's words when it does not.
 * @param {import('playwright-core').Page} optionsPage
 * @param {string} url A site or feed address.
 * @returns {Promise<string>} The status line, e.g. "Following Research & Writing (9 posts)."
 */
export async function addBlog(optionsPage, url) {
  // A status left from an earlier subscription could read "Following …" already.
  const earlier = await optionsPage.getByRole('status').allInnerTexts();
  if (earlier.some((text) => text.trim())) await optionsPage.reload();
  await optionsPage.getByLabel('Blog or feed URL').fill(url);
  await optionsPage.getByRole('button', { name: 'Add', exact: true }).click();
  const following = optionsPage.getByRole('status').filter({ hasText: /Following/ });
  try {
    await following.first().waitFor();
  } catch (error) {
    const said = await optionsPage
      .getByRole('status')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `Subscribing to ${url} did not succeed; the status line says: ${JSON.stringify(said.join(' | '))}`,
      { cause: error },
    );
  }
  return (await following.first().innerText()).trim();
}

/**
 * Offers to follow a page without a feed on the options page as a user gets there: types the
 * address into "Blog or feed URL", presses "Add", and waits for the "Follow this page" section
 * (its preview of the posts found; docs/ui-contract.md), which it returns.
 * @param {import('playwright-core').Page} optionsPage
 * @param {string} url The page's address.
 * @returns {Promise<import('playwright-core').Locator>}
 */
export async function offerToFollow(optionsPage, url) {
  await optionsPage.getByLabel('Blog or feed URL').fill(url);
  await optionsPage.getByRole('button', { name: 'Add', exact: true }).click();
  const offer = optionsPage.getByRole('region', { name: 'Follow this page' });
  await offer.waitFor();
  return offer;
}

/**
 * The "Add a blog" status after following a page, worded as after following a feed:
 * "Following <title> (N posts).".
 */
export const FOLLOWING_PAGE = /^Following (.+) \((\d+) posts?\)\.$/;

/**
 * Presses "Follow this page" in `offer` (from {@link offerToFollow}) and waits until the
 * "Add a blog" status line says "Following <title> (N posts).". Throws with the status line's
 * words when it does not.
 * @param {import('playwright-core').Page} optionsPage
 * @param {import('playwright-core').Locator} offer
 * @returns {Promise<{ status: string, title: string, count: number }>} The status line, and
 *   the blog's title and post count it gives.
 */
export async function followOffered(optionsPage, offer) {
  await offer.getByRole('button', { name: 'Follow this page' }).click();
  const status = optionsPage.getByRole('form', { name: 'Add a blog' }).getByRole('status');
  const following = status.filter({ hasText: FOLLOWING_PAGE });
  try {
    await following.waitFor();
  } catch (error) {
    const said = await status.innerText().catch(() => '');
    throw new Error(`Following the page did not succeed; the status line says: "${said}"`, {
      cause: error,
    });
  }
  const said = (await following.innerText()).trim();
  const [, title = '', count = ''] = FOLLOWING_PAGE.exec(said) ?? [];
  return { status: said, title, count: Number(count) };
}

/**
 * Removes every followed blog on the options page, accepting each "remove?" confirmation.
 * @param {import('playwright-core').Page} optionsPage
 */
export async function removeAllBlogs(optionsPage) {
  const remove = optionsPage
    .getByRole('list', { name: 'Blogs' })
    .getByRole('button', { name: /^Remove\b/ });
  await removeEach(optionsPage, remove, optionsPage.getByText('No blogs yet.'));
}

/**
 * Removes every entry of the popup's reading list, finished ones included.
 * @param {import('playwright-core').Page} popupPage
 */
export async function clearReadingList(popupPage) {
  await popupPage.getByRole('tab', { name: 'Reading list' }).click();
  const panel = popupPage.getByRole('tabpanel');
  const remove = panel.getByRole('button', { name: /^Remove\b/ });
  const collapsed = panel.getByRole('button', { name: /^Finished\b/, expanded: false });
  const empty = panel.getByText('Nothing saved yet.');
  await remove.first().or(collapsed).or(empty).first().waitFor();
  if (await collapsed.count()) await collapsed.click();
  await removeEach(popupPage, remove, empty);
}

/**
 * Clicks the first of `buttons` until there is none left, accepting any confirmation. Waits
 * for the page to show either a button or `emptyState` first, so that a list still loading
 * is not taken for an empty one.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} buttons
 * @param {import('playwright-core').Locator} emptyState
 */
async function removeEach(page, buttons, emptyState) {
  await buttons.first().or(emptyState).first().waitFor();
  /** @param {import('playwright-core').Dialog} dialog */
  const accept = (dialog) => void dialog.accept();
  page.on('dialog', accept);
  try {
    for (let count = await buttons.count(); count > 0; count = await buttons.count()) {
      await buttons.first().click();
      await buttons.nth(count - 1).waitFor({ state: 'detached' });
    }
  } finally {
    page.off('dialog', accept);
  }
}

/**
 * Brings a running browser back to "nothing followed, nothing saved, no notification", the
 * way a user would, and closes every tab but one. Lets one launch serve several tests.
 * @param {ExtensionBrowser} browser
 */
export async function resetThroughUi(browser) {
  const options = await browser.openOptions();
  await removeAllBlogs(options);
  const popup = await browser.openPopup();
  await clearReadingList(popup);
  await clearNotifications(await browser.currentWorker());
  const [keep, ...others] = browser.context.pages();
  await Promise.all(others.map((page) => page.close()));
  await keep?.goto('about:blank');
}
