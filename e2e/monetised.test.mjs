// The social value in pounds journey (issue 21): a framework admin links a
// measure to a Unit Cost Database unit cost with a rationale and publishes
// the edition; a buyer runs a monetised tender on it (two bids, marking,
// moderation, award); the contract page shows the social value committed
// in pounds and, once a delivery line is verified, the value verified.
// Every page is checked with axe-core and for reflow at 320 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHub, launch, newPage, check, visit, signedInPage, submitBid, ukDateTime } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

const as = (email) => signedInPage(browser, hub.url, email);

test('a measure linked to a unit cost prices a monetised tender and its contract in pounds', async () => {
  // 1. The framework admin starts a new edition of the published framework,
  // links a measure to a unit cost (the rationale is required) and publishes.
  const admin = await as('admin@example.org');
  await visit(admin, hub.url, '/frameworks');
  await admin.getByRole('link', { name: /edition 2020/ }).first().click();
  await check(admin);
  await admin.getByLabel('Start a new draft edition from this one').fill('2027');
  await admin.getByRole('button', { name: 'Create draft edition' }).click();
  await check(admin);
  await admin.getByText('Draft edition 2027 created').waitFor();
  const draftURL = admin.url().replace(/#.*$/, '');
  await admin.getByRole('link', { name: 'Edit measure GM-P1-04' }).click();
  await check(admin);
  const source = admin.getByLabel('Source', { exact: true });
  const ucd = await source.locator('option').filter({ hasText: 'Unit Cost Database' }).first().getAttribute('value');
  await source.selectOption(ucd);
  await admin.getByLabel('Unit cost code').fill('E&E2.0');
  await admin.getByRole('button', { name: 'Save link' }).click();
  await check(admin);
  assert.match(await admin.title(), /^Error:/);
  await admin.locator('.govuk-error-summary').getByText(/rationale|why/i).first().waitFor();
  await admin.getByLabel('Why this unit cost fits the measure').fill('A disabled person employed on the contract for a year is taken as one Employment and Support Allowance claimant entering work for a year.');
  await admin.getByRole('button', { name: 'Save link' }).click();
  await check(admin);
  await admin.getByText('Measure GM-P1-04 is linked to unit cost E&E2.0').waitFor();
  await admin.goto(draftURL);
  await check(admin);
  await admin.getByText('Why: A disabled person employed on the contract').waitFor();
  await admin.getByRole('button', { name: 'Publish edition 2027' }).click();
  await check(admin);
  await admin.getByText('Edition published').waitFor();
  // The published edition shows the link, its value, price year and attribution.
  const row = admin.locator('tr').filter({ hasText: 'GM-P1-04' });
  await row.getByText('£8,632').first().waitFor();
  await row.getByText('2012/13 prices').first().waitFor();
  await row.getByText(/GMCA|Greater Manchester Combined Authority/).first().waitFor();
  await admin.context().close();

  // 2. The buyer creates a monetised tender from the new edition with two
  // linked measures in 2012/13 prices, and publishes it; the deadline is a
  // few minutes away so the bids can be opened in this test.
  const buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/tenders/new');
  // The form offers the frameworks in a list, with the new edition chosen.
  await buyer.locator('option[selected]', { hasText: '(2027)' }).first().waitFor({ state: 'attached' });
  await buyer.getByLabel('Title').fill('Employment support for disabled residents');
  await buyer.getByLabel('What you are buying').fill('A supported employment service with job coaches.');
  // £180,000 of services is below the Procurement Act threshold, where a
  // tendering period of minutes is allowed with a warning.
  await buyer.getByLabel('Estimated value in pounds').fill('180000');
  const deadline = new Date(Math.ceil((Date.now() + 150e3) / 60e3) * 60e3);
  await buyer.getByLabel('Submission deadline').fill(ukDateTime(deadline));
  await buyer.getByLabel('Price weight', { exact: true }).fill('40');
  await buyer.getByLabel('Quality weight', { exact: true }).fill('30');
  await buyer.getByLabel('Social value weight', { exact: true }).fill('30');
  await buyer.getByLabel('Criterion 1', { exact: true }).fill('Service plan');
  await buyer.getByLabel('Weight of criterion 1').fill('30');
  await buyer.getByLabel(/^GM-P3-02:/).check();
  await buyer.getByLabel(/^GM-P1-04:/).check();
  await buyer.getByLabel(/^Monetised:/).check();
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  assert.equal(await buyer.locator('.govuk-error-summary').count(), 0, await buyer.locator('main').innerText());
  await buyer.getByText('Draft tender created').waitFor();
  await buyer.getByRole('button', { name: 'Publish tender' }).click();
  await check(buyer);
  await buyer.getByText('Tender published').waitFor();
  const tenderURL = buyer.url().replace(/#.*$/, '');

  // 3. Two suppliers bid: jobs for long-term unemployed residents (GM-P3-02)
  // and people facing barriers to work (GM-P1-04).
  const bid = async (email, price, jobs, people) => {
    const page = await as(email);
    await page.goto(tenderURL);
    await check(page);
    await page.getByRole('link', { name: 'Submit or update a bid' }).click();
    await check(page);
    await page.getByLabel('Price in pounds').fill(price);
    await page.getByLabel(/^Q1: Service plan/).fill('Job coaches in every borough.');
    assert.equal(await page.getByLabel(/^Quantity \(/).count(), 2);
    await page.locator('fieldset').filter({ hasText: 'GM-P3-02:' }).getByLabel(/^Quantity \(/).fill(jobs);
    await page.locator('fieldset').filter({ hasText: 'GM-P1-04:' }).getByLabel(/^Quantity \(/).fill(people);
    await submitBid(page, { plan: 'Recruited through Jobcentre Plus partners.', social: 'We recruit from the communities we serve.' });
    await page.context().close();
  };
  await bid('supplier@example.org', '170000', '4', '3');
  await bid('vcse-admin@example.org', '175000', '2', '2');

  // 4. After the deadline the buyer assigns an evaluator, who marks; the
  // buyer moderates, reads the monetised evaluation and awards.
  const wait = deadline.getTime() - Date.now() + 2000;
  if (wait > 0) await sleep(wait);
  await buyer.goto(tenderURL);
  await check(buyer);
  await buyer.getByLabel(/evaluator@example.org/).check();
  await buyer.getByRole('button', { name: 'Assign evaluators' }).click();
  await check(buyer);
  const evaluator = await as('evaluator@example.org');
  await evaluator.goto(tenderURL);
  await check(evaluator);
  await evaluator.getByRole('link', { name: 'Mark the bids' }).click();
  await check(evaluator);
  for (const s of await evaluator.locator('select[name^="mark_"]').all()) await s.selectOption('4');
  for (const r of await evaluator.locator('textarea[name^="reason_"]').all()) await r.fill('A credible plan.');
  await evaluator.getByRole('button', { name: 'Submit my marks' }).click();
  await check(evaluator);
  await evaluator.getByText('Your marks are submitted').waitFor();
  await evaluator.context().close();

  await buyer.goto(tenderURL);
  await check(buyer);
  await buyer.getByRole('link', { name: 'Moderate the marks' }).click();
  await check(buyer);
  await buyer.getByRole('button', { name: 'Record consensus marks' }).click();
  await check(buyer);
  await buyer.getByText('Consensus marks recorded').waitFor();
  // Every monetised number is explained with its unit cost, source,
  // attribution and price year: 4 jobs × £9,800 = £39,200 and 3 people ×
  // £8,632 = £25,896 (£65,096 in 2012/13 prices; the other bid's £36,864
  // is 57% of it).
  const main = await buyer.locator('main').evaluate((el) => el.textContent);
  for (const want of ['4 full-time equivalent jobs × £9,800 (Unit Cost Database 1.4, E&E1.0', '3 people × £8,632 (Unit Cost Database 1.4, E&E2.0', 'in 2012/13 prices)', '£39,200', '£25,896',
    'Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0', 'commitments score 57%',
    "this bid's total £65,096 ÷ highest compliant total £65,096", "this bid's total £36,864 ÷ highest compliant total £65,096"]) {
    assert.ok(main.includes(want), `evaluation lacks ${want}`);
  }
  await buyer.getByLabel('Reason for the decision (published)').fill('Highest total score among compliant bids.');
  await buyer.getByRole('button', { name: 'Award contract' }).click();
  await check(buyer);
  await buyer.getByText(/Awarded to /).first().waitFor();
  await buyer.getByRole('link', { name: 'Social value promised and delivered' }).click();
  await check(buyer);
  const contractURL = buyer.url().replace(/#.*$/, '');

  // 5. The public contract page shows the social value committed in pounds.
  const anon = await newPage(browser);
  await anon.goto(contractURL);
  await check(anon);
  const pounds = anon.getByRole('region', { name: 'Social value committed and verified, by price year' });
  await pounds.locator('tr').filter({ hasText: '2012/13' }).getByText('£65,096').waitFor();
  await pounds.locator('tr').filter({ hasText: '2012/13' }).getByText('£0').waitFor();
  await anon.getByText('not adjusted for deadweight or additionality').first().waitFor();

  // 6. The supplier reports two jobs delivered; the buyer verifies the line;
  // the page then shows 2 × £9,800 = £19,600 verified.
  const supplier = await as('supplier@example.org');
  await supplier.goto(contractURL);
  await check(supplier);
  await supplier.getByRole('link', { name: 'Report delivery' }).click();
  await check(supplier);
  const jobs = supplier.locator('fieldset').filter({ hasText: 'GM-P3-02' });
  await jobs.getByLabel(/^Delivered this period/).fill('2');
  await jobs.getByLabel(/^Evidence:/).fill('Payroll extract and Jobcentre Plus referral letters');
  await jobs.getByLabel('This is attributable only to this contract and this period').check();
  await jobs.getByLabel('This is additional to what would have happened anyway').check();
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  await supplier.getByText('Delivery report submitted with 1 line').waitFor();
  await supplier.context().close();

  await buyer.goto(contractURL);
  await check(buyer);
  await buyer.locator('form[action*="/lines/"]').filter({ has: buyer.getByRole('button', { name: 'Record decision' }) }).first().getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line verified').waitFor();
  await buyer.context().close();

  await anon.goto(contractURL);
  await check(anon);
  const year = anon.getByRole('region', { name: 'Social value committed and verified, by price year' }).locator('tr').filter({ hasText: '2012/13' });
  await year.getByText('£65,096').waitFor();
  await year.getByText('£19,600').waitFor();
  await anon.context().close();
});
