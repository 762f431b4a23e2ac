// mw.Api's parameter serialization (spec §1.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, FOREIGN_API } from './harness.mjs';

test('the default parameters are action=query and format=json, without formatversion', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ meta: 'siteinfo' });
  assert.equal(page.requests[0].url.search, '?action=query&format=json&meta=siteinfo');
});

test('arrays are joined with a pipe', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ prop: ['info', 'revisions'], titles: [] });
  const params = page.requests[0].params;
  assert.equal(params.get('prop'), 'info|revisions');
  assert.equal(params.get('titles'), '');
});

test('on the local API, an element containing a pipe switches to U+001F separators', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ titles: ['A|B', 'C'], list: ['x', null, 'y'] });
  const params = page.requests[0].params;
  assert.equal(params.get('titles'), '\x1fA|B\x1fC');
  assert.equal(params.get('list'), 'x||y');
});

test('an API with a url (ForeignApi included) does not use U+001F unless useUS is set', async () => {
  const page = loadPage();
  await new page.mw.ForeignApi(FOREIGN_API).get({ titles: ['A|B', 'C'] });
  await new page.mw.Api({ ajax: { url: '/w/api.php' } }).get({ titles: ['A|B', 'C'] });
  await new page.mw.Api({ ajax: { url: '/w/api.php' }, useUS: true }).get({ titles: ['A|B', 'C'] });
  assert.deepEqual(page.requests.map((r) => r.params.get('titles')), ['A|B|C', 'A|B|C', '\x1fA|B\x1fC']);
});

test('true is sent as "true"; false, undefined and null drop the key', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ redirects: true, watch: false, a: undefined, b: null, limit: 0, text: '' });
  const params = page.requests[0].params;
  assert.equal(params.get('redirects'), 'true');
  for (const dropped of ['watch', 'a', 'b']) {
    assert.equal(params.has(dropped), false, dropped);
  }
  assert.equal(params.get('limit'), '0');
  assert.equal(params.get('text'), '');
});

test('values are percent-encoded, spaces as %20', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ titles: 'Main Page&x=1', summary: 'ü+' });
  assert.match(page.requests[0].url.search, /&titles=Main%20Page%26x%3D1&summary=%C3%BC%2B$/);
});

test('the token is sent last, after every other parameter', async () => {
  const page = loadPage();
  await new page.mw.Api().post({ token: '+\\', action: 'edit', title: 'T', text: 'x' });
  assert.equal(page.requests[0].body, 'action=edit&format=json&title=T&text=x&token=%2B%5C');
});

test('per-call parameters override the defaults, shallowly', async () => {
  const page = loadPage();
  const api = new page.mw.Api({ parameters: { formatversion: 2, maxlag: 5 } });
  await api.get({ action: 'parse', maxlag: undefined });
  assert.equal(page.requests[0].url.search, '?action=parse&format=json&formatversion=2');
});
