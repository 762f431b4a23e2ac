// The token cache shared per API URL and postWithToken's single badtoken retry (spec §1.7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, apiError, hang, outcome, FOREIGN_API } from './harness.mjs';

function tokenAnswer(type, token) {
  return json({ batchcomplete: '', query: { tokens: { [type + 'token']: token } } });
}

/** Answers token requests with csrf1, csrf2, ...; POSTs with `post(request)`. */
function tokenServer(page, post = () => json({ ok: 1 })) {
  let issued = 0;
  page.respond((request) => (request.params.get('meta') === 'tokens'
    ? tokenAnswer(request.params.get('type'), 'csrf' + ++issued)
    : post(request)));
  return () => page.requests.filter((r) => r.params.get('meta') === 'tokens');
}

test('getToken asks with meta=tokens once per API URL, for every instance', async () => {
  const page = loadPage();
  const tokenRequests = tokenServer(page);
  const first = new page.mw.ForeignApi(FOREIGN_API);
  const second = new page.mw.ForeignApi(FOREIGN_API);
  const [a, b] = await Promise.all([first.getToken('csrf'), second.getToken('csrf')]);
  assert.equal(a, 'csrf1');
  assert.equal(b, 'csrf1');
  assert.equal(await first.getToken('csrf'), 'csrf1');
  assert.equal(tokenRequests().length, 1);
  const request = tokenRequests()[0];
  assert.equal(request.params.get('type'), 'csrf');
  assert.equal(request.method, 'GET');

  assert.equal(await new page.mw.ForeignApi('https://other.test/w/api.php').getToken('csrf'), 'csrf2');
  assert.equal(tokenRequests().length, 2, 'another URL has its own cache');
});

test('legacy token types mean csrf; additional parameters go with the request', async () => {
  const page = loadPage();
  const tokenRequests = tokenServer(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  assert.equal(await api.getToken('options', 'user'), 'csrf1');
  assert.equal(await api.getToken('edit'), 'csrf1');
  assert.equal(tokenRequests()[0].params.get('type'), 'csrf');
  assert.equal(tokenRequests()[0].params.get('assert'), 'user');
});

test('a failed token request is not cached', async () => {
  const page = loadPage();
  const api = new page.mw.ForeignApi(FOREIGN_API);
  page.respond(() => apiError('readapidenied'));
  assert.deepEqual((await outcome(api.getToken('csrf'))).args[0], 'readapidenied');
  page.respond(() => tokenAnswer('csrf', 'fresh'));
  assert.equal(await api.getToken('csrf'), 'fresh');
});

test('an answer without query rejects query-missing and is not cached', async () => {
  const page = loadPage();
  const api = new page.mw.ForeignApi(FOREIGN_API, { anonymous: true });
  const warning = { warnings: { tokens: { '*': 'Tokens may not be obtained when the same-origin policy is not applied.' } } };
  page.respond(() => json(warning));
  const { ok, args } = await outcome(api.getToken('csrf'));
  assert.equal(ok, false);
  assert.deepEqual(args, ['query-missing', warning]);
  await outcome(api.getToken('csrf'));
  assert.equal(page.requests.length, 2);
});

test('token-missing stays cached until badToken, as in MediaWiki', async () => {
  const page = loadPage();
  const api = new page.mw.ForeignApi(FOREIGN_API);
  page.respond(() => json({ query: { tokens: {} } }));
  assert.equal((await outcome(api.getToken('patrol'))).args[0], 'token-missing');
  assert.equal((await outcome(api.getToken('patrol'))).args[0], 'token-missing');
  assert.equal(page.requests.length, 1);
  api.badToken('patrol');
  page.respond(() => tokenAnswer('patrol', 'p1'));
  assert.equal(await api.getToken('patrol'), 'p1');
});

test('the page csrfToken serves the local API without a request, but not a foreign one', async () => {
  const page = loadPage({ config: { wgUserName: 'Alice', wgCsrfToken: 'page-token+\\' } });
  const tokenRequests = tokenServer(page);
  await new page.mw.Api().postWithEditToken({ action: 'edit', title: 'A', text: 'x' });
  assert.equal(tokenRequests().length, 0);
  assert.equal(page.requests[0].params.get('token'), 'page-token+\\');
  assert.equal(await new page.mw.ForeignApi(FOREIGN_API).getToken('csrf'), 'csrf1');
});

test('postWithToken retries once with a fresh token after badtoken', async () => {
  const page = loadPage();
  const tokenRequests = tokenServer(page, (request) => (request.params.get('token') === 'csrf2'
    ? json({ options: 'success' })
    : apiError('badtoken', 'Invalid CSRF token.')));
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const params = { action: 'options', change: 'a=b', assert: 'user' };
  const { ok, args } = await outcome(api.postWithToken('csrf', params));
  assert.equal(ok, true);
  assert.deepEqual(args[0], { options: 'success' });
  assert.equal(args[1].status, 200, 'the jqXHR-like comes along');
  const posts = page.requests.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((r) => r.params.get('token')), ['csrf1', 'csrf2']);
  assert.equal(tokenRequests().length, 2);
  assert.equal(tokenRequests()[1].params.get('assert'), 'user');
  assert.deepEqual(params, { action: 'options', change: 'a=b', assert: 'user' }, "the caller's object is untouched");
  assert.equal(await api.getToken('csrf'), 'csrf2', 'the fresh token is cached');
});

