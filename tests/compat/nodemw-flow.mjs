// A bot session with the real npm client nodemw 0.27.0 against a running CrossWiki wiki:
// the legacy login (action=login without a token answers NeedToken) and legacy content (no rvslots).
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; also runnable by hand:
//   CW_API=http://127.0.0.1:8080/w/api.php CW_USER=Name CW_PASSWORD=secret node tests/compat/nodemw-flow.mjs
// Optional: CW_PAGE (the test page, default "Compat nodemw"), CW_MARKER (the line appended, default random).
// Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
import Bot from 'nodemw';
import { env, exit } from 'node:process';
import { required, check, step, show, runFlow } from './flow.mjs';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const api = new URL(required('CW_API'));
const user = required('CW_USER');
const password = required('CW_PASSWORD');
const page = env.CW_PAGE || 'Compat nodemw';
const marker = env.CW_MARKER || `nodemw-${randomUUID()}`;
const summary = `nodemw appends ${marker}`;


check(api.pathname.endsWith('/api.php'), `CW_API must end in /api.php: ${api}`);

// nodemw builds the URL from its parts and appends /api.php itself.
const client = new Bot({
  protocol: api.protocol.replace(':', ''),
  server: api.hostname,
  port: api.port,
  path: api.pathname.slice(0, -'/api.php'.length),
  userAgent: 'CrossWiki compatibility test (nodemw 0.27.0)',
  debug: false,
});

const logIn = promisify(client.logIn.bind(client));
const getArticle = promisify(client.getArticle.bind(client));
const edit = promisify(client.edit.bind(client));
const append = promisify(client.append.bind(client));

async function run() {
  await step('login (NeedToken flow)', async () => {
    const data = await logIn(user, password);
    check(data.result === 'Success', `unexpected login answer: ${show(data)}`);
    check(data.lgusername === user, `logged in as ${show(data.lgusername)} instead of ${show(user)}`);
    return `as ${data.lgusername}`;
  });

  await step('read Main Page', async () => {
    const content = await getArticle('Main Page');
    check(typeof content === 'string' && content.length > 0, `no legacy content ("*") for Main Page: ${show(content)}`);
    return `${content.length} characters`;
  });

  await step('create test page', async () => {
    const data = await edit(page, 'Created by the nodemw compatibility test.', 'nodemw creates the test page');
    check(data.result === 'Success' && data.new !== undefined, `unexpected edit answer: ${show(data)}`);
    return `revision ${data.newrevid}`;
  });

  await step('append a line', async () => {
    const data = await append(page, `\n${marker}`, summary);
    check(data.result === 'Success' && data.nochange === undefined, `unexpected edit answer: ${show(data)}`);
    return `revision ${data.newrevid}`;
  });

  await step('read back', async () => {
    const content = await getArticle(page);
    check(typeof content === 'string', `no legacy content ("*") for ${page}: ${show(content)}`);
    const lines = content.split('\n');
    check(lines[0] === 'Created by the nodemw compatibility test.', `the first line is lost: ${show(content)}`);
    check(lines.includes(marker), `the appended line is not in the page: ${show(content)}`);
    return 'the appended line is there';
  });
}

await runFlow('nodemw', run);

// nodemw keeps its HTTP agent alive; the flow is over.
exit(0);
