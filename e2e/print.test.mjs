// The evaluation and award pages open with a plain summary and print as a
// clean committee report: printed to PDF in print media, with no site
// navigation, header, footer or buttons, and no table cut at the edge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

// A4 is 210 mm wide: 794 CSS px, less the printer's margins.
const PAPER_WIDTH = 718;

async function openTender(page, title, link) {
  await visit(page, hub.url, '/tenders');
  await page.getByRole('link', { name: title, exact: true }).first().click();
  await check(page);
  await page.getByRole('link', { name: link }).click();
  await check(page);
}

async function assertPrints(page, name) {
  await page.setViewportSize({ width: PAPER_WIDTH, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const report = await page.evaluate(() => {
    // Not displayed: its own computed display, or an ancestor's, is none.
    const gone = (el) => { for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return true; return false; };
    const hidden = (sel) => [...document.querySelectorAll(sel)].every(gone);
    const shown = (sel) => [...document.querySelectorAll(sel)].some((el) => getComputedStyle(el).display !== 'none');
    const cut = [...document.querySelectorAll('table, .svhub-table-scroll')]
      .filter((el) => getComputedStyle(el).display !== 'none' && (el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > document.documentElement.clientWidth))
      .map((el) => `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') || el.querySelector('caption')?.textContent || ''}" ${el.scrollWidth} > ${el.clientWidth}`);
    const scrolls = [...document.querySelectorAll('.svhub-table-scroll')].map((el) => getComputedStyle(el)).filter((s) => s.overflowX !== 'visible' || s.maxHeight !== 'none').length;
    return {
      navHidden: document.querySelectorAll('.govuk-service-navigation').length > 0 && getComputedStyle(document.querySelector('.govuk-service-navigation')).display === 'none' && hidden('nav'),
      headerHidden: hidden('.govuk-header'),
      footerHidden: document.querySelectorAll('.govuk-footer').length > 0 && getComputedStyle(document.querySelector('.govuk-footer')).display === 'none',
      bannerHidden: hidden('.govuk-phase-banner'),
      buttonsHidden: hidden('button, .govuk-button'),
      printedLine: shown('.svhub-print-only') ? document.querySelector('.svhub-print-only').textContent : '',
      titleShown: shown('h1'),
      pageWide: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      cut, scrolls,
    };
  });
  assert.ok(report.navHidden, `${name}: the navigation is printed`);
  assert.ok(report.headerHidden, `${name}: the header is printed`);
  assert.ok(report.footerHidden, `${name}: the footer is printed`);
  assert.ok(report.bannerHidden, `${name}: the phase banner is printed`);
  assert.ok(report.buttonsHidden, `${name}: a button is printed`);
  assert.ok(report.titleShown, `${name}: the page title is not printed`);
  assert.match(report.printedLine, /^Printed on \d{1,2} [A-Z][a-z]+ \d{4} from Social Value Hub$/, `${name}: no printed-on line`);
  assert.deepEqual(report.cut, [], `${name}: tables cut at the edge of the paper`);
  assert.ok(!report.pageWide, `${name}: the printed page is wider than the paper`);
  assert.equal(report.scrolls, 0, `${name}: a table region still scrolls in print`);
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', `${name}: no PDF`);
  console.log(`# ${name}: printed to a ${Math.round(pdf.length / 1024)} KiB PDF`);
  await page.emulateMedia({ media: 'screen' });
}

test('the buyer\'s evaluation opens with a plain summary and prints as a committee report', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'buyer@example.org');
  await openTender(page, 'Highways minor works', 'Scores and explanation');
  const summary = await page.locator('.svhub-summary').innerText();
  assert.match(summary, /scored \d+\.\d out of 100, \d+\.\d points? ahead of .+; (price|quality|social value) decided it\./);
  assert.match(summary, /What decided it/);
  const body = await page.locator('main').innerText();
  assert.doesNotMatch(body, /[ωαΣ≈]|\d{4,}\/\d{4,}|exact:/, 'the page shows symbols or exact fractions');
  await page.getByText('How this is calculated').click();
  await page.getByText('Price points = price weight').waitFor();
  await check(page);
  await assertPrints(page, 'evaluation');
});

test('People\'s Weights results open with how many took part and the top priorities', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'buyer@example.org');
  await openTender(page, 'Highways minor works', 'Scores and explanation');
  await page.getByRole('link', { name: 'See the People\'s Weights' }).click();
  await check(page);
  const summary = await page.locator('.svhub-summary').innerText();
  assert.match(summary, /\d+ people took part\. Their top three priorities were .+ \(\d+%\), .+ \(\d+%\) and .+ \(\d+%\)\./);
});

test('the award opens with a plain summary and prints as a committee report', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'buyer@example.org');
  await openTender(page, 'Home to school transport', 'Award decision and scores');
  const summary = await page.locator('.svhub-summary').innerText();
  assert.match(summary, /scored \d+\.\d out of 100, \d+\.\d points? ahead of .+; (price|quality|social value) decided it\./);
  assert.doesNotMatch(await page.locator('main').innerText(), /[ωαΣ≈]|\d{4,}\/\d{4,}/);
  await assertPrints(page, 'award');
});
