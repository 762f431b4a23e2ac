// CentralAuth's client (spec §3.5): mw.Api#getCentralAuthToken, and the central tokens that
// mw.ForeignApi and mw.ForeignRest send for a logged-in user, against a fake two-wiki farm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, apiError, hang, outcome, LOCAL, FOREIGN, FOREIGN_API } from './harness.mjs';

const LOGGED_IN = { wgUserName: 'Alice', wgUserId: 7, wgCsrfToken: 'local+\\', wgCentralAuth: true };
const FOREIGN_REST = FOREIGN + '/w/rest.php';

/**
 * A local wiki that issues central tokens cat1, cat2, ... to Alice, and a foreign wiki that
 * accepts each of them once (as `centralauthtoken` or the REST Authorization header) and
 * otherwise knows the user by its cookies only if `foreignUser` is set.
 */
function farm(page, { foreignUser = null } = {}) {
  const state = {
    issued: 0,
    unspent: new Set(),
    expired: new Set(),
    local: [],
    foreign: [],
    rest: [],
    localAnswer: null,
    options: {},
    csrf: 'foreign+\\',
  };
  const centralTokenRequests = () => state.local.filter((r) => r.params.get('action') === 'centralauthtoken');
  state.centralTokenRequests = centralTokenRequests;
  state.userinfoChecks = () => state.foreign.filter((r) => r.params.get('meta') === 'userinfo|tokens');
  state.calls = () => state.foreign.filter((r) => r.params.get('meta') !== 'userinfo|tokens');

  /** Who a foreign request runs as: a central token wins (and is spent), else the cookies. */
  function identify(request, token) {
    if (token !== null && token !== undefined) {
      return state.unspent.delete(token) && !state.expired.has(token) ? 'Alice' : 'badtoken';
    }
    return request.credentials === 'omit' ? null : foreignUser;
  }

  page.respond((request) => {
    if (request.url.origin === LOCAL) {
      state.local.push(request);
      if (state.localAnswer) {
        return state.localAnswer(request);
      }
      const token = 'cat' + ++state.issued;
      state.unspent.add(token);
      return json({ centralauthtoken: { centralauthtoken: token } });
    }
    if (request.url.pathname.endsWith('/rest.php/v1/me')) {
      state.rest.push(request);
      const header = request.headers.Authorization;
      const user = identify(request, header ? header.replace(/^CentralAuthToken /, '') : null);
      return user === 'badtoken' ? json({ httpCode: 403 }, { status: 403 }) : json({ user });
    }
    state.foreign.push(request);
    const p = request.params;
    const user = identify(request, p.get('centralauthtoken'));
    if (user === 'badtoken') {
      return apiError('badtoken', 'The centralauthtoken is not valid.');
    }
    if (p.get('action') === 'query') {
      return json({
        batchcomplete: '',
        query: {
          userinfo: user ? { id: 7, name: user } : { id: 0, name: '192.0.2.1', anon: '' },
          tokens: { csrftoken: user ? state.csrf : '+\\' },
        },
      });
    }
    if (p.get('action') === 'options') {
      if (p.get('token') !== state.csrf || !user) {
        return apiError('badtoken', 'Invalid CSRF token.');
      }
      state.options[p.get('optionname')] = p.get('optionvalue');
      return json({ options: 'success' });
    }
    return json({ ok: user });
  });
  return state;
}

