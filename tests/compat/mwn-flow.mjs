// A bot session with the real npm client mwn 3.0.3 against a running CrossWiki wiki.
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; also runnable by hand:
//   CW_API=http://127.0.0.1:8080/w/api.php CW_USER=Name CW_PASSWORD=secret node tests/compat/mwn-flow.mjs
// Optional: CW_PAGE (the test page, default "Compat mwn"), CW_MARKER (the line appended, default random).
// Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
import { Mwn } from 'mwn';
import { env } from 'node:process';
import { required, check, step, show, runFlow } from './flow.mjs';
import { randomUUID } from 'node:crypto';

const api = required('CW_API');
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const page = env.CW_PAGE || 'Compat mwn';
const largePage = `${page}/large`;
const marker = env.CW_MARKER || `mwn-${randomUUID()}`;
const summary = `mwn appends ${marker}`;
const optionName = 'userjs-compat-test';
const optionValue = 'x|y';


/** Latest revision of a title with content, comment and user, as a formatversion 2 query. */
async function latestRevision(bot, title) {
  const response = await bot.query({
    titles: title,
    prop: 'revisions',
    rvprop: 'content|comment|user|ids',
    rvslots: 'main',
  });
  const found = response.query.pages[0];
  check(found && !found.missing, `${title} is missing: ${show(response)}`);
  return found.revisions[0];
}

async function run() {
  let bot;
  await step('login', async () => {
    // Mwn.init logs in, then fetches tokens, site info and user rights in one query.
    bot = await Mwn.init({
      apiUrl: api,
      username: user,
      password,
      userAgent: 'CrossWiki compatibility test (mwn 3.0.3)',
      silent: true,
      maxRetries: 0,
    });
    check(bot.loggedIn, 'mwn does not consider itself logged in');
    // A failure to read the site info after login is only logged by mwn; it leaves no token behind.
    check(typeof bot.csrfToken === 'string' && bot.csrfToken.endsWith('+\\') && bot.csrfToken !== '+\\',
      `no user csrf token after login: ${show(bot.csrfToken)}`);
    check(new bot.Title('User talk:Example').getNamespaceId() === 3, 'namespace data from siteinfo was not processed');
    return `as ${bot.state.lgusername ?? user}`;
  });

  await step('read Main Page', async () => {
    const main = await bot.read('Main Page');
    check(!main.missing, `Main Page is missing: ${show(main)}`);
    const content = main.revisions?.[0]?.content;
    check(typeof content === 'string' && content.length > 0, `no content: ${show(main)}`);
    return `${content.length} characters`;
  });

  await step('create test page', async () => {
    const result = await bot.create(page, `Created by the mwn compatibility test.`, 'mwn creates the test page');
    check(result.result === 'Success' && result.new === true, `unexpected edit result: ${show(result)}`);
    return `revision ${result.newrevid}`;
  });

  await step('append a line', async () => {
    const result = await bot.edit(page, (rev) => ({ text: `${rev.content}\n${marker}`, summary }));
    check(result.result === 'Success' && !result.nochange, `unexpected edit result: ${show(result)}`);
    return `revision ${result.newrevid}`;
  });

  await step('read back', async () => {
    const read = await bot.read(page);
    const lines = read.revisions[0].content.split('\n');
    check(lines.includes(marker), `the appended line is not in the page: ${show(read)}`);
    const revision = await latestRevision(bot, page);
    check(revision.comment === summary, `summary ${show(revision.comment)} instead of ${show(summary)}`);
    check(revision.user === user, `author ${show(revision.user)} instead of ${show(user)}`);
    return `line and summary found in revision ${revision.revid}`;
  });

  await step('large edit (multipart)', async () => {
    // Over 8000 characters in one field makes mwn send multipart/form-data.
    const unit = 'Zeile mit Umlauten äöü und € — line ';
    let text = '';
    for (let i = 0; text.length < 9000; i++) {
      text += `${unit}${i}\n`;
    }
    text = text.slice(0, 9000).trimEnd() + '.';
    check(text.length >= 9000, 'the test text is too short');
    const result = await bot.save(largePage, text, 'mwn saves a large page');
    check(result.result === 'Success', `unexpected edit result: ${show(result)}`);
    const back = (await bot.read(largePage)).revisions[0].content;
    check(back === text, `read back ${back.length} characters that differ from the ${text.length} sent`);
    return `${text.length} characters read back exactly`;
  });

  await step('save option', async () => {
    // The value contains "|", so mwn sends the list as \x1f-separated.
    const result = await bot.saveOption(optionName, optionValue);
    check(result.options === 'success', `unexpected answer: ${show(result)}`);
    return `${optionName}=${optionValue}`;
  });

  await step('read option', async () => {
    const info = await bot.userinfo({ uiprop: 'options' });
    check(info.name === user && !info.anon, `not the logged-in user: ${show(info)}`);
    const value = info.options?.[optionName];
    check(value === optionValue, `${optionName} is ${show(value)} instead of ${show(optionValue)}`);
    return `${optionName}=${value}`;
  });

  let oldCookies;
  await step('logout', async () => {
    oldCookies = await bot.cookieJar.getCookieString(api);
    check(oldCookies.length > 0, 'no session cookie before logout');
    await bot.logout();
    const info = await bot.userinfo();
    check(info.anon === true && info.id === 0, `still logged in after logout: ${show(info)}`);
    return 'userinfo is anonymous';
  });

  await step('old session is dead', async () => {
    // mwn also forgets its cookies; the server must end the session too, or the old cookie still works.
    const response = await fetch(`${api}?action=query&meta=userinfo&format=json&formatversion=2`, { headers: { Cookie: oldCookies } });
    const info = (await response.json()).query.userinfo;
    check(info.anon === true, `the cookie from before logout still logs in: ${show(info)}`);
    return 'the cookie from before logout is anonymous';
  });
}

await runFlow('mwn', run, (error) => `${error?.stack ?? error}${error?.response ? ` (response: ${show(error.response)})` : ''}`);
