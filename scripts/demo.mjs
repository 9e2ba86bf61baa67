/**
 * `npm start`: the extension working on a real blog, in one command.
 *
 * Builds the e2e flavour of the extension (loopback host access granted at install, so no
 * permission prompt), starts the demo blog on 127.0.0.1, opens Chromium with the extension,
 * follows the blog from the options page exactly as a user would, then opens the popup.
 *
 * - Headless (`npm start -- --headless`, or when there is no DISPLAY): prints what the popup
 *   lists and the badge, saves two posts to the reading list from the popup, saves
 *   screenshots to .output/demo/ (the popup light and dark, its Reading list tab, the options
 *   page and the full-page reading list `reading.html`), prints their paths, and exits.
 * - With a display: leaves the browser open; type `p` + Enter to publish a new post (the demo
 *   then presses "Refresh" in the popup) and watch the badge and the notification change.
 *   Ctrl-C closes everything.
 *
 * - `--no-feed` (`npm start -- --no-feed`): the demo blog serves no feed at all, so Dispatch
 *   offers to follow its listing page: the demo presses "Follow this page" after the preview
 *   ("9 posts in 2 categories: …"), as a user would. Headless, it then redesigns the blog,
 *   prints what the popup and the options page say ("the page layout changed — re-learn?"),
 *   saves the blog's entry as options-drift.png and presses "Re-learn". With a display, `l` +
 *   Enter switches the blog's layout (then "Refresh") to see the same.
 *
 * The browser is found by scripts/chromium.mjs; set CHROMIUM_PATH to use another one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  addBlog,
  badgeText,
  followOffered,
  launchWithExtension,
  notifications,
  offerToFollow,
} from './chromium.mjs';
import { startBlogServer } from './demo-blog/server.mjs';

const OUTPUT_DIR = '.output/demo';
const POPUP_VIEWPORT = { width: 400, height: 600 };
const READING_VIEWPORT = { width: 1024, height: 768 };
const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const noFeed = process.argv.includes('--no-feed');

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<void>}
 */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * What the popup's Unread tab shows, as text: each category with its posts and reading times.
 * @param {import('playwright-core').Page} popup
 */
async function describeUnread(popup) {
  const lines = [];
  const header = await popup
    .getByText(/\d+ unread/)
    .first()
    .innerText();
  lines.push(`Popup, Unread tab (${header.trim()}):`);
  const sections = popup.getByRole('tabpanel').getByRole('region');
  for (const section of await sections.all()) {
    const category = await section.evaluate((element) => element.ariaLabel);
    const articles = await section.getByRole('article').all();
    lines.push(`  ${category} (${articles.length})`);
    for (const article of articles) {
      const title = await article.evaluate((element) => element.ariaLabel);
      const minutes = /\d+ min read/.exec(await article.innerText())?.[0] ?? 'reading time unknown';
      lines.push(`    - ${title} — ${minutes}`);
    }
  }
  return lines.join('\n');
}

/**
 * Saves the two newest posts of the first category to the reading list with their "Save"
 * buttons, as a user would, and says which.
 * @param {import('playwright-core').Page} popup
 * @returns {Promise<string[]>}
 */
async function saveTwoPosts(popup) {
  const lines = ['Reading list: saving two posts from the popup…'];
  const articles = popup.getByRole('tabpanel').getByRole('article');
  for (const index of [0, 1]) {
    const article = articles.nth(index);
    const title = await article.evaluate((element) => element.ariaLabel);
    await article.getByRole('button', { name: 'Save', exact: true }).click();
    await article.getByRole('button', { name: 'Saved' }).waitFor();
    lines.push(`  saved "${title}"`);
  }
  return lines;
}

/**
 * Saves the screenshots of the headless demo to {@link OUTPUT_DIR}: the popup in the light and
 * the dark scheme, its Reading list tab, the options page and the full-page reading list.
 * @param {import('./chromium.mjs').ExtensionBrowser} ext
 * @param {import('playwright-core').Page} popup The popup on its Unread tab.
 * @param {import('playwright-core').Page} options
 * @returns {Promise<string[]>} the files written
 */
