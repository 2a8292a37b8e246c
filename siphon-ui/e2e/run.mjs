// End-to-end test of the web UI in a real browser: Playwright (playwright-core, no browser
// download) driving the machine's chromium. Started by siphon-dist's WebUiE2EIT, which runs the
// server and two embedded PostgreSQL servers and writes rows at the source when this script
// prints "e2e: write rows" (and answers "caught up" once the target equals the source after
// "e2e: stop writing"). Every step prints one line; the first failure exits 1 with its reason.
// Lines starting "e2e: measured" are numbers (render and filter times of a catalog of 1,000
// tables, frame timing of the live page of 50 tables), printed, never compared to a threshold.
//
// Environment: SIPHON_URL, SIPHON_ADMIN_PASSWORD, SOURCE_JDBC, TARGET_JDBC, DB_USER, CHROMIUM
// (the browser's path), SCREENSHOTS (folder the screenshots go to: docs/images only when asked),
// LIVE_TABLES (how many tables the pipeline has: public's two and the live schema's).
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
const liveTables = Number(env('LIVE_TABLES'));
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

/**
 * Presses Tab until the focused element matches (a selector, and a text when given), then checks
 * that the focus is visible; returns how many presses it took.
 */
const tabTo = async (page, what, selector, text) => {
  for (let presses = 1; presses <= 60; presses++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(([sel, txt]) => {
      const el = document.activeElement;
      if (!el || !el.matches(sel) || (txt && el.textContent.trim() !== txt)) return null;
      const style = getComputedStyle(el);
      return { visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
    }, [selector, text ?? null]);
    if (focus) {
      check(focus.visible, `${what} has focus but shows no focus outline`);
      return presses;
    }
  }
  throw new Failure(`${what} is not reached with Tab`);
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

mkdirSync(screenshots, { recursive: true });
let page;
try {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await admin.newPage();
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
  let t0 = Date.now();
  await page.locator('#source-connection').selectOption('shop');
  await page.locator('.table-picker li').nth(49).waitFor();
  const listed = Date.now() - t0;
  const catalog = await page.locator('.table-picker .pager span').textContent();
  t0 = Date.now();
  await page.getByLabel('Search source tables').fill('wide.t09');
  await page.waitForFunction(() => {
    const items = [...document.querySelectorAll('.table-picker li')];
    return items.length > 0 && items.every((li) => li.textContent.includes('wide.t09'));
  });
  const filtered = Date.now() - t0;
  console.log(`e2e: measured table picker over a catalog of ${catalog.replace(/.* of /, '')} tables: first page of 50 on screen ${listed} ms after choosing the connection, `
    + `filtered to ${(await page.locator('.table-picker .pager span, .table-picker p.muted').textContent()).replace(/.* of /, '')} ${filtered} ms after typing (server search included)`);
  await page.getByLabel('Search source tables').fill('public.');
  for (const table of ['public.customers', 'public.orders']) {
    await page.locator('.table-picker li', { hasText: table }).getByRole('checkbox').check();
  }
  const yaml = await page.locator('#pipeline-yaml').inputValue();
  check(yaml.includes('connection: shop') && yaml.includes('- public.orders'), `the YAML follows the canvas:\n${yaml}`);
  await page.locator('#source-tables').fill('public.customers, public.orders, live.*');
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
  await page.getByText(`Valid: ${liveTables} tables.`).waitFor();
  await page.getByRole('cell', { name: /^id int64 not null, customer_id int32, total decimal\(12,2\)/ }).waitFor();
  await page.getByLabel('Output of sink').getByText('public.orders').first().waitFor();
  step('validate: valid after the fix, with each target\'s columns and the sink node\'s output shown; a YAML edit reached the form');
  await page.screenshot({ path: join(screenshots, 'ui-designer.png') });

  await page.getByRole('button', { name: 'Save and start' }).click();
  await page.waitForURL(`${base}/pipelines/${PIPELINE}`);
  const bars = page.locator('.tables-progress [role=progressbar]');
  await page.waitForFunction((n) => {
    const all = [...document.querySelectorAll('.tables-progress [role=progressbar]')];
    return all.length === n && all.every((b) => b.getAttribute('aria-valuenow') === '100');
  }, liveTables, { timeout: 90_000 });
  step(`started; snapshot progress reached 100% on ${await bars.count()} tables`);
  await page.locator('.phase', { hasText: 'streaming' }).waitFor({ timeout: 60_000 });

  console.log('e2e: write rows');
  const inserts = page.locator('tr[data-table="public.orders"] td[data-op="insert"]');
  const count = async () => Number((await inserts.textContent()).replace(/,/g, ''));
  await page.waitForFunction(() => Number(document.querySelector('tr[data-table="public.orders"] td[data-op="insert"]')?.textContent?.replace(/,/g, '') ?? 0) > 0, null, { timeout: 60_000 });
  const first = await count();
  await page.waitForFunction((n) => Number(document.querySelector('tr[data-table="public.orders"] td[data-op="insert"]')?.textContent?.replace(/,/g, '') ?? 0) > n, first, { timeout: 60_000 });
  step(`stream counters move while rows are written: inserts ${first} -> ${await count()}`);
  const frames = await page.evaluate(() => new Promise((resolve) => {
    const gaps = [];
    let updates = 0;
    const observer = new MutationObserver(() => updates++);
    observer.observe(document.querySelector('.tables-progress tbody'), { subtree: true, characterData: true, childList: true });
    let last = performance.now();
    const end = last + 10_000;
    const tick = (now) => {
      gaps.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else {
        observer.disconnect();
        resolve({ gaps, updates });
      }
    };
    requestAnimationFrame(tick);
  }));
  const sorted = [...frames.gaps].sort((a, b) => a - b);
  const longest = sorted[sorted.length - 1];
  console.log(`e2e: measured live page of ${liveTables} tables over 10 s: ${frames.gaps.length} frames, `
    + `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)].toFixed(1)} ms, longest ${longest.toFixed(1)} ms, `
    + `${frames.gaps.filter((g) => g > 50).length} over 50 ms; ${frames.updates} changes to the table list`);
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

  // Keyboard only: sign in, go to the pipeline, reach its Start button; the focus always shows.
  const keys = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const kb = await keys.newPage();
  watch(kb);
  kb.setDefaultTimeout(30_000);
  await kb.goto(`${base}/login`);
  await kb.getByRole('button', { name: 'Sign in' }).waitFor();
  check(await kb.evaluate(() => document.activeElement?.getAttribute('name')) === 'username', 'the sign-in form starts in the user name');
  await kb.keyboard.type('admin');
  await kb.keyboard.press('Tab');
  await kb.keyboard.type(adminPassword);
  await kb.keyboard.press('Enter');
  await kb.locator('.top nav').waitFor();
  let presses = await tabTo(kb, 'the Pipelines link', 'a[href="/pipelines"]');
  await kb.keyboard.press('Enter');
  await kb.waitForURL(`${base}/pipelines`);
  await kb.locator(`tr[data-pipeline="${PIPELINE}"]`).waitFor();
  presses += await tabTo(kb, `the link to ${PIPELINE}`, `a[href="/pipelines/${PIPELINE}"]`);
  await kb.keyboard.press('Enter');
  await kb.waitForURL(`${base}/pipelines/${PIPELINE}`);
  await kb.getByRole('button', { name: 'Start', exact: true }).waitFor();
  presses += await tabTo(kb, 'the Start button', 'button', 'Start');
  step(`keyboard only: signed in, opened ${PIPELINE} and reached its Start button (${presses} Tab presses), focus outlined at each stop`);
  await keys.close();

  // The designer draws a graph: a filter after the source (still a chain: linear YAML), a second
  // sink (fan-out: graph YAML), a union of two sources; errors on their node; each node's output.
  await page.goto(`${base}/pipelines/new`);
  await page.locator('.react-flow__node').first().waitFor();
  const yamlText = () => page.locator('#pipeline-yaml').inputValue();
  await page.locator('#pipeline-name').fill('shop-graph');
  await page.locator('#source-connection').selectOption('shop');
  await page.locator('#source-tables').fill('public.orders');
  await page.locator('#add-node-kind').selectOption('filter');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('#opt-where').fill('row.total > 100.0');
  check((await yamlText()).includes('transforms:\n  - filter:\n      where: row.total > 100.0\nsink:'), `a chain stays linear:\n${await yamlText()}`);
  await page.locator('[data-node-tab="sink"]').click();
  await page.locator('#sink-connection').selectOption('warehouse');
  await page.locator('#sink-table').fill('public.big_{table}');
  await page.locator('[data-node-tab="source"]').click();
  await page.locator('#add-node-kind').selectOption('sink');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('#sink-2-connection').selectOption('warehouse');
  await page.locator('#sink-2-table').fill('public.all_{table}');
  const fanOut = await yamlText();
  check(fanOut.includes('nodes:\n') && fanOut.includes('  - id: filter\n') && fanOut.includes('  - from: source\n    to: sink-2\n'),
    `a fan-out is written as a graph:\n${fanOut}`);
  step('designer: a filter keeps the linear YAML; a second sink turns it into nodes and edges');
  // A union of two sources into the second sink (the sink is selected: the new nodes stand apart).
  await page.locator('#add-node-kind').selectOption('union');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('#opt-source-column').fill('origin');
  await page.locator('#add-node-kind').selectOption('source');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('#source-2-connection').selectOption('shop');
  await page.locator('#source-2-tables').fill('public.orders');
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.locator('.flow-node.invalid[data-node="source-2"]').waitFor();
  step(`validate: the unconnected source is marked on its node ("${await page.locator('[data-panel="source-2"] .field-error').first().textContent()}")`);
  await page.locator('[data-node-tab="union"]').click();
  for (const from of ['source', 'source-2']) {
    await page.getByLabel('Connect from').selectOption(from);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
  }
  await page.locator('[data-node-tab="sink-2"]').click();
  await page.getByRole('button', { name: 'Disconnect source', exact: true }).click();
  await page.getByLabel('Connect from').selectOption('union');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('[data-node-tab="union"]').click();
  const graph = await yamlText();
  check(graph.includes('  - from: source-2\n    to: union\n') && graph.includes('  - from: union\n    to: sink-2\n')
    && graph.includes('  - from: source\n    to: filter\n'), `the union and the fan-out are in the YAML:\n${graph}`);
  step(`designer: a union of two sources and a fan-out to two sinks are drawn (${await page.locator('.react-flow__edge').count()} edges) and written as nodes and edges`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshots, 'ui-designer-graph.png') });
  // The finished graph validates, and the union's output carries the column naming each row's source.
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByText('Valid: 1 table.').waitFor();
  const unionOutput = page.getByLabel('Output of union');
  await unionOutput.getByText('public.orders').first().waitFor();
  await unionOutput.getByRole('cell', { name: 'origin', exact: true }).waitFor();
  check(await page.locator('.flow-node.invalid').count() === 0, 'no node is marked invalid');
  step('validate: the union and fan-out graph is valid, with the union node\'s output (origin column) shown');


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
  // What the page said, to tell a wrong page from a slow one.
  const said = await page?.evaluate(() => ({
    url: location.pathname,
    alerts: [...document.querySelectorAll('[role=alert], [role=status]')].map((a) => a.textContent),
    yaml: document.querySelector('#pipeline-yaml')?.value,
    nodeSchema: document.querySelector('.node-schema')?.textContent,
  })).catch(() => null);
  if (said) console.log(`e2e: the page at the failure: ${JSON.stringify(said)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  process.stdin.destroy();
}