/** Lets the constructor's checkForeignLogin() finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('getCentralAuthToken GETs action=centralauthtoken every time and resolves with the token', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.Api();
  assert.equal(await api.getCentralAuthToken(), 'cat1');
  assert.equal(await api.getCentralAuthToken(), 'cat2', 'never cached: each token is single-use');
  const request = wiki.local[0];
  assert.equal(request.method, 'GET');
  assert.equal(request.url.pathname, '/w/api.php');
  assert.equal(request.params.get('action'), 'centralauthtoken');
  assert.equal(request.params.get('format'), 'json');

  wiki.localAnswer = () => apiError('notloggedin', 'You must be logged in.');
  const failed = await outcome(api.getCentralAuthToken({ timeout: 5000 }));
  assert.equal(failed.ok, false);
  assert.equal(failed.args[0], 'notloggedin');
});

test('an anonymous page user never fetches a central token or checks the foreign login', async () => {
  const page = loadPage();
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const rest = new page.mw.ForeignRest(FOREIGN_REST);
  await api.get({ meta: 'siteinfo' });
  await api.post({ action: 'purge', titles: 'A' });
  await rest.get('/v1/me');
  assert.equal(wiki.local.length, 0);
  assert.equal(wiki.userinfoChecks().length, 0);
  assert.equal(wiki.foreign.some((r) => r.params.has('centralauthtoken') || r.url.searchParams.has('centralauthtoken')), false);
  assert.equal(wiki.rest[0].headers.Authorization, undefined);
  assert.equal(wiki.rest[0].credentials, 'include');
});

test('anonymous: true, or wgCentralAuth false in the page config, means no central tokens', async () => {
  for (const [config, options] of [[LOGGED_IN, { anonymous: true }], [{ ...LOGGED_IN, wgCentralAuth: false }, {}]]) {
    const page = loadPage({ config });
    const wiki = farm(page);
    await new page.mw.ForeignApi(FOREIGN_API, options).post({ action: 'purge', titles: 'A' });
    await new page.mw.ForeignRest(FOREIGN_REST, options).get('/v1/me');
    assert.equal(wiki.local.length, 0);
    assert.equal(wiki.userinfoChecks().length, 0);
    assert.equal(wiki.foreign[0].params.has('centralauthtoken'), false);
    assert.equal(wiki.rest[0].headers.Authorization, undefined);
  }
});

test('the constructor checks the foreign login with cookies, origin and no central token', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  await settle();
  assert.equal(wiki.userinfoChecks().length, 1);
  const check = wiki.userinfoChecks()[0];
  assert.equal(check.method, 'GET');
  assert.equal(check.credentials, 'include');
  assert.equal(check.params.get('origin'), LOCAL);
  assert.equal(check.params.has('centralauthtoken'), false);
  assert.equal(wiki.local.length, 0, 'no central token for the check itself');
  assert.equal((await outcome(api.foreignLoginPromise)).ok, false, 'the foreign wiki sees an anonymous user');
  assert.equal(api.noTokenNeeded, false);
});

test('logged in locally only: each request gets a fresh central token (GET: parameters only)', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const first = await api.get({ meta: 'userinfo' });
  const second = await api.get({ meta: 'userinfo' });
  assert.equal(first.query.userinfo.name, 'Alice');
  assert.equal(second.query.userinfo.name, 'Alice');
  assert.equal(wiki.centralTokenRequests().length, 2);
  const [a, b] = wiki.calls();
  assert.equal(a.params.get('centralauthtoken'), 'cat1');
  assert.equal(b.params.get('centralauthtoken'), 'cat2');
  assert.equal(a.url.searchParams.getAll('centralauthtoken').length, 1, 'not added to the URL a second time');
  assert.equal(a.params.get('origin'), LOCAL);
  assert.equal(a.credentials, 'include', 'still a credentialed CORS request');
  assert.equal(wiki.centralTokenRequests()[0].credentials, undefined, 'the local request is same-origin');
});

test('POST carries the central token in the URL, for the preflight, and in the body', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const params = { action: 'options', optionname: 'userjs-x', optionvalue: '1', token: wiki.csrf };
  assert.deepEqual(await api.post(params), { options: 'success' });
  const post = wiki.calls()[0];
  assert.equal(post.method, 'POST');
  assert.equal(post.url.searchParams.get('centralauthtoken'), 'cat1');
  assert.equal(post.url.searchParams.get('origin'), LOCAL);
  assert.equal(post.params.get('centralauthtoken'), 'cat1');
  assert.equal(post.body.split('&').at(-1), 'token=' + encodeURIComponent(wiki.csrf), 'the CSRF token stays last');
  assert.deepEqual(params, { action: 'options', optionname: 'userjs-x', optionvalue: '1', token: wiki.csrf }, "the caller's object is untouched");
  assert.equal(wiki.options['userjs-x'], '1');
});

test('a centralauthtoken the caller gives is kept, and no other is fetched', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  await outcome(api.get({ meta: 'userinfo', centralauthtoken: 'mine' }));
  assert.equal(wiki.centralTokenRequests().length, 0);
  assert.equal(wiki.calls()[0].params.get('centralauthtoken'), 'mine');
});

test('the write example of Manual:CORS works with central tokens only', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const data = await api.get({ action: 'query', meta: 'tokens' });
  await api.post({ action: 'options', token: data.query.tokens.csrftoken, optionname: 'userjs-test', optionvalue: 'Hello world!' });
  assert.equal(wiki.options['userjs-test'], 'Hello world!');
  assert.deepEqual(wiki.calls().map((r) => r.params.get('centralauthtoken')), ['cat1', 'cat2']);
});

test('already logged in on the foreign wiki: no central tokens, and its CSRF token is reused', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Alice' });
  const api = new page.mw.ForeignApi(FOREIGN_API);
  assert.equal(await api.getToken('csrf'), wiki.csrf);
  assert.equal(await api.getToken('options'), wiki.csrf, 'legacy names mean csrf');
  assert.deepEqual(await api.postWithToken('csrf', { action: 'options', optionname: 'userjs-a', optionvalue: 'b' }), { options: 'success' });
  await api.get({ meta: 'siteinfo' });
  assert.equal(wiki.local.length, 0, 'no central token was fetched');
  assert.equal(wiki.userinfoChecks().length, 1);
  assert.equal(wiki.foreign.filter((r) => r.params.get('meta') === 'tokens').length, 0, 'the check gave the CSRF token');
  assert.equal(wiki.foreign.some((r) => r.params.has('centralauthtoken')), false);
  assert.equal(api.noTokenNeeded, true);
  assert.equal(wiki.options['userjs-a'], 'b');
});

test('badToken stops the reuse of the CSRF token from the login check', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Alice' });
  const api = new page.mw.ForeignApi(FOREIGN_API);
  assert.equal(await api.getToken('csrf'), 'foreign+\\');
  wiki.csrf = 'rotated+\\';
  api.badToken('edit');
  assert.equal(api.csrfTokenBad, true);
  assert.equal(await api.getToken('csrf'), 'rotated+\\');
  assert.equal(wiki.foreign.filter((r) => r.params.get('meta') === 'tokens').length, 1);
  assert.equal(wiki.local.length, 0, 'still no central token: the cookies work');
});

test('a different user on the foreign wiki means central tokens, and getToken fetches with one', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Mallory' });
  const api = new page.mw.ForeignApi(FOREIGN_API);
  assert.equal(await api.getToken('csrf'), wiki.csrf);
  const tokenRequest = wiki.foreign.find((r) => r.params.get('meta') === 'tokens');
  assert.equal(tokenRequest.params.get('centralauthtoken'), 'cat1');
  assert.equal(api.csrfToken, null);
});

test('a failed central token fetch sends the request without one', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  wiki.localAnswer = () => apiError('badsession', 'Session mismatch.');
  const first = await api.get({ meta: 'userinfo' });
  assert.equal(first.query.userinfo.id, 0, 'the foreign wiki runs it as anonymous');
  wiki.localAnswer = () => new Response('oops', { status: 500 });
  await api.post({ action: 'purge', titles: 'A' });
  wiki.localAnswer = () => json({ unexpected: true });
  await api.get({ meta: 'siteinfo' });
  assert.equal(wiki.centralTokenRequests().length, 3);
  assert.equal(wiki.calls().length, 3);
  for (const call of wiki.calls()) {
    assert.equal(call.params.has('centralauthtoken'), false);
    assert.equal(call.url.searchParams.has('centralauthtoken'), false);
    assert.equal(call.credentials, 'include');
  }
});

test('postWithToken retries a badtoken once, with a fresh central token for each request', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  await settle();
  // The central token of the first POST has expired when it arrives.
  wiki.expired.add('cat2');
  const result = await api.postWithToken('csrf', { action: 'options', optionname: 'userjs-r', optionvalue: '2' });
  assert.deepEqual(result, { options: 'success' });
  const posts = wiki.calls().filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((r) => r.params.get('centralauthtoken')), ['cat2', 'cat4']);
  assert.deepEqual(posts.map((r) => r.url.searchParams.get('centralauthtoken')), ['cat2', 'cat4']);
  const tokenQueries = wiki.calls().filter((r) => r.params.get('meta') === 'tokens');
  assert.deepEqual(tokenQueries.map((r) => r.params.get('centralauthtoken')), ['cat1', 'cat3'], 'badToken made it fetch the CSRF token again');
  assert.equal(wiki.centralTokenRequests().length, 4);
  assert.equal(wiki.options['userjs-r'], '2');
});

test('ForeignRest sends Authorization: CentralAuthToken with credentials omitted, a fresh token each time', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Alice' });
  const rest = new page.mw.ForeignRest(FOREIGN_REST);
  assert.deepEqual(await rest.get('/v1/me'), { user: 'Alice' });
  await rest.post('/v1/me', { a: 1 }, { authorization: 'Bearer other' });
  assert.deepEqual(wiki.rest.map((r) => r.headers.Authorization), ['CentralAuthToken cat1', 'CentralAuthToken cat2']);
  assert.equal(wiki.rest[1].headers.authorization, undefined, 'one Authorization header');
  assert.deepEqual(wiki.rest.map((r) => r.credentials), ['omit', 'omit']);
  assert.equal(wiki.foreign.length, 0, 'no foreign login check, even when the cookies would work (T412530)');
  assert.equal(wiki.centralTokenRequests().length, 2);
});

test('ForeignRest never calls checkForeignLogin and takes the old signature', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const { mw } = page;
  let checks = 0;
  const original = mw.ForeignApi.prototype.checkForeignLogin;
  mw.ForeignApi.prototype.checkForeignLogin = function () {
    checks++;
    return original.call(this);
  };
  try {
    const rest = new mw.ForeignRest(FOREIGN_REST, { ajax: { timeout: 1000 } });
    assert.equal(typeof rest.checkForeignLogin, 'undefined');
    await rest.get('/v1/me');
    const actionApi = new mw.ForeignApi(FOREIGN_API, { anonymous: true });
    const oldForm = new mw.ForeignRest(FOREIGN_REST, actionApi, {});
    await oldForm.get('/v1/me');
    assert.equal(checks, 0);
    assert.deepEqual(wiki.rest.map((r) => r.headers.Authorization), ['CentralAuthToken cat1', 'CentralAuthToken cat2']);
  } finally {
    mw.ForeignApi.prototype.checkForeignLogin = original;
  }
});

test('ForeignRest without a central token sends the request with its cookies', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Alice' });
  wiki.localAnswer = () => apiError('notloggedin', 'You must be logged in.');
  const rest = new page.mw.ForeignRest(FOREIGN_REST);
  assert.deepEqual(await rest.get('/v1/me'), { user: 'Alice' });
  assert.equal(wiki.rest[0].headers.Authorization, undefined);
  assert.equal(wiki.rest[0].credentials, 'include');
});

test('aborting a request also aborts its central token request, and nothing goes to the foreign wiki', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const rest = new page.mw.ForeignRest(FOREIGN_REST);
  await settle();
  wiki.localAnswer = hang;

  const request = api.post({ action: 'purge', titles: 'A' });
  await settle();
  assert.equal(wiki.centralTokenRequests().length, 1);
  request.abort();
  assert.equal((await outcome(request)).args[1].textStatus, 'abort');
  assert.equal(wiki.centralTokenRequests()[0].signal.aborted, true);

  const controller = new AbortController();
  const viaSignal = rest.get('/v1/me', {}, {});
  const withSignal = api.get({ meta: 'userinfo' }, { signal: controller.signal });
  await settle();
  controller.abort('stop');
  assert.deepEqual((await outcome(withSignal)).args, ['stop', 'stop']);
  assert.equal(wiki.centralTokenRequests()[2].signal.aborted, true);
  rest.abort();
  assert.equal((await outcome(viaSignal)).args[1].textStatus, 'abort');
  assert.equal(wiki.centralTokenRequests()[1].signal.aborted, true);

  await settle();
  assert.equal(wiki.calls().length, 0);
  assert.equal(wiki.rest.length, 0);
});

test('a request times out while its central token is awaited', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page);
  const api = new page.mw.ForeignApi(FOREIGN_API, { ajax: { timeout: 30 } });
  await settle();
  wiki.localAnswer = hang;
  const { ok, args } = await outcome(api.get({ meta: 'userinfo' }));
  assert.equal(ok, false);
  assert.equal(args[1].textStatus, 'timeout');
  assert.equal(wiki.centralTokenRequests()[0].signal.aborted, true);
  assert.equal(wiki.calls().length, 0);
});

test('aborting getToken does not abort the shared foreign login check', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const wiki = farm(page, { foreignUser: 'Alice' });
  const api = new page.mw.ForeignApi(FOREIGN_API);
  const token = api.getToken('csrf');
  token.abort();
  assert.equal((await outcome(token)).args[1].textStatus, 'abort');
  assert.equal(await api.getToken('csrf'), wiki.csrf);
  assert.equal(api.noTokenNeeded, true);
});
