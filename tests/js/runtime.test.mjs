// The page runtime: mw.loader, mw.config (from #crosswiki-config or the script's URL),
// mw.user, mw.util, and adding only what an existing `mw` lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, outcome } from './harness.mjs';

test('mw.loader.using resolves for the modules this file provides, with await or done', async () => {
  const { mw } = loadPage();
  for (const name of ['mediawiki.api', 'mediawiki.ForeignApi', 'mediawiki.ForeignRest', 'mediawiki.Rest']) {
    await mw.loader.using(name);
  }
  const { ok } = await outcome(mw.loader.using(['mediawiki.api', 'mediawiki.util', 'mediawiki.user']));
  assert.equal(ok, true);
  let ready = false;
  await mw.loader.using('mediawiki.api', () => {
    ready = true;
  });
  assert.equal(ready, true);
  assert.equal(mw.loader.load('https://example.test/x.js'), undefined);
});

test('mw.loader.using rejects with an Error naming an unknown module', async () => {
  const { mw } = loadPage();
  await assert.rejects(mw.loader.using(['mediawiki.api', 'ext.gadget.Nope']), {
    name: 'Error',
    message: 'Unknown module: ext.gadget.Nope',
  });
  const { ok, args } = await outcome(mw.loader.using('oojs-ui'));
  assert.equal(ok, false);
  assert.match(args[0].message, /oojs-ui/);
});

test('mw.config reads the #crosswiki-config JSON', () => {
  const { mw } = loadPage({
    config: {
      wgServer: 'https://www.mediawiki.test', wgScriptPath: '/w', wgArticlePath: '/wiki/$1',
      wgPageName: 'Main_Page', wgTitle: 'Main Page', wgNamespaceNumber: 0, wgUserName: 'Alice',
      wgUserId: 7, wgUserGroups: ['*', 'user'], wgSiteName: 'MediaWiki', wgDBname: 'mediawikiwiki',
    },
  });
  assert.equal(mw.config.get('wgPageName'), 'Main_Page');
  assert.equal(mw.config.get('wgNamespaceNumber'), 0);
  assert.deepEqual(mw.config.get(['wgUserName', 'wgUserId', 'wgMissing']), { wgUserName: 'Alice', wgUserId: 7, wgMissing: null });
  assert.equal(mw.config.get('wgMissing', 'fallback'), 'fallback');
  assert.equal(mw.config.get('wgScript'), '/w/index.php');
  assert.equal(mw.config.exists('wgDBname'), true);
  assert.equal(mw.config.set('wgFoo', 1), true);
  assert.equal(mw.config.get('wgFoo'), 1);
  mw.config.set({ wgBar: 2 });
  assert.equal(mw.config.get().wgBar, 2);
});

test('without a config element, wgServer and wgScriptPath come from the script URL', () => {
  const { mw } = loadPage({ scriptSrc: 'https://beta.test:8443/wiki2/resources/crosswiki.js' });
  assert.equal(mw.config.get('wgServer'), 'https://beta.test:8443');
  assert.equal(mw.config.get('wgScriptPath'), '/wiki2');
  assert.equal(mw.config.get('wgUserName'), null);
  assert.equal(new mw.Api().defaults.ajax.url, '/wiki2/api.php');
  assert.equal(new mw.Rest().url, '/wiki2/rest.php');
});

test('without a config element or a script URL, the page origin and /w are assumed', () => {
  const { mw } = loadPage({ scriptSrc: null, url: 'http://127.0.0.1:8080/wiki/X' });
  assert.equal(mw.config.get('wgServer'), 'http://127.0.0.1:8080');
  assert.equal(mw.config.get('wgScriptPath'), '/w');
});

test('a config element that is not JSON is reported and ignored', (t) => {
  const error = t.mock.method(console, 'error', () => {});
  const { mw } = loadPage({ configText: '{oops' });
  assert.equal(error.mock.callCount(), 1);
  assert.equal(mw.config.get('wgScriptPath'), '/w');
});

test('mw.Api without a url uses wgScriptPath + /api.php', () => {
  const { mw } = loadPage({ config: { wgScriptPath: '/mw' } });
  assert.equal(mw.util.wikiScript('api'), '/mw/api.php');
  assert.equal(mw.util.wikiScript(), '/mw/index.php');
  assert.equal(mw.util.wikiScript('rest'), '/mw/rest.php');
  assert.equal(new mw.Api().defaults.ajax.url, '/mw/api.php');
});

test('mw.user for a logged-in user, with tokens and options from the config', () => {
  const { mw } = loadPage({ config: { wgUserName: 'Alice', wgUserId: 7, wgCsrfToken: 'abc+\\', wgUserOptions: { skin: 'vector' } } });
  assert.equal(mw.user.getName(), 'Alice');
  assert.equal(mw.user.getId(), 7);
  assert.equal(mw.user.isAnon(), false);
  assert.equal(mw.user.isNamed(), true);
  assert.equal(mw.user.tokens.get('csrfToken'), 'abc+\\');
  assert.equal(mw.user.options.get('skin'), 'vector');
  mw.user.tokens.set('csrfToken', 'new+\\');
  assert.equal(mw.user.tokens.get('csrfToken'), 'new+\\');
});

test('mw.user when logged out', () => {
  const { mw } = loadPage({ config: { wgUserName: null } });
  assert.equal(mw.user.getName(), null);
  assert.equal(mw.user.getId(), 0);
  assert.equal(mw.user.isAnon(), true);
  assert.equal(mw.user.isNamed(), false);
  assert.equal(mw.user.tokens.get('csrfToken'), null);
});

test('a page that already has mw keeps its members and gains the missing ones', () => {
  const existingConfig = { get: () => 'theirs' };
  const existing = { config: existingConfig, user: { getName: () => 'Them' }, log: () => {} };
  const { mw } = loadPage({ mw: existing });
  assert.equal(mw, existing);
  assert.equal(mw.config, existingConfig);
  assert.equal(mw.user.getName(), 'Them');
  assert.equal(typeof mw.user.isAnon, 'function');
  assert.equal(typeof mw.Api, 'function');
  assert.equal(typeof mw.ForeignRest, 'function');
  assert.equal(typeof mw.loader.using, 'function');
});

test('mw.notify writes to the console and returns a promise', async (t) => {
  const info = t.mock.method(console, 'info', () => {});
  const { mw } = loadPage();
  await mw.notify('Saved');
  assert.deepEqual(info.mock.calls[0].arguments, ['Saved']);
});
