// Page administration and the change feeds with the real npm client nodemw 0.27.0 (formatversion 1 answers), as a
// sysop: getRecentChanges, getUserContribs, getLog, getArticleRevisions, move, protect, purge, delete, whois and
// createAccount. nodemw has no rollback, watch, compare or undelete function: those go through its raw API call
// (client.api.call), with the tokens of meta=tokens as any bot would. Run by tests/CrossWiki.Tests/Compat/
// RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD (a sysop), CW_PAGE (a page edited by CW_AUTHOR, then twice
// by CW_VANDAL), CW_AUTHOR and CW_VANDAL. Prints one line per step; exits 1 with "FAIL <step>: <why>".
import Bot from 'nodemw';
import { required, check, step, show, runFlow } from './flow.mjs';
import { promisify } from 'node:util';

const api = new URL(required('CW_API'));
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const page = required('CW_PAGE');
const author = required('CW_AUTHOR');
const vandal = required('CW_VANDAL');
const moved = `${page} (moved by nodemw)`;

const options = {
  protocol: api.protocol.replace(':', ''),
  server: api.hostname,
  port: api.port,
  path: api.pathname.slice(0, -'/api.php'.length),
  userAgent: 'CrossWiki compatibility test (nodemw 0.27.0)',
  debug: false,
};
const client = new Bot(options);
const call = (name, ...args) => promisify(client[name].bind(client))(...args);

/** client.api.call: the answer's part for the action, and the whole answer. */
function raw(params, method = 'GET', on = client) {
  return new Promise((resolve, reject) => {
    on.api.call(params, (err, info, next, data) => (err ? reject(err) : resolve({ info, data })), method);
  });
}

async function token(type) {
  const { info } = await raw({ action: 'query', meta: 'tokens', type });
  return info.tokens[`${type}token`];
}

async function text(title) {
  return call('getArticle', title);
}

