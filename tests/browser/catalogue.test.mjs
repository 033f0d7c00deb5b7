// The i18n catalogue (web/js/i18n.js): both languages have the same keys, every
// key the console uses exists, and the role names follow the regulation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/js');
const { catalogue, t, setLang } = await import(path.join(webJs, 'i18n.js'));

function sources(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

test('zh-CN and en have the same keys and no empty strings', () => {
  const zh = catalogue['zh-CN'];
  const en = catalogue.en;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
  for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) assert.ok(typeof v === 'string' && v.length > 0, k);
});

test('placeholders match between the languages', () => {
  const ph = (s) => (s.match(/\{\w+\}/g) || []).sort().join(',');
  for (const k of Object.keys(catalogue['zh-CN'])) assert.equal(ph(catalogue.en[k]), ph(catalogue['zh-CN'][k]), k);
});

test('every literal key passed to t() exists', () => {
  const zh = catalogue['zh-CN'];
  const missing = [];
  for (const file of sources(webJs)) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt\('([\w.-]+)'/g)) if (!(m[1] in zh)) missing.push(`${path.basename(file)}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test('role names use the regulation terms', () => {
  const zh = catalogue['zh-CN'];
  const expected = { operator: '值班员', shift_leader: '班长', supervisor: '保安主管', manager: '管理处经理', engineer: '工程人员',
    elevator_tech: '电梯工', guard: '保安员', auditor: '审计员', admin: '系统管理员' };
  for (const [role, name] of Object.entries(expected)) assert.equal(zh[`role.${role}`], name, role);
});

test('t() falls back and fills placeholders', () => {
  assert.equal(t('pager.total', { total: 7 }), '共 7 条');
  assert.equal(t('no.such.key'), 'no.such.key');
  globalThis.document = { documentElement: {} };
  setLang('en');
  assert.equal(t('pager.total', { total: 7 }), '7 in total');
  setLang('zh-CN');
  delete globalThis.document;
});
