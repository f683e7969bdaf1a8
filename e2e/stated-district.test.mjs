// Issue 15 part 3: a resident whose postcode is not in the hub's postcode
// tables is not turned away from a Greater Manchester-wide round: they
// choose their district, and the published results count their ballot as
// "stated by the voter".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn, createRound, fillPoints } from './helpers.mjs';

// M14 5RT (Fallowfield, Manchester) is not in the shipped tables, and the
// postcodes around it do not settle its district.
const UNPLACED = 'M14 5RT';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

test('a resident whose postcode is not in our tables votes by choosing their district', async () => {
  // An administrator opens a round for all of Greater Manchester.
  const { admin, url: roundURL } = await createRound(browser, hub.url, {
    title: 'Priorities for Greater Manchester',
    explanation: 'Split 100 points between the six priorities.',
  });

  // The resident enters a postcode our tables do not hold: not refused, but
  // asked which district they live in.
  const resident = await newPage(browser);
  await signIn(resident, hub.url, 'resident@example.org');
  await resident.goto(roundURL);
  await check(resident);
  await fillPoints(resident, [40, 20, 10, 10, 10, 10]);
  await resident.getByLabel('Your postcode').fill(UNPLACED);
  await resident.getByRole('button', { name: 'Submit my ballot' }).click();
  await check(resident);
  assert.match(await resident.title(), /^Error:/);
  const summary = resident.locator('.govuk-error-summary');
  assert.match(await summary.innerText(), /not in our postcode tables yet/);
  assert.doesNotMatch(await summary.innerText(), /not a Greater Manchester postcode/);
  const question = resident.getByRole('group', { name: 'Which district do you live in?' });
  await question.waitFor();
  const offered = await question.getByRole('radio').count();
  assert.ok(offered >= 2 && offered <= 10, `the districts it could be in are offered (got ${offered})`);
  assert.equal(await resident.locator('input[data-points]').first().inputValue(), '40', 'the numbers typed are kept');
  // The error summary's link takes the keyboard to the question.
  await summary.getByRole('link', { name: /not in our postcode tables/ }).click();
  await question.getByRole('radio', { name: 'Manchester' }).check();
  // The ward is optional; the resident knows theirs.
  await resident.getByLabel('Which ward do you live in? (optional)').selectOption({ label: 'Fallowfield' });
  await check(resident);
  await resident.getByRole('button', { name: 'Submit my ballot' }).click();
  await check(resident);
  await resident.getByText('your ballot has been counted').waitFor();

  // The administrator closes the round and publishes the results.
  await admin.goto(roundURL);
  await admin.getByRole('button', { name: 'Close the round now' }).click();
  await check(admin);
  await admin.getByRole('button', { name: 'Publish the results' }).click();
  await check(admin);
  await admin.getByText('Results published').waitFor();

  // Anyone sees the ballot counted in its own class.
  const pub = await newPage(browser);
  await visit(pub, hub.url, new URL(roundURL).pathname + '/results');
  await pub.getByRole('heading', { name: "People's Weights" }).waitFor();
  const bySource = pub.locator('table').filter({ hasText: 'By how we know the district' });
  const stated = bySource.getByRole('row', { name: /District stated by the voter/ });
  await stated.waitFor();
  assert.match(await stated.innerText(), /fewer than 10/, 'a group of one ballot is suppressed but its class is shown');
  const participation = pub.locator('table').filter({ hasText: 'Ballots by district' });
  assert.match(await participation.innerText(), /Of which district stated by the voter/);
  const manchester = participation.getByRole('row', { name: /^Manchester/ });
  const cells = await manchester.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3), ['1', '1', '1'], 'Manchester: one ballot, its district and ward stated by the voter');
  const byWard = pub.locator('table').filter({ hasText: 'By how we know the ward' });
  assert.match(await byWard.getByRole('row', { name: /Ward stated by the voter/ }).innerText(), /fewer than 10/, 'the stated ward is its own class');

  // The anonymised export marks the ballot's district and ward as stated.
  const res = await pub.request.get(new URL(roundURL).pathname.replace(/^/, hub.url) + '/ballots.csv');
  assert.equal(res.status(), 200);
  const csv = await res.text();
  assert.match(csv.split('\n')[0], /^ballot_id,district,district_source,ward_source,channel,/);
  assert.match(csv, /,E08000003,stated,stated,online,40,20,10,10,10,10/);
});
