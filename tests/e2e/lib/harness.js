// The harness of the end-to-end journeys: a freshly started `taiwa serve`
// (embedded default with demo data, its own data folder and a free port on
// loopback), Debian's headless Chromium driven by playwright-core (never a
// downloaded browser), axe-core on every page visited, and screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SHOTS = process.env.TAIWA_E2E_SCREENSHOTS || join(here, '..', 'screenshots');
const BIN = process.env.TAIWA_BIN
  || join(process.env.CARGO_TARGET_DIR || join(here, '..', '..', '..', 'target'), 'debug', 'taiwa');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** Starts Taiwa and Chromium; `stop()` ends both and removes the data. */
export async function start() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'taiwa-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  // The embedded default: no database URL, no SMTP server (mail to files), no Stripe.
  const env = { ...process.env, TAIWA_DATA_DIR: join(dataDir, 'data'), TAIWA_PUBLIC_URL: base, TAIWA_LOG: 'warn' };
  for (const k of ['DATABASE_URL', 'TAIWA_DATABASE_URL', 'TAIWA_SMTP_URL', 'TAIWA_STRIPE_SECRET_KEY', 'TAIWA_STRIPE_WEBHOOK_SECRET']) delete env[k];
  const server = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not up yet */ }
    assert.ok(Date.now() < deadline, `taiwa did not become ready: ${log}`);
    assert.equal(server.exitCode, null, `taiwa exited: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: process.env.TAIWA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    base,
    dataDir,
    browser,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => { if (server.exitCode !== null) r(); else server.on('exit', r); });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A signed-out browser context (its own cookies). axe is injected with CSP
 * bypassed — Taiwa's CSP forbids inline scripts, and only the test adds one.
 */
export async function visitor(app, lang = 'ja') {
  const context = await app.browser.newContext({ bypassCSP: true, locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (lang === 'en') {
    await page.goto(`${app.base}/lang/en?back=/`);
  }
  return { context, page };
}

/** Every serious or critical axe violation of the page, as text. */
export async function axe(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

/**
 * What a Japanese page shows that is not Japanese: codes (`fewer_than_k`,
 * `career_change`, `video`) and English sentences (four English words in a
 * row), leaving out addresses, links, anything marked as another language
 * (the language switch) and what is shown verbatim (`data-verbatim`: the
 * dev mailbox's emails, bilingual as sent).
 */
export async function foreignText(page) {
  // Each visible text node on its own line (a detached clone's innerText
  // runs table cells together: "17crisis_path" hid a code from the scan).
  const text = await page.evaluate(() => {
    const skip = '[lang]:not([lang=ja]), [data-verbatim], script, style';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility()) continue;
      parts.push(node.textContent);
    }
    return parts.join('\n');
  });
  const words = text.replace(/\S+@\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  const found = [];
  for (const m of words.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) found.push(m[0]);
  // A lowercase English word standing alone is a code (`video`, `pending`).
  for (const m of words.matchAll(/(?<![A-Za-z0-9_./-])[a-z]{3,}(?![A-Za-z0-9_./-])/g)) found.push(m[0]);
  for (const m of words.matchAll(/\b[A-Za-z][a-z']+(?:[ ,][A-Za-z][a-z']+){3,}\b/g)) found.push(m[0]);
  return [...new Set(found)];
}

/** Checks the page with axe (0 serious/critical) and saves a full-page screenshot. */
export async function check(page, name) {
  const violations = await axe(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  assert.deepEqual(violations, [], `axe on ${name} (${page.url()})`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: no sideways scrolling (${overflow}px too wide)`);
  const status = await page.evaluate(() => document.documentElement.lang);
  assert.ok(status === 'ja' || status === 'en', 'the page says its language');
  if (status === 'ja') {
    assert.deepEqual(await foreignText(page), [], `${name}: codes or English on a Japanese page (${page.url()})`);
  }
}

/**
 * The same page on a 390 px phone: no sideways scrolling, a header under
 * 120 px whose navigation sits behind a menu that opens, axe clean; then
 * back to the desktop size.
 */
