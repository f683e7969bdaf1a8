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

// A one-pixel PNG image, made here: the signature, an IHDR chunk for a
// 1×1 8-bit greyscale image, one IDAT chunk and IEND.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');

// Issue 17 part 3: a supplier's delivery report takes an evidence file; a
// program renamed as an image is refused with a message naming it and the
// report's other values are kept; the buyer sees the file on the line and
// downloads the same bytes.
test('a delivery report with an evidence file: a renamed program refused, the image reaches the buyer', async () => {
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const supplier = await as('supplier@example.org');
  await visit(supplier, hub.url, '/contracts');
  await supplier.getByRole('link', { name: 'Community centre refurbishment' }).first().click();
  await check(supplier);
  const contractURL = supplier.url().replace(/#.*$/, '');
  await supplier.getByRole('link', { name: 'Report delivery' }).click();
  await check(supplier);

  const fill = async () => {
    await supplier.getByLabel(/^Delivered this period/).first().fill('3');
    await supplier.getByLabel(/^Evidence:/).first().fill('Site photo FILES-E2E');
    await supplier.getByLabel('This is attributable only to this contract and this period').first().check();
    await supplier.getByLabel('This is additional to what would have happened anyway').first().check();
  };
  await fill();
  // A Windows program renamed site-photo.png.
  await supplier.getByLabel(/^Evidence files/).setInputFiles({ name: 'site-photo.png', mimeType: 'image/png', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) });
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  await supplier.locator('.govuk-error-summary').getByText(/site-photo\.png is a program/).waitFor();
  assert.equal(await supplier.getByLabel(/^Evidence:/).first().inputValue(), 'Site photo FILES-E2E', 'the evidence text is kept');

  await fill();
  await supplier.getByLabel(/^Evidence files/).setInputFiles({ name: 'site-photo.png', mimeType: 'image/png', buffer: png });
  await supplier.getByRole('button', { name: 'Submit report' }).click();
  await check(supplier);
  await supplier.getByText(/Delivery report submitted with 1 line/).waitFor();
  await supplier.context().close();

  // The buyer sees the file on the line and downloads it.
  const buyer = await as('buyer@example.org');
  await buyer.goto(contractURL);
  await check(buyer);
  const card = buyer.locator('.govuk-summary-card').filter({ hasText: 'FILES-E2E' });
  const link = card.getByRole('link', { name: 'site-photo.png' });
  await link.waitFor();
  const [download] = await Promise.all([buyer.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'site-photo.png');
  const path = await download.path();
  assert.deepEqual(readFileSync(path), png, 'the buyer downloads the bytes the supplier sent');
  const fileURL = new URL(await link.getAttribute('href'), contractURL).href;
  const res = await buyer.request.get(fileURL);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'image/png');
  assert.match(res.headers()['content-disposition'] || '', /attachment/);
  await buyer.context().close();

  // Someone signed out cannot download it.
  const anon = await newPage(browser);
  const r = await anon.request.get(fileURL, { maxRedirects: 0 });
  assert.notEqual(r.status(), 200, 'an anonymous visitor downloaded the evidence file');
  await anon.context().close();
});
