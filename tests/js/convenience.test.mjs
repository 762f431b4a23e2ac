// mw.Api's convenience methods (spec §1.8): login, edit, create, saveOption(s), getUserInfo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, apiError, outcome, FOREIGN_API } from './harness.mjs';

const LOGGED_IN = { wgUserName: 'Alice', wgUserId: 7, wgCsrfToken: 'tok+\\' };

const posts = (page) => page.requests.filter((r) => r.method === 'POST');

test('login posts twice, the second time with the login token', async () => {
  const page = loadPage();
  page.respond((request) => json(request.params.has('lgtoken')
    ? { login: { result: 'Success', lguserid: 7, lgusername: 'Alice' } }
    : { login: { result: 'NeedToken', token: 'login+\\' } }));
  const result = await new page.mw.Api().login('Alice', 'secret');
  assert.equal(result.login.result, 'Success');
  const [first, second] = posts(page);
  assert.equal(first.body, 'action=login&format=json&lgname=Alice&lgpassword=secret');
  assert.equal(second.params.get('lgtoken'), 'login+\\');
  assert.equal(second.params.get('lgpassword'), 'secret');
});

test('login rejects unless the result is Success', async () => {
  const page = loadPage();
  const failed = { login: { result: 'Failed', reason: 'Incorrect username or password entered.' } };
  page.respond((request) => json(request.params.has('lgtoken') ? failed : { login: { result: 'NeedToken', token: 't' } }));
  const { ok, args } = await outcome(new page.mw.Api().login('Alice', 'wrong'));
  assert.equal(ok, false);
  assert.deepEqual(args, ['unknown', failed]);
});

test('edit reads the page, applies the transform and saves with conflict detection', async () => {
  const page = loadPage({ config: LOGGED_IN });
  page.respond((request) => (request.method === 'GET'
    ? json({
      curtimestamp: '2026-01-02T00:00:00Z',
      query: { pages: [{ title: 'Sandbox', revisions: [{ timestamp: '2026-01-01T00:00:00Z', slots: { main: { content: 'old' } } }] }] },
    })
    : json({ edit: { result: 'Success', newrevid: 2 } })));
  const seen = [];
  const result = await new page.mw.Api().edit('Sandbox', (revision) => {
    seen.push(revision);
    return Promise.resolve({ text: revision.content + ' new', summary: 'append' });
  });
  assert.deepEqual(result, { result: 'Success', newrevid: 2 });
  assert.deepEqual(seen, [{ timestamp: '2026-01-01T00:00:00Z', content: 'old' }]);
  const read = page.requests[0].params;
  assert.equal(read.get('rvprop'), 'content|timestamp');
  assert.equal(read.get('curtimestamp'), 'true');
  const save = posts(page)[0].params;
  assert.equal(save.get('action'), 'edit');
  assert.equal(save.get('text'), 'old new');
  assert.equal(save.get('basetimestamp'), '2026-01-01T00:00:00Z');
  assert.equal(save.get('starttimestamp'), '2026-01-02T00:00:00Z');
  assert.equal(save.get('nocreate'), 'true');
  assert.equal(save.get('assert'), 'user');
  assert.equal(save.get('token'), 'tok+\\');
});

test('edit of a missing page rejects nocreate-missing without saving', async () => {
  const page = loadPage({ respond: () => json({ query: { pages: [{ title: 'Nope', missing: true }] } }) });
  const { args } = await outcome(new page.mw.Api().edit('Nope', () => 'x'));
  assert.deepEqual(args, ['nocreate-missing']);
  assert.equal(posts(page).length, 0);
});

test('create asserts the current user and sets createonly', async () => {
  const page = loadPage({ config: LOGGED_IN, respond: () => json({ edit: { result: 'Success', new: true } }) });
  const result = await new page.mw.Api().create('New page', { summary: 'first' }, 'Hello');
  assert.deepEqual(result, { result: 'Success', new: true });
  const save = posts(page)[0].params;
  assert.deepEqual(
    ['assert', 'assertuser', 'createonly', 'text', 'summary', 'formatversion'].map((name) => save.get(name)),
    ['user', 'Alice', 'true', 'Hello', 'first', '2'],
  );
});

test('assertCurrentUser asserts anon when logged out', () => {
  const { mw } = loadPage();
  assert.deepEqual(new mw.Api().assertCurrentUser({ action: 'edit' }), { assert: 'anon', action: 'edit' });
});

test('getUserInfo resolves with query.userinfo, or rejects without arguments', async () => {
  const page = loadPage({ respond: () => json({ query: { userinfo: { id: 7, name: 'Alice', groups: ['*'] } } }) });
  assert.deepEqual(await new page.mw.Api().getUserInfo(), { id: 7, name: 'Alice', groups: ['*'] });
  assert.equal(page.requests[0].params.get('uiprop'), 'groups|rights');
  page.respond(() => json({ batchcomplete: '' }));
  assert.deepEqual(await outcome(new page.mw.Api().getUserInfo()), { ok: false, args: [] });
});

test('saveOptions bundles options into one change, using U+001F on the local API', async () => {
  const page = loadPage({ config: LOGGED_IN, respond: () => json({ options: 'success' }) });
  await new page.mw.Api().saveOptions({ 'userjs-a': '1', 'userjs-b': 'x|y', 'userjs-reset': null });
  assert.equal(posts(page).length, 1);
  const params = posts(page)[0].params;
  assert.equal(params.get('change'), '\x1fuserjs-a=1\x1fuserjs-b=x|y\x1fuserjs-reset');
  assert.equal(params.get('formatversion'), '2');
});

test('saveOptions sends one request per option that cannot be bundled, in order', async () => {
  const page = loadPage({ config: LOGGED_IN });
  page.respond((request) => (request.method === 'GET'
    ? json({ query: { tokens: { csrftoken: 'foreign+\\' } } })
    : json({ options: 'success' })));
  const api = new page.mw.ForeignApi(FOREIGN_API);
  await api.saveOptions({ 'userjs-a': 'x|y', 'user=js': 'v', 'userjs-b': '2' });
  const sent = posts(page).map((r) => [r.params.get('optionname'), r.params.get('optionvalue'), r.params.get('change')]);
  assert.deepEqual(sent, [['userjs-a', 'x|y', null], ['user=js', 'v', null], [null, null, 'userjs-b=2']]);
});

test('saveOption waits for the previous save to the same API, and rejects notloggedin when logged out', async () => {
  const page = loadPage({ config: LOGGED_IN });
  const order = [];
  page.respond(async (request) => {
    const name = request.params.get('change');
    await new Promise((resolve) => setTimeout(resolve, name === 'a=1' ? 20 : 0));
    order.push(name);
    return name === 'a=1' ? apiError('readonly') : json({ options: 'success' });
  });
  const api = new page.mw.Api();
  const first = outcome(api.saveOption('a', '1'));
  const second = api.saveOption('b', '2');
  await second;
  assert.equal((await first).args[0], 'readonly');
  assert.deepEqual(order, ['a=1', 'b=2']);

  const anonymous = loadPage();
  assert.deepEqual(await outcome(new anonymous.mw.Api().saveOption('a', '1')), { ok: false, args: ['notloggedin'] });
  assert.equal(anonymous.requests.length, 0);
});
