// The upload methods of mw.Api (MediaWiki's mediawiki.api.upload plugin): multipart POSTs with a
// token, warnings as failures, the stash, and chunks with progress and a retry from the server's offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPage, json, outcome } from './harness.mjs';

/** A fake api.php that takes uploads: whole, stashed, and in chunks (like action=upload). */
function uploadServer(page, { failChunkAt, loseAnswerAt } = {}) {
  const server = { chunks: [], published: [], failed: false, lost: false };
  server.handle = async (request) => {
    const p = request.params;
    if (p.get('meta') === 'tokens') {
      return json({ query: { tokens: { csrftoken: 'csrf1+\\' } } });
    }
    assert.equal(p.get('token'), 'csrf1+\\');
    const chunk = p.get('chunk');
    if (chunk) {
      const offset = Number(p.get('offset'));
      const size = Number(p.get('filesize'));
      if (offset === failChunkAt && !server.failed) {
        server.failed = true;
        return json({ error: { code: 'stashfailed', info: 'wrong offset', offset: server.chunks.reduce((n, c) => n + c, 0) } });
      }
      const stored = server.chunks.reduce((n, c) => n + c, 0);
      if (offset !== stored) {
        return json({ error: { code: 'stashfailed', info: 'offset mismatch', offset: stored } });
      }
      server.chunks.push((await chunk.arrayBuffer()).byteLength);
      if (offset === loseAnswerAt && !server.lost) {
        server.lost = true;
        throw new TypeError('Failed to fetch');
      }
      const done = offset + server.chunks[server.chunks.length - 1];
      return json({ upload: done < size ? { result: 'Continue', offset: done, filekey: 'k.1.1.png' } : { result: 'Success', filekey: 'whole.2.1.png' } });
    }
    if (p.get('filekey')) {
      if (p.get('filename') === 'Exists.png' && !p.get('ignorewarnings')) {
        return json({ upload: { result: 'Warning', warnings: { exists: 'Exists.png' }, filekey: p.get('filekey') } });
      }
      server.published.push([p.get('filekey'), p.get('filename')]);
      return json({ upload: { result: 'Success', filename: p.get('filename'), imageinfo: { size: 3 } } });
    }
    const file = p.get('file');
    if (p.get('filename') === 'Exists.png') {
      return json({ upload: { result: 'Warning', warnings: { exists: 'Exists.png' }, filekey: 'w.3.1.png' } });
    }
    return json({ upload: { result: 'Success', filename: p.get('filename'), imageinfo: { size: file.size } } });
  };
  page.respond(server.handle);
  return server;
}

test('upload sends the file and the allowed fields as multipart with the token, and resolves with the result', async () => {
  const page = loadPage();
  uploadServer(page);
  const result = await new page.mw.Api().upload(new Blob(['abc']), { filename: 'A.png', comment: 'c', bogus: 'dropped' });
  assert.equal(result.upload.imageinfo.size, 3);
  const post = page.requests.find((r) => r.method === 'POST');
  assert.ok(post.body instanceof FormData);
  assert.deepEqual([...post.params.keys()], ['action', 'format', 'filename', 'comment', 'file', 'token']);
  assert.equal(post.params.get('bogus'), null);
});

test('a warning fails the upload with its name, and the result with the filekey comes second', async () => {
  const page = loadPage();
  uploadServer(page);
  const { ok, args } = await outcome(new page.mw.Api().upload(new Blob(['abc']), { filename: 'Exists.png' }));
  assert.equal(ok, false);
  assert.equal(args[0], 'exists');
  assert.equal(args[1].upload.filekey, 'w.3.1.png');
});

test('uploadToStash resolves with a finishUpload that publishes with the filekey, even after a warning', async () => {
  const page = loadPage();
  const server = uploadServer(page);
  const finish = await new page.mw.Api().uploadToStash(new Blob(['abc']), { filename: 'Exists.png' });
  const result = await finish({ filename: 'Other.png' });
  assert.equal(result.upload.result, 'Success');
  assert.deepEqual(server.published, [['w.3.1.png', 'Other.png']]);
});

