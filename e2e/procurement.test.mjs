import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn, submitBid } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

test('a tender is published with People\'s Weights and bids stay sealed', async () => {
  const buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/tenders');
  await buyer.getByRole('link', { name: 'Create a tender' }).click();
  await check(buyer);
  await buyer.getByLabel('Title').fill('Community transport minibuses');
  await buyer.getByLabel('What you are buying').fill('Accessible minibuses with trained drivers for community groups.');
  await buyer.getByLabel('Estimated value in pounds').fill('640000');
  // £640,000 of services is above the threshold: at least 25 days (Procurement Act 2023 s.54).
  await buyer.getByLabel('Submission deadline').fill(local(new Date(Date.now() + 30 * 24 * 3600e3)));
  await buyer.getByLabel('Criterion 1', { exact: true }).fill('Service plan');
  await buyer.getByLabel('Weight of criterion 1').fill('25');
  await buyer.getByLabel('Criterion 2', { exact: true }).fill('Drivers and safeguarding');
  await buyer.getByLabel('Weight of criterion 2').fill('15');
  await buyer.getByLabel(/^GM-P3-03:/).check();
  await buyer.getByLabel(/^GM-P2-01:/).check();
  await buyer.getByLabel(/^GM-P6-02:/).check();
  // Weights that do not add up are refused, and the form keeps what was typed.
  await buyer.getByLabel('Price weight').fill('50');
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  assert.match(await buyer.title(), /^Error:/);
  await buyer.getByText('must sum to 100; they sum to 110').first().waitFor();
  assert.equal(await buyer.getByLabel('Title').inputValue(), 'Community transport minibuses');
  await buyer.getByLabel('Price weight').fill('40');
  await buyer.getByRole('button', { name: 'Save draft' }).click();
  await check(buyer);
  await buyer.getByText('Draft tender created').waitFor();
  await buyer.getByText(/People's Weights from/).waitFor();
  await buyer.getByRole('button', { name: 'Publish tender' }).click();
  await check(buyer);
  await buyer.getByText('Tender published').waitFor();
  const tenderURL = buyer.url().replace(/#.*$/, '');

  const bid = async (page, price, qty) => {
    await page.goto(tenderURL);
    await check(page);
    await page.getByRole('link', { name: 'Submit or update a bid' }).click();
    await check(page);
    await page.getByLabel('Price in pounds').fill(price);
    await page.getByLabel(/^Q1: Service plan/).fill('Door-to-door service seven days a week.');
    await page.getByLabel(/^Q2: Drivers/).fill('MiDAS-trained drivers, enhanced DBS checks.');
    for (const q of await page.getByLabel(/^Quantity \(/).all()) await q.fill(qty);
    await submitBid(page, { plan: 'Through our depot in Salford.', social: 'We recruit drivers from the communities we serve.' });
    return (await page.locator('#receipt-sha').innerText()).trim();
  };
  const supplier = await as('supplier@example.org');
  const first = await bid(supplier, '610000', '20');
  // Resubmitting creates version 2; the latest counts.
  const second = await bid(supplier, '598000', '24');
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.notEqual(first, second);
  await supplier.getByText('Version 2 for Community transport minibuses').waitFor();
  const vcse = await as('vcse-admin@example.org');
  await bid(vcse, '655000', '30');

  // Before the deadline even the buyer cannot open a bid.
  const res = await buyer.goto(tenderURL + '/bids');
  assert.equal(res.status(), 403);
  await check(buyer);
  await buyer.getByText('You do not have permission to do that').waitFor();
  for (const p of [buyer, supplier, vcse]) await p.context().close();
});

test('evaluators mark independently, the moderator agrees marks, the contract is awarded and delivery verified', async () => {
  // The demonstration's closed tender has three sealed bids and two evaluators.
  const anon = await newPage(browser);
  await visit(anon, hub.url, '/tenders');
  await anon.getByRole('link', { name: 'Youth employment support programme' }).click();
  await check(anon);
  const tenderURL = anon.url();

  const mark = async (email, reason) => {
    const page = await as(email);
    await page.goto(tenderURL);
    await check(page);
    await page.getByRole('link', { name: 'Mark the bids' }).click();
    await check(page);
    const selects = await page.locator('select[name^="mark_"]').all();
    assert.equal(selects.length, 9);
    for (const s of selects) {
      const label = await s.evaluate((el) => el.labels[0].textContent);
      await s.selectOption(label.includes('Irwell Valley Joinery') ? '5' : '2');
    }
    for (const r of await page.locator('textarea[name^="reason_"]').all()) await r.fill(reason);
    await page.getByRole('button', { name: 'Submit my marks' }).click();
    await check(page);
    await page.getByText('Your marks are submitted').waitFor();
    return page;
  };
  const e1 = await mark('evaluator@example.org', 'Strong local recruitment plan (evaluator one)');
  // The second evaluator cannot see the first's marks before submitting.
  const e2 = await as('council-admin@example.org');
  await visit(e2, hub.url, new URL(tenderURL).pathname + '/marking');
  assert.equal(await e2.getByText('evaluator one').count(), 0);
  await e2.context().close();
  await (await mark('council-admin@example.org', 'Clear milestones (evaluator two)')).context().close();
  await e1.goto(tenderURL + '/marking');
  await check(e1);
  await e1.getByText('Clear milestones (evaluator two)').first().waitFor();
  await e1.context().close();

  const buyer = await as('buyer@example.org');
  await buyer.goto(tenderURL);
  await check(buyer);
  await buyer.getByRole('link', { name: 'Moderate the marks' }).click();
  await check(buyer);
  await buyer.getByRole('button', { name: 'Record consensus marks' }).click();
  await check(buyer);
  await buyer.getByText('Consensus marks recorded').waitFor();
  // The evaluation explains every number; one bid fails the Real Living Wage gate.
  await buyer.getByText(/Does not meet the pass\/fail gate/).first().waitFor();
  await buyer.getByText("Every number in Irwell Valley Joinery Ltd's score").waitFor();
  await buyer.getByLabel('Reason for the decision (published)').fill('Highest total score among compliant bids.');
  await buyer.getByRole('button', { name: 'Award contract' }).click();
  await check(buyer);
  await buyer.getByText('Awarded to Irwell Valley Joinery Ltd').waitFor();
  await buyer.getByRole('link', { name: 'Social value promised and delivered' }).click();
  await check(buyer);
  const contractURL = buyer.url();

  // The supplier reports delivery against two of its commitments.
  const supplier = await as('supplier@example.org');
  await supplier.goto(contractURL);
  await check(supplier);
  await supplier.getByRole('link', { name: 'Report delivery' }).click();
  await check(supplier);
  const qtys = await supplier.getByLabel(/^Delivered this period/).all();
  const evidence = await supplier.getByLabel(/^Evidence:/).all();
  const attributable = await supplier.getByLabel('This is attributable only to this contract and this period').all();
  const additional = await supplier.getByLabel('This is additional to what would have happened anyway').all();
  for (const i of [0, 1]) {
    await qtys[i].fill(i === 0 ? '12' : '3');
    await evidence[i].fill(i === 0 ? 'Apprentice timesheets, April to June' : 'Payroll extract');
    await attributable[i].check();
    await additional[i].check();
  }
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  await supplier.getByText('Delivery report submitted with 2 lines').waitFor();
  await supplier.context().close();

  // The buyer verifies one line and rejects the other with a reason.
  await buyer.goto(contractURL);
  await check(buyer);
  const forms = buyer.locator('form[action*="/lines/"]').filter({ has: buyer.getByRole('button', { name: 'Record decision' }) });
  await forms.first().getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line verified').waitFor();
  const rest = buyer.locator('form[action*="/lines/"]').filter({ has: buyer.getByRole('button', { name: 'Record decision' }) }).first();
  await rest.getByLabel('Reject', { exact: true }).check();
  await rest.getByLabel(/^Message to the supplier/).fill('The payroll extract does not cover this contract.');
  await rest.getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line rejected').waitFor();
  await buyer.context().close();

  // The public contract page shows promised against verified, in plain words.
  await anon.goto(contractURL);
  await check(anon);
  await anon.getByText('What was promised, and what has been verified').waitFor();
  const row = anon.locator('table tbody tr').filter({ hasText: 'Apprenticeship weeks' });
  await row.getByText('12 weeks', { exact: true }).first().waitFor();
  await anon.getByText('Rejected', { exact: true }).first().waitFor();

  // A resident flags a concern; it goes to the buyer and shows publicly.
  const resident = await as('resident@example.org');
  await resident.goto(contractURL);
  await check(resident);
  await resident.getByText('Flag a concern about this claim').first().click();
  await resident.getByLabel(/^What do you know about this/).first().fill("I know this didn't happen: the apprentices started in July.");
  await resident.getByRole('button', { name: 'Send concern' }).first().click();
  await check(resident);
  await resident.getByText('Your concern has gone to the buyer').waitFor();
  await resident.getByText('Awaiting the buyer').first().waitFor();
  await resident.context().close();
  await anon.context().close();
});
