// Page administration and the change feeds with the real npm client mwbot 2.1.3 (formatversion 1, every request a
// POST), as a sysop. mwbot's own functions: loginGetEditToken (the legacy login: action=login answers NeedToken),
// read and readWithProps, edit, update, create, move, protect, delete, getCreateaccountToken, login.
// mwbot has no function for rollback, recent changes, contributions, logs, history, watch, compare, purge, undelete
// or account creation: those go through its request() with the tokens of meta=tokens, as its README shows.
// (mwbot 2.3.3, the newest, needs semlog 0.7, which the registry does not have: 2.1.3 is the newest installable.)
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD (a sysop), CW_PAGE
// (a page edited by CW_AUTHOR, then twice by CW_VANDAL), CW_AUTHOR and CW_VANDAL.
// Prints one line per step; exits 1 with "FAIL <step>: <why>".
import { createRequire } from 'node:module';
import { required, check, step, show, runFlow } from './flow.mjs';

const MWBot = createRequire(import.meta.url)('mwbot');
const apiUrl = required('CW_API');
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const page = required('CW_PAGE');
const author = required('CW_AUTHOR');
const vandal = required('CW_VANDAL');
const moved = `${page} (moved by mwbot)`;

const bot = new MWBot({ apiUrl, silent: true }, { headers: { 'User-Agent': 'CrossWiki compatibility test (mwbot 2.1.3)' } });

function firstPage(answer) {
  return Object.values(answer.query.pages)[0];
}

async function text(title) {
  const found = firstPage(await bot.read(title, true));
  return found.revisions?.[0].slots.main['*'];
}

async function token(type) {
  return (await bot.request({ action: 'query', meta: 'tokens', type })).query.tokens[`${type}token`];
}

