// Shared browser-test harness: start a fresh hub with demo data, drive
// Debian's Chromium with playwright-core, and check every page with axe-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const PASSWORD = 'demo-password-for-tests';

// startHub runs `svhub serve --demo` on a free port and an empty database.
export async function startHub() {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-e2e-'));
  const ready = join(dir, 'ready');
  const bin = process.env.SVHUB_BIN;
  assert.ok(bin && existsSync(bin), 'SVHUB_BIN must name a built svhub binary');
  const proc = spawn(bin, ['serve', '--demo', '--demo-password', PASSWORD, '--addr', '127.0.0.1:0', '--db', 'sqlite:' + join(dir, 'hub.db'), '--ready-file', ready], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 300 && !existsSync(ready); i++) {
    if (proc.exitCode !== null) throw new Error('svhub exited early:\n' + log);
    await sleep(100);
  }
  assert.ok(existsSync(ready), 'svhub did not become ready in 30 s:\n' + log);
  const url = readFileSync(ready, 'utf8').trim();
  return {
    url,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// newPage opens a page that records CSP violations and page errors, which
// fail the test: the CSP forbids inline script and style.
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  return page;
}

const checked = new Set();

// check runs axe-core for WCAG 2.0, 2.1 and 2.2 A and AA on the page as it
// is now and fails on any violation. It is injected through the DevTools
// protocol, which the page's CSP does not govern.
export async function check(page) {
  await page.waitForLoadState('load');
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ` + v.nodes.map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\n/g, ' ')).join('\n  ')).join('\n');
  assert.equal(result.violations.length, 0, `axe found violations on ${page.url()}:\n${summary}`);
  assert.deepEqual(page.problems, [], `browser reported problems on ${page.url()}`);
  await checkReflow(page);
  checked.add(new URL(page.url()).pathname);
}

// REFLOW_WIDTH is the narrowest width WCAG 2.2 success criterion 1.4.10
// (Reflow) asks content to fit without scrolling sideways: 320 CSS px, the
// same as 1280 px at 400% zoom.
export const REFLOW_WIDTH = 320;

// reflowMode says what an overflow at 320 px does: 'fail' (the default)
// fails the test, 'report' only prints it (SVHUB_REFLOW=report), 'off'
// skips the check.
const reflowMode = process.env.SVHUB_REFLOW || 'fail';
const reflowReported = new Map();

// measureReflow narrows the page to 320 CSS px, lets it lay out again (the
// page is not reloaded: it may be the answer to a POST) and returns the
// document's scroll and client widths and the widest elements that stick out
// on the right. An element inside an allowed scroll region (the
// .svhub-table-scroll wrapper round a wide data table) or inside any element
// that clips or scrolls its own overflow does not widen the page, so it is
// not named. The viewport is restored afterwards.
export async function measureReflow(page, width = REFLOW_WIDTH) {
  const original = page.viewportSize() || { width: 1280, height: 720 };
  const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.setViewportSize({ width, height: original.height });
  try {
    await settle();
    return await page.evaluate(() => {
      const root = document.documentElement;
      const limit = root.clientWidth;
      // clipped says whether an element cannot widen the page: it is fixed,
      // or an ancestor in its chain of containing blocks clips or scrolls
      // its overflow (an absolutely positioned element escapes the
      // unpositioned ancestors between it and its containing block).
      const clipped = (el) => {
        let pos = getComputedStyle(el).position;
        if (pos === 'fixed') return true;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const cs = getComputedStyle(p);
          if (pos === 'absolute' && cs.position === 'static' && cs.transform === 'none') continue;
          if (cs.overflowX !== 'visible' || p.classList.contains('svhub-table-scroll')) return true;
          if (cs.position === 'fixed') return true;
          pos = cs.position === 'absolute' ? 'absolute' : 'static';
        }
        return false;
      };
      const offenders = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right + window.scrollX > limit + 0.5 && !clipped(el)) {
          offenders.push({ el, right: Math.round(r.right + window.scrollX) });
        }
      }
      const describe = (el) => {
        let d = el.tagName.toLowerCase();
        if (el.id) d += '#' + el.id;
        for (const c of el.classList) d += '.' + c;
        const text = (el.textContent || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 60);
        if (text) d += ` "${text}"`;
        // An element inside a table, chart or form is named with it.
        const within = el.parentElement?.closest('table, svg, figure, form');
        if (within) d += ` in ${within.tagName.toLowerCase()}${within.id ? '#' + within.id : ''}${[...within.classList].map((c) => '.' + c).join('')}`;
        return d;
      };
      // Name the elements where the overflow starts: those with no
      // descendant reaching as far.
      const roots = offenders.filter((o) => !offenders.some((p) => p !== o && o.el.contains(p.el) && p.right >= o.right));
      roots.sort((a, b) => b.right - a.right);
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: limit,
        widest: roots.slice(0, 6).map((o) => `${describe(o.el)} reaches ${o.right}px`),
      };
    });
  } finally {
    await page.setViewportSize(original);
    await settle();
  }
}

// checkReflow fails (or, with SVHUB_REFLOW=report, reports once per path)
// when the page scrolls sideways at 320 CSS px.
export async function checkReflow(page) {
  if (reflowMode === 'off') return;
  let m = await measureReflow(page);
  if (m.scrollWidth <= m.clientWidth) return;
  // A chart or map drawn by script after the load event may still be
  // redrawing for the new width: measure once more before judging.
  await sleep(500);
  m = await measureReflow(page);
  if (m.scrollWidth <= m.clientWidth) return;
  const where = new URL(page.url()).pathname;
  const message = `${page.url()} scrolls sideways at ${REFLOW_WIDTH} px (document ${m.scrollWidth} px wide in a ${m.clientWidth} px viewport); widest elements:\n  ` + m.widest.join('\n  ');
  if (reflowMode === 'report') {
    if (!reflowReported.has(where)) { reflowReported.set(where, message); console.log('reflow: ' + message); }
    return;
  }
  assert.fail(message);
}

export function reflowFailures() { return [...reflowReported.values()]; }

// axeViolations runs axe-core for WCAG 2.0, 2.1 and 2.2 A and AA on the page
// as it is now and returns each violation in one line, for a test that
// collects them rather than failing on the first.
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.map((n) => n.target.join(' ')).join(', '));
}

// visit goes to a path and checks it.
export async function visit(page, base, path) {
  const res = await page.goto(base + path);
  await check(page);
  return res;
}

export async function signIn(page, base, email, password = PASSWORD) {
  await visit(page, base, '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await check(page);
}

// latestEmail reads the newest outbox message to an address, as an admin would.
export async function latestEmail(browser, base, to) {
  const page = await newPage(browser);
  await signIn(page, base, 'admin@example.org');
  await visit(page, base, '/admin/outbox?to=' + encodeURIComponent(to));
  const body = await page.locator('.svhub-pre').first().innerText();
  await page.context().close();
  return body;
}

export function pagesChecked() { return [...checked].sort(); }

// createRound signs in as the demo administrator, creates a People's
// Priorities round with the title and explanation given and opens it,
// checking each page. It returns the administrator's page and the round's
// address.
export async function createRound(browser, base, { title, explanation }) {
  const admin = await newPage(browser);
  await signIn(admin, base, 'admin@example.org');
  await visit(admin, base, '/priorities');
  await visit(admin, base, '/priorities/new');
  await admin.getByLabel('Title').fill(title);
  await admin.getByLabel('Explanation for residents').fill(explanation);
  await admin.getByRole('button', { name: 'Create draft round' }).click();
  await check(admin);
  await admin.getByText('Draft round created').waitFor();
  const url = admin.url().replace(/#.*$/, '');
  await admin.getByRole('button', { name: 'Open the round now' }).click();
  await check(admin);
  await admin.getByText('The round is now open').waitFor();
  return { admin, url };
}

// fillPoints types a ballot's points, one value for each priority in order.
export async function fillPoints(page, values) {
  const inputs = page.locator('input[data-points]');
  assert.equal(await inputs.count(), values.length);
  for (let i = 0; i < values.length; i++) await inputs.nth(i).fill(String(values[i]));
}

// signedInPage opens a new browser context signed in as email.
export async function signedInPage(browser, base, email) {
  const page = await newPage(browser);
  await signIn(page, base, email);
  return page;
}

// submitBid completes a bid form whose price, written answers and
// quantities are filled already: a delivery plan for each commitment, the
// social value answer, "Yes" to every gate with a link as evidence. It
// submits, checks the page and waits for the receipt.
export async function submitBid(page, { plan, social }) {
  for (const p of await page.getByLabel('Delivery plan').all()) await p.fill(plan);
  await page.getByLabel(/^Social value answer/).fill(social);
  for (const y of await page.getByLabel('Yes', { exact: true }).all()) await y.check();
  for (const e of await page.getByLabel('Evidence (a link or reference)').all()) await e.fill('https://example.org/policies');
  await page.getByRole('button', { name: 'Submit bid' }).click();
  await check(page);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0, await page.locator('main').innerText());
  await page.getByText('Bid received').first().waitFor();
}

// ukDateTime is a moment as a datetime-local field's value in UK time, the
// time the hub's forms are in (YYYY-MM-DDTHH:MM).
export function ukDateTime(d) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
