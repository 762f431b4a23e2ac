// An upload with the real npm client nodemw 0.27.0 (client.upload: its own multipart body, ignorewarnings="").
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD, CW_FILE (a local
// file) and CW_FILENAME (the name on the wiki). Prints one line per step; exits 1 with "FAIL <step>: <why>".
import Bot from 'nodemw';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { required, check, step, show, runFlow } from './flow.mjs';

const api = new URL(required('CW_API'));
const client = new Bot({
  protocol: api.protocol.replace(':', ''), server: api.hostname, port: api.port,
  path: api.pathname.slice(0, -'/api.php'.length), userAgent: 'CrossWiki compatibility test (nodemw 0.27.0)', debug: false,
});

async function run() {
  await step('login', async () => {
    await promisify(client.logIn.bind(client))(required('CW_USER'), required('CW_PASSWORD'));
  });
  await step('upload', async () => {
    const data = await promisify(client.upload.bind(client))(required('CW_FILENAME'), readFileSync(required('CW_FILE')), 'nodemw upload');
    check(data?.result === 'Success', `not a success: ${show(data)}`);
    check(data.imageinfo?.descriptionurl, `no description url: ${show(data)}`);
    return data.filename;
  });
}

await runFlow('nodemw upload', run);
