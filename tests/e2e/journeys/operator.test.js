// The operator's journey: approve a consultant after checking the
// qualification and registration number; the themes page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, visitor, check, signIn } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

for (const lang of ['ja', 'en']) {
  test(`operator approves a consultant (${lang})`, async () => {
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, 'operator@demo.taiwa.test');
    assert.match(page.url(), /\/operator\/consultants/);
    await check(page, `operator-${lang}-01-approvals`);
    const cards = page.locator('ul.cards > li.card');
    const waiting = await cards.count();
    assert.ok(waiting > 0, 'the demo has consultants waiting');
    const name = await cards.first().locator('h2').innerText();
    assert.match(await cards.first().locator('dd strong').innerText(), /\d/, 'the registration number is shown');
    await Promise.all([page.waitForLoadState('load'), cards.first().locator('button:not(.danger)').click()]);
    assert.equal(await page.locator('ul.cards > li.card').count(), waiting - 1);
    assert.ok(!(await page.locator('main').innerText()).includes(name), `${name} is approved`);
    await page.goto(`${app.base}/operator/themes`);
    await check(page, `operator-${lang}-02-themes`);
    await context.close();
  });
}
