// The crisis path: HR sets the org's occupational physician; a consultant
// flags a held session (a sensitive theme, with the employee's agreement);
// its employee — and only they — finds public helplines and that contact,
// and asks to be put in touch, which emails the contact their name and
// address and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, visitor, check, phone, signIn } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const EAP = 'eap@clinic.example.jp';

async function token(email) {
  const login = await (await fetch(`${app.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'taiwa-demo' }),
  })).json();
  return login.access_token;
}

for (const lang of ['ja', 'en']) {
  test(`a flagged session offers support to its employee (${lang})`, async () => {
    const employee = lang === 'ja' ? 'employee19@demo.taiwa.test' : 'employee20@demo.taiwa.test';
    // The held session waiting for its record (the demo's, yesterday).
    const bookings = await (await fetch(`${app.base}/api/v1/bookings`, { headers: { authorization: `Bearer ${await token(employee)}` } })).json();
    const held = bookings.items.find((b) => b.status === 'confirmed' && Date.parse(b.starts_at) < Date.now());
    assert.ok(held, JSON.stringify(bookings));

    // HR sets the contact.
    const hr = await visitor(app, lang);
    await signIn(app, hr.page, 'hr@demo.taiwa.test');
    await hr.page.goto(`${app.base}/hr/support`);
    await check(hr.page, `crisis-${lang}-01-hr-contact`);
    await hr.page.fill('#name', lang === 'ja' ? '産業医 山田クリニック' : 'Yamada Clinic (occupational physician)');
    await hr.page.fill('#phone', 'not a number');
    await Promise.all([hr.page.waitForLoadState('load'), hr.page.click('form.stack button[type=submit]')]);
    assert.ok(await hr.page.locator('.error[role=alert]').count(), 'a bad phone number is named');
    assert.equal(await hr.page.inputValue('#phone'), 'not a number', 'what was typed stays');
    await hr.page.fill('#phone', '03-1234-5678');
    await hr.page.fill('#email', EAP);
    await Promise.all([hr.page.waitForLoadState('load'), hr.page.click('form.stack button[type=submit]')]);
    assert.ok(await hr.page.locator('.ok[role=status]').count(), await hr.page.locator('main').innerText());

    // The consultant flags the session.
    const consultant = await visitor(app, lang);
    await signIn(app, consultant.page, 'consultant1@demo.taiwa.test');
    await consultant.page.goto(`${app.base}/bookings/${held.id}/record`);
    await consultant.page.fill('#private_notes', 'CANARY-crisis-notes');
    await consultant.page.locator('input[name=theme][value=health]').check();
    await consultant.page.locator('input[name=crisis_path]').check();
    await Promise.all([consultant.page.waitForLoadState('load'), consultant.page.click('form.stack button[type=submit]')]);
    assert.ok(await consultant.page.locator('.ok[role=status]').count(), await consultant.page.locator('main').innerText());
    await consultant.page.goto(`${app.base}/bookings/${held.id}`);
    assert.equal(await consultant.page.locator('section.support-offer').count(), 0, 'the consultant is not shown the offer');

    // The employee finds the offer on the booking, then the helplines.
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, employee);
    await page.goto(`${app.base}/bookings/${held.id}`);
    await check(page, `crisis-${lang}-02-booking-with-offer`);
    await Promise.all([page.waitForLoadState('load'), page.click('section.support-offer a')]);
    assert.match(page.url(), /\/support$/);
    const text = await page.locator('main').innerText();
    assert.match(text, /0570-783-556/, 'いのちの電話');
    assert.match(text, lang === 'ja' ? /産業医 山田クリニック/ : /Yamada Clinic/);
    assert.ok(text.includes(EAP), 'the address the request would go to is shown before consent');
    await check(page, `crisis-${lang}-03-support`);
    await phone(page, `crisis-${lang}-03-support`);
    // Without the consent box: nothing is passed on.
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.error[role=alert]').count(), 'consent is needed');
    await page.locator('input[name=consent]').check();
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.ok[role=status]').count(), await page.locator('main').innerText());
    await check(page, `crisis-${lang}-04-put-in-touch`);
    // Another employee cannot open it.
    const other = await visitor(app, lang);
    await signIn(app, other.page, 'employee1@demo.taiwa.test');
    const refused = await other.page.goto(`${app.base}/bookings/${held.id}/support`);
    assert.equal(refused.status(), 404);

    // The contact's email: the name and address, not the session.
    let mail;
    for (let i = 0; i < 50 && !mail; i++) {
      await page.goto(`${app.base}/dev/mail`);
      const hrefs = await page.locator('tr', { hasText: EAP }).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of hrefs) {
        await page.goto(`${app.base}${href}`);
        const body = await page.locator('pre.mail').innerText();
        if (body.includes(employee)) mail = body;
      }
      if (!mail) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(mail, 'the request reached the contact');
    assert.match(mail, new RegExp(employee.replace('.', '\\.')));
    assert.doesNotMatch(mail, /CANARY|health|体調/, 'nothing of the session');
    for (const v of [hr, consultant, other]) await v.context.close();
    await context.close();
  });
}
