// An upload with the real npm client mwn 3.0.3 (bot.upload: a multipart POST with the file as a stream).
// Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD, CW_FILE (a local
// file) and CW_FILENAME (the name on the wiki). Prints one line per step; exits 1 with "FAIL <step>: <why>".
import { Mwn } from 'mwn';
import { required, check, step, show, runFlow } from './flow.mjs';

const file = required('CW_FILE');
const name = required('CW_FILENAME');

async function run() {
  let bot;
  await step('login', async () => {
    bot = await Mwn.init({
      apiUrl: required('CW_API'), username: required('CW_USER'), password: required('CW_PASSWORD'),
      userAgent: 'CrossWiki compatibility test (mwn 3.0.3)', silent: true, maxRetries: 0,
    });
  });
  await step('upload', async () => {
    const upload = await bot.upload(file, name, 'Uploaded by mwn.', { comment: 'mwn upload' });
    check(upload.result === 'Success', `not a success: ${show(upload)}`);
    check(upload.imageinfo?.url, `no imageinfo url: ${show(upload)}`);
    return upload.filename;
  });
}

await runFlow('mwn upload', run);
