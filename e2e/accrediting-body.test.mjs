import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

// Issue 17 part 2: a hub administrator designates a directory organisation
// as the accrediting body of one scheme; its member rejects a claimed
// accreditation with a reason, then verifies it with a link and the
// certificate, and the organisation's page says the body verified it and
// offers the certificate. axe-core on every page.
test('an accrediting body verifies and rejects its scheme\'s accreditations', async () => {
  const body = await as('vcse-admin@example.org');
  await visit(body, hub.url, '/account');
  await body.getByRole('link', { name: 'Moss Side Community Kitchen' }).click();
  await check(body);
  const bodyURL = body.url();
  assert.equal(await body.getByRole('link', { name: 'Accreditations to check' }).count(), 0);

  const admin = await as('admin@example.org');
  await admin.goto(bodyURL);
  await check(admin);
  await admin.getByRole('button', { name: 'Designate accrediting body' }).click();
  await check(admin);
  await admin.locator('.govuk-error-summary').getByText('Choose the accreditation scheme this organisation accredits').waitFor();
  await admin.getByLabel('Designate as the accrediting body for').selectOption({ label: 'Fair Tax Mark' });
  await admin.getByRole('button', { name: 'Designate accrediting body' }).click();
  await check(admin);
  await admin.getByText('is the accrediting body for the Fair Tax Mark').first().waitFor();
  await admin.context().close();

  await body.goto(bodyURL);
  await check(body);
  await body.getByRole('link', { name: 'Accreditations to check' }).click();
  await check(body);
  await body.getByRole('heading', { name: 'Fair Tax Mark' }).waitFor();
  assert.equal(await body.getByRole('heading', { name: 'Real Living Wage employer' }).count(), 0, 'another scheme is listed');
  const row = body.locator('tbody tr').first();
  const org = (await row.locator('td').first().innerText()).trim();
  await row.getByRole('link', { name: /Verify or reject/ }).click();
  await check(body);
  await body.getByText('You are checking this for Moss Side Community Kitchen').waitFor();

  // Rejecting needs a reason.
  await body.getByRole('button', { name: 'Reject accreditation' }).click();
  await check(body);
  await body.locator('.govuk-error-summary').getByText(/Enter why the accreditation is rejected/).waitFor();
  await body.getByLabel('Why it is rejected').fill('Not on the Fair Tax Mark register REJECT-E2E');
  await body.getByRole('button', { name: 'Reject accreditation' }).click();
  await check(body);
  await body.getByText('REJECT-E2E').waitFor();
  assert.match(await body.locator('tbody tr').filter({ hasText: org }).first().innerText(), /Rejected/);

  // Then verifies it with evidence.
  await body.locator('tbody tr').filter({ hasText: org }).first().getByRole('link', { name: /Verify or reject/ }).click();
  await check(body);
  await body.getByLabel('Evidence you checked (web address)').fill('https://fairtaxmark.example/register/entry-42');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n');
  await body.getByLabel(/^Certificate you checked/).setInputFiles({ name: 'ftm-certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
  await body.getByRole('button', { name: 'Verify accreditation' }).click();
  await check(body);
  await body.getByText('Fair Tax Mark verified').waitFor();
  await body.getByRole('link', { name: org }).first().click();
  await check(body);
  await body.getByText('by Moss Side Community Kitchen on').first().waitFor();
  const [download] = await Promise.all([body.waitForEvent('download'), body.getByRole('link', { name: /certificate checked/ }).first().click()]);
  assert.equal(download.suggestedFilename(), 'ftm-certificate.pdf');
  assert.deepEqual(readFileSync(await download.path()), pdf, 'the certificate downloads as uploaded');
  await body.context().close();
});