export async function phone(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: no sideways scrolling on a phone (${overflow}px too wide)`);
  const header = await page.evaluate(() => document.querySelector('header.top').getBoundingClientRect().height);
  assert.ok(header < 120, `${name}: the header is ${header}px high on a phone`);
  await check(page, `${name}-phone`);
  const menu = page.locator('details.menu summary');
  if (await menu.count()) {
    await menu.click();
    const links = page.locator('details.menu nav a');
    assert.ok(await links.count() > 0, `${name}: the phone menu opens with the navigation`);
    assert.ok(await links.first().isVisible(), `${name}: the menu's links are shown`);
    await page.screenshot({ path: join(SHOTS, `${name}-phone-menu.png`) });
    await menu.click();
  }
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.reload();
}

/** Signs in through the form. */
export async function signIn(app, page, email, password = 'taiwa-demo') {
  await page.goto(`${app.base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
  assert.ok(!page.url().includes('/login'), `signed in as ${email}: ${page.url()}`);
}

/** The RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) of a base32 secret at `step`. */
export function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const usedSteps = new Map();

/** A code Taiwa has not seen yet (each step works once), waiting for the
 * next step when the ones in the drift window are used. */
export async function freshCode(secret) {
  for (;;) {
    const now = Math.floor(Date.now() / 30000);
    const step = Math.max(now, (usedSteps.get(secret) ?? -1) + 1);
    if (step <= now + 1) {
      usedSteps.set(secret, step);
      return totp(secret, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Signs the demo operator in. The first time, operators are sent to set up
 * two-step sign-in (required for them): the journey does that, keeping the
 * secret on `app`; later sign-ins give a code. */
export async function signInOperator(app, page, lang) {
  await page.goto(`${app.base}/login`);
  await page.fill('#email', 'operator@demo.taiwa.test');
  await page.fill('#password', 'taiwa-demo');
  // The first sign-in after setting up uses a recovery code, as after a
  // lost phone; later ones the app's code.
  const recovery = app.operatorRecoveryCodes?.length === 10 ? app.operatorRecoveryCodes.pop() : null;
  if (app.operatorSecret) await page.fill('#totp', recovery ?? await freshCode(app.operatorSecret));
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
  if (app.operatorSecret) {
    assert.ok(!page.url().includes('/login'), `signed in with ${recovery ? 'a recovery code' : 'the app\'s code'}: ${page.url()}`);
    return;
  }
  assert.match(page.url(), /\/account\/mfa/, 'an operator without a second factor is sent to set one up');
  await check(page, `operator-${lang}-00-mfa-required`);
  await page.fill('#password', 'taiwa-demo');
  await page.fill('#enrolment-code', 'DEMO2-TAIWA');
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 secret');
  await check(page, `operator-${lang}-00-mfa-secret`);
  // The QR code, read by a third-party decoder from the rendered page, is
  // the enrolment link with this secret.
  const link = await page.locator('a[href^="otpauth://"]').getAttribute('href');
  assert.ok(link.includes(`secret=${secret}`), link);
  assert.equal(await decodeQr(page.locator('#totp-qr svg')), link, 'the QR code scans to the enrolment link');
  await page.fill('#code', await freshCode(secret));
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
  // Turned on: ten recovery codes, shown once, then on to the operator's home.
  const codes = await page.locator('#recovery-codes li').allInnerTexts();
  assert.equal(codes.length, 10, 'ten recovery codes');
  for (const c of codes) assert.match(c.trim(), /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  await check(page, `operator-${lang}-00-mfa-recovery-codes`);
  await Promise.all([page.waitForLoadState('load'), page.click('#recovery-title ~ p a.button')]);
  assert.match(page.url(), /\/operator/, 'continues to the operator pages');
  app.operatorSecret = secret;
  app.operatorRecoveryCodes = codes.map((c) => c.trim());
}

/** The text of the QR code `locator` shows, as zxing-cpp (PyPI) reads it
 * from a screenshot. Needs a Python with `zxing-cpp` and `pillow`
 * (`TAIWA_E2E_PYTHON`, else `python3`); without one the journey fails. */
export async function decodeQr(locator) {
  const file = join(mkdtempSync(join(tmpdir(), 'taiwa-qr-')), 'qr.png');
  await locator.screenshot({ path: file });
  const python = process.env.TAIWA_E2E_PYTHON || 'python3';
  const script = 'import sys, zxingcpp, PIL.Image\n'
    + 'found = zxingcpp.read_barcodes(PIL.Image.open(sys.argv[1]))\n'
    + 'sys.stdout.write(found[0].text if found else "")';
  try {
    return execFileSync(python, ['-c', script, file], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`decoding the QR code needs ${python} with zxing-cpp and pillow (pip install zxing-cpp pillow): ${e.message}`);
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}
