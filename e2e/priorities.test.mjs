import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startHub, launch, newPage, check, visit, signIn, createRound, fillPoints } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

test('a round from creation to published People\'s Weights', async () => {
  // An administrator starts a round and opens it.
  const { admin, url: roundURL } = await createRound(browser, hub.url, {
    title: 'What should public money do for Greater Manchester?',
    explanation: 'Split 100 points between the six priorities. The result will weigh social value in tenders.',
  });

  // A resident votes, makes a mistake, votes again and sees the ballot.
  const resident = await newPage(browser);
  await signIn(resident, hub.url, 'resident@example.org');
  await resident.goto(roundURL);
  await check(resident);
  await fillPoints(resident, [50, 10, 10, 10, 10, 0]);
  await resident.getByRole('status').or(resident.locator('[data-points-status]')).first().waitFor();
  assert.match(await resident.locator('[data-points-status]').innerText(), /Add 10 more/);
  await resident.getByRole('button', { name: 'Submit my ballot' }).click();
  await check(resident);
  assert.match(await resident.title(), /^Error:/);
  assert.equal(await resident.locator('input[data-points]').first().inputValue(), '50', 'the numbers typed are kept');
  await resident.getByText('Your points add up to 90').first().waitFor();
  await fillPoints(resident, [50, 10, 10, 10, 10, 10]);
  await resident.getByLabel('What matters most to you, and why? (optional)').fill('Good jobs for young people near where they live.');
  await resident.getByLabel('I agree to answer questions about myself').check();
  await resident.getByLabel('25 to 34').check();
  await check(resident);
  await resident.getByRole('button', { name: 'Submit my ballot' }).click();
  await check(resident);
  await resident.getByText('your ballot has been counted').waitFor();
  await fillPoints(resident, [20, 10, 10, 40, 10, 10]);
  await resident.getByRole('button', { name: 'Change my ballot' }).click();
  await check(resident);
  await resident.getByText('Your ballot has been updated').waitFor();
  assert.equal(await resident.locator('input[data-points]').nth(3).inputValue(), '40', 'the current ballot is shown');
  assert.ok(await resident.getByLabel('25 to 34').isChecked(), 'the answers given are shown');

  // A VCSE representative prints codes and enters paper ballots, by form and by file.
  const vcse = await newPage(browser);
  await signIn(vcse, hub.url, 'vcse@example.org');
  await vcse.goto(roundURL);
  await check(vcse);
  await vcse.getByRole('link', { name: 'Paper ballots for Moss Side Community Kitchen' }).click();
  await check(vcse);
  await vcse.getByLabel('How many codes').fill('3');
  await vcse.getByRole('button', { name: 'Create codes' }).click();
  await check(vcse);
  const codes = await vcse.locator('#codes li').allInnerTexts();
  assert.equal(codes.length, 3);
  await vcse.getByLabel('Ballot code').fill(codes[0]);
  await fillPoints(vcse, [10, 10, 10, 10, 10, 50]);
  await vcse.getByLabel("Participant's postcode").fill('M15 4AB');
  await vcse.getByRole('button', { name: 'Enter ballot' }).click();
  await check(vcse);
  await vcse.getByText(`Paper ballot ${codes[0]} entered`).waitFor();

  const dir = mkdtempSync(join(tmpdir(), 'svhub-paper-'));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `code,postcode,P1,P2,P3,P4,P5,P6,comment\n${codes[0]},M15 4AB,100,0,0,0,0,0,\n${codes[1]},NOT A POSTCODE,50,50,0,0,0,0,\n${codes[2]},M15 4AB,50,40,0,0,0,0,\n`);
  await vcse.getByLabel('Paper ballots CSV').setInputFiles(bad);
  await vcse.getByRole('button', { name: 'Upload ballots' }).click();
  await check(vcse);
  assert.match(await vcse.title(), /^Error:/);
  const problems = await vcse.locator('table').filter({ hasText: 'Problems in bad.csv' }).locator('tbody tr').count();
  assert.ok(problems >= 3, `every bad row listed (got ${problems})`);
  const good = join(dir, 'good.csv');
  writeFileSync(good, `code,postcode,P1,P2,P3,P4,P5,P6,comment\n${codes[1]},M15 4AB,0,0,0,0,100,0,\n${codes[2]},BL1 1AA,20,20,20,20,10,10,Parks\n`);
  await vcse.getByLabel('Paper ballots CSV').setInputFiles(good);
  await vcse.getByRole('button', { name: 'Upload ballots' }).click();
  await check(vcse);
  await vcse.getByText('2 paper ballots from good.csv entered').waitFor();

  // Running results are hidden from everyone while the round is open.
  const res = await admin.goto(roundURL + '/results');
  assert.equal(res.status(), 404);

  // The administrator closes and publishes; the public sees the weights.
  await admin.goto(roundURL);
  await admin.getByRole('button', { name: 'Close the round now' }).click();
  await check(admin);
  await visit(admin, hub.url, new URL(roundURL).pathname + '/comments');
  await admin.getByRole('button', { name: /^Approve/ }).first().click();
  await check(admin);
  await admin.goto(roundURL);
  await admin.getByRole('button', { name: 'Publish the results' }).click();
  await check(admin);
  await admin.getByText('Results published').waitFor();

  const pub = await newPage(browser);
  await visit(pub, hub.url, new URL(roundURL).pathname + '/results');
  await pub.getByRole('heading', { name: "People's Weights" }).waitFor();
  const rows = pub.locator('table').first().locator('tbody tr');
  assert.equal(await rows.count(), 6);
  await pub.locator('#weights-chart svg').waitFor({ timeout: 10000 });
  await pub.locator('#participation-map path.leaflet-interactive').first().waitFor({ timeout: 10000 });
  await pub.getByText('Good jobs for young people').waitFor();
  await check(pub);
  const csv = await pub.request.get(roundURL + '/ballots.csv');
  assert.equal(csv.status(), 200);
  assert.equal((await csv.text()).trim().split('\n').length, 1 + 4);
  for (const p of [admin, resident, vcse, pub]) await p.context().close();
});
