import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

// placedShare reads the public page's "How much is known" table: the
// share of spend placed, over all suppliers, as a number of percent.
async function placedShare(page) {
  const cell = page.locator('#known tbody tr').first().locator('td').first();
  return parseFloat((await cell.textContent()).replace('%', ''));
}

test('an officer uploads a creditor file; the public page shows how much spend is placed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-creditors-'));
  const spendFile = join(dir, 'may.csv');
  writeFileSync(spendFile, 'Payment Date,Supplier Name,Supplier ID,Net Amount\n' +
    '01/05/2026,Quillon Widgets Ltd,QW1,"250,000.00"\n' +
    '02/05/2026,QUILLON WIDGETS,QW1,"50,000.00"\n' +
    '03/05/2026,Far Away Freight Ltd,FF2,"40,000.00"\n');
  const officer = await newPage(browser);
  await signIn(officer, hub.url, 'buyer@example.org');
  await visit(officer, hub.url, '/spend/upload');
  await officer.getByLabel('Spend file').setInputFiles(spendFile);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'done' }).waitFor({ timeout: 20000 });

  const resident = await newPage(browser);
  await visit(resident, hub.url, '/spend?buyer=manchester-city-council');
  await resident.getByRole('table', { name: 'How much is known' }).waitFor();
  const before = await placedShare(resident);

  // A file that is not a creditor file is refused with the reason.
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'Ref,Amount\n1,2\n');
  await visit(officer, hub.url, '/spend/creditors');
  await officer.getByLabel('Creditor file').setInputFiles(bad);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await officer.locator('.govuk-error-summary').getByText(/not a creditor file/).first().waitFor();
  await check(officer);

  const creditors = join(dir, 'creditors.csv');
  writeFileSync(creditors, 'Supplier No,Supplier Name,Post Code,Company Reg No,Supplier Type\n' +
    'QW1,Quillon Widgets Limited,M1 1AE,,Company - SME\n' +
    'FF2,Far Away Freight Ltd,LS1 4AP,,Company - Large\n' +
    'FF2,Far Away Freight Ltd,NE1 7RU,,Company - Large\n');
  await officer.getByLabel('Creditor file').setInputFiles(creditors);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await officer.getByText(/Imported 2 creditor entries for Manchester City Council/).first().waitFor();
  await officer.getByText(/supplier id FF2 has 2 different postcodes/).waitFor();
  await check(officer);

  await visit(resident, hub.url, '/spend?buyer=manchester-city-council');
  const after = await placedShare(resident);
  assert.ok(after > before, `placed share should rise with the creditor file: ${before}% → ${after}%`);
  const provisional = await resident.locator('#provisional').count();
  if (after < 80) {
    await resident.locator('#provisional').getByText(/provisional — only \d+% of spend placed/).waitFor();
  } else {
    assert.equal(provisional, 0, 'shares are findings once 80% is placed');
  }
  await check(resident);
  await officer.context().close();
  await resident.context().close();
});
