// The consultant's journey: weekly hours and a day's override, the
// sessions list with agendas, and the record of a held session (private
// notes, themes, summary, action items) — saved and read back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, visitor, check, phone, signIn } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

for (const lang of ['ja', 'en']) {
  test(`consultant sets availability and writes a record (${lang})`, async () => {
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, 'consultant1@demo.taiwa.test');
    assert.match(page.url(), /\/bookings$/);
    await check(page, `consultant-${lang}-01-sessions`);
    // The demo gives every consultant sessions to come (the first twenty,
    // two) and held ones: upcoming soonest first, the past latest first.
    const upcoming = await page.locator('li.card.booking time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
    assert.ok(upcoming.length >= 2, `sessions to come listed (${upcoming.length})`);
    assert.ok(upcoming.every((t) => t > Date.now()), 'the coming ones are to come');
    assert.deepEqual(upcoming, [...upcoming].sort((a, b) => a - b), 'upcoming soonest first');
    const past = await page.locator('table.list time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
    assert.ok(past.length >= 2, `sessions listed (${past.length} past)`);
    assert.ok(past.every((t) => t <= Date.now()), 'the past ones are past');
    assert.deepEqual(past, [...past].sort((a, b) => b - a), 'past latest first');
    assert.ok(await page.locator('li.card.booking .agenda-card').count() > 0, 'the agendas of the coming sessions are shown');
    await phone(page, `consultant-${lang}-01-sessions`);

    await page.goto(`${app.base}/consultant/availability`);
    await check(page, `consultant-${lang}-02-availability`);
    await page.fill('input[name=start_4_0]', '13:00');
    await page.fill('input[name=end_4_0]', '17:00');
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.match(page.url(), /saved=1/);
    assert.equal(await page.inputValue('input[name=start_4_0]'), '13:00', 'Thursday afternoon kept');
    // A bad range is refused with the API's reason, and what was typed stays.
    await page.fill('input[name=start_4_1]', '18:00');
    await page.fill('input[name=end_4_1]', '17:30');
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.error[role=alert]').count(), 'end before start is refused');
    assert.equal(await page.inputValue('input[name=start_4_1]'), '18:00');
    // A day off.
    await page.goto(`${app.base}/consultant/availability`);
    await page.fill('#o-date', '2026-12-24');
    await Promise.all([page.waitForLoadState('load'), page.click('form.inline-form button[type=submit]')]);
    assert.match(page.url(), /saved=1/);

    // The record of a session held yesterday.
    await page.goto(`${app.base}/bookings`);
    const write = page.locator('a[href$="/record"]');
    assert.ok(await write.count() > 0, 'a held session to record');
    await write.nth(lang === 'ja' ? 0 : 1).click();
    await check(page, `consultant-${lang}-03-record`);
    await page.fill('#private_notes', 'CANARY-private-e2e');
    await page.locator('input[name=theme][value=workload]').check();
    await page.fill('#org_summary', lang === 'ja' ? '業務量の偏りについて相談があった。' : 'Talked about an uneven workload.');
    await page.fill('#action_items', lang === 'ja' ? '上司と業務の優先順位を話す' : 'Agree priorities with the manager');
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.ok[role=status]').count(), 'saved');
    await page.reload();
    assert.equal(await page.inputValue('#private_notes'), 'CANARY-private-e2e', 'the notes read back for their author');
    assert.ok(await page.locator('input[name=theme][value=workload]').isChecked());
    // The crisis flag needs a sensitive theme.
    await page.locator('input[name=crisis_path]').check();
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.error[role=alert]').count(), 'crisis path without a sensitive theme is refused');

    await page.goto(`${app.base}/consultant/profile`);
    await check(page, `consultant-${lang}-04-profile`);
    await context.close();
  });

  test(`every demo consultant has sessions to see (${lang})`, async () => {
    // consultant5 is the README's natural first try; consultant300 the last.
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, lang === 'ja' ? 'consultant5@demo.taiwa.test' : 'consultant300@demo.taiwa.test');
    assert.ok(await page.locator('li.card.booking').count() >= 1, await page.locator('main').innerText());
    assert.ok(await page.locator('table.list tbody tr').count() >= 1, 'and a held session');
    await check(page, `consultant-${lang}-05-another-consultant`);
    await context.close();
  });
}