test('a second badtoken is final: no third attempt', async () => {
  const page = loadPage();
  tokenServer(page, () => apiError('badtoken', 'Invalid CSRF token.'));
  const { ok, args } = await outcome(new page.mw.ForeignApi(FOREIGN_API).postWithToken('csrf', { action: 'options' }));
  assert.equal(ok, false);
  assert.equal(args[0], 'badtoken');
  assert.equal(args[1].error.info, 'Invalid CSRF token.');
  assert.equal(page.requests.filter((r) => r.method === 'POST').length, 2);
});

test('other errors pass through postWithToken unchanged, without a retry', async () => {
  const page = loadPage();
  tokenServer(page, () => apiError('permissiondenied'));
  const { args } = await outcome(new page.mw.ForeignApi(FOREIGN_API).postWithToken('csrf', { action: 'edit' }));
  assert.equal(args[0], 'permissiondenied');
  assert.equal(args[1], args[2]);
  assert.equal(args[3].getResponseHeader('MediaWiki-API-Error'), 'permissiondenied');
  assert.equal(page.requests.filter((r) => r.method === 'POST').length, 1);
});

test('aborting postWithToken while the token loads sends no POST and leaves the token request alone', async () => {
  const page = loadPage();
  let answerToken;
  page.respond((request) => (request.params.get('meta') === 'tokens'
    ? new Promise((resolve) => { answerToken = () => resolve(tokenAnswer('csrf', 't')); })
    : hang(request)));
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const promise = api.postWithToken('csrf', { action: 'options' });
  await new Promise((resolve) => setTimeout(resolve, 0));
  promise.abort();
  const { args } = await outcome(promise);
  assert.equal(args[0], 'http');
  assert.equal(args[1].textStatus, 'abort');
  assert.equal(page.requests[0].signal.aborted, false);
  answerToken();
  assert.equal(await api.getToken('csrf'), 't');
  assert.equal(page.requests.filter((r) => r.method === 'POST').length, 0);
});

test('aborting postWithToken during the POST aborts the POST', async () => {
  const page = loadPage();
  tokenServer(page, hang);
  const promise = new page.mw.ForeignApi(FOREIGN_API).postWithToken('csrf', { action: 'options' });
  while (!page.requests.some((r) => r.method === 'POST')) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  promise.abort();
  const { args } = await outcome(promise);
  assert.equal(args[1].textStatus, 'abort');
  assert.equal(page.requests.find((r) => r.method === 'POST').signal.aborted, true);
});
