import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

test('the Collaboration Fund from contributions to explained results', async () => {
  const admin = await newPage(browser);
  await signIn(admin, hub.url, 'admin@example.org');
  await visit(admin, hub.url, '/fund');
  // A contribution without an organisation is refused with the value kept.
  await admin.getByLabel('Contribution', { exact: true }).check();
  await admin.getByLabel('Amount in pounds').fill('50,000');
  await admin.getByRole('button', { name: 'Record' }).click();
  await check(admin);
  assert.match(await admin.title(), /^Error:/);
  assert.equal(await admin.getByLabel('Amount in pounds').inputValue(), '50,000');
  for (const [org, amount] of [['Manchester City Council', '50,000'], ['Irwell Valley Joinery Ltd', '20,000'], ['Moss Side Community Kitchen', '1,000']]) {
    await admin.getByLabel('Contribution', { exact: true }).check();
    await admin.getByLabel('Organisation (required for a contribution)').selectOption({ label: org });
    await admin.getByLabel('Amount in pounds').fill(amount);
    await admin.getByRole('button', { name: 'Record' }).click();
    await check(admin);
    await admin.getByText('Recorded in the ledger').waitFor();
  }
  await admin.locator('#ledger ~ .svhub-table-scroll table tbody tr').filter({ hasText: 'Irwell Valley Joinery Ltd' }).filter({ hasText: '£20,000' }).first().waitFor();

  await visit(admin, hub.url, '/fund/rounds/new');
  await admin.getByLabel('Title').fill('Healthy neighbourhoods 2027');
  await admin.getByLabel('What the round is for').fill('Projects that keep people well where they live.');
  await admin.getByLabel('Budget in pounds').fill('30000');
  // The administrator moves the round on early, which brings the timetable forward.
  await admin.getByLabel('Proposals close').fill(local(new Date(Date.now() + 2 * 3600e3)));
  await admin.getByLabel('Voting opens').fill(local(new Date(Date.now() + 3 * 3600e3)));
  await admin.getByLabel('Voting closes').fill(local(new Date(Date.now() + 7 * 24 * 3600e3)));
  await admin.getByRole('button', { name: 'Create round' }).click();
  await check(admin);
  await admin.getByText('Round created').waitFor();
  const roundURL = admin.url().replace(/#.*$/, '');

  // Two organisations propose: one with partners from two sectors, one alone.
  const propose = async (email, title, budget, partners) => {
    const page = await newPage(browser);
    await signIn(page, hub.url, email);
    await page.goto(roundURL);
    await check(page);
    await page.getByRole('link', { name: 'Propose a project' }).click();
    await check(page);
    await page.getByLabel('Project title').fill(title);
    await page.getByLabel('Summary').fill(`${title}: what we will do.`);
    await page.getByLabel('Budget requested in pounds').fill(budget);
    await page.getByLabel('Co-production').fill('Designed with residents at three open meetings.');
    await page.getByLabel('Systemic change').fill('A lasting partnership that changes how services work.');
    for (const p of partners) await page.getByLabel(p).check();
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await check(page);
    await page.getByText('Proposal submitted').waitFor();
    await page.context().close();
  };
  await propose('vcse-admin@example.org', 'Community food hubs', '18000', ['Manchester City Council', 'Irwell Valley Joinery Ltd']);
  await propose('vcse-admin@example.org', 'Walking football', '9000', ['Bolton Council']);
  await propose('business-admin@example.org', 'Workshop on our own', '12000', []);

  // The administrator reviews eligibility and opens voting.
  await admin.goto(roundURL);
  await admin.getByRole('button', { name: 'Close proposals and start the eligibility review' }).click();
  await check(admin);
  await admin.getByRole('button', { name: /^Eligible\W+Community food hubs/ }).click();
  await check(admin);
  await admin.getByRole('button', { name: /^Eligible\W+Walking football/ }).click();
  await check(admin);
  await admin.getByRole('button', { name: /^Ineligible\W+Workshop on our own/ }).click();
  await check(admin);
  assert.match(await admin.title(), /^Error:/, 'ineligible needs a public reason');
  await admin.getByLabel(/Public reason\W+for Workshop on our own/).fill('Only one sector is involved.');
  await admin.getByRole('button', { name: /^Ineligible\W+Workshop on our own/ }).click();
  await check(admin);
  await admin.getByRole('button', { name: 'Open voting' }).click();
  await check(admin);

  // A resident votes and changes their vote.
  const resident = await newPage(browser);
  await signIn(resident, hub.url, 'resident@example.org');
  await resident.goto(roundURL);
  await check(resident);
  assert.equal(await resident.getByLabel(/Workshop on our own/).count(), 0, 'ineligible proposals cannot be chosen');
  await resident.getByLabel(/Community food hubs/).check();
  await resident.getByRole('button', { name: 'Cast my vote' }).click();
  await check(resident);
  await resident.getByText('you support 1 proposal(s)').waitFor();
  await resident.getByLabel(/Walking football/).check();
  await resident.getByRole('button', { name: 'Change my vote' }).click();
  await check(resident);
  await resident.getByText('you support 2 proposal(s)').waitFor();
  assert.ok(await resident.getByLabel(/Walking football/).isChecked());

  // Close and publish; the public page explains the allocation.
  await admin.goto(roundURL);
  await admin.getByRole('button', { name: 'Close voting' }).click();
  await check(admin);
  await admin.getByRole('button', { name: 'Count the votes and publish the results' }).click();
  await check(admin);
  await admin.getByRole('alert').getByText('Results published').waitFor();
  const pub = await newPage(browser);
  await visit(pub, hub.url, new URL(roundURL).pathname);
  await pub.getByRole('heading', { name: 'Results' }).waitFor();
  const rows = pub.locator('table').filter({ hasText: 'Every eligible proposal' }).locator('tbody tr');
  assert.equal(await rows.count(), 2);
  await pub.getByText('Funded', { exact: true }).first().waitFor();
  await visit(pub, hub.url, '/fund');
  const pb = await pub.request.get(roundURL + '/round.pb');
  assert.match(await pb.text(), /^META/);
  const grants = await (await pub.request.get(hub.url + '/fund/grants.json')).json();
  assert.ok(grants.grants.length >= 1 && grants.grants[0].currency === 'GBP');

  // The funded project reports progress; the public sees it.
  const vcse = await newPage(browser);
  await signIn(vcse, hub.url, 'vcse-admin@example.org');
  await vcse.goto(roundURL);
  // One voter backed both proposals and they fit the budget, so both are funded.
  const funded = 'Community food hubs';
  await pub.goto(roundURL);
  await vcse.getByLabel(`Progress of ${funded} (%)`).fill('150');
  await vcse.getByRole('button', { name: `Publish update for ${funded}` }).click();
  await check(vcse);
  assert.match(await vcse.title(), /^Error:/);
  await vcse.getByLabel(`Progress of ${funded} (%)`).fill('25');
  await vcse.getByLabel(`How ${funded} is going`).selectOption('on_track');
  await vcse.getByLabel(`What has happened on ${funded}`).fill('First hub opened in Moss Side.');
  await vcse.getByRole('button', { name: `Publish update for ${funded}` }).click();
  await check(vcse);
  await vcse.getByText('Progress update published').waitFor();
  await pub.reload();
  await pub.getByText('First hub opened in Moss Side.').waitFor();
  await check(pub);
  await vcse.context().close();
  for (const p of [admin, resident, pub]) await p.context().close();
});
