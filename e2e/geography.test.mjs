// Issue 15 part 5: a hub administrator uploads a postcode directory in the
// web UI; a background job imports it as `svhub import postcodes` does,
// the run page shows its progress (reloading itself with htmx) and result,
// and everything that holds a postcode is re-placed. Every page passes
// axe-core and reflows at 320 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

test('an administrator uploads a postcode directory and watches it import and re-place', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-geo-'));
  const file = join(dir, 'ONSPD_FEB_2026_UK.csv');
  // ONSPD columns by name (a cut of the real header's columns): a Trafford
  // postcode, a Leeds one and a malformed row.
  writeFileSync(file, 'pcd,pcds,dointr,doterm,oslaua,osward,ctry,rgn,lsoa11,lat,long,imd,lsoa21\n' +
    'M32 0JG,M32 0JG,198001,,E08000009,E05000829,E92000001,E12000002,E01006080,53.4545,-2.3108,7000,E01006080\n' +
    'LS1 1BA,LS1 1BA,198001,,E08000035,E05011415,E92000001,E12000003,E01033010,53.7966,-1.5475,20000,E01033010\n' +
    'not a postcode,x,198001,,E08000035,,E92000001,E12000003,,,,,\n');

  const admin = await newPage(browser);
  await signIn(admin, hub.url, 'admin@example.org');
  await visit(admin, hub.url, '/admin');
  await admin.getByRole('link', { name: 'Postcodes and deprivation' }).click();
  await check(admin);
  await admin.getByRole('heading', { name: 'Postcodes and deprivation' }).waitFor();

  // Without a file: the form comes back with the error summary.
  await admin.getByRole('button', { name: 'Upload and import' }).click();
  await check(admin);
  assert.match(await admin.locator('.govuk-error-summary').innerText(), /Select the file to upload/);

  await admin.getByRole('radio', { name: /A postcode directory/ }).check();
  await admin.getByLabel('File', { exact: true }).setInputFiles(file);
  await admin.getByRole('button', { name: 'Upload and import' }).click();
  await check(admin);
  await admin.getByRole('heading', { name: 'Import of ONSPD_FEB_2026_UK.csv' }).waitFor();
  // The page updates itself until the import and the re-placing are done.
  const status = admin.locator('#geo-run');
  await status.getByText(/Loaded 2 postcodes as ONSPD February 2026/).waitFor({ timeout: 30000 });
  await status.getByText(/Re-placed \d+ holders of a postcode with ONSPD February 2026/).waitFor({ timeout: 30000 });
  await check(admin);
  assert.match(await status.innerText(), /1 malformed rows were skipped/);
  assert.match(await status.innerText(), /ONSPD_FEB_2026_UK\.csv line 4/);

  // The lookup now uses the release, and a Leeds postcode is outside GM.
  await visit(admin, hub.url, '/postcode?postcode=LS1+1BA');
  assert.match(await admin.locator('main').innerText(), /Leeds/);
  assert.match(await admin.locator('main').innerText(), /ONSPD February 2026/);
  await visit(admin, hub.url, '/admin/geography');
  assert.match(await admin.locator('main').innerText(), /Postcode data in force\s+ONSPD February 2026/);

  // Only hub administrators may upload.
  const resident = await newPage(browser);
  await signIn(resident, hub.url, 'resident@example.org');
  const res = await resident.goto(hub.url + '/admin/geography');
  assert.equal(res.status(), 403);
  await admin.context().close();
  await resident.context().close();
});
