import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newPage, check, visit, signIn, latestEmail, pagesChecked } from './helpers.mjs';

let hub, browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  console.log('pages checked with axe-core: ' + pagesChecked().join(' '));
  await browser?.close();
  await hub?.stop();
});

test('public pages pass axe-core', async () => {
  const page = await newPage(browser);
  for (const path of ['/', '/about', '/accessibility', '/organisations', '/organisations?kind=vcse&sme=1', '/frameworks', '/postcode?postcode=M15+4AB', '/priorities', '/priorities/1', '/priorities/1/results', '/priorities/2', '/fund', '/fund/rounds/1', '/spend', '/proxies', '/proxies/explained', '/proxies/unit-cost-database-1.4', '/register', '/login', '/forgot', '/no-such-page']) {
    await visit(page, hub.url, path);
  }
  await visit(page, hub.url, '/organisations/manchester-city-council');
  await visit(page, hub.url, '/frameworks/1');
  await page.context().close();
});

test('home page draws the district map from our GeoJSON', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/');
  await page.locator('#gm-map path.leaflet-interactive').first().waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#gm-map path.leaflet-interactive').count(), 10);
  await check(page);
  await page.context().close();
});

test('register, confirm the email from the outbox, and sign in', async () => {
  const page = await newPage(browser);
  await visit(page, hub.url, '/register');
  // A bad submission first: errors are summarised and the values kept.
  await page.getByLabel('Full name').fill('Nia Newcomer');
  await page.getByLabel('Email address').fill('nia@example');
  await page.getByLabel('Create a password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await check(page);
  assert.match(await page.title(), /^Error:/);
  await assert.doesNotReject(page.getByText('There is a problem').waitFor());
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Nia Newcomer');

  await page.getByLabel('Email address').fill('nia@example.org');
  await page.getByLabel('Create a password').fill('correct horse battery');
  await page.getByLabel('Confirm password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await check(page);
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  const email = await latestEmail(browser, hub.url, 'nia@example.org');
  const link = email.match(/https?:\/\/\S+\/verify\?token=\S+/)[0];
  await page.goto(link);
  await check(page);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await check(page);
  await page.getByText('Your email address is confirmed').waitFor();

  await page.getByLabel('Email address').fill('nia@example.org');
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await check(page);
  await visit(page, hub.url, '/account');
  await page.getByText('Resident', { exact: true }).waitFor();
  await page.context().close();
});

test('an organisation admin invites a member who accepts', async () => {
  const admin = await newPage(browser);
  await signIn(admin, hub.url, 'business-admin@example.org');
  await visit(admin, hub.url, '/organisations/irwell-valley-joinery-ltd/members');
  // Missing role: the form says so and keeps the email.
  await admin.getByLabel('Their email address').fill('joiner@example.org');
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  await check(admin);
  assert.match(await admin.title(), /^Error:/);
  assert.equal(await admin.getByLabel('Their email address').inputValue(), 'joiner@example.org');
  await admin.getByLabel('Supplier representative').check();
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  await check(admin);
  await admin.getByText('Invitation sent to joiner@example.org').waitFor();

  const email = await latestEmail(browser, hub.url, 'joiner@example.org');
  const link = email.match(/https?:\/\/\S+\/invitations\/\S+/)[0];

  // The invitee registers, confirms and accepts.
  const invitee = await newPage(browser);
  await visit(invitee, hub.url, '/register');
  await invitee.getByLabel('Full name').fill('Jo Joiner');
  await invitee.getByLabel('Email address').fill('joiner@example.org');
  await invitee.getByLabel('Create a password').fill('sawdust and shavings');
  await invitee.getByLabel('Confirm password').fill('sawdust and shavings');
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await check(invitee);
  const verify = (await latestEmail(browser, hub.url, 'joiner@example.org')).match(/https?:\/\/\S+\/verify\?token=\S+/)[0];
  await invitee.goto(verify);
  await invitee.getByRole('button', { name: 'Confirm my email address' }).click();
  await signIn(invitee, hub.url, 'joiner@example.org', 'sawdust and shavings');
  await invitee.goto(link);
  await check(invitee);
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await check(invitee);
  await invitee.getByText('You have joined Irwell Valley Joinery Ltd as Supplier representative').waitFor();

  await admin.reload();
  await check(admin);
  await admin.getByRole('cell', { name: 'joiner@example.org' }).waitFor();
  await admin.context().close();
  await invitee.context().close();
});

test('a hub administrator creates, edits and publishes a framework edition', async () => {
  const page = await newPage(browser);
  await signIn(page, hub.url, 'admin@example.org');
  await visit(page, hub.url, '/admin');
  await visit(page, hub.url, '/frameworks/1');
  await page.getByLabel('Start a new draft edition from this one').fill('2027');
  await page.getByRole('button', { name: 'Create draft edition' }).click();
  await check(page);
  await page.getByText('Draft edition 2027 created').waitFor();
  const draftURL = page.url();
  await visit(page, hub.url, new URL(draftURL).pathname.replace('/frameworks/', '/admin/frameworks/') + '/edit');
  await page.goto(draftURL);

  await page.getByRole('link', { name: 'Edit measure GM-P4-01' }).click();
  await check(page);
  await page.getByLabel('Wording').fill('');
  await page.getByRole('button', { name: 'Save measure' }).click();
  await check(page);
  assert.match(await page.title(), /^Error:/);
  await page.getByLabel('Wording').fill('Hours staff volunteer with Greater Manchester community organisations');
  await page.getByRole('button', { name: 'Save measure' }).click();
  await check(page);
  await page.getByText('Measure GM-P4-01 saved').waitFor();

  await page.getByRole('button', { name: 'Publish edition 2027' }).click();
  await check(page);
  await page.getByText('Edition published').waitFor();
  assert.equal(await page.getByRole('link', { name: /Edit measure/ }).count(), 0, 'a published edition offers no edit links');
  assert.equal(page.url(), draftURL);

  // The admin pages a hub administrator uses.
  await visit(page, hub.url, '/admin/audit?action=framework.');
  await page.getByRole('cell', { name: 'framework.publish' }).first().waitFor();
  for (const path of ['/admin/users', '/admin/outbox', '/admin/frameworks/import']) {
    await visit(page, hub.url, path);
  }
  await page.context().close();
});
