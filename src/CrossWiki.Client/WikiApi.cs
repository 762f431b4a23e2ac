using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Client.Http;

namespace CrossWiki.Client;

/// <summary>
/// A MediaWiki Action API endpoint (<c>api.php</c>) with a session of its own: the .NET counterpart of
/// <c>mw.Api</c>. Requests carry this instance's cookies (unless <see cref="WikiApiOptions.Anonymous"/>),
/// <c>format=json</c> and <c>formatversion</c>; api.php errors are thrown as <see cref="WikiApiException"/>.
/// Create one with <see cref="WikiClientFactory.CreateApi"/>. Safe to use from several threads.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds nothing to dispose unless its AvailableWaitHandle is used, which it is not.")]
public partial class WikiApi
{
    private static readonly string[] RevisionProps = ["content", "timestamp"];
    private static readonly string[] UserInfoProps = ["groups", "rights"];
    private static readonly string[] UserInfoPropsWithOptions = ["groups", "rights", "options"];
    private static readonly string[] CsrfAliases = ["edit", "delete", "protect", "move", "block", "unblock", "email", "import", "options"];

    private readonly HttpSender _http;
    private readonly Dictionary<string, Task<string>> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _optionsLock = new(1, 1);
    private string? _userName;

    internal WikiApi(IHttpClientFactory httpClientFactory, string httpClientName, Uri url, WikiApiOptions? options)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("The api.php URL must be absolute.", nameof(url));
        }

        _http = new HttpSender(httpClientFactory, httpClientName);
        Url = url;
        Options = options ?? new WikiApiOptions();
        if (Options.FormatVersion is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.FormatVersion, "FormatVersion must be 1 or 2.");
        }

        Cookies = Options.Cookies ?? new CookieContainer();
    }

    /// <summary>The api.php URL.</summary>
    public Uri Url { get; }

    /// <summary>This instance's settings.</summary>
    public WikiApiOptions Options { get; }

    /// <summary>The cookie jar that holds this instance's session (not used when <see cref="WikiApiOptions.Anonymous"/>).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>The name this instance logged in as with <see cref="LoginAsync"/>, or null.</summary>
    public string? UserName => Volatile.Read(ref _userName);

    /// <summary>Sends a GET request; <c>action</c> defaults to <c>query</c>.</summary>
    /// <param name="parameters">The parameters: strings, numbers, dates, lists (joined with '|', or U+001F when an
    /// element contains '|'), true (sent as 1); false and null leave the parameter out.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The JSON answer.</returns>
    /// <exception cref="WikiApiException">The answer is an error.</exception>
    public Task<JsonNode> GetAsync(IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken = default) =>
        SendApiAsync(HttpMethod.Get, parameters, cancellationToken);

    /// <summary>Sends a POST request (urlencoded body); <c>action</c> defaults to <c>query</c>.</summary>
    /// <param name="parameters">The parameters, serialized as for <see cref="GetAsync"/>; a <c>token</c> is sent last.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The JSON answer.</returns>
    /// <exception cref="WikiApiException">The answer is an error.</exception>
    public Task<JsonNode> PostAsync(IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken = default) =>
        SendApiAsync(HttpMethod.Post, parameters, cancellationToken);

    /// <summary>
    /// Gets a token of <paramref name="type"/> (<c>csrf</c>, <c>watch</c>, <c>rollback</c>, …; the legacy names
    /// <c>edit</c>, <c>options</c>, … mean <c>csrf</c>) with <c>meta=tokens</c>. The token is cached by this
    /// instance until <see cref="BadToken"/>, a login or a logout; concurrent callers share one request, which a
    /// caller's cancellation does not abort.
    /// </summary>
    /// <exception cref="WikiApiException">The answer is an error, or has no such token (<c>query-missing</c>,
    /// e.g. under <see cref="WikiApiOptions.Anonymous"/>; <c>token-missing</c>).</exception>
    public async Task<string> GetTokenAsync(string type = "csrf", CancellationToken cancellationToken = default)
    {
        type = TokenType(type);
        Task<string> task;
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(type, out task!))
            {
                task = FetchTokenAsync(type);
                _tokens[type] = task;
            }
        }

        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            lock (_tokens)
            {
                if (_tokens.TryGetValue(type, out var cached) && cached == task)
                {
                    _tokens.Remove(type);
                }
            }

            throw;
        }
    }

    /// <summary>Forgets the cached token of <paramref name="type"/>, so that the next use fetches a new one.</summary>
    public void BadToken(string type = "csrf")
    {
        type = TokenType(type);
        lock (_tokens)
        {
            _tokens.Remove(type);
        }
    }

    /// <summary>
    /// POSTs <paramref name="parameters"/> with a token of <paramref name="tokenType"/> (as <c>token</c>, sent last).
    /// If the wiki answers <c>badtoken</c> (a stale CSRF token, or an invalid <c>centralauthtoken</c>), the token
    /// is dropped, a new one fetched and the request sent once more; that answer is final. The caller's
    /// parameters are not changed.
    /// </summary>
    /// <exception cref="WikiApiException">The answer is an error.</exception>
    public async Task<JsonNode> PostWithTokenAsync(string tokenType, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        var token = await GetTokenAsync(tokenType, cancellationToken).ConfigureAwait(false);
        try
        {
            return await PostAsync(WithToken(list, token), cancellationToken).ConfigureAwait(false);
        }
        catch (WikiApiException e) when (e.Code == "badtoken")
        {
            BadToken(tokenType);
            token = await GetTokenAsync(tokenType, cancellationToken).ConfigureAwait(false);
            return await PostAsync(WithToken(list, token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Logs in with <c>action=login</c> and a login token from <c>meta=tokens</c> (a main account or a bot password
    /// <c>Name@Bot</c>). Cached tokens are dropped, since they belonged to the old session.
    /// </summary>
    /// <returns>The name the wiki logged the session in as.</returns>
    /// <exception cref="WikiApiException">The login did not succeed; <see cref="WikiApiException.Code"/> is the
    /// <c>result</c> (<c>Failed</c>, <c>WrongToken</c>, <c>Aborted</c>, …) and <see cref="WikiApiException.Info"/>
    /// the <c>reason</c>.</exception>
    public async Task<string> LoginAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        var tokens = await GetAsync(
            [new("action", "query"), new("meta", "tokens"), new("type", "login"), new("formatversion", 2)],
            cancellationToken).ConfigureAwait(false);
        var loginToken = tokens["query"]?["tokens"]?["logintoken"]?.GetValue<string>()
            ?? throw new WikiApiException("token-missing", "The wiki sent no login token.", tokens);
        var answer = await PostAsync(
            [new("action", "login"), new("lgname", userName), new("lgpassword", password), new("lgtoken", loginToken), new("formatversion", 2)],
            cancellationToken).ConfigureAwait(false);
        ForgetSession();
        var login = answer["login"];
        var result = Text(login?["result"]) ?? "unknown";
        if (result != "Success")
        {
            throw new WikiApiException(result, Text(login?["reason"]) ?? Text(login?["reason"]?["text"]) ?? string.Empty, answer);
        }

        var name = Text(login?["lgusername"]) ?? userName;
        Volatile.Write(ref _userName, name);
        return name;
    }

    /// <summary>Logs out with <c>action=logout</c> (and a CSRF token), and drops cached tokens.</summary>
    /// <exception cref="WikiApiException">The answer is an error (e.g. <c>cannotlogout</c>).</exception>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await PostWithTokenAsync("csrf", [new("action", "logout"), new("formatversion", 2)], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ForgetSession();
        }
    }

    /// <summary>
    /// Saves <paramref name="text"/> as the content of <paramref name="title"/>, creating the page if needed.
    /// After a login by this instance the edit asserts that the session is still that user.
    /// </summary>
    /// <exception cref="WikiApiException">The answer is an error (e.g. <c>protectedpage</c>, <c>assertnameduserfailed</c>).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Both shipped together in 0.1.0; the text and the transform overloads cannot be confused.")]
    public async Task<EditResult> EditAsync(string title, string text, string? summary = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new List<KeyValuePair<string, object?>>
        {
            new("action", "edit"), new("title", title), new("text", text), new("summary", summary), new("formatversion", 2),
        };
        AssertCurrentUser(parameters);
        return ToEditResult(await PostWithTokenAsync("csrf", parameters, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Edits an existing page from its current text, as <c>mw.Api#edit</c>: reads the current revision, calls
    /// <paramref name="transform"/>, and saves the result with <c>basetimestamp</c>, <c>starttimestamp</c> and
    /// <c>nocreate</c>, so that an edit made meanwhile by someone else is an <c>editconflict</c>.
    /// </summary>
    /// <exception cref="WikiApiException">The page is missing (<c>nocreate-missing</c>) or the title invalid
    /// (<c>invalidtitle</c>), or the answer is an error.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Both shipped together in 0.1.0; the text and the transform overloads cannot be confused.")]
    public async Task<EditResult> EditAsync(string title, Func<PageRevision, string> transform, string? summary = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentNullException.ThrowIfNull(transform);
        var read = await GetAsync(
            [
                new("action", "query"), new("prop", "revisions"), new("rvprop", RevisionProps), new("rvslots", "main"),
                new("titles", title), new("curtimestamp", true), new("formatversion", 2),
            ],
            cancellationToken).ConfigureAwait(false);
        var page = read["query"]?["pages"]?[0] ?? throw new WikiApiException("invalidjson", "The answer has no page.", read);
        if (page["invalid"] is not null)
        {
            throw new WikiApiException("invalidtitle", Text(page["invalidreason"]) ?? "Invalid title.", read);
        }

        if (page["missing"] is not null || page["revisions"]?[0] is not { } revision)
        {
            throw new WikiApiException("nocreate-missing", "The page you specified doesn't exist.", read);
        }

        var current = new PageRevision(
            Text(page["title"]) ?? title,
            Text(revision["slots"]?["main"]?["content"]) ?? string.Empty,
            Timestamp(revision["timestamp"]) ?? throw new WikiApiException("invalidjson", "The revision has no timestamp.", read));
        var parameters = new List<KeyValuePair<string, object?>>
        {
            new("action", "edit"), new("title", title), new("text", transform(current)), new("summary", summary),
            new("basetimestamp", current.Timestamp), new("starttimestamp", Text(read["curtimestamp"])), new("nocreate", true),
            new("formatversion", 2),
        };
        AssertCurrentUser(parameters);
        return ToEditResult(await PostWithTokenAsync("csrf", parameters, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Saves one preference; a null <paramref name="value"/> resets it to the default.</summary>
    /// <exception cref="WikiApiException">The answer is an error (e.g. <c>notloggedin</c>).</exception>
    public Task SaveOptionAsync(string name, string? value, CancellationToken cancellationToken = default) =>
        SaveOptionsAsync([KeyValuePair.Create(name, value)], cancellationToken);

    /// <summary>
    /// Saves preferences with <c>action=options</c>, as <c>mw.Api#saveOptions</c>: all of them in one
    /// <c>change</c> list (sent in the U+001F form when a value contains '|'), except names containing '=',
    /// which get a request of their own with <c>optionname</c>/<c>optionvalue</c>. A null value resets the
    /// preference. Calls on one instance run one after the other.
    /// </summary>
    /// <exception cref="WikiApiException">The answer is an error (e.g. <c>notloggedin</c>).</exception>
    public async Task SaveOptionsAsync(IEnumerable<KeyValuePair<string, string?>> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bundled = new List<string>();
        var single = new List<KeyValuePair<string, string?>>();
        foreach (var option in options)
        {
            ArgumentException.ThrowIfNullOrEmpty(option.Key, nameof(options));
            if (option.Key.Contains('=', StringComparison.Ordinal))
            {
                single.Add(option);
            }
            else
            {
                bundled.Add(option.Value is null ? option.Key : option.Key + "=" + option.Value);
            }
        }

        await _optionsLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (name, value) in single)
            {
                await PostWithTokenAsync(
                    "csrf",
                    [new("action", "options"), new("optionname", name), new("optionvalue", value), new("formatversion", 2)],
                    cancellationToken).ConfigureAwait(false);
            }

            if (bundled.Count > 0)
            {
                await PostWithTokenAsync(
                    "csrf",
                    [new("action", "options"), new("change", bundled), new("formatversion", 2)],
                    cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _optionsLock.Release();
        }
    }

    /// <summary>Who this session is, with <c>meta=userinfo&amp;uiprop=groups|rights</c> (and <c>options</c>).</summary>
    /// <param name="includeOptions">Also fetch the user's preferences into <see cref="UserInfo.Options"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="WikiApiException">The answer is an error or has no userinfo.</exception>
    public async Task<UserInfo> GetUserInfoAsync(bool includeOptions = false, CancellationToken cancellationToken = default)
    {
        var props = includeOptions ? UserInfoPropsWithOptions : UserInfoProps;
        var answer = await GetAsync(
            [new("action", "query"), new("meta", "userinfo"), new("uiprop", props), new("formatversion", 2)],
            cancellationToken).ConfigureAwait(false);
        var info = answer["query"]?["userinfo"] as JsonObject ?? throw new WikiApiException("query-missing", "The answer has no userinfo.", answer);
        Dictionary<string, JsonNode?>? options = null;
        if (info["options"] is JsonObject saved)
        {
            options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (name, value) in saved)
            {
                options[name] = value?.DeepClone();
            }
        }

        return new UserInfo(
            info["id"]?.GetValue<long>() ?? 0,
            Text(info["name"]) ?? string.Empty,
            IsTrue(info["anon"]),
            Strings(info["groups"]),
            Strings(info["rights"]),
            options);
    }

    /// <summary>
    /// Gets a single-use <c>centralauthtoken</c> from this wiki (CentralAuth; <c>mw.Api#getCentralAuthToken</c>):
    /// another wiki of the farm that receives it runs that one request as this session's user. Never cached.
    /// </summary>
    /// <exception cref="WikiApiException">The wiki refused (<c>notloggedin</c>, <c>badsession</c>, <c>notattached</c>,
    /// <c>hascallback</c>, or <c>badvalue</c>/<c>unknown_action</c> without CentralAuth).</exception>
    public async Task<string> GetCentralAuthTokenAsync(CancellationToken cancellationToken = default)
    {
        var answer = await GetAsync([new("action", "centralauthtoken")], cancellationToken).ConfigureAwait(false);
        return Text(answer["centralauthtoken"]?["centralauthtoken"])
            ?? throw new WikiApiException("token-missing", "The answer has no centralauthtoken.", answer);
    }

    /// <summary>The <c>origin</c> parameter sent with every request, or null for none.</summary>
    private protected virtual string? OriginParameter => Options.Anonymous ? "*" : null;

    /// <summary>The <c>Origin</c> header sent with every request, or null for none.</summary>
    private protected virtual string? OriginHeader => null;

    /// <summary>Gets the <c>centralauthtoken</c> for one attempt, or null to send none.</summary>
    private protected virtual ValueTask<string?> CentralAuthTokenForAttemptAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    /// <summary>The User-Agent to send.</summary>
    internal string UserAgentValue => Options.UserAgent ?? WikiApiOptions.DefaultUserAgent;

    private async Task<JsonNode> SendApiAsync(HttpMethod method, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken, FilePart? file = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var defaults = new List<KeyValuePair<string, object?>>
        {
            new("action", "query"), new("format", "json"), new("formatversion", Options.FormatVersion),
            new("maxlag", Options.MaxLag), new("origin", OriginParameter),
        };
        if (Options.Parameters is not null)
        {
            defaults.AddRange(Options.Parameters);
        }

        var call = new ApiCall(this, method, ApiParameters.Serialize(defaults, parameters), file);
        using var request = new HttpRequestMessage(method, Url);
        var (response, body) = await _http.SendAsync(request, call, Options.Timeout, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return ReadApiAnswer(response, body);
        }
    }

    /// <summary>Turns an api.php answer into its JSON, or throws its error (mw.Api's rejections, spec §1.5).</summary>
    private static JsonNode ReadApiAnswer(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        JsonNode? json = null;
        try
        {
            json = body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new WikiApiException("invalidjson", "The answer is not JSON: " + Excerpt(body), null, status);
            }
        }

        if (json is JsonObject obj)
        {
            if (obj["error"] is JsonObject error)
            {
                throw new WikiApiException(Text(error["code"]) ?? "unknown", Text(error["info"]) ?? string.Empty, json, status);
            }

            if (obj["errors"] is JsonArray { Count: > 0 } errors)
            {
                var first = errors[0];
                var info = Text(first?["text"]) ?? Text(first?["html"]) ?? Text(first?["*"]) ?? Text(first?["key"]) ?? string.Empty;
                throw new WikiApiException(Text(first?["code"]) ?? "unknown", info, json, status);
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new WikiApiException("http-" + status.ToString(CultureInfo.InvariantCulture), HttpInfo(response, body), json, status);
        }

        return json ?? throw new WikiApiException("ok-but-empty", "OK response but empty result (check HTTP headers?)", null, status);
    }

    internal static string HttpInfo(HttpResponseMessage response, string body)
    {
        var info = (response.ReasonPhrase ?? string.Empty) + (body.Length > 0 ? ": " + Excerpt(body) : string.Empty);
        if (response.Headers.Location is { } location)
        {
            info += " (Location: " + location + ")";
        }

        return info;
    }

    private static string Excerpt(string body) => body.Length <= 300 ? body.Trim() : body[..300].Trim() + "…";

    private async Task<string> FetchTokenAsync(string type)
    {
        // Not cancelled by any one caller: concurrent callers share it (mw.Api never aborts token requests).
        var answer = await GetAsync([new("action", "query"), new("meta", "tokens"), new("type", type), new("formatversion", 2)], CancellationToken.None).ConfigureAwait(false);
        if (answer["query"] is not JsonObject query)
        {
            throw new WikiApiException("query-missing", "The answer has no query (tokens are not given to origin=* requests).", answer);
        }

        return Text(query["tokens"]?[type + "token"]) ?? throw new WikiApiException("token-missing", $"The answer has no {type} token.", answer);
    }

    private static string TokenType(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return CsrfAliases.Contains(type, StringComparer.Ordinal) ? "csrf" : type;
    }

    private static List<KeyValuePair<string, object?>> WithToken(List<KeyValuePair<string, object?>> parameters, string token)
    {
        var list = parameters.Where(p => p.Key != "token").ToList();
        list.Add(new("token", token));
        return list;
    }

    private void ForgetSession()
    {
        lock (_tokens)
        {
            _tokens.Clear();
        }

        Volatile.Write(ref _userName, null);
    }

    /// <summary>After a login, writes assert that the session is still that user (mw.Api's assertCurrentUser).</summary>
    private void AssertCurrentUser(List<KeyValuePair<string, object?>> parameters)
    {
        if (UserName is { } name)
        {
            parameters.Add(new("assert", "user"));
            parameters.Add(new("assertuser", name));
        }
    }

    private static EditResult ToEditResult(JsonNode answer)
    {
        var edit = answer["edit"] ?? throw new WikiApiException("invalidjson", "The answer has no edit.", answer);
        return new EditResult(
            Text(edit["result"]) ?? "unknown",
            Text(edit["title"]) ?? string.Empty,
            Number(edit["pageid"]) ?? 0,
            Number(edit["oldrevid"]),
            Number(edit["newrevid"]),
            Timestamp(edit["newtimestamp"]),
            IsTrue(edit["nochange"]),
            IsTrue(edit["new"]),
            edit.DeepClone());
    }

    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>formatversion 2 sends true; formatversion 1 sends "" for true and leaves false out.</summary>
    private static bool IsTrue(JsonNode? node) =>
        node is JsonValue value && (!value.TryGetValue<bool>(out var b) || b);

    private static DateTimeOffset? Timestamp(JsonNode? node) =>
        Text(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(Text).OfType<string>().ToList() : [];

    /// <summary>One api.php call: rebuilds the request for every attempt (cookies, a fresh centralauthtoken).</summary>
    /// <summary>A file sent as a multipart part (<c>file</c> or <c>chunk</c> of action=upload).</summary>
    private sealed record FilePart(string Name, string FileName, ReadOnlyMemory<byte> Content);

    private sealed class ApiCall(WikiApi api, HttpMethod method, List<KeyValuePair<string, string>> parameters, FilePart? file = null) : IRequestAttempt
    {
        public async ValueTask PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var centralToken = await api.CentralAuthTokenForAttemptAsync(cancellationToken).ConfigureAwait(false);
            var sent = parameters;
            if (centralToken is not null)
            {
                sent = [KeyValuePair.Create("centralauthtoken", centralToken), .. parameters.Where(p => p.Key != "centralauthtoken")];
            }

            if (method == HttpMethod.Get)
            {
                request.RequestUri = ApiParameters.Append(api.Url, ApiParameters.Encode(sent));
            }
            else
            {
                // origin and centralauthtoken go in the URL as well, as mw.ForeignApi and CentralAuth put them:
                // a browser's preflight sees only the URL (spec §2.2, §3.5).
                var inUrl = sent.Where(p => p.Key is "origin" or "centralauthtoken");
                request.RequestUri = ApiParameters.Append(api.Url, ApiParameters.Encode(inUrl));
                request.Content?.Dispose();
                request.Content = file is null ? new StringContent(ApiParameters.Encode(sent), Encoding.UTF8, "application/x-www-form-urlencoded") : Multipart(sent, file);
            }

            SetHeaders(api, request, api.OriginHeader);
            if (!api.Options.Anonymous)
            {
                CookieJar.Apply(api.Cookies, request);
            }
        }

        // The file part goes before the token, which stays last as in every POST (spec §1.3).
        private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> sent, FilePart file)
        {
            var content = new MultipartFormDataContent();
            foreach (var (name, value) in sent.Where(p => p.Key != "token"))
            {
                content.Add(new StringContent(value, Encoding.UTF8), name);
            }

            var part = new ReadOnlyMemoryContent(file.Content);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, file.Name, file.FileName);
            foreach (var (name, value) in sent.Where(p => p.Key == "token"))
            {
                content.Add(new StringContent(value, Encoding.UTF8), name);
            }

            return content;
        }

        public void Complete(HttpRequestMessage request, HttpResponseMessage response)
        {
            if (!api.Options.Anonymous)
            {
                CookieJar.Store(api.Cookies, request, response);
            }
        }
    }

    internal static void SetHeaders(WikiApi api, HttpRequestMessage request, string? origin)
    {
        var headers = request.Headers;
        headers.Remove("User-Agent");
        headers.TryAddWithoutValidation("User-Agent", api.UserAgentValue);
        headers.Remove("Api-User-Agent");
        headers.TryAddWithoutValidation("Api-User-Agent", api.UserAgentValue);
        headers.Remove("Origin");
        if (origin is not null)
        {
            headers.TryAddWithoutValidation("Origin", origin);
        }
    }
}
