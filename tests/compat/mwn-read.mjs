// Reads of a wiki's pages, categories, links, templates, backlinks, users and search with the real npm
// client mwn 3.0.3, against pages the test made first (see tests/compat/README.md, "read flows").
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD, CW_PREFIX, CW_WORD.
import { Mwn } from 'mwn';
import { required, check, step, show, runFlow } from './flow.mjs';

const api = required('CW_API');
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const p = required('CW_PREFIX');
const word = required('CW_WORD');

function same(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected), `${what}: ${show(actual)} instead of ${show(expected)}`);
}

async function run() {
  let bot;
  await step('login', async () => {
    bot = await Mwn.init({ apiUrl: api, username: user, password, userAgent: 'CrossWiki compatibility test (mwn 3.0.3)', silent: true, maxRetries: 0 });
  });

  const source = () => new bot.Page(`${p} source`);
  await step('page.categories', async () => same(await source().categories(), [`Category:${p} cat`], 'categories'));
  await step('page.templates', async () => same(await source().templates(), [`Template:${p} box`], 'templates'));
  await step('page.links', async () => same(await source().links(), [`${p} missing`, `${p} target`], 'links'));
  await step('page.images', async () => same(await source().images(), [`File:${p}.png`], 'images'));
  await step('page.externallinks', async () => same(await source().externallinks(), [`https://example.org/${p.replace(/ /g, '_')}`], 'external links'));
  await step('page.backlinks', async () => same(await new bot.Page(`${p} target`).backlinks(), [`${p} source`, `${p} redirect`], 'backlinks'));
  await step('page.transclusions', async () => same(await new bot.Page(`Template:${p} box`).transclusions(), [`${p} source`], 'transclusions'));
  await step('page.isRedirect / getRedirectTarget', async () => {
    check(await new bot.Page(`${p} redirect`).isRedirect(), 'the redirect is not a redirect');
    check(!(await new bot.Page(`${p} target`).isRedirect()), 'the target is a redirect');
    same(await new bot.Page(`${p} redirect`).getRedirectTarget(), `${p} target`, 'redirect target');
  });
  await step('page.subpages', async () => same(await new bot.Page(`${p} target`).subpages(), [`${p} target/sub`], 'subpages'));
  await step('category.members / pages / subcats', async () => {
    const category = new bot.Category(`${p} cat`);
    same((await category.members()).map((m) => m.title), [`${p} source`, `Category:${p} sub`], 'members');
    same((await category.pages()).map((m) => m.title), [`${p} source`], 'pages');
    same((await category.subcats()).map((m) => m.title), [`Category:${p} sub`], 'subcats');
  });
  await step('getPagesInCategory', async () => same(await bot.getPagesInCategory(`${p} cat`), [`${p} source`, `Category:${p} sub`], 'pages in category'));
  await step('getPagesByPrefix', async () =>
    same(await bot.getPagesByPrefix(p), [`${p} redirect`, `${p} source`, `${p} target`, `${p} target/sub`], 'pages by prefix'));
  await step('search', async () => {
    const hits = await bot.search(word, 10, ['size', 'wordcount', 'timestamp', 'snippet']);
    same(hits.map((h) => h.title), [`${p} target`], 'search hits');
    check(hits[0].snippet.includes(`<span class="searchmatch">${word}</span>`), `snippet: ${show(hits[0])}`);
  });
  await step('continuedQuery with a generator', async () => {
    const answers = await bot.continuedQuery({ action: 'query', generator: 'categorymembers', gcmtitle: `Category:${p} cat`, gcmlimit: 1, prop: 'info' });
    same(answers.map((a) => a.query.pages.map((pg) => pg.title)), [[`${p} source`], [`Category:${p} sub`]], 'generated pages');
  });
  await step('read (massQuery)', async () => {
    const pages = await bot.read([`${p} target`, `${p} source`]);
    same(pages.map((pg) => pg.title).sort(), [`${p} source`, `${p} target`], 'read titles');
    check(pages.every((pg) => pg.revisions[0].content.length > 0), `read content: ${show(pages)}`);
  });
  await step('user.info', async () => {
    const info = await new bot.User(user).info();
    same(info.name, user, 'user name');
    check(info.groups.includes('bot') && info.groups.includes('user'), `groups: ${show(info.groups)}`);
    check(info.editcount >= 5, `edit count: ${show(info.editcount)}`);
  });
  await step('getMessages', async () => same(await bot.getMessages(['mainpage', 'edit']), { mainpage: 'Main Page', edit: 'Edit' }, 'messages'));
}

await runFlow('mwn read', run);
