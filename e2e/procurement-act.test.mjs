// The Procurement Act 2023 lifecycle in a browser, every page checked with
// axe-core: a too-short above-threshold tendering period is refused, then a
// valid one published; an award starts the standstill, during which the
// contract cannot be entered into, and after which it can (the hub's clock
// is moved forward through SVHUB_DEMO_CLOCK_FILE); a KPI assessment is
// recorded and published as a contract performance notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

const clockDir = mkdtempSync(join(tmpdir(), 'svhub-clock-'));
const clockFile = join(clockDir, 'offset');
let hub, browser;
before(async () => {
  writeFileSync(clockFile, '0s');
  process.env.SVHUB_DEMO_CLOCK_FILE = clockFile; // inherited by the hub startHub spawns
  hub = await startHub();
  delete process.env.SVHUB_DEMO_CLOCK_FILE;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

test('an above-threshold tender with a too-short period is refused, then published with a valid one', async () => {
  const buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/tenders/new');
  await buyer.getByLabel('Title').fill('Library cleaning');
  await buyer.getByLabel('What you are buying').fill('Cleaning of six libraries, five days a week.');
  await buyer.getByLabel('Estimated value in pounds').fill('420000');
  await buyer.getByLabel('Submission deadline').fill(local(new Date(Date.now() + 10 * 24 * 3600e3)));
  // The procedure defaults to open and the contract type to services (threshold £207,720).
  assert.equal(await buyer.getByLabel(/^Open procedure/).isChecked(), true);
  assert.equal(await buyer.getByLabel(/^Services \(threshold £207,720/).isChecked(), true);
  await buyer.getByLabel('Criterion 1', { exact: true }).fill('Cleaning plan');
  await buyer.getByLabel('Weight of criterion 1').fill('40');
  await buyer.getByLabel(/^GM-P3-03:/).check();
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Draft tender created').waitFor();
  await buyer.getByText('Above the £207,720 threshold').first().waitFor();
  const tenderURL = buyer.url();

  await buyer.getByRole('button', { name: 'Publish tender' }).click();
  await check(buyer);
  assert.match(await buyer.title(), /^Error:/);
  const summary = await buyer.locator('.govuk-error-summary').innerText();
  assert.match(summary, /Section 54\(4\) requires at least 25 days from the tender notice/);
  assert.match(summary, /Set the deadline to \d\d:\d\d on \d{1,2} [A-Z][a-z]+ \d{4} or later/);
  await buyer.getByText('The tender was not published').waitFor();

  await buyer.getByLabel('Submission deadline').fill(local(new Date(Date.now() + 30 * 24 * 3600e3)));
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Tender saved').waitFor();
  await buyer.getByRole('button', { name: 'Publish tender' }).click();
  await check(buyer);
  await buyer.getByText('Tender published').first().waitFor();
  assert.equal(buyer.url(), tenderURL);
  await buyer.getByRole('link', { name: 'UK4: Tender notice' }).click();
  await check(buyer);
  await buyer.getByText('Minimum tendering period').waitFor();
  await buyer.context().close();
});

test('the award starts the standstill; the contract is entered into after it; a KPI assessment is published', async () => {
  let buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/tenders');
  await buyer.getByRole('link', { name: 'Highways minor works' }).click();
  await check(buyer);
  await buyer.getByRole('link', { name: 'Scores and explanation' }).click();
  await check(buyer);
  await buyer.getByText(/The standstill period of eight working days \(section 51\) then starts/).waitFor();
  await buyer.getByLabel(/Reason for the decision/).fill('Highest total score among compliant bids.');
  // The contract starts today, so a year's first assessment can be recorded after the standstill.
  await buyer.getByLabel('Contract start').fill(new Date().toISOString().slice(0, 10));
  await buyer.getByRole('button', { name: 'Award contract' }).click();
  await check(buyer);
  await buyer.getByText(/contract award notice published/).first().waitFor();
  const standstill = (await buyer.locator('#standstill').innerText()).trim();
  const m = standstill.match(/^(\d{1,2} [A-Z][a-z]+ \d{4}): eight working days/);
  assert.ok(m, `standstill row: ${standstill}`);
  await buyer.getByRole('link', { name: 'UK6: Contract award notice' }).click();
  await check(buyer);
  await buyer.getByText('Standstill period').first().waitFor();
  await buyer.goBack();
  await buyer.getByRole('link', { name: 'Social value promised and delivered' }).click();
  await check(buyer);
  const contractURL = buyer.url();
  await buyer.getByText(`ending on`).first().waitFor();

  // During the standstill the contract cannot be entered into.
  await buyer.getByRole('button', { name: 'Enter into the contract' }).click();
  await check(buyer);
  const refusal = await buyer.locator('.govuk-error-summary').innerText();
  assert.match(refusal, /cannot be entered into during the standstill period \(Procurement Act 2023, section 51\)/);
  assert.match(refusal, new RegExp(m[1]));
  await buyer.context().close();

  // Move the hub's clock to the day after the standstill ends (01:00 UTC).
  const end = new Date(m[1] + ' 00:00 UTC');
  const after = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1, 1, 0);
  writeFileSync(clockFile, `${Math.ceil((after - Date.now()) / 3600e3)}h`);

  buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, new URL(contractURL).pathname);
  await buyer.getByRole('button', { name: 'Enter into the contract' }).click();
  await check(buyer);
  await buyer.getByText('Contract entered into').waitFor();

  // A KPI, then its assessment, published in a contract performance notice.
  await buyer.getByText('Set key performance indicators').click();
  await buyer.getByLabel('Name of KPI 1').fill('Footway defects made safe within 24 hours');
  await buyer.getByLabel('Target of KPI 1').fill('95%');
  await buyer.getByLabel('How KPI 1 is measured').fill('Share of reported defects, from the highways log');
  await buyer.getByRole('button', { name: 'Save key performance indicators' }).click();
  await check(buyer);
  await buyer.getByText('1 key performance indicators saved').or(buyer.getByText('key performance indicators saved')).first().waitFor();
  await buyer.getByRole('button', { name: /Record the assessment/ }).click();
  await check(buyer);
  assert.match(await buyer.locator('.govuk-error-summary').innerText(), /KPI 1 \(Footway defects made safe within 24 hours\): Choose a rating/);
  await buyer.getByLabel('Approaching target').check();
  await buyer.getByLabel('What the assessment of KPI 1 found').fill('93% made safe within 24 hours.');
  await buyer.getByRole('button', { name: /Record the assessment/ }).click();
  await check(buyer);
  assert.equal(await buyer.locator('.govuk-error-summary').count(), 0, await buyer.locator('main').innerText());
  await buyer.getByRole('heading', { name: /Contract performance notice/ }).waitFor();
  await buyer.getByText('Approaching target. 93% made safe within 24 hours.').waitFor();
  await visit(buyer, hub.url, new URL(contractURL).pathname);
  await buyer.getByText(/Approaching target for the period to/).waitFor();
  await buyer.context().close();
});
