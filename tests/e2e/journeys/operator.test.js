// The operator's journey: approve a consultant after checking the
// qualification and registration number; the themes page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, visitor, check, phone, signInOperator, freshCode } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

for (const lang of ['ja', 'en']) {
  test(`operator approves a consultant (${lang})`, async () => {
    const { context, page } = await visitor(app, lang);
    await signInOperator(app, page, lang);
    assert.match(page.url(), /\/operator\/consultants/);
    if (lang === 'en') {
      // Signed in with a recovery code: nine are left, and a new set
      // (password and the app's code) replaces them.
      await page.goto(`${app.base}/account/mfa`);
      assert.match(await page.locator('#recovery-left').innerText(), /\b9\b/);
      await check(page, `operator-${lang}-00-mfa-on`);
      await page.fill('#renew-password', 'taiwa-demo');
      await page.fill('#renew-code', await freshCode(app.operatorSecret));
      await Promise.all([page.waitForLoadState('load'), page.click('#renew-title ~ button')]);
      assert.equal(await page.locator('#recovery-codes li').count(), 10, await page.locator('main').innerText());
      await check(page, `operator-${lang}-00-mfa-new-recovery-codes`);
      await page.goto(`${app.base}/operator/consultants`);
    }
    await check(page, `operator-${lang}-01-approvals`);
    await phone(page, `operator-${lang}-01-approvals`);
    const cards = page.locator('ul.cards > li.card');
    const waiting = await cards.count();
    assert.ok(waiting > 0, 'the demo has consultants waiting');
    const name = await cards.first().locator('h2').innerText();
    assert.match(await cards.first().locator('dd strong').innerText(), /\d/, 'the registration number is shown');
    await Promise.all([page.waitForLoadState('load'), cards.first().locator('button:not(.danger)').click()]);
    assert.equal(await page.locator('ul.cards > li.card').count(), waiting - 1);
    assert.ok(!(await page.locator('main').innerText()).includes(name), `${name} is approved`);
    // A new client org, and its HR contact's invitation in the mailbox.
    await page.goto(`${app.base}/operator/orgs`);
    await check(page, `operator-${lang}-02-orgs`);
    const org = lang === 'ja' ? '株式会社みらい' : 'Mirai Ltd';
    await page.fill('#name', org);
    await page.fill('#hr_email', `hr-${lang}@mirai.example`);
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.ok[role=status]').count(), await page.locator('main').innerText());
    assert.ok((await page.locator('table.list').innerText()).includes(org));
    // The same name twice is refused, and the form keeps what was typed.
    await page.fill('#name', org);
    await page.fill('#hr_email', `hr2-${lang}@mirai.example`);
    await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
    assert.ok(await page.locator('.error[role=alert]').count());
    assert.equal(await page.inputValue('#name'), org);
    let invited = false;
    for (let i = 0; i < 50 && !invited; i++) {
      await page.goto(`${app.base}/dev/mail`);
      invited = (await page.locator('tr', { hasText: `hr-${lang}@mirai.example` }).count()) > 0;
      if (!invited) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(invited, 'the HR invitation was mailed');
    await page.goto(`${app.base}/operator/themes`);
    await check(page, `operator-${lang}-03-themes`);
    const submit = (form) => Promise.all([page.waitForLoadState('load'), page.locator(form).locator('button[type=submit]').first().click()]);
    if (lang === 'ja') {
      // A new theme: a bad code is refused with the typed names kept, then added.
      await page.fill('#new-code', 'AI');
      await page.fill('#new-ja', '生成AI・DX');
      await page.fill('#new-en', 'Generative AI and DX');
      await page.$eval('#new-code', (el) => el.removeAttribute('pattern'));
      await submit('form[aria-labelledby=add-title]');
      assert.ok(await page.locator('.error[role=alert]').count(), 'a bad code is refused');
      assert.equal(await page.inputValue('#new-ja'), '生成AI・DX', 'the typed name is kept');
      await check(page, `operator-${lang}-04-theme-refused`);
      await page.fill('#new-code', 'generative_ai');
      await submit('form[aria-labelledby=add-title]');
      assert.ok(await page.locator('.ok[role=status]').count(), await page.locator('main').innerText());
      assert.match(await page.locator('#theme-generative_ai').innerText(), /生成AI・DX/);
      await check(page, `operator-${lang}-05-theme-added`);
    } else {
      // Renamed (the earlier name is listed), then retired.
      const row = page.locator('#theme-generative_ai');
      await row.locator('summary').click();
      await page.fill('#ja-generative_ai', '生成AI・デジタル化');
      await page.fill('#en-generative_ai', 'Generative AI and digital work');
      await Promise.all([page.waitForLoadState('load'), row.locator('form[action="/operator/themes/rename"] button').click()]);
      assert.match(await page.locator('#theme-generative_ai').innerText(), /Generative AI and digital work[\s\S]*Earlier names: Generative AI and DX \(until/);
      await check(page, `operator-${lang}-04-theme-renamed`);
      await Promise.all([page.waitForLoadState('load'), page.locator('#theme-generative_ai button.danger').click()]);
      assert.equal(await page.locator('#theme-generative_ai.retired').count(), 1, 'shown as retired');
      await check(page, `operator-${lang}-05-theme-retired`);
      await phone(page, `operator-${lang}-05-theme-retired`);
    }
    await context.close();
  });
}
