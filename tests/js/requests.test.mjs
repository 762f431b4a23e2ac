// How requests are built: GET vs POST, ForeignApi's origin and credentials (spec §2.2),
// mw.Rest and mw.ForeignRest (spec §2.3, §2.4), and the beforeSend hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, LOCAL, FOREIGN, FOREIGN_API } from './harness.mjs';

const PAGE_ORIGIN = encodeURIComponent(LOCAL);

test('GET puts the parameters in the query string of the local API, with no body', async () => {
  const page = loadPage();
  await new page.mw.Api().get({ meta: 'userinfo' });
  const [request] = page.requests;
  assert.equal(request.method, 'GET');
  assert.equal(request.rawUrl, '/w/api.php?action=query&format=json&meta=userinfo');
  assert.equal(request.body, undefined);
  assert.equal(request.credentials, undefined, "fetch's default, same-origin");
});

test('POST sends an urlencoded body to the bare URL', async () => {
  const page = loadPage();
  await new page.mw.Api().post({ action: 'purge', titles: 'A' });
  const [request] = page.requests;
  assert.equal(request.method, 'POST');
  assert.equal(request.rawUrl, '/w/api.php');
  assert.equal(request.headers['Content-Type'], 'application/x-www-form-urlencoded; charset=UTF-8');
  assert.equal(request.body, 'action=purge&format=json&titles=A');
});

test('POST is multipart when a value is a Blob, or when asked', async () => {
  const page = loadPage();
  const api = new page.mw.Api();
  await api.post({ action: 'upload', file: new Blob(['data']), filename: 'a.txt' });
  await api.post({ action: 'purge', titles: 'A' }, { contentType: 'multipart/form-data' });
  for (const request of page.requests) {
    assert.ok(request.body instanceof FormData);
    assert.equal(request.headers['Content-Type'], undefined, 'the browser sets the boundary');
  }
  assert.equal(await page.requests[0].body.get('file').text(), 'data');
  assert.equal(page.requests[1].body.get('titles'), 'A');
});

test('ForeignApi GET carries origin=<page origin> and sends credentials', async () => {
  const page = loadPage();
  await new page.mw.ForeignApi(FOREIGN_API).get({ meta: 'userinfo' });
  const [request] = page.requests;
  assert.equal(request.rawUrl, `${FOREIGN_API}?action=query&format=json&origin=${PAGE_ORIGIN}&meta=userinfo`);
  assert.equal(request.credentials, 'include');
});

test('ForeignApi POST puts origin in the URL, for the preflight, and in the body', async () => {
  const page = loadPage();
  await new page.mw.ForeignApi(FOREIGN_API).post({ action: 'options', token: 't' });
  const [request] = page.requests;
  assert.equal(request.rawUrl, `${FOREIGN_API}?origin=${PAGE_ORIGIN}`);
  assert.equal(request.body, `action=options&format=json&origin=${PAGE_ORIGIN}&token=t`);
  assert.equal(request.credentials, 'include');
});

test('ForeignApi with anonymous: true uses origin=* and omits credentials', async () => {
  const page = loadPage();
  const api = new page.mw.ForeignApi(FOREIGN_API, { anonymous: true });
  await api.get({ meta: 'userinfo' });
  await api.post({ action: 'purge' });
  assert.equal(page.requests[0].url.searchParams.get('origin'), '*');
  assert.equal(page.requests[1].rawUrl, FOREIGN_API + '?origin=*');
  assert.deepEqual(page.requests.map((r) => r.credentials), ['omit', 'omit']);
});

test('ForeignApi to the page own origin sends no origin parameter', async () => {
  const page = loadPage();
  const api = new page.mw.ForeignApi(LOCAL + '/w/api.php');
  await api.get({ meta: 'userinfo' });
  await api.post({ action: 'purge' });
  assert.equal(page.requests[0].params.has('origin'), false);
  assert.equal(page.requests[1].rawUrl, LOCAL + '/w/api.php');
  assert.equal(page.requests[1].params.has('origin'), false);
});

test('ForeignApi accepts protocol-relative and URL-object urls', async () => {
  const page = loadPage();
  await new page.mw.ForeignApi('//en.wikipedia.test/w/api.php').get({});
  await new page.mw.ForeignApi('//www.mediawiki.test/w/api.php').get({});
  await new page.mw.ForeignApi(new URL(FOREIGN_API)).get({});
  assert.equal(page.requests[0].url.origin, FOREIGN);
  assert.equal(page.requests[0].params.get('origin'), LOCAL);
  assert.equal(page.requests[1].params.has('origin'), false);
  assert.equal(page.requests[2].params.get('origin'), LOCAL);
});

test('ForeignApi requires a url, and the caller options win over its defaults', async () => {
  const page = loadPage();
  assert.throws(() => new page.mw.ForeignApi(), /requires a `url` parameter/);
  assert.throws(() => new page.mw.ForeignApi({ url: FOREIGN_API }), /requires a `url` parameter/);
  const api = new page.mw.ForeignApi(FOREIGN_API, { parameters: { formatversion: 2 }, ajax: { credentials: 'same-origin' } });
  assert.ok(api instanceof page.mw.Api);
  await api.get({});
  assert.equal(page.requests[0].params.get('formatversion'), '2');
  assert.equal(page.requests[0].params.get('origin'), LOCAL);
  assert.equal(page.requests[0].credentials, 'same-origin');
});