async function run() {
  await step('login', async () => {
    const data = await call('logIn', user, password);
    check(data.result === 'Success', `login: ${show(data)}`);
  });
  await step('getArticleRevisions', async () => {
    const revisions = await call('getArticleRevisions', page);
    check(revisions.length === 3, `revisions: ${show(revisions)}`);
    check(revisions[0].user === author && revisions[1].user === vandal && revisions[2].user === vandal, `users, oldest first: ${show(revisions)}`);
    check(revisions[0].parentid === 0 && revisions[1].parentid === revisions[0].revid, `parent ids: ${show(revisions)}`);
  });
  await step('getRecentChanges', async () => {
    const changes = await call('getRecentChanges', false);
    const ours = changes.filter((c) => c.title === page);
    check(ours.length === 3 && ours[0].user === vandal && ours[2].user === author, `changes of the page, newest first: ${show(ours)}`);
    check(ours[2].type === 'new' && ours[0].type === 'edit' && 'newlen' in ours[0] && 'oldlen' in ours[0], `types and sizes: ${show(ours)}`);
  });
  await step('rollback (api.call)', async () => {
    const { info } = await raw({ action: 'rollback', title: page, user: vandal, token: await token('rollback') }, 'POST');
    check(info.title === page && info.revid > info.old_revid && info.last_revid < info.old_revid, `rollback answer: ${show(info)}`);
    const content = await text(page);
    check(content === 'good text', `text after rollback: ${show(content)}`);
  });
  await step('getUserContribs', async () => {
    const edits = await call('getUserContribs', { user: vandal });
    check(edits.length === 2 && edits.every((e) => e.title === page && e.user === vandal), `vandal's contributions: ${show(edits)}`);
    const own = await call('getUserContribs', { user });
    check(own.length === 1 && own[0].title === page && 'top' in own[0], `the rollback in the sysop's contributions: ${show(own)}`);
  });
  await step('move', async () => {
    const done = await call('move', page, moved, 'by nodemw');
    check(done.from === page && done.to === moved && done.reason === 'by nodemw' && 'redirectcreated' in done, `move answer: ${show(done)}`);
    check((await text(page)).startsWith('#REDIRECT [['), 'no redirect left behind');
    check(await text(moved) === 'good text', 'the moved page has lost its text');
  });
  await step('getLog (move)', async () => {
    const entries = await call('getLog', 'move', undefined);
    const ours = entries.filter((e) => e.title === page);
    check(ours.length === 1 && ours[0].user === user && ours[0].action === 'move' && ours[0].params.target_title === moved, `move log: ${show(entries)}`);
    const changes = await call('getRecentChanges', false);
    check(changes.some((c) => c.type === 'log' && c.title === page), `the move in recent changes: ${show(changes.slice(0, 5))}`);
  });
  await step('protect', async () => {
    const done = await call('protect', moved, [{ type: 'edit', level: 'sysop' }, { type: 'move', level: 'sysop' }], { reason: 'by nodemw' });
    check(done.title === moved && done.protections.length === 2 && done.protections[0].edit === 'sysop' && done.protections[0].expiry === 'infinite',
      `protect answer: ${show(done)}`);
    const info = await call('getArticleInfo', moved, { inprop: ['protection'] });
    check(info[0].protection.length === 2, `protection: ${show(info)}`);
    const entries = await call('getLog', 'protect/protect', undefined);
    check(entries.some((e) => e.title === moved && e.user === user), `protect log: ${show(entries)}`);
  });
  await step('purge', async () => {
    const done = await call('purge', [moved]);
    check(done.length === 1 && done[0].title === moved && 'purged' in done[0], `purge answer: ${show(done)}`);
  });
  await step('watch (api.call)', async () => {
    const watchToken = await token('watch');
    const { info } = await raw({ action: 'watch', titles: moved, token: watchToken }, 'POST');
    check(info[0].title === moved && 'watched' in info[0], `watch answer: ${show(info)}`);
    const { data } = await raw({ action: 'query', list: 'watchlistraw', wrlimit: 'max' });
    const titles = data.watchlistraw.map((w) => w.title);
    check(titles.includes(moved) && titles.includes(`Talk:${moved}`), `watchlistraw: ${show(data)}`);
  });
  await step('compare (api.call)', async () => {
    const revisions = await call('getArticleRevisions', moved);
    const bad = revisions.find((r) => r.user === vandal);
    const latest = revisions[revisions.length - 1];
    const { info } = await raw({ action: 'compare', fromrev: bad.revid, torev: latest.revid });
    check(info.fromrevid === bad.revid && info.torevid === latest.revid, `compare ids: ${show(info)}`);
    check(info['*'].includes('diff-deletedline') && info['*'].includes('diff-addedline'), `compare body: ${show(info)}`);
  });
  await step('delete', async () => {
    const done = await call('delete', moved, 'by nodemw');
    check(done.title === moved && done.reason === 'by nodemw' && done.logid > 0, `delete answer: ${show(done)}`);
    const info = await call('getArticleInfo', moved, { inprop: [] });
    check('missing' in info[0], `still exists: ${show(info)}`);
    const entries = await call('getLog', 'delete', undefined);
    check(entries.some((e) => e.title === moved && e.action === 'delete' && e.user === user), `delete log: ${show(entries)}`);
  });
  await step('undelete (api.call)', async () => {
    const { info } = await raw({ action: 'undelete', title: moved, reason: 'by nodemw', token: await token('csrf') }, 'POST');
    check(info.title === moved && info.revisions >= 4, `undelete answer: ${show(info)}`);
    check(await text(moved) === 'good text', 'text not restored');
  });
  await step('createAccount and whois', async () => {
    const name = `${user} recruit`;
    const newPassword = `recruit-${Date.now()}-pw`;
    // nodemw's createAccount hands the answer to the callback's first (error) argument, success or not.
    const answer = await new Promise((resolve) => client.createAccount(name, newPassword, (data) => resolve(data)));
    check(answer.status === 'PASS' && answer.username === name, `createaccount answer: ${show(answer)}`);
    const info = await call('whois', name);
    check(info.name === name && info.userid > 0 && info.editcount === 0 && info.groups.includes('user'), `whois: ${show(info)}`);
    const recruit = new Bot(options);
    const login = await promisify(recruit.logIn.bind(recruit))(name, newPassword);
    check(login.result === 'Success' && login.lgusername === name, `login as the new account: ${show(login)}`);
    const entries = await call('getLog', 'newusers', undefined);
    check(entries.some((e) => e.title === `User:${name}` && e.action === 'create2' && e.user === user), `newusers log: ${show(entries)}`);
  });
}

await runFlow('nodemw admin', run);
