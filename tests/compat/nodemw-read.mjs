// Reads of a wiki's pages, categories, links, templates, backlinks, users and search with the real npm
// client nodemw 0.27.0 (formatversion 1 answers), against pages the test made first (tests/compat/README.md).
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD, CW_PREFIX, CW_WORD.
import Bot from 'nodemw';
import { required, check, step, show, runFlow } from './flow.mjs';
import { promisify } from 'node:util';

const api = new URL(required('CW_API'));
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const p = required('CW_PREFIX');
const word = required('CW_WORD');

const client = new Bot({
  protocol: api.protocol.replace(':', ''),
  server: api.hostname,
  port: api.port,
  path: api.pathname.slice(0, -'/api.php'.length),
  userAgent: 'CrossWiki compatibility test (nodemw 0.27.0)',
  debug: false,
});
const call = (name, ...args) => promisify(client[name].bind(client))(...args);

function same(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected), `${what}: ${show(actual)} instead of ${show(expected)}`);
}

async function run() {
  await step('login', async () => {
    const data = await call('logIn', user, password);
    check(data.result === 'Success', `login: ${show(data)}`);
  });
  await step('getArticleCategories', async () => same(await call('getArticleCategories', `${p} source`), [`Category:${p} cat`], 'categories'));
  await step('getPagesInCategory', async () =>
    same((await call('getPagesInCategory', `${p} cat`)).map((m) => m.title), [`${p} source`, `Category:${p} sub`], 'members'));
  await step('getCategories (allcategories)', async () => same(await call('getCategories', `${p} c`), [`${p} cat`], 'categories by prefix'));
  await step('getBacklinks', async () => same((await call('getBacklinks', `${p} target`)).map((b) => b.title), [`${p} source`, `${p} redirect`], 'backlinks'));
  await step('getPagesTranscluding', async () => same((await call('getPagesTranscluding', `Template:${p} box`)).map((t) => t.title), [`${p} source`], 'transclusions'));
  await step('getImagesFromArticle', async () => same((await call('getImagesFromArticle', `${p} source`)).map((i) => i.title), [`File:${p}.png`], 'images'));
  await step('getImageUsage', async () => same((await call('getImageUsage', `File:${p}.png`)).map((i) => i.title), [`${p} source`], 'image usage'));
  await step('getExternalLinks', async () => same((await call('getExternalLinks', `${p} source`)).map((l) => l['*']), [`https://example.org/${p.replace(/ /g, '_')}`], 'external links'));
  await step('getPagesByPrefix', async () =>
    same((await call('getPagesByPrefix', p)).map((pg) => pg.title), [`${p} redirect`, `${p} source`, `${p} target`, `${p} target/sub`], 'pages by prefix'));
  await step('search', async () => same((await call('search', word)).map((h) => h.title), [`${p} target`], 'search'));
  await step('whois (list=users)', async () => {
    const info = await call('whois', user);
    same(info.name, user, 'name');
    check(info.groups.includes('bot') && info.editcount >= 5, `user: ${show(info)}`);
  });
  await step('getUsers (list=allusers)', async () => {
    const users = await call('getUsers', { prefix: user });
    same(users.map((u) => u.name), [user], 'users by prefix');
  });
  await step('getArticle through a redirect', async () => {
    const text = await call('getArticle', `${p} redirect`, true);
    check(text.includes(word), `content: ${show(text)}`);
  });
}

await runFlow('nodemw read', run);
