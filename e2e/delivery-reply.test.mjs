import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn, latestEmail } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

async function as(email) {
  const page = await newPage(browser);
  await signIn(page, hub.url, email);
  return page;
}

// Issue 17 part 3: the buyer queries a delivery line, the supplier answers
// with a file, the buyer verifies, and the resident who flagged the claim
// is emailed the buyer's public response.
test('a supplier answers a query with a file, the buyer verifies, the resident is emailed', async () => {
  const supplier = await as('supplier@example.org');
  await visit(supplier, hub.url, '/contracts');
  await supplier.getByRole('link', { name: 'Community centre refurbishment' }).first().click();
  await check(supplier);
  const contractURL = supplier.url().replace(/#.*$/, '');
  await supplier.getByRole('link', { name: 'Report delivery' }).click();
  await check(supplier);
  await supplier.getByLabel(/^Delivered this period/).first().fill('4');
  await supplier.getByLabel(/^Evidence:/).first().fill('Volunteer sign-in sheets REPLY-E2E');
  await supplier.getByLabel('This is attributable only to this contract and this period').first().check();
  await supplier.getByLabel('This is additional to what would have happened anyway').first().check();
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  await supplier.getByText(/Delivery report submitted with 1 line/).waitFor();

  // The buyer queries the line.
  const buyer = await as('buyer@example.org');
  await buyer.goto(contractURL);
  await check(buyer);
  const card = (p) => p.locator('.govuk-summary-card').filter({ hasText: 'REPLY-E2E' });
  await card(buyer).getByLabel('Query', { exact: true }).check();
  await card(buyer).getByLabel(/^Message to the supplier/).fill('Please send the signed sheets.');
  await card(buyer).getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line queried').waitFor();

  // A resident flags the claim.
  const resident = await as('resident@example.org');
  await resident.goto(contractURL);
  await check(resident);
  await card(resident).getByText('Flag a concern about this claim').click();
  await card(resident).getByLabel(/^What do you know about this/).fill('I volunteer there and saw only two people.');
  await card(resident).getByRole('button', { name: 'Send concern' }).click();
  await check(resident);
  await resident.getByText('Your concern has gone to the buyer').waitFor();

  // The supplier answers with a PDF; a program renamed as a PDF is refused first.
  await supplier.goto(contractURL);
  await check(supplier);
  await card(supplier).getByLabel("Your answer to the buyer's query").fill('Signed sheets attached.');
  await card(supplier).getByLabel(/^Evidence files/).setInputFiles({ name: 'sheets.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
  await card(supplier).getByRole('button', { name: 'Send answer' }).click();
  await check(supplier);
  await supplier.getByText(/sheets\.pdf is a program/).first().waitFor();
  await card(supplier).getByLabel("Your answer to the buyer's query").fill('Signed sheets attached.');
  await card(supplier).getByLabel(/^Evidence files/).setInputFiles({ name: 'sheets.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await card(supplier).getByRole('button', { name: 'Send answer' }).click();
  await check(supplier);
  await supplier.getByText('Your answer has been sent to the buyer').waitFor();
  await supplier.context().close();

  // The buyer sees the thread, verifies, and responds to the concern.
  await buyer.goto(contractURL);
  await check(buyer);
  await card(buyer).getByText('Signed sheets attached.').waitFor();
  await card(buyer).getByRole('link', { name: 'sheets.pdf' }).waitFor();
  await card(buyer).getByLabel('Verify', { exact: true }).check();
  await card(buyer).getByRole('button', { name: 'Record decision' }).click();
  await check(buyer);
  await buyer.getByText('Line verified').waitFor();
  await card(buyer).getByLabel('Public response').fill('We checked the signed sheets: four volunteers attended. RESPONSE-E2E');
  await card(buyer).getByRole('button', { name: 'Publish response' }).click();
  await check(buyer);
  await buyer.getByText('Response published').waitFor();
  await buyer.context().close();
  await resident.context().close();

  const mail = await latestEmail(browser, hub.url, 'resident@example.org');
  assert.match(mail, /RESPONSE-E2E/);
});
