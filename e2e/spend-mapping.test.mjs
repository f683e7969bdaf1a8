import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

// A council whose export names its columns Posted, Detail, Sum and Team,
// with payees written as people's names: the supplier column cannot be
// told apart from the team, so the officer chooses the columns once.
const header = 'Posted,Detail,Sum,Team\n';

async function uploadFile(officer, path) {
  await visit(officer, hub.url, '/spend/upload');
  await officer.getByLabel('Spend file').setInputFiles(path);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await check(officer);
}

test('an officer maps the columns of a file that was not recognised, and next month\'s file is read without asking', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-mapping-'));
  const april = join(dir, 'april.csv');
  writeFileSync(april, header + '01/04/2026,J Smith,250.00,Parks\n02/04/2026,A Jones,"1,200.50",Roads\n03/04/2026,P Patel,99.99,Parks\n');
  const may = join(dir, 'may.csv');
  writeFileSync(may, header + '05/05/2026,J Smith,300.00,Parks\n06/05/2026,R Okafor,45.10,Roads\n');

  const officer = await newPage(browser);
  await signIn(officer, hub.url, 'buyer@example.org');
  await uploadFile(officer, april);
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'mapping' }).waitFor({ timeout: 20000 });
  await check(officer);
  await officer.getByRole('link', { name: 'Choose the columns' }).click();
  await check(officer);
  await officer.getByRole('heading', { name: 'Choose the columns of april.csv' }).waitFor();
  await officer.getByRole('cell', { name: 'A Jones' }).waitFor();

  // Nothing chosen for the supplier and the amount's column as the date:
  // the form comes back with the error summary and the choices kept.
  await officer.getByLabel('Payment date').selectOption('Sum');
  await officer.getByLabel('Supplier', { exact: true }).selectOption('');
  await officer.getByRole('button', { name: 'Save the columns and import' }).click();
  await check(officer);
  await officer.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await officer.getByRole('link', { name: 'Choose the column with the supplier' }).waitFor();
  await officer.getByRole('link', { name: /The column "Sum" has no dates/ }).waitFor();
  assert.equal(await officer.getByLabel('Payment date').inputValue(), 'Sum');

  await officer.getByLabel('Payment date').selectOption('Posted');
  await officer.getByLabel('Net amount').selectOption('Sum');
  await officer.getByLabel('Supplier', { exact: true }).selectOption('Detail');
  await officer.getByLabel('Service area (optional)').selectOption('Team');
  await officer.getByRole('button', { name: 'Save the columns and import' }).click();
  await check(officer);
  await officer.getByText('Columns saved').waitFor();
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'done' }).waitFor({ timeout: 20000 });
  await check(officer);
  await officer.getByText('3 imported, 0 rejected').waitFor();
  await officer.getByRole('cell', { name: 'Detail (column 2)' }).waitFor();

  // May's file has the same columns: recognised without the mapping screen.
  await uploadFile(officer, may);
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'done' }).waitFor({ timeout: 20000 });
  await check(officer);
  await officer.getByText('2 imported, 0 rejected').waitFor();
  assert.equal(await officer.getByRole('link', { name: 'Choose the columns' }).count(), 0);
  assert.ok(await officer.getByRole('cell', { name: 'named in the column mapping' }).count() >= 3);
  await officer.context().close();
});
