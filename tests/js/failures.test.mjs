// Failure values of mw.Api and mw.Rest (spec §1.5, §1.6, §2.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, apiError, hang, outcome } from './harness.mjs';

test('an API error rejects (code, result, result, jqXHR)', async () => {
  const page = loadPage({ respond: () => apiError('badtoken', 'Invalid CSRF token.') });
  const { ok, args } = await outcome(new page.mw.Api().post({ action: 'edit' }));
  assert.equal(ok, false);
  assert.equal(args.length, 4);
  assert.equal(args[0], 'badtoken');
  assert.deepEqual(args[1], { error: { code: 'badtoken', info: 'Invalid CSRF token.', '*': 'See the API help.' } });
  assert.equal(args[2], args[1]);
  assert.equal(args[3].status, 200);
  assert.equal(args[3].responseJSON, args[1]);
  assert.deepEqual(page.logs, [['mw.Api error: ', 'badtoken', args[1]]]);
});

test('with another errorformat, the code is the first of errors[]', async () => {
  const result = { errors: [{ code: 'missingparam', text: 'The "title" parameter must be set.' }, { code: 'other' }] };
  const page = loadPage({ respond: () => json(result) });
  const { args } = await outcome(new page.mw.Api().get({ errorformat: 'plaintext' }));
  assert.deepEqual(args.slice(0, 3), ['missingparam', result, result]);
});

test('an error without a code rejects unknown', async () => {
  const page = loadPage({ respond: () => json({ error: { info: 'odd' } }) });
  assert.equal((await outcome(new page.mw.Api().get({}))).args[0], 'unknown');
});

test('an HTTP error status rejects http with the xhr, error and the status text', async () => {
  const page = loadPage({ respond: () => new Response('<h1>Oops</h1>', { status: 500, statusText: 'Internal Server Error' }) });
  const { args } = await outcome(new page.mw.Api().get({}));
  assert.equal(args.length, 2);
  assert.equal(args[0], 'http');
  assert.equal(args[1].textStatus, 'error');
  assert.equal(args[1].exception, 'Internal Server Error');
  assert.equal(args[1].xhr.status, 500);
  assert.equal(args[1].xhr.responseText, '<h1>Oops</h1>');
});

test('a network or CORS failure rejects http with status 0', async () => {
  const page = loadPage({ respond: () => Promise.reject(new TypeError('Failed to fetch')) });
  const { args } = await outcome(new page.mw.Api().get({}));
  assert.equal(args[0], 'http');
  assert.deepEqual([args[1].textStatus, args[1].exception, args[1].xhr.status], ['error', '', 0]);
});

test('a body that is not JSON rejects http with parsererror', async () => {
  const page = loadPage({ respond: () => new Response('<html>') });
  const { args } = await outcome(new page.mw.Api().get({}));
  assert.equal(args[1].textStatus, 'parsererror');
  assert.ok(args[1].exception instanceof SyntaxError);
});

test('an empty answer rejects ok-but-empty', async () => {
  const page = loadPage({ respond: () => new Response('') });
  const { args } = await outcome(new page.mw.Api().get({}));
  assert.equal(args[0], 'ok-but-empty');
  assert.equal(args[1], 'OK response but empty result (check HTTP headers?)');
  assert.equal(args[2], undefined);
  assert.equal(args[3].status, 200);
});

test('promise.abort() rejects http/abort at once, aborts the fetch and logs nothing', async () => {
  const page = loadPage({ respond: hang });
  const promise = new page.mw.Api().get({});
  await new Promise((resolve) => setTimeout(resolve, 0));
  promise.abort();
  const { args } = await outcome(promise);
  assert.deepEqual([args[0], args[1].textStatus, args[1].exception], ['http', 'abort', 'abort']);
  assert.equal(page.requests[0].signal.aborted, true);
  assert.deepEqual(page.logs, []);
});

test('api.abort() aborts every request of that instance only', async () => {
  const page = loadPage({ respond: hang });
  const api = new page.mw.Api();
  const other = new page.mw.Api();
  const first = api.get({ a: 1 });
  const second = api.post({ b: 2 });
  const untouched = other.get({ c: 3 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  api.abort();
  assert.equal((await outcome(first)).args[1].textStatus, 'abort');
  assert.equal((await outcome(second)).args[1].textStatus, 'abort');
  assert.equal(api.requests.length, 0);
  assert.equal(other.requests.length, 1);
  untouched.abort();
  await outcome(untouched);
});

test('derived promises keep abort()', async () => {
  const page = loadPage({ respond: hang });
  const derived = new page.mw.Api().get({}).then((data) => data);
  derived.abort();
  assert.equal((await outcome(derived)).args[1].textStatus, 'abort');
});

test('a timeout rejects http/timeout', async () => {
  const page = loadPage({ respond: hang });
  const { args } = await outcome(new page.mw.Api({ ajax: { timeout: 5 } }).get({}));
  assert.deepEqual([args[0], args[1].textStatus, args[1].exception], ['http', 'timeout', 'timeout']);
  assert.equal(page.requests[0].signal.aborted, true);
});

test('an AbortSignal rejects (reason, reason); an aborted one sends nothing', async () => {
  const page = loadPage({ respond: hang });
  const controller = new AbortController();
  const promise = new page.mw.Api().get({}, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 0));
  controller.abort(new DOMException('Gone', 'AbortError'));
  const { args } = await outcome(promise);
  assert.equal(args[0], controller.signal.reason);
  assert.equal(args[1], controller.signal.reason);
  assert.equal(args[0].name, 'AbortError');

  const before = page.requests.length;
  const early = new page.mw.Api().get({}, { signal: AbortSignal.abort('stop') });
  assert.deepEqual((await outcome(early)).args, ['stop', 'stop']);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(page.requests.length, before);
});

test('mw.Rest rejects http with the parsed error body on the xhr', async () => {
  const body = { messageTranslations: { en: 'The specified page does not exist' }, httpCode: 404 };
  const page = loadPage({ respond: () => json(body, { status: 404 }) });
  const { ok, args } = await outcome(new page.mw.Rest().get('/v1/page/Nope'));
  assert.equal(ok, false);
  assert.equal(args[0], 'http');
  assert.equal(args[1].textStatus, 'error');
  assert.equal(args[1].xhr.status, 404);
  assert.deepEqual(args[1].xhr.responseJSON, body);
});

test('mw.Rest resolves (body, jqXHR) on success', async () => {
  const page = loadPage({ respond: () => json({ title: 'Main Page' }, { headers: { ETag: '"1"' } }) });
  const { ok, args } = await outcome(new page.mw.Rest().get('/v1/page/Main_Page/bare'));
  assert.equal(ok, true);
  assert.deepEqual(args[0], { title: 'Main Page' });
  assert.equal(args[1].getResponseHeader('etag'), '"1"');
});