async function screenshots(ext, popup, options) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = (name) => path.join(OUTPUT_DIR, name);
  const written = [];
  const shoot = async (page, name, fullPage = false) => {
    await page.screenshot({ path: file(name), fullPage });
    written.push(file(name));
  };

  await popup.emulateMedia({ colorScheme: 'light' });
  await shoot(popup, 'popup-light.png');
  await popup.emulateMedia({ colorScheme: 'dark' });
  await shoot(popup, 'popup-dark.png');
  await popup.emulateMedia({ colorScheme: 'light' });

  await popup.getByRole('tab', { name: 'Reading list' }).click();
  await popup.getByRole('tabpanel').getByRole('list', { name: 'Reading list' }).waitFor();
  await shoot(popup, 'popup-reading-list.png');

  await shoot(options, 'options.png', true);

  const reading = await ext.context.newPage();
  await reading.setViewportSize(READING_VIEWPORT);
  await reading.goto(`chrome-extension://${ext.extensionId}/reading.html`);
  await reading.getByRole('list', { name: 'Reading list' }).getByRole('listitem').first().waitFor();
  await shoot(reading, 'reading-page.png', true);
  return written;
}

/**
 * Follows a blog without a feed on the options page as a user does (`offerToFollow`, then
 * `followOffered`), reading the preview in "Follow this page" on the way.
 * @param {import('playwright-core').Page} options
 * @param {string} url
 * @returns {Promise<string[]>} what the page said on the way
 */
async function followPage(options, url) {
  const offer = await offerToFollow(options, url);
  const status = options.getByRole('form', { name: 'Add a blog' }).getByRole('status');
  const said = [
    (await status.innerText()).trim(),
    // The preview's summary ("9 posts in 2 categories: …") and what Dispatch reads, in words.
    ...(await offer.locator('p').allInnerTexts()).slice(0, 2).map((text) => `  ${text.trim()}`),
  ];
  said.push('Pressed "Follow this page":', (await followOffered(options, offer)).status);
  return said;
}

/**
 * Subscribes as the chosen demo does: the blog's feed found from its address, or (`--no-feed`)
 * its listing page followed; says what the options page showed.
 * @param {import('playwright-core').Page} options
 * @param {import('./demo-blog/server.mjs').BlogServer} blog
 */
async function subscribe(options, blog) {
  console.log(`Options page: pasting ${blog.url} into "Blog or feed URL" and pressing "Add"…`);
  const said = noFeed ? await followPage(options, blog.url) : [await addBlog(options, blog.url)];
  for (const line of said) console.log(`  ${line}`);
}

/**
 * The headless `--no-feed` demo's last act: the blog is redesigned, "Refresh" finds the learned
 * cards gone, the popup and the blog's entry on the options page say so (a screenshot of the
 * entry goes to {@link OUTPUT_DIR}), and "Re-learn" mends it. Says what each showed.
 * @param {import('./chromium.mjs').ExtensionBrowser} ext
 * @param {import('playwright-core').Page} popup
 * @param {import('./demo-blog/server.mjs').BlogServer} blog
 * @returns {Promise<string[]>}
 */
async function showDrift(ext, popup, blog) {
  const lines = [
    'The blog is redesigned (its listing now has another layout); pressing "Refresh"…',
  ];
  blog.setLayout('redesign');
  await popup.getByRole('tab', { name: 'Unread' }).click();
  await popup.getByRole('button', { name: 'Refresh' }).click();
  const flagged = popup.getByText(/the page layout changed — re-learn\?/);
  await flagged.waitFor();
  lines.push(`  Popup: ${(await flagged.innerText()).trim()}`);
  const options = await ext.openOptions();
  const entry = options
    .getByRole('list', { name: 'Blogs' })
    .getByRole('listitem')
    .filter({ hasText: blog.feedUrl });
  const alert = entry.getByRole('alert');
  await alert.waitFor();
  lines.push(`  Options page: ${(await alert.innerText()).replace(/\s+/g, ' ').trim()}`);
  const file = path.join(OUTPUT_DIR, 'options-drift.png');
  await entry.screenshot({ path: file });
  lines.push(`  (screenshot: ${file})`, 'Pressing "Re-learn"…');
  await entry.getByRole('button', { name: 'Re-learn' }).click();
  const relearned = options.getByText(/^Re-learned: /);
  await relearned.waitFor();
  lines.push(`  ${(await relearned.innerText()).trim()}`);
  return lines;
}

