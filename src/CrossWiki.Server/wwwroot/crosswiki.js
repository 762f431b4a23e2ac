/**
 * crosswiki.js: MediaWiki's browser API clients for CrossWiki pages and gadgets.
 *
 * Defines `window.mw` with mw.Api, mw.ForeignApi, mw.Rest and mw.ForeignRest, plus the small
 * part of MediaWiki's page runtime they rely on: mw.config, mw.user, mw.util, mw.loader,
 * mw.log and mw.notify. On a page that already has an `mw`, only the missing members are added.
 *
 * Every wiki serves this file at {wgScriptPath}/resources/crosswiki.js. It is plain ES2020:
 * no build step and no dependency (no jQuery, no OOjs).
 *
 * Behaviour follows MediaWiki's own clients as described in the CrossWiki spec
 * "foreignapi-centralauth.md" (cited below as "spec §n"). The differences are:
 * - requests go through fetch(), so the ajax settings are the fetch-relevant subset of
 *   jQuery.ajax's settings (see AjaxSettings);
 * - promises are native Promises that also have jQuery's deferred methods (see "Promises").
 *   `await` gives the result, and a failure throws an ApiError;
 * - `null` parameter values are omitted rather than sent empty (spec §1.3 leaves this choice
 *   to the reimplementation);
 * - no `Api-User-Agent` header is sent unless the caller asks for one (MediaWiki 1.39, the
 *   reference version; 1.44+ always sends it, which makes every cross-origin call preflighted);
 * - the caller's `params` and `ajaxOptions` objects are never modified.
 *
 * CentralAuth's client (spec §3.5) is built in rather than a separate module: mw.ForeignApi
 * and mw.ForeignRest send central login tokens for a logged-in user, unless the page's
 * `wgCentralAuth` config value is false (absent counts as enabled).
 */
