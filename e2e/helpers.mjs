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
  checked.add(new URL(page.url()).pathname);
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