async function run() {
  await step('loginGetEditToken', async () => {
    const state = await bot.loginGetEditToken({ username: user, password });
    check(state.result === 'Success' && state.lgusername === user && typeof state.csrftoken === 'string', `state: ${show(state)}`);
    check(bot.mwversion.major === 1 && bot.mwversion.minor >= 39, `MediaWiki version from siteinfo: ${show(bot.mwversion)}`);
  });
  await step('readWithProps (history of the latest revision)', async () => {
    const found = firstPage(await bot.readWithProps(page, 'user|comment|ids|content', true));
    check(found.revisions[0].user === vandal && found.revisions[0].slots.main['*'] === 'worse text', `latest revision: ${show(found)}`);
  });
  await step('history (request prop=revisions)', async () => {
    const found = firstPage(await bot.request({ action: 'query', prop: 'revisions', titles: page, rvprop: 'ids|user|size', rvlimit: 'max' }));
    check(found.revisions.map((r) => r.user).join('|') === [vandal, vandal, author].join('|'), `history: ${show(found)}`);
  });
  await step('recent changes (request)', async () => {
    const rc = await bot.request({ action: 'query', list: 'recentchanges', rctitle: page, rcprop: 'user|ids|sizes|title' });
    const changes = rc.query.recentchanges;
    check(changes.map((c) => `${c.type} ${c.user}`).join('|') === `edit ${vandal}|edit ${vandal}|new ${author}`, `recent changes: ${show(changes)}`);
    check(changes[2].oldlen === 0 && changes[2].newlen === 'good text'.length, `sizes: ${show(changes[2])}`);
  });
  await step('rollback (request)', async () => {
    const done = await bot.request({ action: 'rollback', title: page, user: vandal, summary: 'by mwbot', token: await token('rollback') });
    check(done.rollback.title === page && done.rollback.summary === 'by mwbot' && done.rollback.last_revid < done.rollback.old_revid, `rollback answer: ${show(done)}`);
    check(await text(page) === 'good text', 'text after rollback');
  });
  await step('contributions (request)', async () => {
    const vandals = (await bot.request({ action: 'query', list: 'usercontribs', ucuser: vandal })).query.usercontribs;
    check(vandals.length === 2 && vandals.every((c) => c.title === page && !('top' in c)), `vandal's contributions: ${show(vandals)}`);
    const own = (await bot.request({ action: 'query', list: 'usercontribs', ucuser: user, ucprop: 'title|comment|flags' })).query.usercontribs;
    check(own.length === 1 && own[0].comment === 'by mwbot' && 'top' in own[0], `the sysop's rollback: ${show(own)}`);
  });
  await step('move', async () => {
    const done = await bot.move(page, moved, 'by mwbot');
    check(done.move.from === page && done.move.to === moved && 'redirectcreated' in done.move, `move answer: ${show(done)}`);
    check(await text(page) === `#REDIRECT [[${moved}]]`, 'no redirect left behind');
    const followed = await bot.read(page);
    check(followed.query.redirects[0].to === moved && firstPage(followed).revisions[0].slots.main['*'] === 'good text', `read through the redirect: ${show(followed)}`);
  });
  await step('logs and recent changes (request)', async () => {
    const log = (await bot.request({ action: 'query', list: 'logevents', letype: 'move', letitle: page })).query.logevents;
    check(log.length === 1 && log[0].user === user && log[0].params.target_title === moved && log[0].comment === 'by mwbot', `move log: ${show(log)}`);
    const rc = (await bot.request({ action: 'query', list: 'recentchanges', rctype: 'log', rcprop: 'title|user|loginfo' })).query.recentchanges;
    check(rc.some((c) => c.logtype === 'move' && c.logaction === 'move' && c.title === page), `the move in recent changes: ${show(rc)}`);
  });
  await step('protect', async () => {
    const done = await bot.protect(moved, 'edit=sysop|move=sysop', 'by mwbot');
    check(done.protect.title === moved && done.protect.protections.length === 2, `protect answer: ${show(done)}`);
    const info = firstPage(await bot.request({ action: 'query', prop: 'info', inprop: 'protection', titles: moved }));
    check(info.protection.map((p) => `${p.type}=${p.level}`).sort().join('|') === 'edit=sysop|move=sysop', `protection: ${show(info)}`);
    const edited = await bot.update(moved, 'good text, checked by an administrator', 'by mwbot');
    check(edited.edit.result === 'Success', `a sysop edits the protected page: ${show(edited)}`);
  });
  await step('purge (request)', async () => {
    const done = await bot.request({ action: 'purge', titles: moved });
    check(done.purge[0].title === moved && 'purged' in done.purge[0], `purge answer: ${show(done)}`);
  });
  await step('watch (request)', async () => {
    const done = await bot.request({ action: 'watch', titles: moved, token: await token('watch') });
    check(done.watch[0].title === moved && 'watched' in done.watch[0], `watch answer: ${show(done)}`);
    const raw = await bot.request({ action: 'query', list: 'watchlistraw' });
    const titles = raw.watchlistraw.map((w) => w.title);
    check(titles.includes(moved) && titles.includes(`Talk:${moved}`), `watchlistraw: ${show(raw)}`);
  });
  await step('compare (request)', async () => {
    const found = firstPage(await bot.request({ action: 'query', prop: 'revisions', titles: moved, rvprop: 'ids|user', rvlimit: 'max' }));
    const bad = found.revisions.find((r) => r.user === vandal);
    const diff = await bot.request({ action: 'compare', fromrev: bad.revid, totitle: moved });
    check(diff.compare.fromrevid === bad.revid && diff.compare.torevid === found.revisions[0].revid, `compare ids: ${show(diff)}`);
    check(diff.compare['*'].includes('diff-deletedline') && diff.compare['*'].includes('diff-addedline'), `compare body: ${show(diff)}`);
  });
  await step('delete', async () => {
    const done = await bot.delete(moved, 'by mwbot');
    check(done.delete.title === moved && done.delete.reason === 'by mwbot' && done.delete.logid > 0, `delete answer: ${show(done)}`);
    check('missing' in firstPage(await bot.read(moved, true)), 'still exists');
    const log = (await bot.request({ action: 'query', list: 'logevents', letype: 'delete', letitle: moved })).query.logevents;
    check(log.length === 1 && log[0].action === 'delete' && log[0].logid === done.delete.logid, `delete log: ${show(log)}`);
  });
  await step('undelete (request) and create', async () => {
    const done = await bot.request({ action: 'undelete', title: moved, reason: 'by mwbot', token: bot.editToken });
    check(done.undelete.title === moved && done.undelete.revisions >= 6, `undelete answer: ${show(done)}`);
    check(await text(moved) === 'good text, checked by an administrator', 'text not restored');
    const refused = await bot.create(moved, 'again', 'by mwbot').then((a) => a, (e) => e);
    check(refused.code === 'articleexists', `create on an existing page: ${show(refused.response ?? refused)}`);
    const created = await bot.create(`${moved}/new`, 'new', 'by mwbot');
    check(created.edit.result === 'Success' && 'new' in created.edit, `create: ${show(created)}`);
  });
  await step('getCreateaccountToken, createaccount (request), login as the new account', async () => {
    const name = `${user} recruit`;
    const newPassword = `recruit-${Date.now()}-pw`;
    await bot.getCreateaccountToken();
    const done = await bot.request({
      action: 'createaccount', username: name, password: newPassword, retype: newPassword,
      createreturnurl: 'http://example.org/', createtoken: bot.createaccountToken,
    });
    check(done.createaccount.status === 'PASS' && done.createaccount.username === name, `createaccount answer: ${show(done)}`);
    const recruit = new MWBot({ apiUrl, silent: true });
    const state = await recruit.loginGetEditToken({ username: name, password: newPassword });
    check(state.lgusername === name, `login as the new account: ${show(state)}`);
    const edited = await recruit.edit(`User:${name}`, 'Hello.', 'first edit');
    check(edited.edit.result === 'Success', `the new account edits its user page: ${show(edited)}`);
  });
}

await runFlow('mwbot admin', run, (error) => (error?.response ? `${error.message}: ${show(error.response)}` : error?.stack ?? show(error)));
