// Page administration and the change feeds with the real npm client mwn 3.0.3, as a sysop: move (page.move),
// protect, rollback (bot.rollback with its rollback token), purge, history, logs, getDeletingAdmin, recent
// changes, contributions (User.contribs), watch (mwn has no watch helper: bot.request with the watch token, as a
// gadget does), compare, delete and undelete, then createAccount and a login as the new account. Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API,
// CW_USER, CW_PASSWORD (a sysop), CW_PAGE (a page with edits by CW_AUTHOR, then two by CW_VANDAL), CW_AUTHOR, CW_VANDAL.
// Prints one line per step; exits 1 with "FAIL <step>: <why>".
import { Mwn } from 'mwn';
import { required, check, step, show, runFlow } from './flow.mjs';

const page = required('CW_PAGE');
const vandal = required('CW_VANDAL');
const author = required('CW_AUTHOR');

async function run() {
  let bot;
  const moved = page + ' (moved)';
  await step('login', async () => {
    bot = await Mwn.init({
      apiUrl: required('CW_API'), username: required('CW_USER'), password: required('CW_PASSWORD'),
      userAgent: 'CrossWiki compatibility test (mwn 3.0.3)', silent: true, maxRetries: 0,
    });
  });
  await step('rollback', async () => {
    const done = await bot.rollback(page, vandal);
    check(done.revid > done.old_revid, `no new revision: ${show(done)}`);
    const text = await new bot.Page(page).text();
    check(text === 'good text', `text after rollback: ${show(text)}`);
  });
  await step('move', async () => {
    const done = await new bot.Page(page).move(moved, 'by mwn');
    check(done.to === moved && done.redirectcreated === true, `move answer: ${show(done)}`);
    check(await new bot.Page(page).isRedirect(), 'no redirect left behind');
  });
  await step('protect', async () => {
    const done = await bot.request({ action: 'protect', title: moved, protections: 'edit=sysop|move=sysop', expiry: 'infinite', reason: 'by mwn', token: bot.csrfToken });
    check(done.protect.protections[0].edit === 'sysop', `protect answer: ${show(done)}`);
    const info = await bot.query({ prop: 'info', inprop: 'protection', titles: moved });
    check(info.query.pages[0].protection.length === 2, `protection: ${show(info.query.pages[0])}`);
  });
  await step('purge', async () => {
    const done = await bot.purge([moved]);
    check(done[0].purged === true, `purge answer: ${show(done)}`);
  });
  await step('history and compare', async () => {
    const history = await new bot.Page(moved).history('ids|user|comment|size', 10);
    check(history.length >= 5, `history: ${show(history)}`);
    const diff = await bot.request({ action: 'compare', fromrev: history.find((r) => r.user === vandal).revid, torev: history[0].revid, prop: 'diff|ids' });
    check(diff.compare.body.includes('diff-addedline') || diff.compare.body.includes('diff-deletedline'), `compare: ${show(diff)}`);
  });
  await step('logs and recent changes', async () => {
    const logs = await new bot.Page(page).logs(null, 10, 'move');
    check(logs.length === 1 && logs[0].user === required('CW_USER'), `move log: ${show(logs)}`);
    const rc = await bot.query({ list: 'recentchanges', rctitle: page, rcprop: 'title|user|loginfo', rctype: 'log' });
    check(rc.query.recentchanges.some((c) => c.logtype === 'move'), `recent changes: ${show(rc.query.recentchanges)}`);
  });
  await step('contributions', async () => {
    const edits = await new bot.User(vandal).contribs();
    check(edits.length === 2 && edits.every((e) => e.title === moved && e.user === vandal), `vandal's contributions: ${show(edits)}`);
    const first = await new bot.User(author).contribs();
    check(first.length === 1 && first[0].title === moved && first[0].new === true, `author's contributions: ${show(first)}`);
    const own = await new bot.User(required('CW_USER')).contribs();
    check(own.some((e) => e.title === moved && e.revid > edits[0].revid), `sysop's rollback edit: ${show(own)}`);
  });
  await step('watch', async () => {
    const token = (await bot.query({ meta: 'tokens', type: 'watch' })).query.tokens.watchtoken;
    const done = await bot.request({ action: 'watch', titles: moved, token });
    check(done.watch[0].title === moved && done.watch[0].watched === true, `watch answer: ${show(done)}`);
    const raw = await bot.query({ list: 'watchlistraw', wrlimit: 'max' });
    const titles = raw.watchlistraw.map((w) => w.title);
    check(titles.includes(moved) && titles.includes(`Talk:${moved}`), `watchlistraw: ${show(raw)}`);
    const undone = await bot.request({ action: 'watch', titles: moved, unwatch: true, token });
    check(undone.watch[0].unwatched === true, `unwatch answer: ${show(undone)}`);
    const after = await bot.query({ list: 'watchlistraw', wrlimit: 'max' });
    check(!after.watchlistraw.some((w) => w.title === moved), `still watched: ${show(after)}`);
  });
  await step('delete', async () => {
    const done = await new bot.Page(moved).delete('by mwn');
    check(done.logid > 0, `delete answer: ${show(done)}`);
    check(!(await new bot.Page(moved).exists()), 'still exists');
    const admin = await new bot.Page(moved).getDeletingAdmin();
    check(admin === required('CW_USER'), `deleting admin: ${show(admin)}`);
  });
  await step('undelete', async () => {
    const done = await new bot.Page(moved).undelete('by mwn');
    check(done.revisions >= 5, `undelete answer: ${show(done)}`);
    check(await new bot.Page(moved).text() === 'good text', 'text not restored');
  });
  await step('createAccount and log in as the new account', async () => {
    const name = `${required('CW_USER')} recruit`;
    const password = `recruit-${Date.now()}-pw`;
    const done = await bot.createAccount(name, password);
    check(done.status === 'PASS' && done.username === name, `createaccount answer: ${show(done)}`);
    const users = await bot.query({ list: 'users', ususers: name, usprop: 'registration' });
    check(users.query.users[0].userid > 0, `list=users: ${show(users)}`);
    const recruit = await Mwn.init({
      apiUrl: required('CW_API'), username: name, password,
      userAgent: 'CrossWiki compatibility test (mwn 3.0.3)', silent: true, maxRetries: 0,
    });
    const info = await recruit.userinfo();
    check(info.name === name && info.id === users.query.users[0].userid, `userinfo of the new account: ${show(info)}`);
    const log = await bot.query({ list: 'logevents', letype: 'newusers', letitle: `User:${name}` });
    check(log.query.logevents.length === 1 && log.query.logevents[0].action === 'create2', `newusers log: ${show(log.query.logevents)}`);
  });
}

await runFlow('mwn admin', run);