(function () {
  'use strict';

  const global = globalThis;
  // Captured now: document.currentScript is only set while this file is being executed.
  const thisScript = typeof document !== 'undefined' ? document.currentScript : null;
  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const noop = () => {};

  // -------------------------------------------------------------------------------------------
  // Promises
  //
  // Gadget code written for mw.Api uses jQuery deferreds and their multi-argument callbacks:
  // done(result, jqXHR), fail(code, result, result, jqXHR), then(onOk, onFail) receiving all
  // of them, and abort() (spec §1.5, §1.6, §6 "JS client"). Modern code uses `await`.
  // Both must work on the same object, so each promise made here is a native Promise whose
  // prototype adds jQuery's methods, and which records its full argument list in `outcomes`:
  // - its native value is the first success argument (the API result);
  // - its native rejection reason is an ApiError carrying .code, .result and .args (or the
  //   Error that the failure already was, such as an exception thrown by a callback).
  // The prototype has no `constructor` of its own, so `promise.constructor === Promise`, and
  // `await` adopts the promise directly, without calling the overridden `then`.
  // -------------------------------------------------------------------------------------------

  /** @type {WeakMap<Promise, {ok: boolean, args: Array}>} How each promise settled. */
  const outcomes = new WeakMap();
  const nativeThen = Promise.prototype.then;
  const anonymousBuiltin = /^function\s*\(\)\s*\{\s*\[native code\]\s*\}$/;

  /**
   * The error that `await`, `.catch()` and other native promise code see when a request
   * fails. jQuery-style callbacks (fail, always, then's second argument) receive `args`
   * spread out instead, as mw.Api passes them.
   */
  class ApiError extends Error {
    /** @param {Array} args The rejection arguments, e.g. ['badtoken', result, result, jqXHR] */
    constructor(args) {
      super(describeFailure(args[0], args[1]));
      this.name = 'ApiError';
      /** @type {*} The error code: the API's error code, 'http', 'ok-but-empty', ... */
      this.code = args[0];
      /** @type {*} The API result, or {xhr, textStatus, exception} for 'http' */
      this.result = args[1];
      /** @type {Array} Every rejection argument */
      this.args = args;
    }
  }

  function describeFailure(code, result) {
    const firstError = result && Array.isArray(result.errors) ? result.errors[0] : undefined;
    const info = (result && result.error && result.error.info)
      || (firstError && (firstError.text || firstError.html || firstError['*']));
    if (info) {
      return code + ': ' + info;
    }
    if (code === 'http' && result && result.textStatus) {
      const status = result.xhr && result.xhr.status ? ' (HTTP ' + result.xhr.status + ')' : '';
      return 'http: ' + result.textStatus + status;
    }
    if (code === undefined) {
      return 'failed without an error code';
    }
    return typeof result === 'string' ? code + ': ' + result : String(code);
  }

  /**
   * True for the anonymous built-in functions the engine passes to `then` when it adopts a
   * promise: an async function returning it, Promise.all, Promise.prototype.finally. Those
   * accept one argument, so they must get the native value or reason, not jQuery's list.
   */
  function isEngineCallback(fn) {
    return typeof fn === 'function' && fn.name === ''
      && anonymousBuiltin.test(Function.prototype.toString.call(fn));
  }

  /** jQuery's deferred methods, on top of Promise.prototype. */
  const JQueryStylePromise = Object.setPrototypeOf({
    /**
     * jQuery's then: `onOk(...successArgs)`, `onFail(...failureArgs)`. A returned value
     * resolves the new promise, a returned promise is followed (with all its arguments), and a
     * thrown exception rejects it.
     */
    then(onOk, onFail) {
      if (isEngineCallback(onOk) || isEngineCallback(onFail)) {
        return nativeThen.call(this, onOk, onFail);
      }
      return chain(this, onOk, onFail, false);
    },
    /** Native catch: `onFail` receives the rejection reason, usually an ApiError. */
    catch(onFail) {
      return chain(this, undefined, onFail, true);
    },
    /** Calls each callback with the success arguments, e.g. (result, jqXHR). Returns this. */
    done(...callbacks) {
      return listen(this, true, callbacks);
    },
    /** Calls each callback with the failure arguments, e.g. (code, result). Returns this. */
    fail(...callbacks) {
      return listen(this, false, callbacks);
    },
    /** Calls each callback with the arguments of either outcome. Returns this. */
    always(...callbacks) {
      return listen(this, undefined, callbacks);
    },
    /** jQuery's promise(): this object. */
    promise() {
      return this;
    },
    /** Calls each callback with the progress an upload reports (the share done). Returns this. */
    progress(...callbacks) {
      const listeners = progressListeners.get(this) || [];
      progressListeners.set(this, listeners.concat(callbacks.flat().filter((callback) => typeof callback === 'function')));
      return this;
    },
  }, Promise.prototype);

  /** The progress callbacks of each promise that reports progress. */
  const progressListeners = new WeakMap();

  function notifyProgress(promise, share) {
    (progressListeners.get(promise) || []).forEach((callback) => callback(share));
  }

  /**
   * A promise of this file's kind with its settling functions. The first settlement wins.
   *
   * @param {Function} [abort] The promise's abort(); a no-op by default, so that calling
   *   abort() on any promise from here is always safe (spec §5, "abortable.abort is not a
   *   function").
   */
  function deferred(abort) {
    let settleNative;
    const promise = new Promise((resolve, reject) => {
      settleNative = { resolve, reject };
    });
    Object.setPrototypeOf(promise, JQueryStylePromise);
    promise.abort = abort || noop;

    function settle(ok, args) {
      if (outcomes.has(promise)) {
        return;
      }
      if (ok) {
        outcomes.set(promise, { ok, args });
        settleNative.resolve(args[0]);
        return;
      }
      // An ApiError passed on (from `await` inside a callback) keeps its original arguments.
      const reason = args[0] instanceof Error ? args[0] : new ApiError(args);
      outcomes.set(promise, { ok, args: reason instanceof ApiError ? reason.args : args });
      settleNative.reject(reason);
    }

    return {
      promise,
      resolve: (...args) => settle(true, args),
      reject: (...args) => settle(false, args),
    };
  }

  function resolvedWith(...args) {
    const d = deferred();
    d.resolve(...args);
    return d.promise;
  }

  function rejectedWith(...args) {
    const d = deferred();
    d.reject(...args);
    return d.promise;
  }

  function isSettled(promise) {
    return outcomes.has(promise);
  }

  /** Settles `target` like `value`: follows a thenable (keeping all its arguments), else resolves. */
  function adopt(target, value) {
    if (value !== null && (typeof value === 'object' || typeof value === 'function')
      && typeof value.then === 'function') {
      value.then((...args) => target.resolve(...args), (...args) => target.reject(...args));
    } else {
      target.resolve(value);
    }
  }

  /** then/catch: a new promise settled by the handler. Derived promises keep the source's abort(). */
  function chain(source, onOk, onFail, nativeRejection) {
    const next = deferred(source.abort);
    const run = (nativeValue) => {
      const { ok, args } = outcomes.get(source);
      const handler = ok ? onOk : onFail;
      if (typeof handler !== 'function') {
        (ok ? next.resolve : next.reject)(...args);
        return;
      }
      try {
        adopt(next, !ok && nativeRejection ? handler(nativeValue) : handler(...args));
      } catch (e) {
        next.reject(e);
      }
    };
    nativeThen.call(source, run, run);
    return next.promise;
  }

  /** done/fail/always: call back on the outcome `when` (undefined: either), return the promise. */
  function listen(promise, when, callbacks) {
    const run = () => {
      const { ok, args } = outcomes.get(promise);
      if (when === undefined || when === ok) {
        // Like jQuery: arrays of callbacks are accepted, anything not a function is ignored.
        callbacks.flat().filter((callback) => typeof callback === 'function').forEach((callback) => callback(...args));
      }
    };
    nativeThen.call(promise, run, run);
    return promise;
  }

  // -------------------------------------------------------------------------------------------
  // Transport, shared by mw.Api and mw.Rest
  // -------------------------------------------------------------------------------------------

  /**
   * @typedef {Object} AjaxSettings
   * Request settings: jQuery.ajax's names where the meaning carries over to fetch().
   * @property {string} [url] The endpoint
   * @property {string} [type='GET'] The HTTP method; get(), post(), put() and delete() set it
   * @property {number} [timeout=30000] In milliseconds; 0 for none
   * @property {Object<string, string>} [headers] For example
   *   `{ 'Api-User-Agent': 'MyGadget/1.0 (User:Me)' }`
   * @property {RequestCredentials} [credentials] fetch's credentials mode. It replaces
   *   jQuery's xhrFields.withCredentials. The default is fetch's 'same-origin';
   *   mw.ForeignApi and mw.ForeignRest use 'include', or 'omit' when anonymous
   * @property {AbortSignal} [signal] Aborting it rejects the request with
   *   (signal.reason, signal.reason) (spec §1.3)
   * @property {string} [contentType] mw.Api only: 'multipart/form-data' makes a POST
   *   multipart. A POST is also multipart whenever a parameter value is a Blob or File
   * @property {Object|string} [data] mw.Rest's ajax() only: the query for GET, else the body
   */

  /**
   * @typedef {Object} OutgoingRequest
   * A request about to be sent, as the `beforeSend` hook sees it and may change it.
   * @property {string} method 'GET', 'POST', ...
   * @property {string} url The URL. For mw.Rest it already has the query string
   * @property {Object} [parameters] mw.Api only: the API parameters, before serialization
   * @property {string} [body] mw.Rest only: the request body
   * @property {Object<string, string>} headers The request headers
   * @property {RequestCredentials|undefined} credentials fetch's credentials mode
   * @property {AbortSignal} signal Aborted when the request is aborted. Pass it on to any
   *   request the hook makes itself
   */

  /**
   * The parts of jQuery's jqXHR that mw.Api and mw.Rest callers read. A request that got no
   * response (network failure, CORS refusal, abort, timeout) has status 0.
   */
  function makeXhr(response, text) {
    return {
      readyState: response ? 4 : 0,
      status: response ? response.status : 0,
      statusText: response ? response.statusText : '',
      responseText: text,
      responseJSON: undefined,
      getResponseHeader: (name) => (response ? response.headers.get(name) : null),
      getAllResponseHeaders: () => (response
        ? Array.from(response.headers, ([name, value]) => name + ': ' + value).join('\r\n')
        : ''),
    };
  }

  /** The rejection arguments of a transport or HTTP failure (spec §1.5). */
  function httpFailure(xhr, textStatus, exception) {
    return ['http', { xhr, textStatus, exception }];
  }

  const abortFailure = () => httpFailure(makeXhr(null, ''), 'abort', 'abort');

  /** jQuery's notion of success: 2xx, or 304 Not Modified. */
  function isSuccessStatus(status) {
    return (status >= 200 && status < 300) || status === 304;
  }

  function appendQuery(url, query) {
    return query ? url + (url.includes('?') ? '&' : '?') + query : url;
  }

  /** application/x-www-form-urlencoded, with %20 for spaces as jQuery 3 writes it (spec §1.3). */
  function formEncode(pairs) {
    return pairs.map(([key, value]) => encodeURIComponent(key) + '=' + encodeURIComponent(value))
      .join('&');
  }

  /**
   * Sends one request with fetch() and settles the returned promise as `codec.interpret` says.
   * The owning client's `beforeSend` hook runs first and may change the request, also
   * asynchronously. Abort, timeout, the caller's AbortSignal and the in-flight list used by
   * the client's abort() are handled here.
   *
   * @param {Api|Rest} client
   * @param {OutgoingRequest} request
   * @param {AjaxSettings} settings For timeout and signal
   * @param {{name: string, encode: function(OutgoingRequest): Array, interpret: function(Object): {ok: boolean, args: Array}}} codec
   * @return {Promise} A promise of this file's kind, with abort()
   */
  function send(client, request, settings, codec) {
    const controller = new AbortController();
    const callerSignal = settings.signal;
    const result = deferred(() => stop(true, abortFailure()));
    let timer;

    /** Settles once; every failure but an abort is logged, as MediaWiki does (spec §1.5). */
    function finish(ok, args, aborted) {
      if (isSettled(result.promise)) {
        return;
      }
      clearTimeout(timer);
      if (callerSignal) {
        callerSignal.removeEventListener('abort', onCallerAbort);
      }
      const index = client.requests.indexOf(result.promise);
      if (index !== -1) {
        client.requests.splice(index, 1);
      }
      if (!ok && !aborted) {
        mw.log(codec.name + ' error: ', args[0], args[1]);
      }
      (ok ? result.resolve : result.reject)(...args);
    }

    /** Ends the request before its response: abort, timeout, or the caller's signal. */
    function stop(aborted, args) {
      finish(false, args, aborted);
      controller.abort();
    }

    function onCallerAbort() {
      stop(true, [callerSignal.reason, callerSignal.reason]);
    }

    if (callerSignal && callerSignal.aborted) {
      finish(false, [callerSignal.reason, callerSignal.reason], true);
      return result.promise;
    }
    client.requests.push(result.promise);
    if (callerSignal) {
      callerSignal.addEventListener('abort', onCallerAbort);
    }
    if (settings.timeout) {
      timer = setTimeout(() => stop(false, httpFailure(makeXhr(null, ''), 'timeout', 'timeout')), settings.timeout);
    }
    request.signal = controller.signal;

    Promise.resolve()
      .then(() => client.beforeSend(request))
      .then(() => {
        if (isSettled(result.promise)) {
          return undefined;
        }
        const [url, init] = codec.encode(request);
        init.signal = controller.signal;
        return fetch(url, init)
          .then((response) => response.text().then((text) => makeXhr(response, text)))
          // No complete response: network failure or CORS refusal (or our own abort, which
          // has already settled the promise).
          .catch(() => null);
      })
      .then((xhr) => {
        if (xhr === null) {
          finish(false, httpFailure(makeXhr(null, ''), 'error', ''));
        } else if (xhr !== undefined) {
          const verdict = codec.interpret(xhr);
          finish(verdict.ok, verdict.args);
        }
      })
      // beforeSend or encode threw: fail with that exception, as a thrown callback would.
      .catch((error) => finish(false, [error]));

    return result.promise;
  }

  /** Aborts every request of this client that is still in flight (spec §1.6). */
  function abortAll() {
    this.requests.slice().forEach((request) => request.abort());
  }

  // -------------------------------------------------------------------------------------------
  // mw.Api (spec §1)
  //
  // The public constructors are plain functions with prototypes, not classes, as in MediaWiki:
  // gadgets and extensions subclass them with `Parent.call(this, ...)` (OO.inheritClass), which
  // a class constructor refuses.
  // -------------------------------------------------------------------------------------------

  /**
   * @typedef {Object} ApiOptions
   * @property {Object} [parameters] Default parameters, merged under each call's. The defaults
   *   are `{ action: 'query', format: 'json' }`: no formatversion, so the server answers in
   *   formatversion 1 unless asked (spec §1.1)
   * @property {AjaxSettings} [ajax] Default request settings. The defaults are
   *   `{ url: mw.util.wikiScript('api'), timeout: 30000 }`
   * @property {boolean} [useUS] Whether multi-value parameters may use U+001F separators.
   *   Default: true only when no `ajax.url` is given, i.e. for this wiki's own API
   * @property {string} [userAgent] Sent as the Api-User-Agent header, unless the request
   *   already has one
   */

  /**
   * A client for a MediaWiki action API (api.php), by default this wiki's.
   *
   * @class
   * @param {ApiOptions} [options]
   */
  function Api(options) {
    options = Object.assign({}, options);
    const ajax = Object.assign({ url: mw.util.wikiScript('api'), timeout: 30000 }, options.ajax);
    ajax.url = String(ajax.url);
    this.defaults = {
      parameters: Object.assign({ action: 'query', format: 'json' }, options.parameters),
      ajax,
      // U+001F is only used where the server is known to understand it (spec §1.1).
      useUS: options.useUS !== undefined ? options.useUS : !(options.ajax && options.ajax.url),
      userAgent: options.userAgent,
    };
    /** @type {Promise[]} Requests in flight, for abort() */
    this.requests = [];
  }

  /** Aborts every request of this instance still in flight. */
  Api.prototype.abort = abortAll;

  /**
   * Hook run just before each request is sent; it may change the request, and may return a
   * promise to delay it. It does nothing here. mw.ForeignApi uses it to put `origin` in the
   * URL and to add a `centralauthtoken` parameter (spec §3.5).
   *
   * @param {OutgoingRequest} request
   * @return {Promise|undefined}
   */
  Api.prototype.beforeSend = noop;

  /**
   * GET request.
   *
   * @param {Object} parameters
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise} Resolves (result, jqXHR); rejects as described at ajax()
   */
  Api.prototype.get = function (parameters, ajaxOptions) {
    return this.ajax(parameters, Object.assign({}, ajaxOptions, { type: 'GET' }));
  };

  /**
   * POST request.
   *
   * @param {Object} parameters
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise} Resolves (result, jqXHR); rejects as described at ajax()
   */
  Api.prototype.post = function (parameters, ajaxOptions) {
    return this.ajax(parameters, Object.assign({}, ajaxOptions, { type: 'POST' }));
  };

  /**
   * Sends a request to the API.
   *
   * The returned promise resolves with (result, jqXHR). It rejects (spec §1.5) with:
   * - (code, result, result, jqXHR) for an API error, where code is `error.code`, or the
   *   first `errors[].code` with a non-default errorformat;
   * - ('ok-but-empty', 'OK response but empty result (check HTTP headers?)', result, jqXHR)
   *   for an empty answer;
   * - ('http', {xhr, textStatus, exception}) when no usable answer came: textStatus is
   *   'abort', 'timeout', 'error' (network or CORS failure with xhr.status 0, or an HTTP
   *   error status) or 'parsererror';
   * - (reason, reason) when `ajaxOptions.signal` aborts with that reason.
   * With `await`, the rejection is an ApiError whose .code and .result are the first two.
   *
   * @param {Object} parameters
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise}
   */
  Api.prototype.ajax = function (parameters, ajaxOptions) {
    const settings = Object.assign({}, this.defaults.ajax, ajaxOptions);
    const headers = Object.assign({}, settings.headers);
    if (this.defaults.userAgent && !Object.keys(headers).some((name) => name.toLowerCase() === 'api-user-agent')) {
      headers['Api-User-Agent'] = this.defaults.userAgent;
    }
    const request = {
      method: String(settings.type || 'GET').toUpperCase(),
      url: String(settings.url),
      parameters: Object.assign({}, this.defaults.parameters, parameters),
      headers,
      credentials: settings.credentials,
    };
    const useUS = this.defaults.useUS;
    return send(this, request, settings, {
      name: 'mw.Api',
      encode: (outgoing) => encodeActionRequest(outgoing, useUS, settings.contentType === 'multipart/form-data'),
      interpret: interpretActionResponse,
    });
  };

  /**
   * MediaWiki's parameter serialization (spec §1.3): arrays are joined with '|', or with
   * U+001F (and a leading U+001F) when `useUS` and a value contains '|'; false, undefined
   * and null drop the key, since the API treats any present key as true; true is sent as
   * 'true'; `token` goes last, so that a truncated POST lacks it and fails safely.
   *
   * @return {Array<Array>} [name, value] pairs; a value is a string, or a Blob left as is
   */
  function serializeParameters(parameters, useUS) {
    const names = Object.keys(parameters);
    const ordered = names.filter((name) => name !== 'token').concat(names.filter((name) => name === 'token'));
    const pairs = [];
    for (const name of ordered) {
      let value = parameters[name];
      if (value === false || value === undefined || value === null) {
        continue;
      }
      if (Array.isArray(value)) {
        value = useUS && value.join('').includes('|') ? '\x1f' + value.join('\x1f') : value.join('|');
      } else if (!(value instanceof Blob)) {
        value = String(value);
      }
      pairs.push([name, value]);
    }
    return pairs;
  }

  /** GET: parameters in the query string. POST: urlencoded body, or multipart (spec §1.3). */
  function encodeActionRequest(request, useUS, multipart) {
    const pairs = serializeParameters(request.parameters, useUS);
    const init = { method: request.method, headers: request.headers, credentials: request.credentials };
    if (request.method === 'GET') {
      return [appendQuery(request.url, formEncode(pairs)), init];
    }
    if (multipart || pairs.some(([, value]) => value instanceof Blob)) {
      // The browser sets the multipart Content-Type with its boundary.
      init.body = new FormData();
      pairs.forEach(([name, value]) => init.body.append(name, value));
    } else {
      init.body = formEncode(pairs);
      init.headers = Object.assign({ 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, request.headers);
    }
    return [request.url, init];
  }

  /** Turns an api.php response into mw.Api's resolve or reject arguments (spec §1.5). */
  function interpretActionResponse(xhr) {
    if (!isSuccessStatus(xhr.status)) {
      return { ok: false, args: httpFailure(xhr, 'error', xhr.statusText) };
    }
    let result;
    if (xhr.responseText.trim() !== '') {
      try {
        result = JSON.parse(xhr.responseText);
      } catch (e) {
        return { ok: false, args: httpFailure(xhr, 'parsererror', e) };
      }
    }
    xhr.responseJSON = result;
    if (result === undefined || result === null || result === '') {
      return { ok: false, args: ['ok-but-empty', 'OK response but empty result (check HTTP headers?)', result, xhr] };
    }
    if (result.error) {
      return { ok: false, args: [result.error.code === undefined ? 'unknown' : result.error.code, result, result, xhr] };
    }
    if (result.errors) {
      const code = result.errors[0] && result.errors[0].code;
      return { ok: false, args: [code === undefined ? 'unknown' : code, result, result, xhr] };
    }
    return { ok: true, args: [result, xhr] };
  }

  // Tokens (spec §1.7)

  /**
   * Token promises by API URL, then by '<type>Token'. Module-level: every instance that talks
   * to the same URL shares them, and concurrent callers share one request.
   *
   * @type {Map<string, Object<string, Promise>>}
   */
  const tokenPromises = new Map();

  /** Token types that MediaWiki merged into 'csrf'. */
  const legacyCsrfTypes = ['edit', 'delete', 'protect', 'move', 'block', 'unblock', 'email', 'import', 'options'];

  function canonicalTokenType(type) {
    return legacyCsrfTypes.includes(type) ? 'csrf' : type;
  }

  function tokenCacheFor(apiUrl) {
    let group = tokenPromises.get(apiUrl);
    if (!group) {
      group = {};
      // The page's own tokens serve this wiki's API without a request (T36733). Done once per
      // URL, so that after badToken() a fresh token is fetched instead of the page's again.
      if (apiUrl === mw.util.wikiScript('api')) {
        const pageTokens = mw.user.tokens.get();
        Object.keys(pageTokens).forEach((key) => {
          group[key] = resolvedWith(pageTokens[key]);
        });
      }
      tokenPromises.set(apiUrl, group);
    }
    return group;
  }

  /**
   * Gets a token, from the cache shared by every client of the same API URL, else with
   * `action=query&meta=tokens`. Rejects ('query-missing', result) when the answer has no
   * `query` (as with `origin=*`), and ('token-missing', result) when it lacks this type.
   *
   * @param {string} type 'csrf', 'watch', 'login', ...; legacy names such as 'edit' or
   *   'options' mean 'csrf'
   * @param {Object|string} [additionalParams] Extra parameters; a string is an `assert` value
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise} Resolves with the token
   */
  Api.prototype.getToken = function (type, additionalParams, ajaxOptions) {
    type = canonicalTokenType(type);
    if (typeof additionalParams === 'string') {
      additionalParams = { assert: additionalParams };
    }
    const cache = tokenCacheFor(this.defaults.ajax.url);
    const key = type + 'Token';
    if (cache[key]) {
      return cache[key];
    }
    const forget = () => {
      if (cache[key] === promise) {
        delete cache[key];
      }
    };
    const promise = this.get(Object.assign({ action: 'query', meta: 'tokens', type }, additionalParams), ajaxOptions)
      .then((result) => {
        if (!result.query) {
          forget();
          return rejectedWith('query-missing', result);
        }
        const token = result.query.tokens && result.query.tokens[type + 'token'];
        // Like MediaWiki, this failure stays cached until badToken() (spec §1.7).
        return token === undefined ? rejectedWith('token-missing', result) : token;
      }, (...args) => {
        forget();
        return rejectedWith(...args);
      });
    cache[key] = promise;
    return promise;
  };

  /**
   * Drops the cached token of this type for this API URL, so that the next getToken()
   * fetches a new one.
   *
   * @param {string} type
   */
  Api.prototype.badToken = function (type) {
    const cache = tokenPromises.get(this.defaults.ajax.url);
    if (cache) {
      delete cache[canonicalTokenType(type) + 'Token'];
    }
  };

  /**
   * Gets a central login token from this API with `action=centralauthtoken` (CentralAuth,
   * spec §3.5). Such a token lets another wiki of the farm act as this wiki's logged-in user
   * for one request, within a minute, without third-party cookies. It is never cached: each
   * token can be used once. Rejects as any request does (`notloggedin`, `hascallback`,
   * `badsession`, 'http', ...), and ('token-missing', result) if the answer has no token.
   *
   * @param {AjaxSettings} [ajaxOptions] E.g. `{ signal }`
   * @return {Promise} Resolves with the token
   */
  Api.prototype.getCentralAuthToken = function (ajaxOptions) {
    return this.get({ action: 'centralauthtoken' }, ajaxOptions).then((result) => {
      const token = result.centralauthtoken && result.centralauthtoken.centralauthtoken;
      return typeof token === 'string' ? token : rejectedWith('token-missing', result);
    });
  };

  /**
   * POSTs with a token of the given type, fetched first if not cached. On a `badtoken` error
   * it drops the cached token, fetches a new one and POSTs once more; the second answer is
   * final. abort() stops the POST, never the shared token request (spec §1.6, §1.7).
   *
   * @param {string} tokenType
   * @param {Object} params `assert` and `assertuser` are also sent with the token request
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise}
   */
  Api.prototype.postWithToken = function (tokenType, params, ajaxOptions) {
    const api = this;
    const assertParams = { assert: params.assert, assertuser: params.assertuser };
    let current = null;
    let aborted = false;
    const result = deferred(() => {
      aborted = true;
      if (current) {
        current.abort();
      } else {
        result.reject(...abortFailure());
      }
    });
    const post = (token) => {
      if (aborted) {
        return rejectedWith(...abortFailure());
      }
      current = api.post(Object.assign({}, params, { token }), ajaxOptions);
      return current;
    };
    adopt(result, api.getToken(tokenType, assertParams).then((token) => {
      const first = post(token);
      return first.then(null, (code) => {
        if (code !== 'badtoken') {
          return first;
        }
        api.badToken(tokenType);
        return api.getToken(tokenType, assertParams).then(post);
      });
    }));
    return result.promise;
  };

  /**
   * @param {Object} params
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise}
   */
  Api.prototype.postWithEditToken = function (params, ajaxOptions) {
    return this.postWithToken('csrf', params, ajaxOptions);
  };

  /** @return {Promise} Resolves with a CSRF token */
  Api.prototype.getEditToken = function () {
    return this.getToken('csrf');
  };

  // Convenience methods (spec §1.8)

  /**
   * Adds assertions that the API's user is this page's user: `assert=user&assertuser=<name>`
   * when logged in, else `assert=anon`. The query's own keys win.
   *
   * @param {Object} query
   * @return {Object} A new object
   */
  Api.prototype.assertCurrentUser = function (query) {
    const userName = mw.config.get('wgUserName');
    const assertion = userName !== null ? { assert: 'user', assertuser: userName } : { assert: 'anon' };
    return Object.assign(assertion, query);
  };

  /**
   * Logs in with the two-step `action=login` (the first POST yields the login token).
   * Rejects (error code or 'unknown', response) unless the result is 'Success'.
   *
   * @param {string} username
   * @param {string} password
   * @return {Promise} Resolves with the second response
   */
  Api.prototype.login = function (username, password) {
    const api = this;
    const params = { action: 'login', lgname: username, lgpassword: password };
    let second = null;
    const first = api.post(params);
    const promise = first.then((data) => {
      second = api.post(Object.assign({}, params, { lgtoken: data.login.token }));
      return second.then((response) => (response.login && response.login.result === 'Success'
        ? response
        : rejectedWith((response.error && response.error.code) || 'unknown', response)));
    });
    promise.abort = () => {
      first.abort();
      if (second) {
        second.abort();
      }
    };
    return promise;
  };

  /**
   * Edits an existing page: reads its current text, passes `{timestamp, content}` to
   * `transform`, and saves what it returns (new text, an object of edit parameters, or a
   * promise of either) with edit-conflict detection. Rejects 'nocreate-missing' when the
   * page does not exist and 'invalidtitle' for a bad title.
   *
   * @param {string} title
   * @param {function({timestamp: string, content: string}): (string|Object|Promise)} transform
   * @return {Promise} Resolves with the `edit` object of the response
   */
  Api.prototype.edit = function (title, transform) {
    const api = this;
    title = String(title);
    let basetimestamp;
    let curtimestamp;
    return api.get({
      action: 'query',
      prop: 'revisions',
      rvprop: ['content', 'timestamp'],
      rvslots: 'main',
      titles: [title],
      formatversion: '2',
      curtimestamp: true,
    }).then((data) => {
      if (!data.query || !data.query.pages) {
        return rejectedWith('unknown');
      }
      const page = data.query.pages[0];
      if (!page || page.invalid) {
        return rejectedWith('invalidtitle');
      }
      if (page.missing) {
        return rejectedWith('nocreate-missing');
      }
      const revision = page.revisions[0];
      basetimestamp = revision.timestamp;
      curtimestamp = data.curtimestamp;
      return transform({ timestamp: revision.timestamp, content: revision.slots.main.content });
    }).then((params) => {
      const editParams = typeof params === 'object' ? params : { text: String(params) };
      return api.postWithEditToken(Object.assign({
        action: 'edit',
        title,
        formatversion: '2',
        assert: mw.config.get('wgUserName') ? 'user' : undefined,
        basetimestamp,
        starttimestamp: curtimestamp,
        nocreate: true,
      }, editParams));
    }).then((data) => data.edit);
  };

  /**
   * Creates a page; fails with 'articleexists' if it already exists.
   *
   * @param {string} title
   * @param {Object} params Extra edit parameters, e.g. `{ summary: '...' }`
   * @param {string} content
   * @return {Promise} Resolves with the `edit` object of the response
   */
  Api.prototype.create = function (title, params, content) {
    return this.postWithEditToken(Object.assign(this.assertCurrentUser({
      action: 'edit',
      title: String(title),
      text: content,
      formatversion: '2',
      createonly: true,
    }), params)).then((data) => data.edit);
  };

  /**
   * @return {Promise} Resolves with `query.userinfo` (with groups and rights); rejects with
   *   no arguments if the answer has none
   */
  Api.prototype.getUserInfo = function () {
    return this.get({ action: 'query', meta: 'userinfo', uiprop: ['groups', 'rights'] })
      .then((data) => (data.query && data.query.userinfo ? data.query.userinfo : rejectedWith()));
  };

  /**
   * @param {string} name
   * @param {string|null} value null resets the option to its default
   * @param {Object} [params] Extra parameters for `action=options`
   * @return {Promise}
   */
  Api.prototype.saveOption = function (name, value, params) {
    return this.saveOptions({ [name]: value }, params);
  };

  /** API URL → the last saveOptions() call to it, which the next one waits for (spec §1.8). */
  const pendingOptionSaves = new Map();

  /**
   * Saves user options with `action=options`, in as few requests as possible. Rejects
   * ('notloggedin') at once when this page's user is anonymous.
   *
   * @param {Object<string, string|null>} options null resets an option to its default
   * @param {Object} [params] Extra parameters for `action=options`
   * @return {Promise}
   */
  Api.prototype.saveOptions = function (options, params) {
    if (mw.config.get('wgUserName') === null) {
      return rejectedWith('notloggedin');
    }
    const api = this;
    const url = this.defaults.ajax.url;
    const save = (extra) => () => api.postWithToken('csrf', Object.assign({ formatversion: 2, action: 'options' }, extra, params));
    const previous = pendingOptionSaves.get(url);
    let promise = previous ? previous.then(noop, noop) : resolvedWith();
    const bundled = [];
    Object.keys(options).forEach((name) => {
      const value = options[name] === null ? null : String(options[name]);
      // `change` is a list of name=value items: '=' in a name, and '|' anywhere when U+001F
      // separators are not available, need the one-option form.
      const bundleable = !name.includes('=')
        && (this.defaults.useUS || (!name.includes('|') && (value === null || !value.includes('|'))));
      if (bundleable) {
        bundled.push(value === null ? name : name + '=' + value);
      } else {
        promise = promise.then(save(value === null ? { optionname: name } : { optionname: name, optionvalue: value }));
      }
    });
    if (bundled.length) {
      promise = promise.then(save({ change: bundled }));
    }
    pendingOptionSaves.set(url, promise);
    return promise;
  };

  // -------------------------------------------------------------------------------------------
  // Uploads: MediaWiki's mediawiki.api.upload plugin
  // -------------------------------------------------------------------------------------------

  /** The parameters the upload methods pass on; others are dropped, as MediaWiki's plugin does. */
  const uploadFields = ['stash', 'filekey', 'filename', 'comment', 'text', 'watchlist', 'ignorewarnings', 'chunk', 'offset', 'filesize', 'async'];

  /** An upload's outcome: a result with warnings fails with the first warning's name. */
  function settleUpload(target, result) {
    const warnings = result && result.upload && result.upload.warnings;
    if (warnings) {
      target.reject(Object.keys(warnings)[0], result);
    } else {
      target.resolve(result);
    }
  }

  /**
   * Uploads a File or Blob (or the file of an `<input type=file>`) as one multipart POST with a
   * CSRF token. Resolves with the API result; fails with the error code, or with the first
   * warning's name (the result, with its `filekey`, comes second).
   *
   * @param {File|Blob|HTMLInputElement} file
   * @param {Object} data `filename`, `comment`, `text`, `ignorewarnings`, `stash`...
   * @return {Promise}
   */
  Api.prototype.upload = function (file, data) {
    const blob = typeof HTMLInputElement !== 'undefined' && file instanceof HTMLInputElement ? file.files[0] : file;
    if (!(blob instanceof Blob)) {
      throw new Error('No file');
    }
    return this.uploadWithFormData(blob, data);
  };

  /** The multipart POST of upload(); `data.chunk` replaces the file. @return {Promise} */
  Api.prototype.uploadWithFormData = function (file, data) {
    const params = { action: 'upload' };
    uploadFields.filter((key) => data && data[key] !== undefined).forEach((key) => { params[key] = data[key]; });
    if (!params.chunk) {
      params.file = file;
    }
    if (!params.filename && !params.stash) {
      throw new Error('Filename not included in file data.');
    }
    let request = null;
    const result = deferred(() => request && request.abort());
    request = this.postWithToken('csrf', params, { contentType: 'multipart/form-data', timeout: 0 });
    request.then((answer) => settleUpload(result, answer), (...failure) => result.reject(...failure));
    return result.promise;
  };

  /**
   * Publishes a stashed file under `data.filename`. Resolves with the API result.
   *
   * @param {string} filekey
   * @param {Object} data
   * @return {Promise}
   */
  Api.prototype.uploadFromStash = function (filekey, data) {
    const params = Object.assign({}, data, { action: 'upload', filekey });
    if (!params.filename) {
      throw new Error('Filename not included in file data.');
    }
    const result = deferred();
    this.postWithToken('csrf', params).then((answer) => settleUpload(result, answer), (...failure) => result.reject(...failure));
    return result.promise;
  };

  /** A function that publishes the stashed file: finishUpload(data) calls uploadFromStash. */
  function finisher(api, filekey) {
    return (data) => api.uploadFromStash(filekey, data);
  }

  /**
   * Uploads to the stash; resolves with finishUpload(data), which publishes it. A warning
   * still stashes the file, so it resolves then too.
   *
   * @return {Promise}
   */
  Api.prototype.uploadToStash = function (file, data) {
    const api = this;
    return this.upload(file, Object.assign({}, data, { stash: true })).then(
      (result) => finisher(api, result.upload.filekey),
      (code, result) => (result && result.upload && result.upload.filekey ? finisher(api, result.upload.filekey) : rejectedWith(code, result)));
  };

  /**
   * Uploads a file in chunks of `chunkSize` bytes (5 MiB by default) to the stash; a failed chunk
   * is sent again up to `chunkRetries` times (1 by default), from where the server says the upload
   * stands. Resolves with finishUpload(data). Progress callbacks get the share sent so far.
   *
   * @param {File|Blob} file
   * @param {Object} data
   * @param {number} [chunkSize]
   * @param {number} [chunkRetries]
   * @return {Promise}
   */
  Api.prototype.chunkedUploadToStash = function (file, data, chunkSize, chunkRetries) {
    const api = this;
    const size = chunkSize || 5 * 1024 * 1024;
    const retries = chunkRetries === undefined ? 1 : chunkRetries;
    const base = Object.assign({}, data, { filesize: file.size, stash: true, ignorewarnings: true });
    let current = null;
    let aborted = false;
    const result = deferred(() => {
      aborted = true;
      if (current) {
        current.abort();
      }
    });
    const send = (offset, filekey, left) => {
      if (aborted) {
        result.reject(...abortFailure());
        return;
      }
      const chunk = file.slice(offset, Math.min(file.size, offset + size));
      current = api.uploadWithFormData(file, Object.assign({}, base, { offset, chunk, filekey }));
      current.then((answer) => {
        const upload = answer.upload;
        notifyProgress(result.promise, upload.offset ? upload.offset / file.size : 1);
        if (upload.result === 'Continue') {
          send(upload.offset, upload.filekey, retries);
        } else {
          result.resolve(finisher(api, upload.filekey));
        }
      }, (code, answer) => {
        const at = answer && answer.error && typeof answer.error.offset === 'number' ? answer.error.offset : offset;
        if (code === 'stashfailed' && filekey && at > offset) {
          // The wiki has this chunk already (an earlier answer was lost): go on from where it stands.
          send(at, filekey, left);
        } else if (left > 0 && !(code === 'http' && answer && answer.textStatus === 'abort')) {
          // Once per chunk, as MediaWiki's mw.Api: the same chunk again a second later.
          setTimeout(() => send(offset, filekey, left - 1), 1000);
        } else {
          result.reject(code, answer);
        }
      });
    };
    send(0, undefined, retries);
    return result.promise;
  };

  /** chunkedUploadToStash, then publishes the file. @return {Promise} */
  Api.prototype.chunkedUpload = function (file, data, chunkSize, chunkRetries) {
    const stashing = this.chunkedUploadToStash(file, data, chunkSize, chunkRetries);
    const published = stashing.then((finishUpload) => finishUpload(data));
    stashing.progress((share) => notifyProgress(published, share));
    return published;
  };

  // -------------------------------------------------------------------------------------------
  // mw.ForeignApi (spec §2.2)
  // -------------------------------------------------------------------------------------------

  function isPlainObject(value) {
    return value !== null && typeof value === 'object'
      && [Object.prototype, null].includes(Object.getPrototypeOf(value));
  }

  /**
   * A client for another wiki's action API, called cross-origin with CORS. It sends
   * `origin=<this page's origin>` and the browser's cookies for that wiki, or with
   * `{ anonymous: true }` `origin=*` and no cookies (the foreign wiki then treats the user as
   * logged out). A same-origin URL gets no `origin` parameter.
   *
   * CentralAuth (spec §3.5): when this page's user is logged in and the client is not
   * anonymous, the constructor starts checkForeignLogin(). If the foreign wiki already knows
   * the same user by its cookies, requests go as they are and getToken('csrf') uses the token
   * that check returned. Otherwise every request first gets a fresh central token from this
   * wiki (`centralauthtoken`, also in the URL of a non-GET request, for its preflight); if that
   * fails, the request goes without one. `wgCentralAuth: false` in the page config turns this
   * off.
   *
   * @class
   * @extends Api
   * @param {string|URL} url The foreign api.php: absolute or protocol-relative
   * @param {ApiOptions & {anonymous: (boolean|undefined)}} [options]
   */
  function ForeignApi(url, options) {
    if (!url || isPlainObject(url)) {
      throw new Error('mw.ForeignApi() requires a `url` parameter');
    }
    options = Object.assign({}, options);
    this.apiUrl = String(url);
    this.anonymous = !!options.anonymous;
    // The caller's options win over these defaults. Giving ajax.url makes useUS false.
    Api.call(this, Object.assign(options, {
      parameters: Object.assign({ origin: this.getOrigin() }, options.parameters),
      ajax: Object.assign({ url: this.apiUrl, credentials: this.anonymous ? 'omit' : 'include' }, options.ajax),
    }));
    /** @type {Api} This wiki's API, which gives the central tokens */
    this.localApi = new mw.Api();
    /** @type {boolean} True when requests need no central token */
    this.noTokenNeeded = !centralAuthApplies(this.anonymous);
    /** @type {Promise|null} checkForeignLogin()'s outcome; null when it was not run */
    this.foreignLoginPromise = null;
    /** @type {string|null} The CSRF token checkForeignLogin() got */
    this.csrfToken = null;
    /** @type {boolean} Whether badToken('csrf') was called */
    this.csrfTokenBad = false;
    if (!this.noTokenNeeded) {
      this.foreignLoginPromise = this.checkForeignLogin();
      // Rejecting is an expected answer ("not logged in there"), not an unhandled error.
      Promise.resolve(this.foreignLoginPromise).catch(noop);
    }
  }

  /**
   * Marks checkForeignLogin()'s request, which goes without a central token. As a symbol key,
   * it is never serialized.
   */
  const withoutCentralAuthToken = Symbol('withoutCentralAuthToken');

  /**
   * Whether a foreign client of this page uses central tokens: the page's user is logged in,
   * the client is not anonymous, and the page config does not say `wgCentralAuth: false`.
   */
  function centralAuthApplies(anonymous) {
    return !anonymous && mw.config.get('wgUserName') !== null && mw.config.get('wgCentralAuth') !== false;
  }

  /** Gets a central token for `request` from the local wiki; undefined if that fails. */
  async function fetchCentralAuthToken(client, request) {
    try {
      // Only the request's signal: aborting the request, or its timeout, stops this too.
      return await client.localApi.getCentralAuthToken({ signal: request.signal });
    } catch (e) {
      return undefined;
    }
  }

  ForeignApi.prototype = Object.create(Api.prototype, {
    constructor: { value: ForeignApi, writable: true, configurable: true },
  });

  /**
   * The `origin` parameter: '*' when anonymous; undefined (no parameter) when the API is on
   * this page's origin; else this page's origin.
   *
   * @protected
   * @return {string|undefined}
   */
  ForeignApi.prototype.getOrigin = function () {
    if (this.anonymous) {
      return '*';
    }
    const pageOrigin = location.origin;
    // Resolved against the page, so that protocol-relative URLs work.
    return new URL(this.apiUrl, location.href).origin === pageOrigin ? undefined : pageOrigin;
  };

  /**
   * Copies `origin` into the URL of every non-GET request (it stays in the body too): a POST
   * is preflighted, the preflight carries only the URL, and the server needs `origin` to
   * answer it (spec §2.2, Manual:CORS).
   *
   * @param {OutgoingRequest} request
   */
  ForeignApi.prototype.beforeSend = function (request) {
    const origin = request.parameters.origin;
    if (request.method !== 'GET' && origin !== undefined && origin !== null) {
      request.url = appendQuery(request.url, 'origin=' + encodeURIComponent(origin));
    }
    return this.addCentralAuthToken(request);
  };

  /**
   * Adds a fresh central token from this wiki to the request (spec §3.5): to its parameters,
   * and for a non-GET request also to its URL, as the preflight carries only the URL. Nothing
   * is added when no token is needed, when the request already has one, when the foreign wiki
   * knows the user by its cookies (checkForeignLogin() succeeded), or when getting a token
   * fails: the request then goes without one.
   *
   * @protected
   * @param {OutgoingRequest} request
   * @return {Promise}
   */
  ForeignApi.prototype.addCentralAuthToken = async function (request) {
    const parameters = request.parameters;
    const given = parameters.centralauthtoken;
    if (this.noTokenNeeded || !this.localApi || parameters[withoutCentralAuthToken]
      || (given !== undefined && given !== null && given !== false)) {
      return;
    }
    if (this.foreignLoginPromise) {
      const loggedIn = await this.foreignLoginPromise.then(() => true, () => false);
      if (loggedIn || request.signal.aborted) {
        return;
      }
    }
    const token = await fetchCentralAuthToken(this, request);
    if (token === undefined) {
      return;
    }
    const withToken = Object.assign({ centralauthtoken: token }, parameters);
    withToken.centralauthtoken = token;
    request.parameters = withToken;
    if (request.method !== 'GET') {
      request.url = appendQuery(request.url, 'centralauthtoken=' + encodeURIComponent(token));
    }
  };

  /**
   * Asks the foreign wiki, with its cookies and no central token, who the user is
   * (`meta=userinfo|tokens`). Resolves when it is this page's user: requests then need no
   * central token, and its CSRF token is kept for getToken(). Rejects otherwise, also when the
   * request fails. The constructor calls it for a logged-in, non-anonymous client.
   *
   * @return {Promise}
   */
  ForeignApi.prototype.checkForeignLogin = function () {
    const userName = mw.config.get('wgUserName');
    return this.get({ action: 'query', meta: 'userinfo|tokens', [withoutCentralAuthToken]: true }).then((result) => {
      const userinfo = result.query && result.query.userinfo;
      const anonymous = !userinfo || (userinfo.anon !== undefined && userinfo.anon !== false);
      if (anonymous || userinfo.name !== userName) {
        return rejectedWith('notloggedin-foreign', result);
      }
      this.noTokenNeeded = true;
      this.csrfToken = (result.query.tokens && result.query.tokens.csrftoken) || null;
      return result;
    });
  };

  /**
   * As Api#getToken, but a CSRF token waits for checkForeignLogin() and, if it succeeded,
   * is the token it got, without a request, until badToken('csrf').
   *
   * @param {string} type
   * @param {Object|string} [additionalParams]
   * @param {AjaxSettings} [ajaxOptions]
   * @return {Promise}
   */
  ForeignApi.prototype.getToken = function (type, additionalParams, ajaxOptions) {
    const parent = () => Api.prototype.getToken.call(this, type, additionalParams, ajaxOptions);
    if (canonicalTokenType(type) !== 'csrf' || !this.foreignLoginPromise) {
      return parent();
    }
    // Aborting this promise must not abort the shared foreign login check.
    const result = deferred(() => result.reject(...abortFailure()));
    adopt(result, this.foreignLoginPromise.then(
      () => (this.csrfToken && !this.csrfTokenBad ? this.csrfToken : parent()),
      () => parent()));
    return result.promise;
  };

  /**
   * As Api#badToken; a bad CSRF token also stops getToken() from using the one
   * checkForeignLogin() got.
   *
   * @param {string} type
   */
  ForeignApi.prototype.badToken = function (type) {
    if (canonicalTokenType(type) === 'csrf') {
      this.csrfTokenBad = true;
    }
    Api.prototype.badToken.call(this, type);
  };

  // -------------------------------------------------------------------------------------------
  // mw.Rest and mw.ForeignRest (spec §2.3, §2.4)
  // -------------------------------------------------------------------------------------------

  /**
   * A client for a wiki's REST API (rest.php), by default this wiki's.
   *
   * Every method resolves with (body, jqXHR) on a 2xx answer: the body is parsed when it is
   * JSON, else a string. Any failure rejects with ('http', {xhr, textStatus, exception}); for an
   * error answer, xhr.status is its status and xhr.responseJSON its parsed JSON body.
   *
   * @class
   * @param {{ajax: (AjaxSettings|undefined)}} [options] `ajax.url` is the rest.php URL
   */
  function Rest(options) {
    options = options || {};
    const ajax = Object.assign({ url: mw.util.wikiScript('rest'), timeout: 30000 }, options.ajax);
    /** @type {string} The rest.php URL; each path is appended to it as is */
    this.url = String(ajax.url);
    delete ajax.url;
    this.defaults = { ajax };
    /** @type {Promise[]} Requests in flight, for abort() */
    this.requests = [];
  }

  /** Aborts every request of this instance still in flight. */
  Rest.prototype.abort = abortAll;

  /**
   * Hook run just before each request is sent, as Api#beforeSend. It does nothing here;
   * mw.ForeignRest uses it to add an `Authorization` header (spec §3.5).
   *
   * @param {OutgoingRequest} request
   * @return {Promise|undefined}
   */
  Rest.prototype.beforeSend = noop;

  /**
   * @param {string} path Appended to the rest.php URL, e.g. '/v1/page/Main_Page/html'
   * @param {Object} [query] Query parameters: values are stringified, undefined and null skipped
   * @param {Object<string, string>} [headers]
   * @return {Promise}
   */
  Rest.prototype.get = function (path, query, headers) {
    return this.ajax(path, { type: 'GET', data: query, headers: headers || {} });
  };

  /**
   * @param {string} path
   * @param {Object} [body] Sent as JSON; `{}` when omitted
   * @param {Object<string, string>} [headers]
   * @return {Promise}
   */
  Rest.prototype.post = function (path, body, headers) {
    return this.ajax(path, { type: 'POST', data: JSON.stringify(body || {}), headers: jsonHeaders(headers) });
  };

  /**
   * @param {string} path
   * @param {Object} body Sent as JSON
   * @param {Object<string, string>} [headers]
   * @return {Promise}
   */
  Rest.prototype.put = function (path, body, headers) {
    return this.ajax(path, { type: 'PUT', data: JSON.stringify(body), headers: jsonHeaders(headers) });
  };

  /**
   * @param {string} path
   * @param {Object} [body] Sent as JSON
   * @param {Object<string, string>} [headers]
   * @return {Promise}
   */
  Rest.prototype.delete = function (path, body, headers) {
    return this.ajax(path, { type: 'DELETE', data: JSON.stringify(body), headers: jsonHeaders(headers) });
  };

  /**
   * Lower-cases header names and sets `content-type: application/json`: mw.Rest only sends
   * JSON bodies (spec §2.3).
   */
  function jsonHeaders(headers) {
    const result = {};
    Object.keys(headers || {}).forEach((name) => {
      result[name.toLowerCase()] = headers[name];
    });
    result['content-type'] = 'application/json';
    return result;
  }

  /**
   * Sends a request to `this.url + path` (plain concatenation: the path starts with '/').
   *
   * @param {string} path
   * @param {AjaxSettings} [ajaxOptions] `data` is the query for GET, else the body
   * @return {Promise}
   */
  Rest.prototype.ajax = function (path, ajaxOptions) {
    const settings = Object.assign({}, this.defaults.ajax, ajaxOptions);
    const method = String(settings.type || 'GET').toUpperCase();
    let url = this.url + path;
    if (method === 'GET' && settings.data) {
      const query = Object.keys(settings.data)
        .filter((name) => settings.data[name] !== undefined && settings.data[name] !== null)
        .map((name) => [name, String(settings.data[name])]);
      url = appendQuery(url, formEncode(query));
    }
    const request = {
      method,
      url,
      body: method === 'GET' ? undefined : settings.data,
      headers: Object.assign({}, settings.headers),
      credentials: settings.credentials,
    };
    return send(this, request, settings, {
      name: 'mw.Rest',
      encode: (outgoing) => [outgoing.url, {
        method: outgoing.method,
        headers: outgoing.headers,
        body: outgoing.body,
        credentials: outgoing.credentials,
      }],
      interpret: interpretRestResponse,
    });
  };

  /** Turns a rest.php response into mw.Rest's resolve or reject arguments (spec §2.3). */
  function interpretRestResponse(xhr) {
    const isJson = /\bjson\b/i.test(xhr.getResponseHeader('Content-Type') || '');
    let body = xhr.responseText === '' ? undefined : xhr.responseText;
    let parseError = null;
    if (isJson && body !== undefined) {
      try {
        body = JSON.parse(body);
        xhr.responseJSON = body;
      } catch (e) {
        parseError = e;
      }
    }
    if (!isSuccessStatus(xhr.status)) {
      return { ok: false, args: httpFailure(xhr, 'error', xhr.statusText) };
    }
    if (parseError) {
      return { ok: false, args: httpFailure(xhr, 'parsererror', parseError) };
    }
    return { ok: true, args: [body, xhr] };
  }

  /**
   * A client for another wiki's REST API, called cross-origin with CORS. REST has no `origin`
   * parameter; the browser's cookies for that wiki are sent unless `options.anonymous`.
   *
   * CentralAuth (spec §3.5): when this page's user is logged in and the client is not
   * anonymous, every request first gets a fresh central token from this wiki and goes with
   * `Authorization: CentralAuthToken <token>` and no cookies. If that fails, it goes without a
   * token, with the cookies. There is no "already logged in there" shortcut (T412530).
   * `wgCentralAuth: false` in the page config turns this off.
   *
   * Both MediaWiki signatures work: `(url, options)` (1.46) and the older
   * `(url, foreignActionApi, options)`.
   *
   * @class
   * @extends Rest
   * @param {string|URL} url The foreign rest.php, e.g. 'https://en.wikipedia.org/w/rest.php'
   * @param {ForeignApi|Object} [foreignActionApi] Kept as `this.foreignActionApi`; unused
   * @param {{anonymous: (boolean|undefined), ajax: (AjaxSettings|undefined)}} [options]
   */
  function ForeignRest(url, foreignActionApi, options) {
    if (!(foreignActionApi instanceof Api) && options === undefined) {
      options = foreignActionApi;
      foreignActionApi = undefined;
    }
    options = Object.assign({}, options);
    this.apiUrl = String(url);
    this.anonymous = !!options.anonymous;
    this.foreignActionApi = foreignActionApi;
    Rest.call(this, Object.assign(options, {
      ajax: Object.assign({ url: this.apiUrl, credentials: this.anonymous ? 'omit' : 'include' }, options.ajax),
    }));
    /** @type {Api} This wiki's API, which gives the central tokens */
    this.localApi = new mw.Api();
    /** @type {boolean} True when requests need no central token */
    this.noTokenNeeded = !centralAuthApplies(this.anonymous);
  }

  ForeignRest.prototype = Object.create(Rest.prototype, {
    constructor: { value: ForeignRest, writable: true, configurable: true },
  });

  /** Aborts every request of this instance still in flight, and its central token requests. */
  ForeignRest.prototype.abort = function () {
    abortAll.call(this);
    if (this.localApi) {
      this.localApi.abort();
    }
  };

  /**
   * Adds `Authorization: CentralAuthToken <token>` with a fresh token from this wiki, and
   * sends no cookies with it (spec §3.4, T391180). Without a token, the request is unchanged.
   *
   * @param {OutgoingRequest} request
   * @return {Promise}
   */
  ForeignRest.prototype.beforeSend = async function (request) {
    if (this.noTokenNeeded || !this.localApi) {
      return;
    }
    const token = await fetchCentralAuthToken(this, request);
    if (token === undefined) {
      return;
    }
    Object.keys(request.headers).filter((name) => name.toLowerCase() === 'authorization')
      .forEach((name) => delete request.headers[name]);
    request.headers.Authorization = 'CentralAuthToken ' + token;
    request.credentials = 'omit';
  };

  // -------------------------------------------------------------------------------------------
  // The page runtime: mw.Map, mw.config, mw.user, mw.util, mw.loader, mw.log, mw.notify
  // -------------------------------------------------------------------------------------------

  /** MediaWiki's mw.Map: named values with get(name | names, fallback) and set. */
  class MwMap {
    constructor() {
      this.values = Object.create(null);
    }

    /**
     * @param {string|string[]} [selection] One name, several, or none for all values
     * @param {*} [fallback=null] For names without a value
     * @return {*} The value; an object of values for an array or no selection
     */
    get(selection, fallback) {
      if (fallback === undefined) {
        fallback = null;
      }
      if (Array.isArray(selection)) {
        const result = {};
        selection.forEach((name) => {
          result[name] = this.get(name, fallback);
        });
        return result;
      }
      if (selection === undefined) {
        return Object.assign({}, this.values);
      }
      return hasOwn(this.values, selection) ? this.values[selection] : fallback;
    }

    /**
     * @param {string|Object} selection A name, or an object of names and values
     * @param {*} [value]
     * @return {boolean} False for an invalid selection
     */
    set(selection, value) {
      if (typeof selection === 'string') {
        this.values[selection] = value;
        return true;
      }
      if (selection !== null && typeof selection === 'object') {
        Object.assign(this.values, selection);
        return true;
      }
      return false;
    }

    /** @param {string} name */
    exists(name) {
      return hasOwn(this.values, name);
    }
  }

  /**
   * Where the wiki is when the page gives no configuration: the wiki that served this script,
   * which lives at {wgServer}{wgScriptPath}/resources/crosswiki.js. Without a usable script
   * URL, this page's origin and MediaWiki's usual '/w'.
   */
  function pathsFromScript() {
    const suffix = '/resources/crosswiki.js';
    const src = thisScript && thisScript.src ? new URL(thisScript.src, location.href) : null;
    if (src && src.pathname.endsWith(suffix)) {
      return { wgServer: src.origin, wgScriptPath: src.pathname.slice(0, -suffix.length) };
    }
    return { wgServer: location.origin, wgScriptPath: '/w' };
  }

  /**
   * mw.config's values. A page sets them in
   * `<script type="application/json" id="crosswiki-config">{"wgUserName": ..., ...}</script>`,
   * placed before this script. That JSON may also carry `wgCsrfToken` and `wgUserOptions`,
   * which seed mw.user.tokens and mw.user.options.
   */
  function readConfig() {
    const config = new MwMap();
    config.set(Object.assign({ wgUserName: null }, pathsFromScript()));
    const element = typeof document !== 'undefined' ? document.getElementById('crosswiki-config') : null;
    if (element) {
      try {
        config.set(JSON.parse(element.textContent));
      } catch (e) {
        console.error('crosswiki.js: the #crosswiki-config element is not valid JSON', e);
      }
    }
    if (!config.exists('wgScript')) {
      config.set('wgScript', config.get('wgScriptPath') + '/index.php');
    }
    return config;
  }

  const config = readConfig();

  const userTokens = new MwMap();
  if (config.get('wgCsrfToken') !== null) {
    userTokens.set('csrfToken', config.get('wgCsrfToken'));
  }
  const userOptions = new MwMap();
  userOptions.set(config.get('wgUserOptions', {}));

  /** mw.user: who this page's user is. */
  const user = {
    /** @return {string|null} The user name, null when logged out */
    getName: () => mw.config.get('wgUserName'),
    /** @return {number} The user id, 0 when logged out */
    getId: () => mw.config.get('wgUserId') || 0,
    /** @return {boolean} */
    isAnon: () => mw.user.getName() === null,
    /** @return {boolean} Whether the account is a temporary one */
    isTemp: () => mw.config.get('wgUserIsTemp') === true,
    /** @return {boolean} Logged in with a named (not temporary) account */
    isNamed: () => !mw.user.isAnon() && !mw.user.isTemp(),
    /** Page tokens, e.g. tokens.get('csrfToken'); mw.Api uses them for this wiki's API. */
    tokens: userTokens,
    /** User options, e.g. options.get('skin') */
    options: userOptions,
  };

  // -------------------------------------------------------------------------------------------
  // mw.Upload and mw.ForeignUpload (MediaWiki's non-UI upload classes)
  // -------------------------------------------------------------------------------------------

  /**
   * One upload: a file, its name, text, comment and watch flag, sent in chunks by its API's
   * chunkedUpload, with a state (mw.Upload.State) and, once done, the file's imageinfo.
   *
   * @param {Api|Object} [apiconfig] An API, or the options of a new mw.Api
   */
  function Upload(apiconfig) {
    this.apiPromise = resolvedWith(apiconfig instanceof Api ? apiconfig : new Api(apiconfig));
    this.watchlist = false;
    this.text = '';
    this.comment = '';
    this.filename = null;
    this.file = null;
    this.imageinfo = undefined;
    this.setState(Upload.State.NEW);
  }

  Upload.State = { NEW: 0, UPLOADING: 1, ERROR: 2, WARNING: 3, UPLOADED: 4, STASHED: 5 };

  Object.assign(Upload.prototype, {
    /** @return {Promise} Resolves with the API the upload uses. */
    getApi() {
      return this.apiPromise;
    },
    setText(text) { this.text = text; },
    getText() { return this.text; },
    setComment(comment) { this.comment = comment; },
    getComment() { return this.comment; },
    setWatchlist(watchlist) { this.watchlist = watchlist; },
    getWatchlist() { return this.watchlist; },
    setFilename(filename) { this.filename = filename; },
    getFilename() { return this.filename; },
    /** Takes the name from the file's own name, as the upload dialog does. */
    setFilenameFromFile() {
      if (this.file && this.file.name) {
        this.setFilename(this.file.name);
      }
    },
    setFile(file) { this.file = file; },
    getFile() { return this.file; },
    getImageInfo() { return this.imageinfo; },
    getState() { return this.state; },
    getStateDetails() { return this.stateDetails; },
    setState(state, stateDetails) {
      this.state = state;
      this.stateDetails = stateDetails;
    },

    /** The parameters of the publication: comment, page text, watch. */
    publishData() {
      return { watchlist: this.getWatchlist() ? 'watch' : undefined, comment: this.getComment(), filename: this.getFilename(), text: this.getText() };
    },

    /** Records how an upload request ended: the imageinfo, or a warning or error state. */
    settle(request, doneState) {
      return request.then((result) => {
        this.setState(doneState);
        if (result && result.upload) {
          this.imageinfo = result.upload.imageinfo;
        }
        return result;
      }, (code, result) => {
        this.setState(result && result.upload && result.upload.warnings ? Upload.State.WARNING : Upload.State.ERROR, result);
        return rejectedWith(code, result);
      });
    },

    /** Uploads and publishes the file. @return {Promise} */
    upload() {
      if (!this.getFile()) {
        return rejectedWith('No file to upload. Call setFile to add one.');
      }
      if (!this.getFilename()) {
        return rejectedWith('No filename set. Call setFilename to add one.');
      }
      this.setState(Upload.State.UPLOADING);
      return this.settle(this.getApi().then((api) => api.chunkedUpload(this.getFile(), this.publishData())), Upload.State.UPLOADED);
    },

    /** Uploads the file to the stash; finishStashUpload() publishes it. @return {Promise} */
    uploadToStash() {
      if (!this.getFile()) {
        return rejectedWith('No file to upload. Call setFile to add one.');
      }
      if (!this.getFilename()) {
        this.setFilenameFromFile();
      }
      this.setState(Upload.State.UPLOADING);
      this.stashPromise = this.getApi().then((api) => api.chunkedUploadToStash(this.getFile(), { filename: this.getFilename() }));
      return this.stashPromise.then((finishUpload) => {
        this.setState(Upload.State.STASHED);
        return finishUpload;
      }, (code, result) => {
        this.setState(Upload.State.ERROR, result);
        return rejectedWith(code, result);
      });
    },

    /** Publishes what uploadToStash() stashed. @return {Promise} */
    finishStashUpload() {
      if (!this.stashPromise) {
        return rejectedWith('This upload has not been stashed, please upload it to the stash first.');
      }
      return this.settle(this.stashPromise.then((finishUpload) => finishUpload(this.publishData())), Upload.State.UPLOADED);
    },
  });

  /**
   * An upload to another wiki's repository: `target` names a repository of this wiki's
   * `meta=filerepoinfo` (the first of `wgForeignUploadTargets` by default; 'local' is this wiki),
   * reached with mw.ForeignApi at the repository's `scriptDirUrl`.
   *
   * @param {string} [target]
   * @param {Object} [apiconfig] Options of the API
   */
  function ForeignUpload(target, apiconfig) {
    Upload.call(this, apiconfig);
    const targets = mw.config.get('wgForeignUploadTargets') || ['local'];
    this.target = target || targets[0] || 'local';
    if (this.target === 'local') {
      return;
    }
    this.apiPromise = new Api().get({ action: 'query', meta: 'filerepoinfo', friprop: ['name', 'scriptDirUrl', 'canUpload'], formatversion: 2 }).then((data) => {
      const repo = (data.query.repos || []).find((r) => r.name === this.target);
      if (!repo) {
        return rejectedWith('upload-foreign-cant-upload');
      }
      return repo.local ? new Api(apiconfig) : new ForeignApi(repo.scriptDirUrl + '/api.php', apiconfig);
    });
  }

  ForeignUpload.prototype = Object.create(Upload.prototype, {
    constructor: { value: ForeignUpload, writable: true, configurable: true },
  });

  /** mw.util: the part the clients need. */
  const util = {
    /**
     * @param {string} [name='index'] 'index', 'api', 'rest', ...
     * @return {string} This wiki's script path for it, e.g. '/w/api.php'
     */
    wikiScript(name) {
      if (!name || name === 'index') {
        return mw.config.get('wgScript');
      }
      return mw.config.get('wgScriptPath') + '/' + name + '.php';
    },
  };

  /** The ResourceLoader modules whose code this file contains. */
  const providedModules = [
    'mediawiki.api',
    'mediawiki.ForeignApi',
    'mediawiki.ForeignApi.core',
    'mediawiki.ForeignRest',
    'mediawiki.Rest',
    'mediawiki.Upload',
    'mediawiki.ForeignUpload',
    'mediawiki.user',
    'mediawiki.util',
  ];

  /** mw.loader: everything is already loaded, so using() only checks the names. */
  const loader = {
    /**
     * Resolves (at once) when this file provides every named module; rejects with an Error
     * naming the first one it does not.
     *
     * @param {string|string[]} modules
     * @param {Function} [ready] Old-style success callback
     * @param {Function} [error] Old-style failure callback
     * @return {Promise}
     */
    using(modules, ready, error) {
      const names = typeof modules === 'string' ? [modules] : modules;
      const unknown = names.find((name) => !providedModules.includes(name));
      const result = unknown === undefined ? resolvedWith() : rejectedWith(new Error('Unknown module: ' + unknown));
      return ready || error ? result.done(ready).fail(error) : result;
    },
    /** Loading other modules or URLs is not supported: a no-op. */
    load: noop,
  };

  /** Writes to the browser console. */
  function log(...args) {
    console.log(...args);
  }
  log.warn = (...args) => console.warn(...args);
  log.error = (...args) => console.error(...args);

  /**
   * Shows a message: on the console, as this file has no notification area.
   *
   * @param {*} message
   * @return {Promise}
   */
  function notify(message) {
    console.info(message);
    return resolvedWith();
  }

  // -------------------------------------------------------------------------------------------
  // Installation: on a page that already has `mw`, only what it lacks is added.
  // -------------------------------------------------------------------------------------------

  function provide(target, members) {
    Object.keys(members).forEach((name) => {
      if (target[name] === undefined) {
        target[name] = members[name];
      }
    });
  }

  const mw = global.mw || (global.mw = {});
  provide(mw, { config, user, util, loader, log, notify, Api, ForeignApi, Rest, ForeignRest, Upload, ForeignUpload });
  provide(mw.user, user);
  provide(mw.util, util);
  provide(mw.loader, loader);
}());