async function main() {
  console.log('Building the extension (wxt build --mode e2e)…');
  await run('npx', ['wxt', 'build', '--mode', 'e2e']);

  const blog = await startBlogServer({ feed: !noFeed });
  const feed = noFeed ? 'no feed' : `feed: ${blog.feedUrl}`;
  console.log(`\nDemo blog "${blog.blog.title}" at ${blog.url} (${feed})`);
  /** @type {import('./chromium.mjs').ExtensionBrowser | undefined} */
  let browser;
  const closeAll = async () => {
    await browser?.close().catch(() => {});
    await blog.close().catch(() => {});
  };

  try {
    browser = await launchWithExtension({ headless });
    const ext = browser;
    console.log(
      `Chromium started (${headless ? 'headless' : 'with a window'}), extension ${ext.extensionId}`,
    );

    const options = await ext.openOptions();
    await subscribe(options, blog);
    // Its entry shows the address followed: the feed, or the page itself.
    await options
      .getByRole('list', { name: 'Blogs' })
      .getByRole('listitem')
      .filter({ hasText: blog.feedUrl })
      .getByRole('heading', { level: 3 })
      .waitFor();
    // Notifications are off until the user turns them on (the test build holds the permission,
    // so no prompt): the demo turns them on as a user would, for the new-post notification.
    await options
      .getByRole('checkbox', { name: 'Show a notification when new posts arrive' })
      .check();
    console.log('Settings: turned on "Show a notification when new posts arrive".');

    const popup = await ext.context.newPage();
    await popup.setViewportSize(POPUP_VIEWPORT);
    await popup.goto(ext.popupUrl);
    await popup.getByRole('article').first().waitFor();
    console.log(`\n${await describeUnread(popup)}`);
    console.log(`\nBadge: "${await badgeText(await ext.currentWorker())}"`);

    if (headless) {
      console.log(`\n${(await saveTwoPosts(popup)).join('\n')}`);
      const saved = await screenshots(ext, popup, options);
      console.log(`\nScreenshots:\n${saved.map((file) => `  ${file}`).join('\n')}`);
      if (noFeed) console.log(`\n${(await showDrift(ext, popup, blog)).join('\n')}`);
      await closeAll();
      return;
    }

    await popup.bringToFront();
    console.log(`
The browser stays open. The popup is open as a tab; the toolbar button opens it too.
Type p + Enter to publish a new post on the blog; the demo then presses "Refresh" in the
popup (scheduled checks are minutes apart): the post appears, the badge goes up and a
notification shows.${
      noFeed
        ? `
Type l + Enter to switch the blog's listing to another layout (and back); after "Refresh"
the popup and the options page say the page layout changed and offer to re-learn it.`
        : ''
    } Ctrl-C closes everything.`);
    await interact(ext, popup, blog, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The headed demo's loop: `p` publishes a post and presses "Refresh" in the popup (scheduled
 * checks are minutes apart); badge and notification changes are reported as they happen.
 * @param {import('./chromium.mjs').ExtensionBrowser} ext
 * @param {import('playwright-core').Page} popup
 * @param {import('./demo-blog/server.mjs').BlogServer} blog
 * @param {() => Promise<void>} closeAll
 */
async function interact(ext, popup, blog, closeAll) {
  const observe = async () => {
    const worker = await ext.currentWorker();
    return { badge: await badgeText(worker), shown: Object.keys(await notifications(worker)) };
  };
  let last = await observe();
  const watch = setInterval(() => {
    observe()
      .then((now) => {
        if (now.badge !== last.badge) console.log(`Badge: "${last.badge}" → "${now.badge}"`);
        const fresh = now.shown.filter((id) => !last.shown.includes(id));
        if (fresh.length) console.log(`Notification shown (${fresh.length}).`);
        last = now;
      })
      .catch(() => {});
  }, 1000);
  const input = readline.createInterface({ input: process.stdin });
  const stop = async () => {
    clearInterval(watch);
    input.close();
    await closeAll();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  ext.context.on('close', () => void stop());
  input.on('line', async (line) => {
    const command = line.trim();
    if (command !== 'p' && !(noFeed && command === 'l')) {
      if (command) {
        const layout = noFeed ? ', l + Enter to switch the layout' : '';
        console.log(`Type p + Enter to publish a post${layout}, Ctrl-C to quit.`);
      }
      return;
    }
    try {
      if (command === 'p') {
        const post = blog.publish();
        console.log(
          `Published "${post.title}" (${post.category}). Pressing "Refresh" in the popup…`,
        );
      } else {
        blog.setLayout(blog.layout === 'cards' ? 'redesign' : 'cards');
        console.log(`The blog's listing now has its "${blog.layout}" layout. Pressing "Refresh"…`);
      }
      if (!popup.isClosed()) await popup.getByRole('button', { name: 'Refresh' }).click();
    } catch (error) {
      console.log(error instanceof Error ? error.message : String(error));
    }
  });
}

main().catch((error) => {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
