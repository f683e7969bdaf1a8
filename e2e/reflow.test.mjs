// Reflow (WCAG 2.2 success criterion 1.4.10): for each demo role, crawl the
// pages reachable by links from the home page and fail if any scrolls
// sideways at 320 CSS px, axe-core finds a WCAG 2.0/2.1/2.2 A or AA
// violation at 1280 or 320 px, any link answers 4xx or 5xx, or the browser
// reports a CSP violation or page error. Wide data tables may scroll inside their own
// .svhub-table-scroll region; nothing else may stick out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, signIn, measureReflow, axeViolations, REFLOW_WIDTH } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

// Not pages: downloads, data, files and the API.
const notPage = /\.(json|csv|pb|geojson|pdf|svg|png|xlsx)$|\/csv$|^\/(api|static|geo)\/|\/(files|documents)\/|^\/logout$/;

// pattern names the page template a path is likely to render, so the crawl
// visits one example of each (an organisation, a tender, a supplier…)
// rather than every row of the demo data.
function pattern(path) {
  const segs = path.split('/').filter(Boolean);
  return '/' + segs.map((s, i) => {
    if (/^\d+$/.test(s)) return ':n';
    if (i === 1 && ['organisations', 'proxies', 'invitations'].includes(segs[0]) && !['new', 'explained'].includes(s)) return ':slug';
    if (i === 2 && segs[0] === 'spend' && ['suppliers', 'surveys'].includes(segs[1])) return ':key';
    if (i === 3 && segs[0] === 'tenders' && segs[2] === 'bids') return ':org';
    if (i === 3 && segs[0] === 'priorities' && segs[2] === 'workshop') return ':org';
    return s;
  }).join('/');
}

test('the crawl groups paths by page', () => {
  assert.equal(pattern('/tenders/3/bids/12'), '/tenders/:n/bids/:n');
  assert.equal(pattern('/spend/suppliers/gb-coh-123'), '/spend/suppliers/:key');
  assert.equal(pattern('/organisations/manchester-city-council/members'), '/organisations/:slug/members');
  assert.equal(pattern('/organisations/new'), '/organisations/new');
  assert.equal(pattern('/'), '/');
});

const MAX_PAGES = 120;

// crawl visits, breadth first from the home page, one path of each pattern
// reachable by same-site links, and measures each at 320 px.
async function crawl(page, base) {
  const origin = new URL(base).origin;
  const seen = new Set([pattern("/")]);
  const queue = ['/'];
  const visited = [];
  const overflows = [];
  const broken = [];
  while (queue.length && visited.length < MAX_PAGES) {
    const path = queue.shift();
    let res;
    try {
      res = await page.goto(base + path);
    } catch (e) {
      if (/Download is starting/.test(e.message)) continue; // a file, not a page
      throw e;
    }
    visited.push(path);
    if (!res || res.status() >= 400) { broken.push(`${path} answered ${res?.status()}`); continue; }
    if (!/text\/html/.test(res.headers()['content-type'] || '')) continue;
    for (const v of await axeViolations(page)) overflows.push(`${path}: axe-core at 1280 px: ${v}`);
    let m = await measureReflow(page);
    // A chart or map drawn by script after the load event may still be
    // redrawing for the new width: measure once more before judging.
    if (m.scrollWidth > m.clientWidth) { await page.waitForTimeout(500); m = await measureReflow(page); }
    if (m.scrollWidth > m.clientWidth) overflows.push(`${path}: document ${m.scrollWidth} px wide in ${m.clientWidth} px\n    ` + m.widest.join('\n    '));
    const wide = page.viewportSize();
    await page.setViewportSize({ width: REFLOW_WIDTH, height: wide.height });
    for (const v of await axeViolations(page)) overflows.push(`${path}: axe-core at ${REFLOW_WIDTH} px: ${v}`);
    await page.setViewportSize(wide);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const u = new URL(href);
      if (u.origin !== origin || notPage.test(u.pathname)) continue;
      const p = u.pathname + u.search;
      const key = pattern(u.pathname);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(p);
    }
  }
  return { visited, overflows, broken };
}

const roles = [null, 'resident@example.org', 'vcse@example.org', 'supplier@example.org', 'buyer@example.org', 'evaluator@example.org', 'admin@example.org'];

test(`no page scrolls sideways at ${REFLOW_WIDTH} px, breaks axe-core or links to an error, for every demo role`, { timeout: 30 * 60 * 1000 }, async (t) => {
  const failures = [];
  for (const who of roles) {
    const page = await newPage(browser);
    if (who) await signIn(page, hub.url, who);
    const r = await crawl(page, hub.url);
    await page.context().close();
    const role = who || 'signed out';
    t.diagnostic(`${role}: ${r.visited.length} pages crawled: ${r.visited.join(' ')}`);
    for (const b of r.broken) failures.push(`${role}: a link leads to ${b}`);
    for (const o of r.overflows) failures.push(`${role}: ${o}`);
    for (const p of page.problems) failures.push(`${role}: the browser reported ${p}`);
  }
  assert.deepEqual(failures, [], `pages scroll sideways at ${REFLOW_WIDTH} px, links fail or the browser reported problems:\n` + failures.join('\n'));
});

test('a wide table scrolls inside its own labelled region, by keyboard, with a visible focus', async () => {
  const context = await browser.newContext({ viewport: { width: REFLOW_WIDTH, height: 720 } });
  const page = await context.newPage();
  await page.goto(hub.url + '/contracts');
  const region = page.getByRole('region', { name: 'Contracts' });
  const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(sizes.scroll > sizes.client, `the contracts table should be wider than the screen at ${REFLOW_WIDTH} px`);
  // Tab until the region has focus: it is in the keyboard order.
  for (let i = 0; i < 200 && !(await region.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.ok(await region.evaluate((el) => el === document.activeElement), 'the table region is reachable with Tab');
  const outline = await region.evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
  assert.equal(outline, 'solid 3px', 'the focused region shows a focus outline');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement.scrollLeft > 0);
  const m = await measureReflow(page);
  assert.ok(m.scrollWidth <= m.clientWidth, 'the page itself does not scroll sideways');
  await context.close();
});