test('chunkedUpload sends the chunks in order, reports progress, resends a refused chunk from the server\'s offset and publishes', async () => {
  const page = loadPage();
  const server = uploadServer(page, { failChunkAt: 2048 });
  const file = new Blob([new Uint8Array(5000)]);
  const shares = [];
  const upload = new page.mw.Api().chunkedUpload(file, { filename: 'Big.png' }, 1024, 1);
  upload.progress((share) => shares.push(share));
  const result = await upload;
  assert.equal(result.upload.result, 'Success');
  assert.deepEqual(server.chunks, [1024, 1024, 1024, 1024, 904]);
  assert.deepEqual(server.published, [['whole.2.1.png', 'Big.png']]);
  assert.deepEqual(shares, [1024 / 5000, 2048 / 5000, 3072 / 5000, 4096 / 5000, 1]);
});

test('chunkedUpload whose chunk answer is lost after the server stored it sends it again and goes on from the server\'s offset', async () => {
  const page = loadPage();
  const server = uploadServer(page, { loseAnswerAt: 1024 });
  const file = new Blob([new Uint8Array(3000)]);
  const result = await new page.mw.Api().chunkedUpload(file, { filename: 'Lost.png' }, 1024, 1);
  assert.equal(result.upload.result, 'Success');
  assert.deepEqual(server.chunks, [1024, 1024, 952]);
  const offsets = page.requests.filter((r) => r.method === 'POST' && r.params.get('chunk')).map((r) => Number(r.params.get('offset')));
  assert.deepEqual(offsets, [0, 1024, 1024, 2048]);
});

test('mw.Upload uploads its file with its name, text and comment, and keeps the imageinfo and its state', async () => {
  const page = loadPage();
  uploadServer(page);
  const upload = new page.mw.Upload();
  assert.equal(upload.getState(), page.mw.Upload.State.NEW);
  upload.setFile(new Blob(['abc']));
  upload.setFilename('U.png');
  upload.setText('Page text');
  upload.setComment('Comment');
  await upload.upload();
  assert.equal(upload.getState(), page.mw.Upload.State.UPLOADED);
  assert.equal(upload.getImageInfo().size, 3);
  const post = page.requests.find((r) => r.method === 'POST');
  assert.equal(post.params.get('text'), 'Page text');
  assert.equal(post.params.get('comment'), 'Comment');
});

test('mw.Upload without a file fails, and a warning leaves it in the WARNING state', async () => {
  const page = loadPage();
  uploadServer(page);
  const empty = await outcome(new page.mw.Upload().upload());
  assert.deepEqual(empty.args, ['No file to upload. Call setFile to add one.']);
  const upload = new page.mw.Upload();
  upload.setFile(new Blob(['abc']));
  upload.setFilename('Exists.png');
  const warned = await outcome(upload.upload());
  assert.equal(warned.args[0], 'exists');
  assert.equal(upload.getState(), page.mw.Upload.State.WARNING);
});

test('mw.ForeignUpload finds its target in meta=filerepoinfo and uploads there with mw.ForeignApi', async () => {
  const page = loadPage();
  const server = uploadServer(page);
  const inner = server.handle;
  page.respond((request) => (request.params.get('meta') === 'filerepoinfo'
    ? json({ query: { repos: [{ name: 'local', scriptDirUrl: 'https://www.mediawiki.test/w', local: true }, { name: 'shared', scriptDirUrl: 'https://commons.wiki.test/w', canUpload: true }] } })
    : inner(request)));
  const upload = new page.mw.ForeignUpload('shared');
  upload.setFile(new Blob(['abc']));
  upload.setFilename('F.png');
  await upload.upload();
  assert.equal(upload.getState(), page.mw.ForeignUpload.State?.UPLOADED ?? page.mw.Upload.State.UPLOADED);
  const post = page.requests.find((r) => r.method === 'POST' && r.params.get('action') === 'upload');
  assert.equal(post.url.origin, 'https://commons.wiki.test');
  assert.equal(post.url.pathname, '/w/api.php');
});
