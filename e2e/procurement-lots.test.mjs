// Issue 17's acceptance journey in a browser, every page checked with
// axe-core and at 320 px: the buyer adds two lots (each with its own value
// and weights) to a draft; publishing is refused while the period is
// shorter than section 54 allows for the two lots together (above the
// threshold, though each alone is below it), then published; the hub
// administrator rejects the demo VCSE's Real Living Wage accreditation, and
// two suppliers bid on lot 1 (the VCSE declaring the Real Living Wage
// without a verified accreditation, which evaluators are shown and which
// excludes its bid with the reason); after the
// deadline lot 1 is marked, moderated and awarded (the losing bidder is
// emailed where its assessment summary is) with its standstill while lot 2
// stays closed; the contract cannot be entered into during the standstill
// and can after it (the hub's clock moves through SVHUB_DEMO_CLOCK_FILE).
// Then a KPI is set and assessed; the supplier reports delivery; the buyer
// queries the line (the supplier is emailed); a resident flags the claim;
// the supplier answers with a PDF (the buyer is emailed); the buyer
// verifies and publishes a response, which is emailed to the resident.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHub, launch, newPage, check, visit, signIn, submitBid, ukDateTime, latestEmail } from './helpers.mjs';

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

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

const day = 24 * 3600e3;
let tenderURL, lot1URL, contractURL;

// emailTo reads the newest outbox message to an address, as the hub
// administrator would, waiting a little for the job queue to send one that
// matches want.
async function emailTo(to, want) {
  let body = '';
  for (let i = 0; i < 20; i++) {
    body = await latestEmail(browser, hub.url, to).catch(() => '');
    if (want.test(body)) return body;
    await sleep(500);
  }
  assert.fail(`no email to ${to} matching ${want}; the newest was:\n${body}`);
}

