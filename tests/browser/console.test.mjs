// Browser test of the EOC situation console: Debian's Chromium driven by playwright-core.
//
//   node --test tests/browser/console.test.mjs
//
// Against the real services (the harness feeds a scenario first):
//   PACT_CONSOLE_URL        the page, possibly with #token=... (a sign-in link)
//   PACT_CONSOLE_TOKEN      optional: the access token, when the URL has none
//   PACT_ARTIFACT_DIR       where console.png and console-exercise.png go
//   PACT_EXPECT_MIN_CASES   the total-cases figure the page must show at least once loaded
//   PACT_ADD_CASE_CMD       shell command registering exactly one new case
//   PACT_ESCALATE_CMD       shell command making an escalation happen
//   PACT_CANARY_MARKERS     comma-separated strings no response body nor the page text may hold
//   PACT_CHROMIUM           the browser (default /usr/bin/chromium)
// Without PACT_CONSOLE_URL but with PACT_CONSOLE_FIXTURE_DIR=<built console>, the test starts
// tests/browser/fixture-server.mjs on a free port and runs against it.
import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const require = createRequire(path.join(repoRoot, 'web', 'console', 'package.json'));
const { chromium } = require('playwright-core');

const env = process.env;
const artifactDir = path.resolve(env.PACT_ARTIFACT_DIR || path.join(os.tmpdir(), 'pact-console-artifacts'));
const minCases = Number(env.PACT_EXPECT_MIN_CASES || 0);
const canaryMarkers = (env.PACT_CANARY_MARKERS || '').split(',').map((s) => s.trim()).filter(Boolean);

const STEP_TIMEOUT = 240_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns {ok: true, value}; throws with the last value after `timeout`. */
async function waitFor(probe, { timeout, interval = 250, what }) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last.value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (last seen: ${JSON.stringify(last.value)})`);
    await sleep(interval);
  }
}

function run(label, command) {
  console.log(`# ${label}: ${command}`);
  const out = execSync(command, { shell: true, stdio: ['ignore', 'pipe', 'inherit'], timeout: 180_000, encoding: 'utf8' });
  if (out.trim()) console.log(`# ${label} printed: ${out.trim().slice(0, 500)}`);
}

/** Starts the fixture server when no real console URL is given. */
async function startFixture(dir) {
  const child = spawn(process.execPath, [path.join(here, 'fixture-server.mjs'), dir, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('fixture server did not start')), 10_000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`fixture server exited (${code})`)));
  });
  const post = (hook) => `"${process.execPath}" -e "fetch('${base}_fixture/${hook}', {method: 'POST'}).then((r) => { if (!r.ok) process.exit(1); return r.text(); }).then(console.log)"`;
  return {
    child,
    base,
    url: `${base}#token=test-token`,
    addCaseCmd: post('add-case'),
    escalateCmd: post('escalate'),
    dropStreamsCmd: post('drop-streams'),
  };
}

