// HR's journey: invitations from a CSV (a preview, a bad row shown beside
// itself, then sent), credits, and the organisational report with hidden
// cells that say why, by department, as CSV and printable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, visitor, check, phone, signIn } from '../lib/harness.js';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

for (const lang of ['ja', 'en']) {
  test(`HR invites from a CSV and reads the report (${lang})`, async () => {
    const { context, page } = await visitor(app, lang);
    await signIn(app, page, 'hr@demo.taiwa.test');
    assert.match(page.url(), /\/hr\/report/);
    assert.ok(await page.locator('svg.trends').count(), 'the trend chart');
    await check(page, `hr-${lang}-01-report`);
    await phone(page, `hr-${lang}-01-report`);

    await page.selectOption('#by', 'department');
    await Promise.all([page.waitForLoadState('load'), page.click('form.inline-form button[type=submit]')]);
    const hidden = page.locator('td.hidden-cell .why');
    assert.ok(await hidden.count() > 0, 'suppressed cells are shown as hidden');
    assert.ok((await hidden.first().innerText()).length > 3, 'with the reason');
    assert.ok(await page.locator('td.num').count() > 0, 'and released cells');
    assert.ok(!(await page.content()).includes('health'), 'no sensitive theme code');
    await check(page, `hr-${lang}-02-report-by-department`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/hr/report.csv"]')]);
    const csvPath = join(app.dataDir, `report-${lang}.csv`);
    await download.saveAs(csvPath);
    await page.goto(`${app.base}/hr/report?by=department&print=1`);
    assert.equal(await page.locator('form.inline-form').count(), 0, 'the printable view has no controls');
    await check(page, `hr-${lang}-03-report-print`);

    // Invitations: the template, then a file with a bad row, which the
    // preview marks in the page language before anything can be sent.
    await page.goto(`${app.base}/hr/invitations`);
    await check(page, `hr-${lang}-04-invitations`);
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/hr/invitations/template.csv"]')]);
    const templateFile = join(app.dataDir, `template-${lang}.csv`);
    await template.saveAs(templateFile);
    const header = readFileSync(templateFile, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    assert.equal(header, lang === 'ja' ? 'メールアドレス,氏名,フリガナ,部署,年代' : 'email,name,name_reading,department,age_band');
    const file = join(app.dataDir, `people-${lang}.csv`);
    writeFileSync(file, `\uFEFF${header}\nhana-${lang}@example.com,佐藤 花子,さとう はなこ,営業部,30代\nnot-an-email,,,開発部,若手\n`);
    await page.setInputFiles('#file', file);
    await Promise.all([page.waitForLoadState('load'), page.click('form.card button[type=submit]')]);
    assert.equal(await page.locator('table.preview tbody tr').count(), 2, 'the preview shows both rows');
    assert.equal(await page.locator('table.preview tr.bad').count(), 1, 'the bad row is marked before sending');
    assert.equal(await page.locator('table.preview tr.bad li').count(), 2, 'with both of its problems');
    assert.equal(await page.locator('form[action="/hr/invitations/send"]').count(), 0, 'nothing can be sent while a row is wrong');
    const bad = await page.locator('table.preview tr.bad').innerText();
    if (lang === 'ja') assert.match(bad, /@ がありません/, bad);
    const good = await page.locator('table.preview tbody tr:not(.bad)').innerText();
    assert.match(good, lang === 'ja' ? /30代/ : /30s/, `「30代」 is read as the 30s band: ${good}`);
    assert.match(good, /サトウ ハナコ/, 'the reading in katakana');
    await check(page, `hr-${lang}-05-invitations-error`);
    writeFileSync(file, `${header}\nhana-${lang}@example.com,佐藤 花子,さとう はなこ,営業部,30-39\n`);
    await page.goto(`${app.base}/hr/invitations`);
    await page.setInputFiles('#file', file);
    await Promise.all([page.waitForLoadState('load'), page.click('form.card button[type=submit]')]);
    assert.ok(await page.locator('.ok[role=status]').count(), 'the preview says who can be invited');
    await check(page, `hr-${lang}-05b-invitations-preview`);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/hr/invitations/send"] button')]);
    assert.ok((await page.locator('main').innerText()).includes(`hana-${lang}@example.com`), 'invited');
    assert.match(await page.locator('main').innerText(), lang === 'ja' ? /登録待ち/ : /Waiting/, 'the status in words');

    await page.goto(`${app.base}/hr/credits`);
    const before = Number(await page.locator('.balance strong').innerText());
    await page.fill('#amount', '5');
    await Promise.all([page.waitForLoadState('load'), page.click('form.inline-form button')]);
    assert.equal(Number(await page.locator('.balance strong').innerText()), before + 5, 'credits granted (no Stripe here)');
    await check(page, `hr-${lang}-06-credits`);
    // HR cannot open an employee's page.
    const matches = await page.goto(`${app.base}/matches`);
    assert.equal(matches.status(), 403);
    await context.close();
  });
}
