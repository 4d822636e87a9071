// The employee's journey: from the invitation email (read in the dev
// mailbox) to an account, the values assessment, ten matches, a
// consultant's free times and a booking; then a demo employee's feedback on
// a held session with the receipt of what is shared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, visitor, check, phone, signIn } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

/**
 * Follows the calendar's "next month" links to the end of the horizon and
 * opens its last day with times; returns how many days ahead that day is.
 */
async function latestDay(page) {
  for (let i = 0; i < 14; i++) {
    const next = page.locator('.month-nav a[rel=next]');
    if (await next.count() === 0) break;
    await Promise.all([page.waitForLoadState('load'), next.click()]);
  }
  let free = page.locator('table.calendar a.free');
  for (let i = 0; i < 3 && await free.count() === 0; i++) {
    await Promise.all([page.waitForLoadState('load'), page.locator('.month-nav a[aria-label]').first().click()]);
    free = page.locator('table.calendar a.free');
  }
  await Promise.all([page.waitForLoadState('load'), free.last().click()]);
  const at = await page.locator('input[name=starts_at]').last().getAttribute('value');
  return (Date.parse(at) - Date.now()) / 86400000;
}

for (const lang of ['ja', 'en']) {
  test(`employee from invitation to a booked session (${lang})`, async () => {
    // HR invites a new person through the API (the HR journey covers the page).
    const login = await (await fetch(`${app.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'hr@demo.taiwa.test', password: 'taiwa-demo' }),
    })).json();
    const me = await (await fetch(`${app.base}/api/v1/me`, { headers: { authorization: `Bearer ${login.access_token}` } })).json();
    const email = `new-${lang}@demo.taiwa.test`;
    const invited = await fetch(`${app.base}/api/v1/orgs/${me.org_id}/invitations`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.access_token}` },
      body: JSON.stringify({ emails: [email] }),
    });
    assert.equal(invited.status, 201);

    const { context, page } = await visitor(app, lang);
    // The invitation email, as a demo user follows it.
    let link;
    for (let i = 0; i < 50 && !link; i++) {
      await page.goto(`${app.base}/dev/mail`);
      const row = page.locator('tr', { hasText: email });
      if (await row.count()) {
        await check(page, `employee-${lang}-01-mailbox`);
        await row.locator('a').first().click();
        link = await page.locator('a[href*="/invitations/accept"]').first().getAttribute('href');
      } else {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.ok(link, 'the invitation email reached the mailbox');
    await page.goto(link);
    await check(page, `employee-${lang}-01b-accept-invitation`);
    await page.fill('input[name=display_name]', lang === 'ja' ? '山本 さくら' : 'Sakura Yamamoto');
    await page.fill('input[name=password]', 'a-long-Unusual-passphrase-42');
    await page.click('button[type=submit]');
    await page.goto(`${app.base}/login`);
    await check(page, `employee-${lang}-01c-sign-in`);
    await signIn(app, page, email, 'a-long-Unusual-passphrase-42');

    // Before the assessment, matches lead to it.
    await page.goto(`${app.base}/matches`);
    assert.match(page.url(), /\/assessment/);
    await check(page, `employee-${lang}-02-assessment`);
    await phone(page, `employee-${lang}-02-assessment`);
    for (let screen = 1; screen <= 10; screen++) {
      const groups = page.locator('fieldset.likert');
      const n = await groups.count();
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        await groups.nth(i).locator('input[type=radio]').nth((i + screen) % 6).check();
      }
      await Promise.all([page.waitForLoadState('load'), page.click('button[name=go][value=next]')]);
      if (page.url().includes('/values')) break;
    }
    assert.match(page.url(), /\/values/);
    assert.ok(await page.locator('svg.radar').count(), 'the values radar is drawn');
    await check(page, `employee-${lang}-03-values`);

    await page.goto(`${app.base}/matches`);
    const cards = page.locator('li.card.consultant');
    assert.equal(await cards.count(), 10, 'ten candidates');
    assert.ok(await cards.first().locator('.reasons li').count() > 0, 'each with reasons');
    // Reasons lead with what sets each candidate apart: ten cards do not
    // read alike (the data differs between them).
    const reasons = await cards.evaluateAll((all) => all.map((c) => [...c.querySelectorAll('.reasons li')].map((li) => li.textContent.trim())));
    assert.ok(reasons.every((r) => r.length > 0), 'every candidate has reasons');
    assert.ok(new Set(reasons.map((r) => r.join('|'))).size >= 6, `the reasons differ between candidates: ${JSON.stringify(reasons)}`);
    assert.ok(new Set(reasons.map((r) => r[0])).size >= 3, `not one first reason for all: ${JSON.stringify(reasons)}`);
    await check(page, `employee-${lang}-04-matches`);
    await phone(page, `employee-${lang}-04-matches`);

    // Ten more, without repeats.
    const first = await cards.locator('h2 a').allTextContents();
    await page.click('.pager a.button');
    const more = await page.locator('li.card.consultant h2 a').allTextContents();
    assert.equal(more.length, 10);
    assert.equal(more.filter((n) => first.includes(n)).length, 0, 'no repeats');

    // Keyword search in Japanese.
    await page.goto(`${app.base}/consultants?q=${encodeURIComponent('転職')}`);
    assert.ok(await page.locator('li.card.consultant').count() > 0, 'search finds 転職');
    await check(page, `employee-${lang}-05-search`);

    // A consultant with free times: the length first, a month calendar, the
    // latest day of the whole horizon (beyond the old two weeks), its latest
    // time, an agenda.
    await page.goto(`${app.base}/matches`);
    let booked = false;
    for (const href of await page.locator('li.card.consultant h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      await page.goto(`${app.base}${href}`);
      if (await page.locator('input[name=starts_at]').count() === 0) continue;
      assert.ok(await page.locator('table.calendar a.free').count() > 0, 'days with times are links');
      assert.equal(await page.locator('table.calendar a[aria-current=date]').count(), 1, 'the chosen day is marked');
      const zone = await page.locator('#times .slot small').first().innerText();
      assert.match(zone, /^[A-Z]{2,5}$|^[+-]\d{2}/, `each time carries its zone (${zone})`);
      await check(page, `employee-${lang}-06-profile`);
      await phone(page, `employee-${lang}-06-profile`);
      const days = await latestDay(page);
      assert.ok(days > 14, `the calendar reaches past two weeks (${days} days ahead)`);
      await check(page, `employee-${lang}-06c-profile-last-month`);
      // The latest free time, so that moving and cancelling stay within policy.
      await page.locator('input[name=starts_at]').last().check();
      await page.fill('#topic', lang === 'ja' ? '異動の希望をどう伝えるか' : 'How to ask for a transfer');
      await Promise.all([page.waitForLoadState('load'), page.click('form.book button[type=submit]')]);
      booked = true;
      break;
    }
    assert.ok(booked, 'some candidate had free times');
    assert.match(page.url(), /\/bookings\/[0-9a-f-]+\?booked=1/);
    assert.ok(await page.locator('.ok[role=status]').count());
    await check(page, `employee-${lang}-07-booked`);
    // Move it to another free time, then cancel it (the credit comes back).
    await page.click('a[href$="/reschedule"]');
    await check(page, `employee-${lang}-07b-reschedule`);
    // The move page opens on the booking's own day; another late time.
    await latestDay(page);
    await page.locator('input[name=starts_at]').first().check();
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/reschedule"] button[type=submit]')]);
    assert.match(page.url(), /\/bookings\/[0-9a-f-]+$/, await page.locator('main').innerText());
    // Cancelling asks first: the booking, what cancelling means, a way to keep it.
    const moved = page.url();
    await Promise.all([page.waitForLoadState('load'), page.click('a.danger[href$="/cancel"]')]);
    assert.match(page.url(), /\/bookings\/[0-9a-f-]+\/cancel$/);
    await check(page, `employee-${lang}-07c-cancel-confirm`);
    await Promise.all([page.waitForLoadState('load'), page.click('main a.secondary')]);
    assert.equal(page.url(), moved, 'keeping it goes back to the booking, still confirmed');
    assert.equal(await page.locator('a.danger[href$="/cancel"]').count(), 1, await page.locator('main').innerText());
    await Promise.all([page.waitForLoadState('load'), page.click('a.danger[href$="/cancel"]')]);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/cancel"] button')]);
    assert.equal(page.url(), moved, await page.locator('main').innerText());
    assert.equal(await page.locator('a[href$="/cancel"]').count(), 0, await page.locator('main').innerText());
    await page.goto(`${app.base}/bookings`);
    // The moved booking is listed once, at its new time (now cancelled); no "Moved" row.
    const rows = page.locator('table.list tbody tr');
    assert.equal(await rows.count(), 1, await page.locator('main').innerText());
    assert.match(await rows.first().innerText(), lang === 'ja' ? /キャンセル/ : /Cancelled/);
    assert.doesNotMatch(await page.locator('main').innerText(), lang === 'ja' ? /変更済み/ : /\bMoved\b/);
    await check(page, `employee-${lang}-08-bookings`);
    await phone(page, `employee-${lang}-08-bookings`);
    await page.goto(`${app.base}/privacy`);
    await check(page, `employee-${lang}-09-privacy`);

    // Data rights: download everything, then erase the account.
    await page.goto(`${app.base}/me/data`);
    await check(page, `employee-${lang}-12-my-data`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/me/data.json"]')]);
    const file = `${app.dataDir}/export-${lang}.json`;
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.identity.email, email);
    assert.equal(exported.matching.assessments.length, 1);
    assert.ok(exported.booking.bookings.length >= 1, 'the booking is in the export');
    await page.fill('#password', 'a-long-Unusual-passphrase-42');
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button.danger')]);
    assert.ok(await page.locator('.error[role=alert]').count(), 'the confirmation box is needed');
    await page.fill('#password', 'a-long-Unusual-passphrase-42');
    await page.locator('input[name=confirm]').check();
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button.danger')]);
    assert.ok(!page.url().includes('/me/'), `signed out after erasing: ${page.url()}`);
    await page.goto(`${app.base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', 'a-long-Unusual-passphrase-42');
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(page.url().includes('/login') || (await page.locator('.error').count()) > 0, 'the erased account cannot sign in');
    await context.close();
  });

  test(`employee gives feedback on a held session (${lang})`, async () => {
    // The demo's employee19 and employee20 had a session yesterday, not yet rated.
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, lang === 'ja' ? 'employee19@demo.taiwa.test' : 'employee20@demo.taiwa.test');
    await page.goto(`${app.base}/bookings`);
    const feedback = page.locator('a[href$="/feedback"]');
    const unrated = await feedback.count();
    assert.ok(unrated > 0, 'a held session to give feedback on');
    await feedback.first().click();
    const feedbackUrl = page.url();
    const bookingId = feedbackUrl.match(/bookings\/([0-9a-f-]+)\/feedback/)[1];
    await check(page, `employee-${lang}-10-feedback`);
    // In Japanese the session did not help (1): that consultant leaves the
    // matches; in English it did (5): booking them again is one click.
    const rating = lang === 'ja' ? '1' : '5';
    await page.locator(`input[name=rating][value="${rating}"]`).check();
    await page.locator('input[name=share_with_org]').check();
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    const receipt = page.locator('section.receipt');
    assert.equal(await receipt.count(), 1, await page.locator('main').innerText());
    assert.ok(await receipt.locator('li').count() >= 2, 'the receipt lists what is and is not shared');
    await check(page, `employee-${lang}-11-receipt`);
    const token = (await context.cookies()).find((c) => c.name === 'taiwa_access').value;
    const api = async (path) => (await fetch(`${app.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const consultant = (await api(`/api/v1/bookings/${bookingId}`)).consultant_id;
    if (lang === 'ja') {
      assert.match(await page.locator('section.next-step').innerText(), /今後のおすすめに表示されません/);
      let excluded = [];
      for (let i = 0; i < 50 && !excluded.includes(consultant); i++) {
        excluded = (await api('/api/v1/matches/preferences')).excluded ?? [];
        if (!excluded.includes(consultant)) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(excluded.includes(consultant), `the consultant rated 1 is excluded: ${JSON.stringify(excluded)}`);
      await Promise.all([page.waitForLoadState('load'), page.click('section.next-step a[href="/matches"]')]);
      assert.equal(await page.locator(`li.card.consultant a[href="/consultants/${consultant}"]`).count(), 0, 'not among the matches');
    } else {
      assert.equal(await page.locator(`section.next-step a[href="/consultants/${consultant}"]`).count(), 1, 'book them again');
    }
    // Opening the feedback page again says it was given: no second form.
    await page.goto(feedbackUrl);
    assert.equal(await page.locator('input[name=rating]').count(), 0, await page.locator('main').innerText());
    assert.match(await page.locator('main').innerText(), lang === 'ja' ? /送信済み/ : /already|have given/);
    await check(page, `employee-${lang}-11b-feedback-again`);
    // The rated session no longer offers feedback in the list.
    await page.goto(`${app.base}/bookings`);
    assert.equal(await page.locator('a[href$="/feedback"]').count(), unrated - 1, await page.locator('main').innerText());
    assert.match(await page.locator('main').innerText(), lang === 'ja' ? /ふりかえり済み/ : /Feedback given/);
    await context.close();
  });
}

for (const lang of ['ja', 'en']) {
  test(`a mistyped address shows a page, not the API's JSON (${lang})`, async () => {
    const { context, page } = await visitor(app, lang);
    const answer = await page.goto(`${app.base}/bookingz`);
    assert.equal(answer.status(), 404);
    assert.match(answer.headers()['content-type'], /^text\/html/);
    await check(page, `anonymous-${lang}-404`);
    const text = await page.locator('main').innerText();
    assert.match(text, lang === 'ja' ? /このアドレスのページはありません/ : /There is no page at this address/);
    assert.doesNotMatch(text, /not_found|"error"/, 'no code or JSON on the page');
    assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a way back to the start');
    await context.close();
  });
}
