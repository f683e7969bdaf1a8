import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

test('a community need meets a contract-linked offer, and the delivery is verified on the contract', async () => {
  // A community group posts its top challenge; a bad size is refused first.
  const group = await as('vcse@example.org');
  await visit(group, hub.url, '/hub');
  await group.getByRole('link', { name: 'Post a need' }).click();
  await check(group);
  await group.getByLabel('What do you need?').fill('Volunteers to paint our hall');
  await group.getByLabel('Volunteers (hours)').check();
  await group.getByLabel('How much?').fill('0');
  await group.getByLabel('Be part of a strong local community').check();
  await group.getByLabel('Where').selectOption({ label: 'Manchester' });
  await group.getByLabel('How should a matched organisation contact you?').fill('Ring Val on 0161 000 0000');
  await group.getByLabel('This is one of our top three challenges').check();
  await group.getByRole('button', { name: 'Send for moderation' }).click();
  await check(group);
  await group.getByText('Say how much you need').first().waitFor();
  assert.equal(await group.getByLabel('What do you need?').inputValue(), 'Volunteers to paint our hall');
  await group.getByLabel('How much?').fill('30');
  await group.getByRole('button', { name: 'Send for moderation' }).click();
  await check(group);
  await group.getByText('sent for moderation').waitFor();
  const needURL = group.url();

  const admin = await as('admin@example.org');
  await visit(admin, hub.url, '/admin/hub');
  await admin.getByRole('button', { name: 'Publish Volunteers to paint our hall' }).click();
  await check(admin);
  await admin.getByText('Need published').waitFor();
  await admin.context().close();

  // The supplier offers volunteering linked to its contract's commitment.
  const supplier = await as('supplier@example.org');
  await visit(supplier, hub.url, '/hub');
  await supplier.getByRole('link', { name: 'Post an offer' }).click();
  await check(supplier);
  await supplier.getByLabel('What are you offering?').fill("Joiners' volunteering days");
  await supplier.getByLabel('Volunteers (hours)').check();
  await supplier.getByLabel('How much can you give?').fill('40');
  await supplier.getByLabel('Be part of a strong local community').check();
  await supplier.getByLabel('Area you serve').selectOption({ label: 'Manchester' });
  const commitment = supplier.getByLabel(/^Contract commitment/);
  const option = await commitment.locator('option', { hasText: 'Community centre refurbishment: Staff volunteering hours' }).getAttribute('value');
  await commitment.selectOption(option);
  await supplier.getByRole('button', { name: 'Publish offer' }).click();
  await check(supplier);
  await supplier.getByText('Your offer is published').waitFor();
  const card = supplier.locator('.govuk-summary-card').filter({ hasText: 'Volunteers to paint our hall' });
  await card.getByText(/Shared priorities/).waitFor();
  await card.getByRole('button', { name: /Offer to/ }).click();
  await check(supplier);
  await supplier.getByText('Match proposed').waitFor();
  const matchURL = supplier.url();

  // The group accepts, and both confirm what was delivered.
  await group.goto(matchURL);
  await check(group);
  await group.getByRole('button', { name: 'Accept the match' }).click();
  await check(group);
  await group.getByText('Match accepted').waitFor();
  await group.getByText('Ring Val on 0161 000 0000').waitFor();
  for (const [page, qty] of [[supplier, '30'], [group, '28']]) {
    await page.goto(matchURL);
    await check(page);
    await page.getByLabel(/^What was delivered/).fill(qty);
    await page.getByRole('button', { name: 'Confirm delivery' }).click();
    await check(page);
    await page.getByText('Delivery confirmed. When both').waitFor();
  }
  await group.getByText('28 hours confirmed by both').waitFor();
  await group.context().close();
  await supplier.context().close();

  // The buyer finds the pre-filled line on the contract and verifies it.
  const buyer = await as('buyer@example.org');
  await visit(buyer, hub.url, '/contracts');
  await buyer.getByRole('link', { name: 'Community centre refurbishment' }).click();
  await check(buyer);
  const line = buyer.locator('.govuk-summary-card').filter({ hasText: 'Delivered through Social Value Hub match' });
  await line.getByText('28 hours').waitFor();
  await line.getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line verified').waitFor();
  await buyer.context().close();

  // Anyone sees the need's progress; contact details stay private.
  const anon = await newPage(browser);
  await anon.goto(needURL);
  await check(anon);
  await anon.getByText('Volunteers to paint our hall').first().waitFor();
  assert.equal(await anon.getByText('Ring Val').count(), 0);
  await visit(anon, hub.url, '/hub');
  await anon.context().close();
});

test('a resident browses the guidance library and the anchors network', async () => {
  const resident = await as('resident@example.org');
  await visit(resident, hub.url, '/resources');
  await resident.getByLabel('Search').fill('apprentice');
  await resident.getByRole('button', { name: 'Search' }).click();
  await check(resident);
  await resident.getByRole('link', { name: 'Writing a strong social value answer' }).click();
  await check(resident);
  await resident.getByRole('button', { name: 'Mark as completed' }).click();
  await check(resident);
  await resident.getByText('You have completed this module').waitFor();
  await visit(resident, hub.url, '/network');
  await resident.locator('#network-graph svg').waitFor();
  await check(resident);
  await resident.getByText('Anchors with few links to VCSE organisations').waitFor();
  await resident.getByLabel('Relationship').selectOption('contract');
  await resident.getByRole('button', { name: 'Filter' }).click();
  await check(resident);
  const rows = await resident.locator('table').last().locator('tbody tr').count();
  assert.ok(rows >= 6, `expected the contract relationships, got ${rows}`);
  // An organisation page shows its kite mark with the evidence.
  await visit(resident, hub.url, '/organisations/irwell-valley-joinery-ltd');
  await resident.getByText('Social value kite mark').waitFor();
  await resident.getByText('Priya Shah').waitFor();
  await resident.context().close();
});
