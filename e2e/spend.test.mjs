import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

test('an officer uploads a spend file, watches it import and reviews rejected rows; the public sees the analysis', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-spend-'));
  const file = join(dir, 'april.csv');
  writeFileSync(file, 'Manchester City Council payments over £500\nPayment Date,Supplier Name,Net Amount,Directorate\n' +
    '01/04/2026,Irwell Valley Joinery Ltd,"12,500.00",Growth\n' +
    '02/04/2026,Moss Side Community Kitchen,"2,000.00",Adults\n' +
    '03/04/2026,Unlisted Supplies Ltd,950.00,Corporate\n' +
    '2026-04-04950.00,Broken Row Ltd,,Corporate\n');
  const officer = await newPage(browser);
  await signIn(officer, hub.url, 'buyer@example.org');
  await visit(officer, hub.url, '/spend/upload');
  await officer.getByLabel('Spend file').setInputFiles(file);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await check(officer);
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'done' }).waitFor({ timeout: 20000 });
  await check(officer);
  await officer.getByRole('cell', { name: /not in a recognised form/ }).waitFor();
  const csv = await officer.request.get(hub.url + await officer.getByRole('link', { name: /Download every rejected row/ }).getAttribute('href'));
  assert.match(await csv.text(), /Broken Row Ltd/);

  // Two payee spellings resemble directory organisations: the officer
  // confirms both, each decision is shown and can be undone.
  await visit(officer, hub.url, '/spend/resolve');
  for (const name of ['Irwel Valley Joinery', 'Northern Quarter Digitial']) {
    await officer.getByRole('button', { name: new RegExp(`^Same organisation.*${name} is `) }).click();
    await officer.getByText(`Confirmed: "${name}"`).waitFor();
    await check(officer);
  }
  assert.equal(await officer.getByRole('button', { name: /^Undo/ }).count(), 2);

  const resident = await newPage(browser);
  await visit(resident, hub.url, '/spend');
  await resident.getByRole('heading', { name: 'Manchester City Council' }).waitFor();
  await resident.locator('#weights-chart svg').waitFor({ timeout: 10000 });
  await resident.locator('#spend-map path.leaflet-interactive').first().waitFor({ timeout: 10000 });
  await resident.locator('#spend-ward-map path.leaflet-interactive').first().waitFor({ timeout: 10000 });
  await check(resident);
  assert.equal(await resident.getByText('REDACTED', { exact: true }).count(), 0, 'no redacted payee is named');
  await resident.getByRole('link', { name: 'Search every supplier and see its payments' }).click();
  await check(resident);
  await resident.getByLabel('Search suppliers').fill('Irwell');
  await resident.getByRole('button', { name: 'Search' }).click();
  await check(resident);
  await resident.getByRole('link', { name: 'Irwell Valley Joinery Ltd' }).click();
  await check(resident);
  await resident.getByRole('heading', { name: 'Irwell Valley Joinery Ltd' }).waitFor();
  await officer.context().close();
  await resident.context().close();
});