test('Api-User-Agent is sent as given in ajax.headers, or from the userAgent option', async () => {
  const page = loadPage();
  await new page.mw.Api().get({}, { headers: { 'Api-User-Agent': 'Gadget/1.0' } });
  await new page.mw.ForeignApi(FOREIGN_API, { ajax: { headers: { 'Api-User-Agent': 'Gadget/2.0' } } }).post({});
  await new page.mw.Api({ userAgent: 'Tool/3.0' }).get({});
  await new page.mw.Api({ userAgent: 'Tool/3.0' }).get({}, { headers: { 'api-user-agent': 'Own/4.0' } });
  await new page.mw.Api().get({});
  assert.equal(page.requests[0].headers['Api-User-Agent'], 'Gadget/1.0');
  assert.equal(page.requests[1].headers['Api-User-Agent'], 'Gadget/2.0');
  assert.equal(page.requests[2].headers['Api-User-Agent'], 'Tool/3.0');
  assert.deepEqual(page.requests[3].headers, { 'api-user-agent': 'Own/4.0' });
  assert.deepEqual(page.requests[4].headers, {}, 'none by default, so simple GETs are not preflighted');
});

test('mw.Rest appends the path to rest.php and sends query parameters for GET', async () => {
  const page = loadPage();
  page.respond(() => new Response('<p>Hi</p>', { headers: { 'content-type': 'text/html' } }));
  const rest = new page.mw.Rest();
  const html = await rest.get('/v1/page/Main_Page/html', { redirect: 'no', flavor: undefined });
  assert.equal(html, '<p>Hi</p>');
  assert.equal(page.requests[0].rawUrl, '/w/rest.php/v1/page/Main_Page/html?redirect=no');
  assert.equal(page.requests[0].method, 'GET');
});

test('mw.Rest post, put and delete send JSON with lower-cased headers', async () => {
  const page = loadPage();
  page.respond(() => json({ ok: true }, { status: 201 }));
  const rest = new page.mw.Rest();
  const [body] = await Promise.all([
    rest.post('/v1/page', { title: 'A', source: 'x' }, { 'X-Thing': '1' }),
    rest.put('/v1/page/A', { source: 'y' }),
    rest.delete('/v1/page/A', { reason: 'r' }),
    rest.post('/v1/nothing'),
  ]);
  assert.deepEqual(body, { ok: true });
  assert.deepEqual(page.requests.map((r) => r.method), ['POST', 'PUT', 'DELETE', 'POST']);
  assert.deepEqual(page.requests[0].headers, { 'x-thing': '1', 'content-type': 'application/json' });
  assert.equal(page.requests[0].body, '{"title":"A","source":"x"}');
  assert.equal(page.requests[2].body, '{"reason":"r"}');
  assert.equal(page.requests[3].body, '{}');
});

test('mw.ForeignRest sends credentials unless anonymous, and takes both signatures', async () => {
  const page = loadPage();
  const url = FOREIGN + '/w/rest.php';
  const actionApi = new page.mw.ForeignApi(FOREIGN_API);
  const withCookies = new page.mw.ForeignRest(url);
  const oldForm = new page.mw.ForeignRest(url, actionApi, { anonymous: true });
  const newForm = new page.mw.ForeignRest(url, { anonymous: true });
  assert.equal(oldForm.foreignActionApi, actionApi);
  await withCookies.get('/v1/page/Main_Page');
  await oldForm.get('/v1/page/Main_Page');
  await newForm.post('/v1/page', {});
  assert.equal(page.requests[0].rawUrl, url + '/v1/page/Main_Page');
  assert.deepEqual(page.requests.map((r) => r.credentials), ['include', 'omit', 'omit']);
  assert.equal(page.requests[0].params.has('origin'), false, 'REST has no origin parameter');
});

test('beforeSend can add a centralauthtoken (URL and body for POST) after an async step', async () => {
  const page = loadPage();
  const { mw } = page;
  function TokenApi(url, options) {
    mw.ForeignApi.call(this, url, options);
  }
  TokenApi.prototype = Object.create(mw.ForeignApi.prototype);
  TokenApi.prototype.beforeSend = async function (request) {
    mw.ForeignApi.prototype.beforeSend.call(this, request);
    const token = await Promise.resolve('CAT1');
    request.parameters.centralauthtoken = token;
    if (request.method !== 'GET') {
      request.url += '&centralauthtoken=' + token;
    }
  };
  const api = new TokenApi(FOREIGN_API);
  await api.post({ action: 'edit', token: 't' });
  await api.get({ meta: 'userinfo' });
  assert.equal(page.requests[0].rawUrl, `${FOREIGN_API}?origin=${PAGE_ORIGIN}&centralauthtoken=CAT1`);
  assert.match(page.requests[0].body, /&centralauthtoken=CAT1&token=t$/);
  assert.equal(page.requests[1].params.get('centralauthtoken'), 'CAT1');
});

test('beforeSend can add an Authorization header and drop credentials for REST', async () => {
  const page = loadPage();
  const rest = new page.mw.ForeignRest(FOREIGN + '/w/rest.php');
  rest.beforeSend = (request) => {
    request.headers.Authorization = 'CentralAuthToken CAT2';
    request.credentials = 'omit';
  };
  await rest.get('/v1/page/Main_Page');
  assert.equal(page.requests[0].headers.Authorization, 'CentralAuthToken CAT2');
  assert.equal(page.requests[0].credentials, 'omit');
});
