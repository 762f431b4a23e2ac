// Loads src/CrossWiki.Server/wwwroot/crosswiki.js into this process's global object as a
// browser page would (globalThis plays `window`), with fetch() replaced by a recorder that
// answers from a handler the test gives. Each loadPage() call runs a fresh copy of the script,
// so module-level state (the token cache) starts empty. Tests in one file run one at a time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const scriptPath = fileURLToPath(new URL('../../src/CrossWiki.Server/wwwroot/crosswiki.js', import.meta.url));
const source = readFileSync(scriptPath, 'utf8');

export const LOCAL = 'https://www.mediawiki.test';
export const FOREIGN = 'https://en.wikipedia.test';
export const FOREIGN_API = FOREIGN + '/w/api.php';

/**
 * @typedef {Object} RecordedRequest
 * @property {string} rawUrl The URL as crosswiki.js passed it to fetch
 * @property {URL} url Resolved against the page
 * @property {string} method
 * @property {Object<string, string>} headers
 * @property {RequestCredentials|undefined} credentials
 * @property {*} body The body as passed (string, FormData or undefined)
 * @property {URLSearchParams|FormData} params The API parameters: the query for GET, else the body
 * @property {AbortSignal} signal
 */

/**
 * @param {Object} [options]
 * @param {string} [options.url] The page's URL (its origin is the page origin)
 * @param {Object} [options.config] Content of the #crosswiki-config element; none if omitted
 * @param {string} [options.configText] Raw text for that element instead
 * @param {string|null} [options.scriptSrc] crosswiki.js's own URL; null for no currentScript
 * @param {Object} [options.mw] An `mw` the page already has
 * @param {function(RecordedRequest): (Response|Promise<Response>)} [options.respond]
 * @return {{mw: Object, requests: RecordedRequest[], logs: Array[], respond: Function}}
 */
export function loadPage(options = {}) {
  const {
    url = LOCAL + '/wiki/Main_Page',
    config,
    configText = config === undefined ? undefined : JSON.stringify(config),
    scriptSrc = LOCAL + '/w/resources/crosswiki.js',
    mw,
  } = options;
  const page = {
    requests: [],
    logs: [],
    handler: options.respond || (() => json({})),
    respond(handler) {
      page.handler = handler;
    },
  };
  globalThis.window = globalThis;
  globalThis.location = new URL(url);
  globalThis.document = {
    currentScript: scriptSrc === null ? null : { src: scriptSrc },
    getElementById: (id) => (id === 'crosswiki-config' && configText !== undefined ? { textContent: configText } : null),
  };
  globalThis.fetch = async (input, init = {}) => {
    const request = record(input, init);
    page.requests.push(request);
    return page.handler(request);
  };
  delete globalThis.mw;
  if (mw) {
    globalThis.mw = mw;
  }
  vm.runInThisContext(source, { filename: scriptPath });
  page.mw = globalThis.mw;
  if (!mw) {
    // Keep the test output clean; tests read what would have been logged.
    page.mw.log = (...args) => page.logs.push(args);
  }
  return page;
}

function record(input, init) {
  const url = new URL(String(input), globalThis.location.href);
  const method = init.method || 'GET';
  let params = url.searchParams;
  if (method !== 'GET') {
    params = init.body instanceof FormData ? init.body : new URLSearchParams(init.body || '');
  }
  return {
    rawUrl: String(input),
    url,
    method,
    headers: init.headers || {},
    credentials: init.credentials,
    body: init.body,
    params,
    signal: init.signal,
  };
}

/** A JSON response, as api.php and rest.php send. */
export function json(body, { status = 200, headers = {} } = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A response that never comes: it fails only when the request is aborted. */
export function hang(request) {
  return new Promise((resolve, reject) => {
    request.signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
  });
}

/** How a promise settled, with jQuery-style arguments: {ok, args}. */
export function outcome(promise) {
  return new Promise((resolve) => {
    promise.done((...args) => resolve({ ok: true, args })).fail((...args) => resolve({ ok: false, args }));
  });
}

/** An action API error answer (errorformat=bc), as MediaWiki sends it. */
export function apiError(code, info = code) {
  return json({ error: { code, info, '*': 'See the API help.' } }, { headers: { 'MediaWiki-API-Error': code } });
}

/** A tiny fake wiki: tokens, userinfo and action=options, enough for the Manual:CORS examples. */
export function fakeWiki({ user = 'Alice', id = 7, csrf = 'csrf1+\\' } = {}) {
  const wiki = { options: {}, csrf, posts: [] };
  wiki.handle = (request) => {
    const p = request.params;
    if (p.get('origin') === '*' && p.get('meta')?.includes('tokens')) {
      return json({ warnings: { tokens: { '*': 'Tokens may not be obtained when the same-origin policy is not applied.' } } });
    }
    const anonymous = p.get('origin') === '*' || request.credentials === 'omit';
    if (p.get('action') === 'query') {
      const query = {};
      if (p.get('meta')?.split('|').includes('userinfo')) {
        query.userinfo = anonymous ? { id: 0, name: '127.0.0.1', anon: '' } : { id, name: user };
      }
      if (p.get('meta')?.split('|').includes('tokens')) {
        query.tokens = { csrftoken: anonymous ? '+\\' : wiki.csrf };
      }
      return json({ batchcomplete: '', query });
    }
    if (p.get('action') === 'options') {
      wiki.posts.push(request);
      if (p.get('token') !== wiki.csrf) {
        return apiError('badtoken', 'Invalid CSRF token.');
      }
      wiki.options[p.get('optionname')] = p.get('optionvalue');
      return json({ options: 'success' });
    }
    return apiError('unknown_action');
  };
  return wiki;
}
