// Issue 17 part 4: the /tenders search form works without JavaScript (a GET
// form), keeps its filters, says how many tenders matched, refuses bad
// values with the error summary, and links the Atom feed of new tenders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

test('a visitor searches tenders, gets a clear message for a bad value, and finds the feed', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/tenders');
  const alternate = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
  assert.equal(alternate, '/tenders.atom');
  await page.getByLabel('Status').selectOption({ label: 'Awarded' });
  await page.getByRole('button', { name: 'Search' }).click();
  await check(page);
  assert.match(new URL(page.url()).search, /status=awarded/);
  assert.match(await page.locator('#search-result').innerText(), /^\d+ tenders? match(es)? your search, out of \d+ tenders\.$/);
  assert.equal(await page.getByLabel('Status').inputValue(), 'awarded');

  await page.getByLabel('Lowest estimated value, in pounds').fill('lots');
  await page.getByRole('button', { name: 'Search' }).click();
  await check(page);
  assert.match(await page.title(), /^Error:/);
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Lowest value must be an amount in pounds/);
  assert.equal(await page.getByLabel('Lowest estimated value, in pounds').inputValue(), 'lots');

  const feed = await page.request.get(hub.url + '/tenders.atom');
  assert.equal(feed.status(), 200);
  assert.match(await feed.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
});
