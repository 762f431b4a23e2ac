// The promises: native (await, Promise.all, catch) and jQuery-style (done, fail, always,
// then with every argument) on the same object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, apiError } from './harness.mjs';

const DATA = { query: { userinfo: { id: 7, name: 'Alice' } } };

function okPage() {
  return loadPage({ respond: () => json(DATA) });
}

function failingPage() {
  return loadPage({ respond: () => apiError('badtoken', 'Invalid CSRF token.') });
}

test('a request promise is a native Promise; await gives the result', async () => {
  const page = okPage();
  const promise = new page.mw.Api().get({ meta: 'userinfo' });
  assert.ok(promise instanceof Promise);
  assert.equal(promise.constructor, Promise);
  assert.deepEqual(await promise, DATA);
});

test('done receives (result, jqXHR) and returns the same promise', async () => {
  const page = okPage();
  const promise = new page.mw.Api().get({});
  const seen = await new Promise((resolve) => {
    assert.equal(promise.done((...args) => resolve(args)), promise);
  });
  assert.deepEqual(seen[0], DATA);
  assert.equal(seen[1].status, 200);
});

test('fail receives (code, result, result, jqXHR); always sees either outcome', async () => {
  const page = failingPage();
  const promise = new page.mw.Api().get({});
  const [failArgs, alwaysArgs] = await Promise.all([
    new Promise((resolve) => promise.fail((...args) => resolve(args))),
    new Promise((resolve) => promise.always((...args) => resolve(args))),
  ]);
  assert.equal(failArgs[0], 'badtoken');
  assert.equal(failArgs[1].error.info, 'Invalid CSRF token.');
  assert.deepEqual(alwaysArgs, failArgs);
});

test('then(onOk, onFail) passes every argument, as jQuery does', async () => {
  const page = failingPage();
  const seen = await new page.mw.Api().get({}).then(
    () => assert.fail('not a success'),
    (code, data) => ({ code, info: data.error.info }),
  );
  assert.deepEqual(seen, { code: 'badtoken', info: 'Invalid CSRF token.' });

  const ok = okPage();
  const both = await new ok.mw.Api().get({}).then((data, xhr) => [data, xhr.status]);
  assert.deepEqual(both, [DATA, 200]);
});

test('then returns the same kind, following returned promises with all their arguments', async () => {
  const page = loadPage();
  let call = 0;
  page.respond(() => (++call === 1 ? json(DATA) : apiError('permissiondenied')));
  const api = new page.mw.Api();
  const chained = api.get({}).then(() => api.post({ action: 'edit' }));
  assert.equal(typeof chained.done, 'function');
  assert.equal(typeof chained.abort, 'function');
  const args = await new Promise((resolve) => chained.fail((...a) => resolve(a)));
  assert.equal(args[0], 'permissiondenied');
  assert.equal(args.length, 4);
});

test('without onFail, then passes the failure on with all its arguments', async () => {
  const page = failingPage();
  const args = await new Promise((resolve) => {
    new page.mw.Api().get({}).then((data) => data).fail((...a) => resolve(a));
  });
  assert.equal(args[0], 'badtoken');
  assert.equal(args.length, 4);
});

test('a callback that throws rejects the derived promise with that exception', async () => {
  const page = okPage();
  const boom = new Error('boom');
  const derived = new page.mw.Api().get({}).then(() => {
    throw boom;
  });
  const args = await new Promise((resolve) => derived.fail((...a) => resolve(a)));
  assert.deepEqual(args, [boom]);
  await assert.rejects(derived, (e) => e === boom);
});

test('await on a failure throws an ApiError carrying code, result and args', async () => {
  const page = failingPage();
  try {
    await new page.mw.Api().get({});
    assert.fail('should have thrown');
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'ApiError');
    assert.equal(e.code, 'badtoken');
    assert.equal(e.result.error.info, 'Invalid CSRF token.');
    assert.equal(e.args.length, 4);
    assert.equal(e.message, 'badtoken: Invalid CSRF token.');
  }
});

test('catch receives the ApiError and returns the same kind', async () => {
  const page = failingPage();
  const caught = new page.mw.Api().get({}).catch((e) => e.code);
  assert.equal(typeof caught.done, 'function');
  assert.equal(await caught, 'badtoken');
});

test('http failures are ApiErrors too, with a useful message', async () => {
  const page = loadPage({ respond: () => new Response('', { status: 503 }) });
  await assert.rejects(new page.mw.Api().get({}), (e) => e.code === 'http' && e.result.xhr.status === 503
    && e.message === 'http: error (HTTP 503)');
});

test('an async function returning the promise, Promise.all and finally see the ApiError', async () => {
  const page = failingPage();
  const api = new page.mw.Api();
  async function load() {
    return api.get({});
  }
  await assert.rejects(load(), (e) => e.code === 'badtoken');
  await assert.rejects(Promise.all([api.get({})]), (e) => e.code === 'badtoken');
  await assert.rejects(api.get({}).finally(() => {}), (e) => e.code === 'badtoken');
  await assert.rejects(Promise.resolve().then(() => api.get({})), (e) => e.code === 'badtoken');
  const [settled] = await Promise.allSettled([api.get({})]);
  assert.equal(settled.reason.code, 'badtoken');
});

test('an ApiError thrown inside a callback reaches fail as the original arguments', async () => {
  const page = loadPage();
  let call = 0;
  page.respond(() => (++call === 1 ? json(DATA) : apiError('editconflict')));
  const api = new page.mw.Api();
  const args = await new Promise((resolve) => {
    api.get({}).then(async () => {
      await api.post({ action: 'edit' });
    }).fail((...a) => resolve(a));
  });
  assert.equal(args[0], 'editconflict');
  assert.equal(args.length, 4);
});

test('done, fail and always accept several callbacks and arrays of them', async () => {
  const page = okPage();
  const calls = [];
  const promise = new page.mw.Api().get({});
  promise.done(() => calls.push(1), [() => calls.push(2)]).fail(() => calls.push('x')).always(() => calls.push(3));
  await promise;
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(calls, [1, 2, 3]);
  assert.equal(promise.promise(), promise);
});
