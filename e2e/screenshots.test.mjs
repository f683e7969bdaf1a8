// Pictures with keys, and screenshots for review. The key pages (home,
// People's Weights results, the buyer's evaluation, an award, a contract,
// the spend analysis with its maps, fund results and the network) are
// photographed at 1280 and 375 px into e2e/artifacts/ (git-ignored; set
// SVHUB_ARTIFACTS to write elsewhere). On each, every map has a caption and
// a key and fills its box with Greater Manchester; every chart's labels fit
// inside it, its axis reaches past its longest bar and its text is in the
// page's font; the network drawing has a key, a description and no
// overlapping names, in the page's font.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

const artifacts = process.env.SVHUB_ARTIFACTS || join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const widths = [1280, 375];

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); mkdirSync(artifacts, { recursive: true }); });
after(async () => { await browser?.close(); await hub?.stop(); });

// drawn waits for every map, chart and network drawing on the page.
async function drawn(page) {
  for (const m of await page.locator('.svhub-map').all()) {
    await m.locator('path.leaflet-interactive').first().waitFor({ timeout: 10000 });
  }
  for (const c of await page.locator('#weights-chart').all()) await c.locator('svg').waitFor({ timeout: 10000 });
  for (const n of await page.locator('#network-graph').all()) await n.locator('svg').waitFor({ timeout: 10000 });
  // Leaflet animates its fit; let it finish.
  await page.waitForTimeout(400);
}

// pictures checks the page's maps, charts and network drawing as drawn now.
async function pictures(page, name) {
  const r = await page.evaluate(() => {
    // The page's font: GOV.UK Frontend sets it on its text classes.
    const font = getComputedStyle(document.querySelector('main .govuk-body, main .govuk-body-s, main h1')).fontFamily;
    const out = { font, maps: [], charts: [], network: null };
    for (const el of document.querySelectorAll('.svhub-map')) {
      const box = el.getBoundingClientRect();
      const paths = [...el.querySelectorAll('path.leaflet-interactive')].map((p) => p.getBoundingClientRect());
      const left = Math.min(...paths.map((b) => b.left)), right = Math.max(...paths.map((b) => b.right));
      const top = Math.min(...paths.map((b) => b.top)), bottom = Math.max(...paths.map((b) => b.bottom));
      const key = el.nextElementSibling?.classList.contains('svhub-legend') ? el.nextElementSibling : null;
      out.maps.push({
        id: el.id,
        caption: el.closest('figure')?.querySelector('figcaption')?.textContent.trim() || '',
        keyRows: key ? key.querySelectorAll('.svhub-legend__item').length : 0,
        keyText: key ? key.textContent : '',
        fillsWidth: (right - left) / box.width,
        fillsHeight: (bottom - top) / box.height,
      });
    }
    for (const svg of document.querySelectorAll('svg.svhub-plot')) {
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')];
      const outside = texts.filter((t) => { const b = t.getBoundingClientRect(); return b.width > 0 && (b.left < box.left - 1 || b.right > box.right + 1); }).map((t) => t.textContent);
      const bars = [...svg.querySelectorAll('[aria-label="bar"] rect, g[aria-label="bar"] rect')].map((b) => b.getBoundingClientRect().right);
      const ticks = [...svg.querySelectorAll('[aria-label="x-axis tick"] path, g[aria-label="x-axis tick"] path')].map((t) => t.getBoundingClientRect().right);
      const truncated = texts.filter((t) => t.textContent.endsWith('…'));
      out.charts.push({
        outside,
        longestBar: Math.max(...bars),
        lastTick: Math.max(...ticks),
        fonts: [...new Set(texts.map((t) => getComputedStyle(t).fontFamily))],
        truncatedWithoutTitle: truncated.filter((t) => !(t.querySelector('title') || t.closest('g')?.querySelector('title'))).map((t) => t.textContent),
      });
    }
    const net = document.querySelector('svg.svhub-network');
    if (net) {
      const labels = [...net.querySelectorAll('text')].map((t) => t.getBoundingClientRect());
      let overlaps = 0;
      for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i], b = labels[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
      }
      const box = net.getBoundingClientRect();
      const key = document.querySelector('#network-graph + .svhub-legend');
      out.network = {
        labels: labels.length,
        overlaps,
        outside: labels.filter((b) => b.left < box.left - 1 || b.right > box.right + 1).length,
        fonts: [...new Set([...net.querySelectorAll('text')].map((t) => getComputedStyle(t).fontFamily))],
        key: key ? key.textContent : '',
      };
    }
    return out;
  });
  for (const m of r.maps) {
    assert.match(m.caption, /^Map of /, `${name}: map #${m.id} has no caption`);
    assert.ok(m.keyRows >= 1, `${name}: map #${m.id} has no key`);
    // Fitted to its areas: they reach across the box one way or the other.
    assert.ok(Math.max(m.fillsWidth, m.fillsHeight) > 0.85, `${name}: map #${m.id} is not fitted to Greater Manchester (fills ${Math.round(m.fillsWidth * 100)}% of the width, ${Math.round(m.fillsHeight * 100)}% of the height)`);
  }
  for (const c of r.charts) {
    assert.deepEqual(c.outside, [], `${name}: chart labels run outside the chart`);
    assert.ok(c.lastTick >= c.longestBar - 1, `${name}: the axis stops (${c.lastTick}) short of the longest bar (${c.longestBar})`);
    assert.deepEqual(c.fonts, [r.font], `${name}: the chart's text is not in the page's font`);
    assert.deepEqual(c.truncatedWithoutTitle, [], `${name}: a label cut short has no title with its full text`);
  }
  if (r.network) {
    assert.equal(r.network.overlaps, 0, `${name}: names in the network drawing overlap`);
    assert.equal(r.network.outside, 0, `${name}: names run outside the network drawing`);
    assert.deepEqual(r.network.fonts.filter((f) => f !== r.font), [], `${name}: the network drawing is not in the page's font`);
    assert.match(r.network.key, /Public body.*Business.*Voluntary, community or social enterprise.*Anchor institution/s, `${name}: the network drawing has no key for its kinds of organisation`);
  }
  return r;
}

