// Language switch: zh-CN (default) <-> en, remembered across reloads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, gotoLogin } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the language switch changes the UI from zh-CN to en and back', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('page-alarms').waitFor();
  assert.equal(await page.getByTestId('nav-alarms').textContent(), '报警台');
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('page-overview').waitFor();
  assert.equal(await page.getByTestId('nav-overview').textContent(), '总览');
  assert.equal(await page.getByTestId('page-title').textContent(), '总览');
  assert.equal(await page.getByTestId('logout').textContent(), '退出登录');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

  await page.getByTestId('lang-switch').locator('[data-lang="en"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="nav-overview"]')?.textContent === 'Overview');
  assert.equal(await page.getByTestId('page-title').textContent(), 'Overview');
  assert.equal(await page.getByTestId('nav-areas').textContent(), 'Areas & devices');
  assert.equal(await page.getByTestId('nav-alarms').textContent(), 'Alarm console');
  assert.equal(await page.getByTestId('logout').textContent(), 'Sign out');
  assert.equal(await page.getByTestId('user-role').textContent(), 'Operator');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

  // Remembered across a reload.
  await page.reload();
  await page.getByTestId('page-overview').waitFor();
  assert.equal(await page.getByTestId('nav-overview').textContent(), 'Overview');

  await page.getByTestId('lang-switch').locator('[data-lang="zh-CN"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="nav-overview"]')?.textContent === '总览');
  assert.equal(await page.getByTestId('user-role').textContent(), '值班员');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the login screen switches language and the server message follows', async () => {
  const page = await newPage(browser);
  await gotoLogin(page);
  assert.equal(await page.getByTestId('login-submit').textContent(), '登录');
  await page.getByTestId('lang-switch').locator('[data-lang="en"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="login-submit"]')?.textContent === 'Sign in');
  await page.getByTestId('login-username').fill('guard');
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  const err = page.getByTestId('login-error');
  await err.waitFor();
  const text = (await err.textContent()).trim();
  assert.ok(text.length > 0);
  assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `expected an English message, got ${text}`);
  await page.context().close();
});