test('a buyer divides a tender into two lots; a too-short period for the whole procurement is refused, then it is published', async () => {
  const buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/tenders/new');
  await buyer.getByLabel('Title').fill('School cleaning');
  await buyer.getByLabel('What you are buying').fill('Daily cleaning of primary and secondary schools, in two lots.');
  await buyer.getByLabel('Estimated value in pounds').fill('1000');
  await buyer.getByLabel('Submission deadline').fill(ukDateTime(new Date(Date.now() + 10 * day)));
  await buyer.getByLabel('Criterion 1', { exact: true }).fill('Cleaning plan');
  await buyer.getByLabel('Weight of criterion 1').fill('40');
  await buyer.getByLabel(/^GM-P3-03:/).check();
  // The lots take the tender's gates, the Real Living Wage among them.
  await buyer.getByLabel(/^The supplier pays at least the Real Living Wage/).check();
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Draft tender created').waitFor();
  tenderURL = buyer.url().replace(/#.*$/, '');

  const addLot = async (title, what, value, weights) => {
    await buyer.goto(tenderURL);
    await check(buyer);
    await buyer.getByRole('link', { name: 'Add a lot' }).click();
    await check(buyer);
    await buyer.getByRole('heading', { name: /^Add lot \d to School cleaning/ }).waitFor();
    assert.equal(await buyer.getByLabel('Submission deadline').count(), 0, 'a lot takes the tender deadline');
    // The lot starts from the tender's criteria and measures.
    assert.equal(await buyer.getByLabel('Criterion 1', { exact: true }).inputValue(), 'Cleaning plan');
    await buyer.getByLabel('Title').fill(title);
    await buyer.getByLabel('What you are buying').fill(what);
    await buyer.getByLabel('Estimated value in pounds').fill(value);
    if (weights) {
      await buyer.getByLabel('Price weight').fill(weights[0]);
      await buyer.getByLabel('Quality weight').fill(weights[1]);
      await buyer.getByLabel('Weight of criterion 1').fill(weights[1]);
    }
    await buyer.getByRole('button', { name: 'Save draft' }).click();
    await check(buyer);
  };
  await addLot('Primary schools', 'Cleaning of 40 primary schools.', '0');
  // A bad lot comes back with the reason and the values kept.
  assert.match(await buyer.locator('.govuk-error-summary').innerText(), /Enter the estimated value in pounds, more than zero/);
  assert.equal(await buyer.getByLabel('Title').inputValue(), 'Primary schools');
  await buyer.getByLabel('Estimated value in pounds').fill('150000');
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Lot 1 added').waitFor();
  await addLot('Secondary schools', 'Cleaning of 12 secondary schools.', '120000', ['30', '50']);
  await buyer.getByText('Lot 2 added').waitFor();
  await buyer.getByRole('link', { name: 'Lot 1: Primary schools' }).waitFor();
  await buyer.getByRole('link', { name: 'Lot 2: Secondary schools' }).waitFor();
  await buyer.getByText('£270,000').first().waitFor();

  // £270,000 of services together is above the £207,720 threshold.
  await buyer.getByRole('button', { name: 'Publish tender and its lots' }).click();
  await check(buyer);
  assert.match(await buyer.locator('.govuk-error-summary').innerText(), /Section 54\(4\) requires at least 25 days from the tender notice/);
  await buyer.getByLabel('Submission deadline').fill(ukDateTime(new Date(Date.now() + 30 * day)));
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Tender saved').waitFor();
  await buyer.getByRole('button', { name: 'Publish tender and its lots' }).click();
  await check(buyer);
  await buyer.getByText('Tender published').first().waitFor();
  await buyer.getByRole('link', { name: 'Lot 1: Primary schools' }).click();
  await check(buyer);
  lot1URL = buyer.url().replace(/#.*$/, '');
  await buyer.getByText('Open for bids').first().waitFor();
  await buyer.getByRole('link', { name: 'School cleaning' }).first().waitFor();
  await visit(buyer, hub.url, '/tenders');
  await buyer.getByText('2 lots').first().waitFor();
  await buyer.context().close();
});

test('two suppliers bid on lot 1; lot 1 is marked, moderated and awarded with its standstill while lot 2 stays closed', async () => {
  const bid = async (email, price) => {
    const page = await as(email);
    await page.goto(tenderURL);
    await check(page);
    await page.getByRole('link', { name: 'Bid on lot 1' }).click();
    await check(page);
    await page.getByLabel('Price in pounds').fill(price);
    await page.getByLabel(/^Q1: Cleaning plan/).fill('Daily cleaning with weekly quality checks.');
    for (const q of await page.getByLabel(/^Quantity \(/).all()) await q.fill('6');
    await submitBid(page, { plan: 'Through our Manchester team.', social: 'We recruit cleaners from the neighbourhoods of the schools.' });
    await page.context().close();
  };
  // The hub administrator rejects the demo VCSE's Real Living Wage
  // accreditation, so its declaration has no verified accreditation behind it.
  const admin = await as('admin@example.org');
  await visit(admin, hub.url, '/organisations/moss-side-community-kitchen');
  await admin.getByRole('link', { name: 'Verify Real Living Wage employer' }).click();
  await check(admin);
  await admin.getByLabel('Why it is rejected').fill('Not on the Living Wage Foundation register of accredited employers.');
  await admin.getByRole('button', { name: 'Reject accreditation' }).click();
  await check(admin);
  await admin.getByText('Real Living Wage employer rejected').first().waitFor();
  await admin.context().close();

  await bid('supplier@example.org', '140000');
  await bid('vcse-admin@example.org', '145000');

  // Past the deadline (the clock moves 31 days; sessions start again).
  writeFileSync(clockFile, `${31 * 24}h`);
  let buyer = await as('buyer@example.org');
  await buyer.goto(tenderURL);
  await check(buyer);
  await buyer.getByRole('link', { name: 'Lot 1: Primary schools' }).click();
  await check(buyer);
  await buyer.getByLabel(/Evan Evaluator/).check();
  await buyer.getByRole('button', { name: 'Assign evaluators' }).click();
  await check(buyer);
  await buyer.context().close();

  const evaluator = await as('evaluator@example.org');
  await evaluator.goto(lot1URL);
  await check(evaluator);
  await evaluator.getByRole('link', { name: 'Mark the bids' }).click();
  await check(evaluator);
  // The VCSE's Real Living Wage declaration has no verified accreditation
  // behind it (the hub rejected it): evaluators are shown it.
  await evaluator.getByText('Gate declarations without a verified accreditation').waitFor();
  await evaluator.getByText(/but has no verified Real Living Wage accreditation/).first().waitFor();
  for (const s of await evaluator.locator('select[name^="mark_"]').all()) await s.selectOption('4');
  for (const r of await evaluator.locator('textarea[name^="reason_"]').all()) await r.fill('Clear plan with evidence.');
  await evaluator.getByRole('button', { name: 'Submit my marks' }).click();
  await check(evaluator);
  await evaluator.getByText('Your marks are submitted').waitFor();
  await evaluator.context().close();

  buyer = await as('buyer@example.org');
  await buyer.goto(lot1URL);
  await check(buyer);
  await buyer.getByRole('link', { name: 'Moderate the marks' }).click();
  await check(buyer);
  await buyer.getByRole('button', { name: 'Record consensus marks' }).click();
  await check(buyer);
  await buyer.getByText('Consensus marks recorded').waitFor();
  await buyer.getByText(/The standstill period of eight working days \(section 51\) then starts/).waitFor();
  await buyer.getByLabel(/Reason for the decision/).fill('Highest total score among compliant bids for lot 1.');
  // The contract starts on the award day (the hub's clock is 31 days on), so
  // delivery can be reported and a KPI assessed after the standstill.
  await buyer.getByLabel('Contract start').fill(new Date(Date.now() + 31 * day).toISOString().slice(0, 10));
  await buyer.getByRole('button', { name: 'Award contract' }).click();
  await check(buyer);
  await buyer.getByText(/contract award notice published/).first().waitFor();
  const standstill = (await buyer.locator('#standstill').innerText()).trim();
  const m = standstill.match(/^(\d{1,2} [A-Z][a-z]+ \d{4}): eight working days/);
  assert.ok(m, `standstill row: ${standstill}`);
  // The VCSE's bid was excluded at evaluation with the reason.
  await buyer.getByText(/Does not meet the pass\/fail gate: pays at least the Real Living Wage/).first().waitFor({ timeout: 5000 });
  // Every bidder is told: the flagged VCSE is sent where its assessment summary is.
  assert.match(await emailTo('vcse-admin@example.org', /Primary schools/), /Your assessment summary, comparing your scores with the winning bid's/);
  await buyer.getByRole('link', { name: 'Social value promised and delivered' }).click();
  await check(buyer);
  contractURL = buyer.url().replace(/#.*$/, '');
  await buyer.getByRole('button', { name: 'Enter into the contract' }).click();
  await check(buyer);
  assert.match(await buyer.locator('.govuk-error-summary').innerText(), /cannot be entered into during the standstill period/);

  // The tender page: lot 1 awarded, lot 2 still closed and being evaluated.
  await buyer.goto(tenderURL);
  await check(buyer);
  const rows = buyer.locator('table').filter({ has: buyer.getByRole('link', { name: 'Lot 2: Secondary schools' }) }).locator('tbody tr');
  assert.match(await rows.nth(0).innerText(), /Awarded/);
  assert.match(await rows.nth(1).innerText(), /Closed, being evaluated/);
  await buyer.context().close();

  // The day after the standstill ends (01:00 UTC) the contract is entered into.
  const end = new Date(m[1] + ' 00:00 UTC');
  const afterEnd = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1, 1, 0);
  writeFileSync(clockFile, `${Math.ceil((afterEnd - Date.now()) / 3600e3)}h`);
  buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, new URL(contractURL).pathname);
  await buyer.getByRole('button', { name: 'Enter into the contract' }).click();
  await check(buyer);
  await buyer.getByText('Contract entered into').waitFor();
  await buyer.context().close();

  // The OCDS export names both lots and lot 1's award.
  const res = await fetch(hub.url + '/ocds.json');
  const pkg = await res.json();
  assert.ok(pkg.extensions.some((u) => u.includes('ocds_lots_extension')), 'lots extension not declared');
  const rel = pkg.releases.find((r) => r.tender?.lots?.some((l) => l.title === 'Secondary schools'));
  assert.ok(rel, 'no release with the lots');
  assert.ok(pkg.releases.some((r) => r.ocid === rel.ocid && r.awards?.some((a) => a.relatedLots?.includes('lot-1'))), 'no award for lot 1');
});

test('after the contract is entered into: a KPI assessment, delivery queried and answered with a file, verified, and the resident who flagged it emailed the response', async () => {
  assert.ok(contractURL, 'the contract was entered into');
  const path = new URL(contractURL).pathname;

  // Lot 1 is under £5 million, so KPIs are optional; the buyer sets one and
  // records its assessment, published as a contract performance notice.
  let buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, path);
  await buyer.getByText('Set key performance indicators').click();
  await buyer.getByLabel('Name of KPI 1').fill('Classrooms passing the weekly cleanliness check');
  await buyer.getByLabel('Target of KPI 1').fill('98%');
  await buyer.getByLabel('How KPI 1 is measured').fill('Share of classrooms passing, from the site managers\' checklists');
  await buyer.getByRole('button', { name: 'Save key performance indicators' }).click();
  await check(buyer);
  await buyer.getByRole('cell', { name: 'Classrooms passing the weekly cleanliness check' }).waitFor();
  await buyer.getByRole('button', { name: /Record the assessment/ }).click();
  await check(buyer);
  assert.match(await buyer.locator('.govuk-error-summary').innerText(), /KPI 1 \(Classrooms passing the weekly cleanliness check\): Choose a rating/);
  await buyer.getByLabel('Good', { exact: true }).check();
  await buyer.getByLabel('What the assessment of KPI 1 found').fill('99% of classrooms passed in the first fortnight.');
  await buyer.getByRole('button', { name: /Record the assessment/ }).click();
  await check(buyer);
  assert.equal(await buyer.locator('.govuk-error-summary').count(), 0, await buyer.locator('main').innerText());
  await buyer.getByRole('heading', { name: /Contract performance notice/ }).waitFor();
  await buyer.getByText('Good. 99% of classrooms passed in the first fortnight.').waitFor();
  await visit(buyer, hub.url, path);
  await buyer.getByText(/Good for the period to/).waitFor();
  await buyer.context().close();

  // The supplier reports delivery against its commitment.
  const supplier = await as('supplier@example.org');
  await visit(supplier, hub.url, path);
  await supplier.getByRole('link', { name: 'Report delivery' }).click();
  await check(supplier);
  await supplier.getByLabel(/^Delivered this period/).first().fill('2');
  await supplier.getByLabel(/^Evidence:/).first().fill('Payroll extract of new starters LOTS-E2E');
  await supplier.getByLabel('This is attributable only to this contract and this period').first().check();
  await supplier.getByLabel('This is additional to what would have happened anyway').first().check();
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  assert.equal(await supplier.locator('.govuk-error-summary').count(), 0, await supplier.locator('main').innerText());
  await supplier.getByText(/Delivery report submitted with 1 line/).waitFor();
  await supplier.context().close();

  // The buyer queries the line.
  const card = (p) => p.locator('.govuk-summary-card').filter({ hasText: 'LOTS-E2E' });
  buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, path);
  await card(buyer).getByLabel('Query', { exact: true }).check();
  await card(buyer).getByLabel(/^Message to the supplier/).fill('Please send the starters\' contracts, names removed.');
  await card(buyer).getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line queried').waitFor();
  // The supplier is emailed the query.
  assert.match(await emailTo('supplier@example.org', /has queried a social value delivery line/), /Please send the starters' contracts, names removed\./);

  // A resident flags the claim.
  const resident = await as('resident@example.org');
  await visit(resident, hub.url, path);
  await card(resident).getByText('Flag a concern about this claim').click();
  await card(resident).getByLabel(/^What do you know about this/).fill('My school\'s cleaners are the same team as last year.');
  await card(resident).getByRole('button', { name: 'Send concern' }).click();
  await check(resident);
  await resident.getByText('Your concern has gone to the buyer').waitFor();
  await resident.context().close();

  // The supplier answers the query with a PDF.
  const answer = await as('supplier@example.org');
  await visit(answer, hub.url, path);
  await card(answer).getByLabel("Your answer to the buyer's query").fill('Two contracts of employment attached.');
  await card(answer).getByLabel(/^Evidence files/).setInputFiles({ name: 'starters.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await card(answer).getByRole('button', { name: 'Send answer' }).click();
  await check(answer);
  await answer.getByText('Your answer has been sent to the buyer').waitFor();
  await answer.context().close();
  // The buyer is emailed the answer.
  assert.match(await emailTo('buyer@example.org', /has answered your query/), /Two contracts of employment attached\./);

  // The buyer sees the thread with the file, verifies, and publishes a
  // response to the concern.
  await visit(buyer, hub.url, path);
  await card(buyer).getByText('Two contracts of employment attached.').waitFor();
  await card(buyer).getByRole('link', { name: 'starters.pdf' }).waitFor();
  await card(buyer).getByLabel('Verify', { exact: true }).check();
  await card(buyer).getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line verified').waitFor();
  await card(buyer).getByLabel('Public response').fill('The two new starters joined in January; their contracts were checked. LOTS-RESPONSE');
  await card(buyer).getByRole('button', { name: 'Publish response' }).click();
  await check(buyer);
  await buyer.getByText('Response published').waitFor();
  await buyer.context().close();

  // The resident who flagged the claim is emailed the response.
  assert.match(await emailTo('resident@example.org', /LOTS-RESPONSE/), /The two new starters joined in January/);
});
