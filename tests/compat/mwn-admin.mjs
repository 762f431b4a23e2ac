// Page administration and the change feeds with the real npm client mwn 3.0.3, as a sysop: move (page.move),
// protect, rollback (bot.rollback with its rollback token), purge, history, logs, getDeletingAdmin, recent
// changes, compare, delete and undelete. Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API,
// CW_USER, CW_PASSWORD (a sysop), CW_PAGE (a page with edits by someone else, then by CW_VANDAL) and CW_VANDAL.
// Prints one line per step; exits 1 with "FAIL <step>: <why>".
import { Mwn } from 'mwn';
import { required, check, step, show, runFlow } from './flow.mjs';

const page = required('CW_PAGE');
const vandal = required('CW_VANDAL');

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
}

await runFlow('mwn admin', run);