describe('EOC situation console', { timeout: 15 * 60_000 }, () => {
  let fixture = null;
  let consoleUrl = env.PACT_CONSOLE_URL;
  let addCaseCmd = env.PACT_ADD_CASE_CMD;
  let escalateCmd = env.PACT_ESCALATE_CMD;
  let token = env.PACT_CONSOLE_TOKEN || null;

  let browser;
  let page;
  const bodies = [];
  const pendingBodies = [];
  const pageErrors = [];
  const consoleErrors = [];

  const testId = (id) => `[data-testid="${id}"]`;

  async function text(id) {
    return page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return el ? el.textContent.trim() : null;
    }, testId(id));
  }

  /** The total-cases figure: a number, 0 for a suppressed "<T", null while not shown. */
  async function totalCases() {
    const t = await text('total-cases');
    if (t === null || t === '') return null;
    if (t.startsWith('<')) return 0;
    const n = Number.parseInt(t.replace(/[^\d]/g, ''), 10);
    return Number.isFinite(n) ? n : null;
  }

  async function waitLive(timeout = 60_000) {
    await waitFor(async () => {
      const v = await text('live-status');
      return { ok: v === 'live', value: v };
    }, { timeout, what: 'live-status "live"' });
  }

  async function isVisible(id) {
    return page.locator(testId(id)).first().isVisible();
  }

  before(async () => {
    if (!consoleUrl) {
      const dir = env.PACT_CONSOLE_FIXTURE_DIR;
      assert.ok(dir, 'set PACT_CONSOLE_URL (the real console) or PACT_CONSOLE_FIXTURE_DIR (a built console, to run against the fixture server)');
      fixture = await startFixture(path.resolve(dir));
      consoleUrl = fixture.url;
      addCaseCmd = addCaseCmd || fixture.addCaseCmd;
      escalateCmd = escalateCmd || fixture.escalateCmd;
    }
    assert.ok(addCaseCmd, 'PACT_ADD_CASE_CMD is required');
    assert.ok(escalateCmd, 'PACT_ESCALATE_CMD is required');
    const fragmentToken = /#(?:.*&)?token=([^&]*)/.exec(consoleUrl);
    if (fragmentToken) token = decodeURIComponent(fragmentToken[1]);
    fs.mkdirSync(artifactDir, { recursive: true });

    browser = await chromium.launch({
      executablePath: env.PACT_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
    page = await context.newPage();
    page.on('response', (response) => {
      const url = response.url();
      const type = response.headers()['content-type'] || '';
      // The event stream never ends: the harness checks it separately.
      if (url.includes('/api/situation/stream') || type.includes('text/event-stream')) return;
      pendingBodies.push(response.body()
        .then((body) => bodies.push({ url, status: response.status(), text: body.toString('utf8') }))
        .catch(() => { /* redirects and aborted loads have no body */ }));
    });
    page.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
  });

  after(async () => {
    if (consoleErrors.length) console.log(`# browser console errors:\n#   ${consoleErrors.join('\n#   ')}`);
    if (browser) await browser.close();
    if (fixture) fixture.child.kill('SIGTERM');
  });

  it('signs in from the link, drops the token from the address bar and shows the live picture', { timeout: STEP_TIMEOUT }, async () => {
    await page.goto(consoleUrl, { waitUntil: 'domcontentloaded' });
    assert.ok(!page.url().includes('token='), `the token must leave the address bar, got ${page.url()}`);

    // A URL without a sign-in link: the form, then the token from the environment.
    const signin = page.locator(testId('signin-form'));
    await waitFor(async () => {
      const formShown = await signin.isVisible();
      const total = await totalCases();
      return { ok: formShown || total !== null, value: { formShown, total } };
    }, { timeout: 60_000, what: 'the sign-in form or the figures' });
    if (await signin.isVisible()) {
      assert.ok(token, 'the page asks for a sign-in but neither the URL nor PACT_CONSOLE_TOKEN has a token');
      await page.fill('#signin-token', token);
      await page.click('#signin-form button[type="submit"]');
    }

    await waitLive();
    const total = await waitFor(async () => {
      const n = await totalCases();
      return { ok: n !== null && n >= minCases, value: n };
    }, { timeout: 60_000, what: `total cases >= ${minCases}` });
    console.log(`# total cases shown: ${total}`);
    assert.ok(/^\d+$/.test(await text('revision')), 'the revision is shown');

    // Suppressed counts read "<T" (T = the threshold), never 0.
    const suppressed = await page.$$eval('.suppressed', (els) => els.map((e) => e.textContent.trim()));
    for (const s of suppressed) assert.match(s, /^<\d+$|\+$/, `a suppressed count shows as "<T": ${s}`);

    // 1366 px wide: no horizontal scroll.
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `no horizontal scroll at 1366 px (scrollWidth ${widths.scroll} > ${widths.client})`);

    // Semantic tables.
    const unscoped = await page.$$eval('table th', (ths) => ths.filter((th) => !th.getAttribute('scope')).length);
    assert.equal(unscoped, 0, 'every table header cell has a scope');
    assert.deepEqual(pageErrors, [], 'no script error in the page');
  });

  it('shows a newly registered case without reloading', { timeout: STEP_TIMEOUT }, async () => {
    await page.evaluate(() => { window.__pactNoReload = 'still-here'; });
    const before = await totalCases();
    assert.notEqual(before, null);
    const revisionBefore = await text('revision');
    run('add one case', addCaseCmd);
    const after = await waitFor(async () => {
      const n = await totalCases();
      return { ok: n !== null && n !== before, value: n };
    }, { timeout: 60_000, what: `total cases to change from ${before}` });
    assert.equal(after, before + 1, `total cases went from ${before} to ${after}, expected exactly one more`);
    assert.notEqual(await text('revision'), revisionBefore, 'the revision moved');
    assert.equal(await page.evaluate(() => window.__pactNoReload), 'still-here', 'the page was not reloaded');
  });

  it('shows a new escalation without reloading', { timeout: STEP_TIMEOUT }, async () => {
    // The table lists the oldest open escalations (the server caps the list); the total counts all.
    const count = async () => Number((await text('total-escalations')).replace(/[^0-9]/g, '') || 0);
    const totalBefore = await count();
    run('escalate', escalateCmd);
    const total = await waitFor(async () => {
      const n = await count();
      return { ok: n > totalBefore, value: n };
    }, { timeout: 90_000, what: 'the open escalations total to grow' });
    assert.equal(await page.evaluate(() => window.__pactNoReload), 'still-here', 'the page was not reloaded');
    assert.ok(await isVisible('escalations-table'), 'the escalations table is shown');
    const rows = await page.locator(testId('escalation-row')).count();
    assert.ok(rows >= 1 && rows <= total, `the table lists open escalations (${rows} rows of ${total})`);
    // The escalation this step caused, by its case's reference code (the harness writes it): the
    // total could also grow by others' escalations while a surge settles.
    const referenceFile = env.PACT_ESCALATION_REFERENCE_FILE;
    if (referenceFile && fs.existsSync(referenceFile)) {
      const reference = fs.readFileSync(referenceFile, 'utf8').trim();
      assert.match(reference, /^[A-Z]{2}-/, `the escalated case's reference code (${reference})`);
      await waitFor(async () => {
        const n = await page.locator(testId('escalation-row'), { hasText: reference }).count();
        return { ok: n > 0, value: n };
      }, { timeout: 90_000, what: `an escalation row for ${reference}` });
    }
    const age = await page.locator(`${testId('escalation-row')} td.age`).first().textContent();
    assert.match(age.trim(), /^\d+ (s|min)$|^\d+ h( \d+ min)?$|^\d+ d( \d+ h)?$/, `a readable age: ${age}`);
    await page.screenshot({ path: path.join(artifactDir, 'console.png'), fullPage: true });
  });

  it('switches to the exercise picture and back', { timeout: STEP_TIMEOUT }, async () => {
    const realTotal = await totalCases();
    assert.equal(await isVisible('exercise-banner'), false, 'no exercise banner on the real picture');
    await page.locator(testId('exercise-switch')).check();
    await page.locator(testId('exercise-banner')).waitFor({ state: 'visible', timeout: 10_000 });
    await waitLive();
    await waitFor(async () => {
      const n = await totalCases();
      return { ok: n !== null, value: n };
    }, { timeout: 60_000, what: 'the exercise figures' });
    assert.equal(await isVisible('exercise-banner'), true, 'the exercise banner stays while the exercise figures show');
    await page.screenshot({ path: path.join(artifactDir, 'console-exercise.png'), fullPage: true });

    await page.locator(testId('exercise-switch')).uncheck();
    await page.locator(testId('exercise-banner')).waitFor({ state: 'hidden', timeout: 10_000 });
    await waitLive();
    const back = await waitFor(async () => {
      const n = await totalCases();
      return { ok: n !== null && n >= realTotal, value: n };
    }, { timeout: 60_000, what: `the real figures again (>= ${realTotal})` });
    assert.ok(back >= realTotal);
    assert.equal(await page.evaluate(() => window.__pactNoReload), 'still-here', 'the page was not reloaded');
  });

  it('shows "reconnecting" when the stream drops and goes live again', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!fixture && !env.PACT_DROP_STREAMS_CMD) {
      t.skip('needs the fixture server or PACT_DROP_STREAMS_CMD');
      return;
    }
    run('drop the event streams', env.PACT_DROP_STREAMS_CMD || fixture.dropStreamsCmd);
    await waitFor(async () => {
      const v = await text('live-status');
      return { ok: v === 'reconnecting', value: v };
    }, { timeout: 10_000, interval: 50, what: 'live-status "reconnecting"' });
    await waitLive(30_000);
  });

  it('signs out, refuses a wrong token and signs in with the form', { timeout: STEP_TIMEOUT }, async (t) => {
    if (!token) {
      t.skip('no token known (neither in the URL nor PACT_CONSOLE_TOKEN)');
      return;
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator(testId('signin-form')).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await page.locator('#console').isVisible(), false, 'the figures are gone after sign-out');
    assert.equal(await totalCases(), null, 'no figure is left in the page after sign-out');

    await page.fill('#signin-token', 'not-a-valid-token');
    await page.keyboard.press('Enter');
    // The sign-out message is already shown: wait for the refusal itself, and for the form to be
    // usable again (Enter on a disabled button does nothing).
    await waitFor(async () => {
      const message = (await page.locator('#signin-error').textContent()) || '';
      const ready = await page.locator('#signin-form button[type=submit]').isEnabled();
      return { ok: /refused/i.test(message) && ready, value: message };
    }, { timeout: 10_000, what: 'the wrong token to be refused' });
    assert.ok(await page.locator(testId('signin-form')).isVisible());

    await page.fill('#signin-token', token);
    await page.keyboard.press('Enter');
    await waitLive();
    await waitFor(async () => {
      const n = await totalCases();
      return { ok: n !== null && n >= minCases, value: n };
    }, { timeout: 60_000, what: 'the figures after signing in again' });
  });

  it('never receives nor shows a canary marker', { timeout: STEP_TIMEOUT }, async () => {
    await Promise.all(pendingBodies);
    assert.ok(bodies.some((b) => b.url.includes('/api/situation')), 'the page fetched the situation');
    for (const marker of canaryMarkers) {
      for (const b of bodies) {
        assert.ok(!b.text.includes(marker), `canary marker ${JSON.stringify(marker)} in the response of ${b.url}`);
      }
    }
    const pageText = await page.evaluate(() => document.body.innerText);
    for (const marker of canaryMarkers) {
      assert.ok(!pageText.includes(marker), `canary marker ${JSON.stringify(marker)} in the page text`);
    }
    console.log(`# checked ${bodies.length} response bodies for ${canaryMarkers.length} canary marker(s)`);
    const csp = consoleErrors.filter((m) => /Content Security Policy/i.test(m));
    assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
    assert.deepEqual(pageErrors, [], 'no script error in the page');
  });
});