// shoot photographs the page at each width, checking its pictures at each.
async function shoot(page, name) {
  const seen = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.reload();
    await drawn(page);
    const r = await pictures(page, `${name} at ${width} px`);
    const file = join(artifacts, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    seen.push(`${width} px: ${r.maps.length} maps, ${r.charts.length} charts${r.network ? `, network with ${r.network.labels} names` : ''}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  console.log(`# ${name}: ${seen.join('; ')} → ${artifacts}`);
}

async function openTender(page, title, link) {
  await visit(page, hub.url, '/tenders');
  await page.getByRole('link', { name: title, exact: true }).first().click();
  await check(page);
  await page.getByRole('link', { name: link }).click();
  await check(page);
}

test('home', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/');
  await shoot(page, 'home');
});

test('the buyer\'s evaluation and the People\'s Weights results', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'buyer@example.org');
  await openTender(page, 'Highways minor works', 'Scores and explanation');
  await shoot(page, 'evaluation');
  await page.getByRole('link', { name: 'See the People\'s Weights' }).click();
  await check(page);
  assert.ok(await page.locator('#weights-chart').count() > 0, 'the results have no chart');
  await shoot(page, 'peoples-weights-results');
});

test('an award and a contract', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'buyer@example.org');
  await openTender(page, 'Home to school transport', 'Award decision and scores');
  await shoot(page, 'award');
  await visit(page, hub.url, '/contracts');
  await page.locator('main table a[href^="/contracts/"]').first().click();
  await check(page);
  await shoot(page, 'contract');
});

test('the spend analysis with its maps', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/spend');
  assert.ok(await page.locator('.svhub-share-map').count() >= 1, 'the spend analysis has no map');
  await shoot(page, 'spend');
});

test('fund results', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/fund');
  await page.locator('main li', { hasText: 'published' }).getByRole('link').first().click();
  await check(page);
  await shoot(page, 'fund-results');
});

test('the network', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/network');
  assert.match(await page.locator('main').innerText(), /The drawing shows [\d,]+ organisations as dots/);
  await shoot(page, 'network');
});
