// The mw.ForeignApi / mw.ForeignRest examples of MediaWiki's Manual:CORS
// (shared/seed/Manual-CORS.txt), run as written with only the URLs changed, against a fake
// foreign wiki. This checks the client's side; the browser suite checks them for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, fakeWiki, LOCAL, FOREIGN_API } from './harness.mjs';

const AsyncFunction = (async () => {}).constructor;

/** Runs example code as a page script would, with `alert` captured. */
async function runExample(code) {
  const alerts = [];
  globalThis.alert = (message) => alerts.push(message);
  try {
    await new AsyncFunction(code.replaceAll('https://en.wikipedia.org/w/api.php', FOREIGN_API))();
  } finally {
    delete globalThis.alert;
  }
  return alerts;
}

test('the userinfo check through mw.ForeignApi', async () => {
  const wiki = fakeWiki();
  const page = loadPage({ respond: wiki.handle });
  const alerts = await runExample(`
await mw.loader.using( 'mediawiki.ForeignApi' )
const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
const data = await api.get( { action: 'query', meta: 'userinfo' } );
alert( \`Foreign user \${data.query.userinfo.name} (ID \${data.query.userinfo.id})\` );
`);
  assert.deepEqual(alerts, ['Foreign user Alice (ID 7)']);
  assert.equal(page.requests[0].params.get('origin'), LOCAL);
  assert.equal(page.requests[0].credentials, 'include');
});

test('the write example: meta=tokens, then action=options with the token', async () => {
  const wiki = fakeWiki();
  const page = loadPage({ respond: wiki.handle });
  await runExample(`
await mw.loader.using( 'mediawiki.ForeignApi' );
const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
const data = await api.get( { action: 'query', meta: 'tokens' } );
await api.post( {
    action: 'options',
    token: data.query.tokens.csrftoken,
    optionname: 'userjs-test',
    optionvalue: 'Hello world!'
} );
`);
  assert.equal(wiki.options['userjs-test'], 'Hello world!');
  const post = page.requests[1];
  assert.equal(post.rawUrl, FOREIGN_API + '?origin=' + encodeURIComponent(LOCAL));
  assert.equal(post.body.split('&').at(-1), 'token=' + encodeURIComponent(wiki.csrf));
});

test('the same through postWithToken', async () => {
  const wiki = fakeWiki();
  const page = loadPage({ respond: wiki.handle });
  await runExample(`
await mw.loader.using( 'mediawiki.ForeignApi' );
const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
await api.postWithToken( 'options', {
    action: 'options',
    optionname: 'userjs-test',
    optionvalue: 'Hello world!'
} );
`);
  assert.equal(wiki.options['userjs-test'], 'Hello world!');
  assert.equal(page.requests[0].params.get('type'), 'csrf');
});

test('the REST example through mw.ForeignRest', async () => {
  const page = loadPage({ respond: () => new Response('<p>Main</p>', { headers: { 'content-type': 'text/html' } }) });
  globalThis.result = undefined;
  await runExample(`
var api = new mw.ForeignRest( 'https://commons.wikimedia.org/w/rest.php' );
globalThis.result = await api.get( '/page/Main_Page/html' );
`);
  assert.equal(globalThis.result, '<p>Main</p>');
  assert.equal(page.requests[0].rawUrl, 'https://commons.wikimedia.org/w/rest.php/page/Main_Page/html');
  assert.equal(page.requests[0].credentials, 'include');
  delete globalThis.result;
});

test('the anonymous constructor sees an anonymous user and gets no token', async () => {
  const wiki = fakeWiki();
  const page = loadPage({ respond: wiki.handle });
  const alerts = await runExample(`
await mw.loader.using( 'mediawiki.ForeignApi' )
const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php', { anonymous: true } );
const data = await api.get( { action: 'query', meta: 'userinfo' } );
alert( data.query.userinfo.id );
try {
    await api.getToken( 'csrf' );
} catch ( e ) {
    alert( e.code );
}
`);
  assert.deepEqual(alerts, [0, 'query-missing']);
  assert.deepEqual(page.requests.map((r) => [r.params.get('origin'), r.credentials]), [['*', 'omit'], ['*', 'omit']]);
});

test('a badtoken from the foreign wiki is retried once by postWithToken', async () => {
  const wiki = fakeWiki();
  const page = loadPage({ respond: wiki.handle });
  const api = new page.mw.ForeignApi(FOREIGN_API);
  await api.getToken('csrf');
  wiki.csrf = 'rotated+\\';
  assert.deepEqual(await api.postWithToken('options', { action: 'options', optionname: 'userjs-x', optionvalue: '1' }), { options: 'success' });
  assert.equal(wiki.posts.length, 2);
});
