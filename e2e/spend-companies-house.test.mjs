import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

// A local stand-in for the Companies House search API, answering
// GET /search/companies in its documented shape from the fixtures the Go
// tests use; it refuses any key but the one the hub is given.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'internal', 'companieshouse', 'testdata');
const answers = { 'Zyxwv Widgets Ltd': 'search-zyxwv.json', 'Qwerty Care Services': 'search-qwerty.json' };
const asked = [];
const api = createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const auth = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
  if (u.pathname !== '/search/companies' || auth !== 'e2e-key:') {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end('{"error":"Invalid Authorization","type":"ch:service"}');
    return;
  }
  asked.push(u.searchParams.get('q'));
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(readFileSync(join(fixtures, answers[u.searchParams.get('q')] || 'search-empty.json')));
});

let hub, browser;
before(async () => {
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  // serve reads every flag from SVHUB_* too; the hub inherits these.
  process.env.SVHUB_COMPANIES_HOUSE_KEY = 'e2e-key';
  process.env.SVHUB_COMPANIES_HOUSE_URL = `http://127.0.0.1:${api.address().port}`;
  hub = await startHub();
  delete process.env.SVHUB_COMPANIES_HOUSE_KEY;
  delete process.env.SVHUB_COMPANIES_HOUSE_URL;
  browser = await launch();
});
after(async () => { await browser?.close(); await hub?.stop(); api.close(); });

test('an officer searches Companies House from the resolution page and confirms a company it found', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svhub-ch-'));
  const spendFile = join(dir, 'june.csv');
  writeFileSync(spendFile, 'Payment Date,Supplier Name,Net Amount\n' +
    '01/06/2026,Zyxwv Widgets Ltd,"900,000.00"\n' +
    '02/06/2026,Qwerty Care Services,"500,000.00"\n');
  const officer = await newPage(browser);
  await signIn(officer, hub.url, 'buyer@example.org');
  await visit(officer, hub.url, '/spend/upload');
  await officer.getByLabel('Spend file').setInputFiles(spendFile);
  await officer.getByRole('button', { name: 'Upload and import' }).click();
  await officer.locator('#upload-status .govuk-tag').filter({ hasText: 'done' }).waitFor({ timeout: 20000 });

  await visit(officer, hub.url, '/spend/resolve');
  await officer.getByRole('heading', { name: 'Companies House search' }).waitFor();
  await check(officer);
  await officer.getByLabel('Buyer').selectOption({ label: 'Manchester City Council' });
  await officer.getByRole('button', { name: 'Search Companies House now' }).click();
  await officer.getByText(/Searching Companies House for Manchester City Council/).waitFor();

  // The job runs in the background (the runner polls every 2 s).
  const placedTable = officer.locator('#companies-house-placed');
  for (let i = 0; i < 30 && !(await placedTable.getByRole('cell', { name: /^ZYXWV WIDGETS LIMITED company/ }).count()); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await visit(officer, hub.url, '/spend/resolve');
  }
  await placedTable.getByRole('cell', { name: /^ZYXWV WIDGETS LIMITED company/ }).waitFor({ timeout: 1000 });
  assert.ok(asked.includes('Zyxwv Widgets Ltd') && asked.includes('Qwerty Care Services'), `names sent: ${asked}`);
  const proposals = officer.locator('#companies-house-proposals');
  await proposals.getByRole('cell', { name: /^QWERTY CARE SERVICES \(NORTH WEST\) LIMITED company/ }).waitFor();
  await check(officer);

  await proposals.getByRole('button', { name: /Same company\s*: Qwerty Care Services is QWERTY CARE SERVICES/ }).click();
  await officer.getByText(/Confirmed: "Qwerty Care Services" is QWERTY CARE SERVICES \(NORTH WEST\) LIMITED/).waitFor();
  await placedTable.getByRole('cell', { name: 'Confirmed by Bea Buyer' }).waitFor();
  await check(officer);
  await officer.context().close();
});
