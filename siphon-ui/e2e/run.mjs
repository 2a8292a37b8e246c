// End-to-end test of the web UI in a real browser: Playwright (playwright-core, no browser
// download) driving the machine's chromium. Started by siphon-dist's WebUiE2EIT, which runs the
// server and two embedded PostgreSQL servers and writes rows at the source when this script
// prints "e2e: write rows" (and answers "caught up" once the target equals the source after
// "e2e: stop writing"). Every step prints one line; the first failure exits 1 with its reason.
//
// Environment: SIPHON_URL, SIPHON_ADMIN_PASSWORD, SOURCE_JDBC, TARGET_JDBC, DB_USER, CHROMIUM
// (the browser's path), SCREENSHOTS (folder for the README's images).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};
const base = env('SIPHON_URL').replace(/\/$/, '');
const adminPassword = env('SIPHON_ADMIN_PASSWORD');
const screenshots = env('SCREENSHOTS');
const viewerPassword = 'viewer-password-1';
const PIPELINE = 'shop-to-warehouse';
const started = Date.now();
const step = (text) => console.log(`e2e [${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);

class Failure extends Error {}

// The test answers "caught up" on standard input once the target equals the source.
const caughtUp = new Promise((resolve) => {
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => chunk.includes('caught up') && resolve());
});
const check = (condition, message) => {
  if (!condition) throw new Failure(message);
};

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  // Playwright gives each launch a fresh profile (--user-data-dir) of its own.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const consoleErrors = [];
const watch = (page) => {
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A refused request is logged by the browser itself; those the test provokes are expected.
    if (m.type() === 'error' && !/status of 40[013]/.test(m.text())) consoleErrors.push(m.text());
  });
};

try {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await admin.newPage();
  watch(page);
  page.setDefaultTimeout(30_000);

  // A page behind sign-in returns to it, and comes back after.
  await page.goto(`${base}/connections`);
  await page.waitForURL(/\/login\?next=%2Fconnections$/);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const load = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const bytes = performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize ?? 0), nav.transferSize ?? 0);
    return { loaded: Math.round(nav.loadEventEnd), bytes };
  });
  step(`signed out: /connections went to the sign-in page (first load, cold cache: load event at ${load.loaded} ms, ${Math.round(load.bytes / 1024)} KiB transferred)`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/connections`);
  step('signed in as admin');

  // Both connections through the catalog's form.
  for (const [name, url] of [['shop', env('SOURCE_JDBC')], ['warehouse', env('TARGET_JDBC')]]) {
    await page.getByRole('button', { name: 'New connection' }).click();
    const form = page.getByRole('form', { name: 'New connection' });
    await form.locator('#conn-name').fill(name);
    await form.locator('#conn-type').selectOption('postgres');
    await form.locator('#opt-url').fill(url);
    await form.locator('#opt-user').fill(env('DB_USER'));
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator(`tr[data-connection="${name}"]`).waitFor();
    step(`created connection ${name} through the form`);
  }
  const shopRow = page.locator('tr[data-connection="shop"]');
  await shopRow.getByRole('button', { name: 'as cdc' }).click();
  await shopRow.getByText('OK for cdc').waitFor();
  step('tested shop for cdc: OK shown inline');
  await shopRow.getByRole('button', { name: 'Tables' }).click();
  await page.getByRole('button', { name: 'public.orders' }).click();
  await page.locator('table.columns').getByText('numeric(12,2)').waitFor();
  step('browsed shop\'s tables and the columns of public.orders');

  // A viewer, made on the users page.
  await page.getByRole('link', { name: 'Users' }).click();
  const newUser = page.getByRole('form', { name: 'New user' });
  await newUser.getByLabel('User name').fill('watcher');
  await newUser.getByLabel('Password').fill(viewerPassword);
  await newUser.getByLabel('Role').selectOption('viewer');
  await newUser.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('cell', { name: 'watcher', exact: true }).waitFor();
  step('created the viewer watcher');

  // The designer: draw source and sink, validate with one field left wrong, then right.
  await page.getByRole('link', { name: 'Pipelines' }).click();
  await page.getByRole('link', { name: 'New pipeline' }).click();
  await page.locator('.react-flow__node').first().waitFor();
  await page.locator('#pipeline-name').fill(PIPELINE);
  await page.locator('#pipeline-mode').selectOption('snapshot+cdc');
  await page.locator('#source-connection').selectOption('shop');
  for (const table of ['public.customers', 'public.orders']) {
    await page.locator('.table-picker li', { hasText: table }).getByRole('checkbox').check();
  }
  const yaml = await page.locator('#pipeline-yaml').inputValue();
  check(yaml.includes('connection: shop') && yaml.includes('- public.orders'), `the YAML follows the canvas:\n${yaml}`);
  step('source drawn; the YAML beside it follows');
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.locator('.node-panel').getByRole('tab', { name: /sink/ }).click();
  const sinkError = page.locator('.field.invalid:has(#sink-connection) .field-error');
  await sinkError.waitFor();
  const sinkErrorText = await sinkError.textContent();
  check(/sink/.test(sinkErrorText), `the missing sink is shown on its field: ${sinkErrorText}`);
  check(await page.locator('.flow-node.sink.invalid').count() === 1, 'the sink node is marked invalid');
  step(`validate: the deliberate error is on the sink's connection field: "${sinkErrorText}"`);
  await page.locator('#sink-connection').selectOption('warehouse');
  // An edit in the YAML reaches the canvas too.
  const edited = (await page.locator('#pipeline-yaml').inputValue()).replace('{schema}.{table}', 'public.{table}');
  await page.locator('#pipeline-yaml').fill(edited);
  check(await page.locator('#sink-table').inputValue() === 'public.{table}', 'the YAML edit reached the sink form');
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByText('Valid: 2 tables.').waitFor();
  await page.getByRole('cell', { name: /^id int64 not null, customer_id int32, total decimal\(12,2\)/ }).waitFor();
  step('validate: valid after the fix, with each target\'s columns shown; a YAML edit reached the form');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'ui-designer.png') });

  await page.getByRole('button', { name: 'Save and start' }).click();
  await page.waitForURL(`${base}/pipelines/${PIPELINE}`);
  const bars = page.locator('.tables-progress [role=progressbar]');
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('.tables-progress [role=progressbar]')];
    return all.length === 2 && all.every((b) => b.getAttribute('aria-valuenow') === '100');
  }, null, { timeout: 90_000 });
  step(`started; snapshot progress reached 100% on ${await bars.count()} tables`);
  await page.locator('.phase', { hasText: 'streaming' }).waitFor({ timeout: 60_000 });

  console.log('e2e: write rows');
  const inserts = page.locator('tr[data-table="public.orders"] td[data-op="insert"]');
  const count = async () => Number((await inserts.textContent()).replace(/,/g, ''));
  await page.waitForFunction(() => Number(document.querySelector('tr[data-table="public.orders"] td[data-op="insert"]')?.textContent?.replace(/,/g, '') ?? 0) > 0, null, { timeout: 60_000 });
  const first = await count();
  await page.waitForFunction((n) => Number(document.querySelector('tr[data-table="public.orders"] td[data-op="insert"]')?.textContent?.replace(/,/g, '') ?? 0) > n, first, { timeout: 60_000 });
  step(`stream counters move while rows are written: inserts ${first} -> ${await count()}`);
  await page.screenshot({ path: join(screenshots, 'ui-pipeline-live.png') });
  console.log('e2e: stop writing');
  await caughtUp;
  step('the test saw the target equal to the source');

  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('[data-state=STOPPED]').first().waitFor({ timeout: 60_000 });
  step('stopped');

  // A narrow window still shows the pipeline page.
  await page.setViewportSize({ width: 420, height: 800 });
  await page.getByRole('heading', { name: /Tables/ }).waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });

  // A viewer sees everything and no button that changes something; the API refuses it.
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const viewer = await viewerContext.newPage();
  watch(viewer);
  viewer.setDefaultTimeout(30_000);
  await viewer.goto(`${base}/login`);
  await viewer.getByLabel('User name').fill('watcher');
  await viewer.getByLabel('Password').fill(viewerPassword);
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await viewer.locator(`tr[data-pipeline="${PIPELINE}"]`).waitFor();
  check(await viewer.getByRole('link', { name: 'New pipeline' }).count() === 0, 'a viewer sees no New pipeline');
  await viewer.getByRole('link', { name: PIPELINE }).click();
  await viewer.locator('.tables-progress [role=progressbar]').first().waitFor();
  for (const name of ['Start', 'Stop', 'Edit', 'Resnapshot', 'Copy again']) {
    check(await viewer.getByRole('button', { name, exact: true }).count() === 0 && await viewer.getByRole('link', { name, exact: true }).count() === 0,
      `a viewer sees no ${name} button`);
  }
  await viewer.getByRole('link', { name: 'Connections' }).click();
  await viewer.locator('tr[data-connection="shop"]').waitFor();
  for (const name of ['New connection', 'Edit', 'Delete', 'as cdc']) {
    check(await viewer.getByRole('button', { name, exact: true }).count() === 0, `a viewer sees no ${name} button`);
  }
  check(await viewer.getByRole('link', { name: 'Users' }).count() === 0, 'a viewer sees no Users page');
  const refused = await viewer.evaluate(async (name) => {
    const r = await fetch(`/api/v1/pipelines/${name}/start`, { method: 'POST' });
    return { status: r.status, code: (await r.json()).code };
  }, PIPELINE);
  check(refused.status === 403 && refused.code === 'ACCESS_DENIED', `the API refuses the viewer: ${JSON.stringify(refused)}`);
  step('viewer: no edit buttons, and the API answers 403 ACCESS_DENIED to a start');

  check(consoleErrors.length === 0, `no console errors, but:\n${consoleErrors.join('\n')}`);
  step('no console errors');
  console.log('e2e: passed');
} catch (e) {
  console.log(`e2e: FAILED: ${e instanceof Failure ? e.message : (e?.stack ?? e)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdin.destroy();
}
