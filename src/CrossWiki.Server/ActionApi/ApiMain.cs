using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// api.php: reads the request once, runs the checks in MediaWiki's order (spec §7.3), runs the module
/// and prints the result or the error. The only place that turns an <see cref="ApiError"/> into output.
/// </summary>
internal sealed partial class ApiMain(ApiServices services, ILogger<ApiMain> logger)
{
    /// <summary>Parameters of the JSON printer; never reported as unrecognized (ApiMain::reportUnusedParams).</summary>
    private static readonly string[] PrinterParams = ["formatversion", "utf8", "ascii", "callback"];

    private static readonly string[] ErrorFormats = ["bc", "plaintext", "wikitext", "html", "raw", "none"];

    private static readonly string[] Asserts = ["anon", "user", "bot"];

    private static readonly string[] IntegerParams = ["maxlag", "smaxage", "maxage"];

    private static readonly string[] OtherParams = ["assertuser", "requestid", "servedby", "curtimestamp", "responselanginfo", "origin", "uselang", "variant"];

    /// <summary>Names the CrossSiteAJAXdomains rule (and exception) that decided a specific origin.</summary>
    public const string CorsRuleHeader = "CrossWiki-CORS-Rule";

    /// <summary>Values of <see cref="CorsRuleHeader"/> by rule, formatted once (rules come from the farm file, so they are few).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Allow, string? Except), string> RuleHeaders = new();

    public async Task HandleAsync(HttpContext http, Wiki wiki)
    {
        var ct = http.RequestAborted;
        var response = http.Response;
        ApiRequest request;
        try
        {
            request = await ApiRequest.ReadAsync(http.Request, ct);
        }
        catch (ApiError e)
        {
            // The body could not be read: answer in the default JSON shape, nothing was executed.
            e.Module = "main";
            await WriteAsync(http, wiki, new ApiResult(1), Output.Default, e, request: null, session: null, DateTime.UtcNow, varyOrigin: false);
            return;
        }

        var lacksSameOrigin = request.Peek("callback") is not null
            || request.Peek("origin") == "*"
            || http.Request.Headers.ContainsKey("Treat-as-Untrusted");
        if (lacksSameOrigin)
        {
            // Spec §4: sent before the CORS check, so also on 403 and OPTIONS answers.
            response.Headers["MediaWiki-Login-Suppressed"] = "true";
        }

        var cors = Cors(http, wiki, request);
        if (cors.Action == CorsAction.Forbid)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            response.ContentType = "text/html; charset=UTF-8";
            await response.WriteAsync(ApiCorsPolicy.MismatchBody, ct);
            return;
        }

        if (cors.Action == CorsAction.AnswerOptions)
        {
            // Every OPTIONS request is answered here, empty, whatever else it asks (spec §2.2 step 7).
            return;
        }

        var output = ReadOutput(request);
        var result = new ApiResult(output.FormatVersion);

        // A centralauthtoken replaces the cookie session for this request (spec foreignapi-centralauth.md §3.3);
        // an invalid one is an error sent with the CORS headers above, so the page can read it (T421778).
        ApiError? error = null;
        Session session;
        if (wiki.CentralAuth && request.Peek("centralauthtoken") is { } centralToken)
        {
            request.MarkUsed("centralauthtoken");
            session = await services.CentralTokens.OpenSessionAsync(wiki, centralToken, ct) ?? new Session(null, null, isNew: false);
            if (!session.IsCentral)
            {
                error = new ApiError("badtoken", "The centralauthtoken is not valid.") { Module = "main" };
            }
        }
        else if (lacksSameOrigin)
        {
            // Spec §4: such a request runs in an empty session of its own, as MediaWiki gives it: never
            // stored, never sent as a cookie, whatever cookies came with it.
            session = new Session(null, null, isNew: false);
        }
        else
        {
            session = await services.Sessions.LoadAsync(wiki, http.Request.Cookies[wiki.SessionCookieName], ct);
        }

        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        WikiUser user;
        if (lacksSameOrigin)
        {
            // Spec §4: such a request never acts as the logged-in user, whatever its cookies say.
            user = WikiUser.Anonymous(ip);
        }
        else
        {
            user = session.Data is { } data ? await services.Users.GetAsync(data.UserId, ct) ?? WikiUser.Anonymous(ip) : WikiUser.Anonymous(ip);
        }

        var ctx = new ApiContext
        {
            Wiki = wiki,
            Http = http,
            Request = request,
            Result = result,
            Services = services,
            Session = session,
            User = user,
            LacksSameOriginSecurity = lacksSameOrigin,
        };

        try
        {
            if (error is not null)
            {
                throw error;
            }

            foreach (var name in PrinterParams)
            {
                request.MarkUsed(name);
            }

            if (output.Callback is not null)
            {
                // jQuery's cache buster comes with JSONP and is not a parameter anyone sets (spec §5).
                request.MarkUsed("_");
            }

            // ApiMain::setupExecuteAction: requestid and curtimestamp are the first keys of a result.
            AddRequestedFields(ctx);
            await ExecuteAsync(ctx);

            // ApiMain::reportUnusedParams, after the module ran; names in request order.
            var unused = request.Unused();
            if (unused.Count > 0)
            {
                result.Warn("main", "unrecognizedparams", unused.Count == 1
                    ? $"Unrecognized parameter: {unused[0]}."
                    : $"Unrecognized parameters: {string.Join(", ", unused)}.");
            }
        }
        catch (ApiError e)
        {
            error = e;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var id = http.TraceIdentifier;
            LogInternalError(logger, e, id);
            error = new ApiError("internal_api_error_" + e.GetType().Name, $"[{id}] Caught exception of type {e.GetType().FullName}",
                data: new JsonObject { ["errorclass"] = e.GetType().FullName });
        }

        if (error is not null)
        {
            error.Module ??= ctx.ModulePath;
        }

        await WriteAsync(http, wiki, result, output, error, request, session, ctx.Now, cors.VaryOrigin);
    }

    /// <summary>Decides CORS from plain inputs and applies the headers; refusals are logged with their reason.</summary>
    private ApiCorsDecision Cors(HttpContext http, Wiki wiki, ApiRequest request)
    {
        var headers = http.Request.Headers;
        var decision = wiki.ApiCors.Decide(
            http.Request.Method,
            request.Peek("origin"),
            headers.Origin,
            headers.ContainsKey("Access-Control-Request-Method"),
            headers.TryGetValue("Access-Control-Request-Headers", out var acrh) ? acrh.ToString() : null);
        var corsHeaders = decision.Headers;
        for (var i = 0; i < corsHeaders.Count; i++)
        {
            var (name, value) = corsHeaders[i];
            http.Response.Headers[name] = value;
        }

        if (decision.Refusal != CorsRefusal.None)
        {
            LogCorsRefused(logger, wiki.Id, headers.Origin, decision.Refusal);
        }

        // For tools such as cors-check (not exposed to pages): which of the wiki's rules decided.
        if (decision.Action != CorsAction.Forbid && request.Peek("origin") is { } origin && origin != "*")
        {
            http.Response.Headers[CorsRuleHeader] = decision.Match.AllowRule is null
                ? "none"
                : RuleHeaders.GetOrAdd((decision.Match.AllowRule, decision.Match.ExceptionRule), static m => m switch
                {
                    (var allow, { } except) => $"allow '{allow}', except '{except}'",
                    (var allow, _) => $"allow '{allow}'",
                });
        }

        return decision;
    }

    /// <summary>MediaWiki's order of checks (ApiMain::executeAction; spec §7.3, messages.md "Request processing order").</summary>
    private async Task ExecuteAsync(ApiContext ctx)
    {
        var request = ctx.Request;

        // 1. The main module's parameters, validated in ApiMain::getAllowedParams order.
        var actionName = MainParam(ctx, "action") ?? "help";
        if (!services.Modules.Actions.TryGetValue(actionName, out var module))
        {
            throw ApiError.BadValue("action", actionName);
        }

        MainParam(ctx, "format");
        foreach (var name in IntegerParams)
        {
            if (MainParam(ctx, name) is { } raw && !int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw ApiError.BadInteger(name, raw);
            }
        }

        if (MainParam(ctx, "assert") is { } assert && !Asserts.Contains(assert))
        {
            throw ApiError.BadValue("assert", assert);
        }

        foreach (var name in OtherParams)
        {
            MainParam(ctx, name);
        }

        if (MainParam(ctx, "errorformat") is { } errorFormat && !ErrorFormats.Contains(errorFormat))
        {
            throw ApiError.BadValue("errorformat", errorFormat);
        }

        MainParam(ctx, "errorlang");
        MainParam(ctx, "errorsuselocal");

        // 2. The assert checks run before the module's own parameter errors (ApiMainTest::testAssertBeforeModule).
        CheckAsserts(ctx);

        // 3. ApiMain::setupModule: every module parameter in declaration order, then the token:
        //    missing, in the query string (mustpostparams), then invalid.
        ctx.ModulePath = module.Path;
        module.ValidateParameters(ctx);
        if (module.TokenType is { } tokenType)
        {
            var tokenName = module.TokenParamName;
            if (request.IsInQueryString(tokenName))
            {
                throw ApiError.MustPostParams([tokenName]);
            }

            if (!ctx.ValidateToken(tokenType, request.Get(tokenName)))
            {
                throw ApiError.BadToken();
            }
        }

        // 4. ApiMain::checkExecutePermissions.
        ctx.ModulePath = "main";
        if (module.IsReadMode && !ctx.User.HasRight("read"))
        {
            throw new ApiError("readapidenied", "You need read permission to use this module.");
        }

        if (module.IsWriteMode && !ctx.User.HasRight("writeapi"))
        {
            throw new ApiError("writeapidenied", "You're not allowed to edit this wiki through the API.");
        }

        // 5. A single database has no replication lag, so maxlag never trips.
        // 6. ApiMain::setupExternalResponse: the HTTP method (405), then POST-only modules.
        if (request.Method is not ("GET" or "HEAD" or "POST" or "OPTIONS"))
        {
            throw new ApiError("invalidmethod", "Invalid HTTP method. Consider using GET or POST.", 405);
        }

        if (module.MustBePosted && !request.WasPosted)
        {
            throw ApiError.MustBePosted(module.Name);
        }

        if (request.WasPosted && !request.HasContentType)
        {
            ctx.Result.Deprecate("main", "deprecation", "A POST request was made without a \"Content-Type\" header. This does not work reliably.");
        }

        ctx.ModulePath = module.Path;
        ctx.Result.CacheMode = module.CacheMode;
        await module.ExecuteAsync(ctx);
        ctx.ModulePath = "main";
    }

    /// <summary>A parameter of api.php itself: marked used, and warned about as the main module's.</summary>
    private static string? MainParam(ApiContext ctx, string name) => ApiModule.ReadParameter(ctx, "main", name);

    /// <summary>ApiMain::addRequestedFields: <c>requestid</c> and <c>curtimestamp</c>, appended where the result stands.</summary>
    private static void AddRequestedFields(ApiContext ctx)
    {
        if (ctx.Request.Peek("requestid") is { } requestId)
        {
            ctx.Result.Data["requestid"] = requestId;
        }

        if (ctx.Request.Has("curtimestamp"))
        {
            ctx.Result.Data["curtimestamp"] = Timestamps.Iso(ctx.Now);
        }
    }

    private static void CheckAsserts(ApiContext ctx)
    {
        switch (ctx.Request.Peek("assert"))
        {
            case "user" when ctx.User.IsAnonymous:
                throw new ApiError("assertuserfailed", "You are no longer logged in, so the action could not be completed.");
            case "bot" when !ctx.User.HasRight("bot"):
                throw new ApiError("assertbotfailed", "You do not have the \"bot\" right, so the action could not be completed.");
            case "anon" when !ctx.User.IsAnonymous:
                throw new ApiError("assertanonfailed", "You are no longer logged out, so the action could not be completed.");
        }

        if (ctx.Request.Peek("assertuser") is { } expected)
        {
            var normalized = expected.Replace('_', ' ').Trim();
            if (normalized.Length > 0)
            {
                normalized = char.ToUpperInvariant(normalized[0]) + normalized[1..];
            }

            if (!string.Equals(normalized, ctx.User.Name, StringComparison.Ordinal))
            {
                throw new ApiError("assertnameduserfailed", $"You are no longer logged in as \"{expected}\", so the action could not be completed.");
            }
        }
    }

    /// <param name="FormatVersionError">The printer's own parameter error (an unknown formatversion), raised when printing.</param>
    private sealed record Output(string Format, int FormatVersion, bool Utf8, string? Callback, string ErrorFormat, string? FormatVersionError)
    {
        public static readonly Output Default = new("json", 1, false, null, "bc", null);
    }

    private static Output ReadOutput(ApiRequest request)
    {
        var format = request.Peek("format") ?? "jsonfm";
        if (format is not ("json" or "jsonfm"))
        {
            format = "json";
        }

        var fvRaw = request.Peek("formatversion");
        var fv = fvRaw == "2" || fvRaw == "latest" ? 2 : 1;
        string? fvError = fvRaw is null or "1" or "2" or "latest" ? null : $"Unrecognized value for parameter \"formatversion\": {fvRaw}.";

        // MediaWiki prints UTF-8 in formatversion 2 unless ascii is set, and in 1 only with utf8.
        var utf8 = fv == 2 ? request.Peek("ascii") is null : request.Peek("utf8") is not null;

        // The error formatter is chosen from the raw value before any validation (ApiMain::__construct).
        var errorFormat = request.Peek("errorformat") is { } ef && ErrorFormats.Contains(ef) ? ef : "bc";
        var callback = request.Peek("callback");
        return new Output(format, fv, utf8, callback is null ? null : SanitizeCallback(callback), errorFormat, fvError);
    }

    /// <summary>JSONP callbacks keep only <c>A-Za-z0-9_.[]'"</c>; everything else is deleted, not rejected (spec §5).</summary>
    public static string SanitizeCallback(string callback)
    {
        var sb = new StringBuilder(callback.Length);
        foreach (var c in callback)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '[' or ']' or '\'' or '"')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private const string DocRefTail =
        " for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes.";

    private static async Task WriteAsync(
        HttpContext http, Wiki wiki, ApiResult result, Output output, ApiError? error, ApiRequest? request, Session? session, DateTime now, bool varyOrigin)
    {
        var response = http.Response;
        if (session is { CookieDirty: true })
        {
            SessionCookie.Append(response, wiki, session.Id);
        }

        var status = StatusCodes.Status200OK;
        if (output.FormatVersionError is { } printerError)
        {
            // The JSON printer rejects its own parameters only when it prints: the result becomes that error,
            // the error printer fails the same way and retries with default parameters (ApiMain::handleException).
            error ??= new ApiError("badvalue", printerError) { Module = "json" };
            SubstituteError(result, wiki, error, request, now);
            result.Warn("main", "errorprinterfailed", "Error printer failed. Will retry without params.");
            result.Warn("json", "badvalue", printerError);
            output = Output.Default with { ErrorFormat = output.ErrorFormat };
        }
        else if (error is not null)
        {
            SubstituteError(result, wiki, error, request, now);
            status = error.HttpStatus;
        }

        var root = result.Data;
        if (root.ContainsKey(ApiResult.WarningsKey))
        {
            root[ApiResult.WarningsKey] = output.ErrorFormat == "bc" ? BcWarnings(result) : MessageList(result.Warnings.Select(w => (w.Code, w.Text, w.Module, (JsonObject?)null)), output);
        }

        if (output.FormatVersion == 1)
        {
            ContentLast(root);
        }

        if (error is not null)
        {
            response.Headers["MediaWiki-API-Error"] = error.Code;
            response.StatusCode = status;
        }

        response.Headers.XFrameOptions = "DENY";
        var cacheable = error is null && result.CacheMode is ApiCacheMode.Public or ApiCacheMode.AnonPublicUserPrivate;
        if (cacheable)
        {
            // Vary is sent only in the public cache modes, never in the default private one (spec §2.5).
            response.Headers.Vary = varyOrigin ? "Accept-Encoding, Origin, Treat-as-Untrusted, Cookie" : "Accept-Encoding, Treat-as-Untrusted, Cookie";
        }

        response.Headers.CacheControl = error is null ? CacheControl(request, result.CacheMode) : "private, must-revalidate, max-age=0";
        if (error is null && PublicMaxAge(request, result.CacheMode) is { } maxAge)
        {
            // Public answers also carry Expires, min(s-maxage, max-age) from now; 0 gives 1970 (spec §2.5).
            var expires = maxAge == 0 ? DateTimeOffset.FromUnixTimeSeconds(1) : new DateTimeOffset(now, TimeSpan.Zero).AddSeconds(maxAge);
            response.Headers.Expires = expires.ToString("r", CultureInfo.InvariantCulture);
        }

        // The body is printed as UTF-8 into one pooled buffer and sent with its length.
        using var body = new Utf8Buffer();
        if (output.Callback is { } callback)
        {
            response.ContentType = "text/javascript; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.js";
            body.WriteAscii("/**/");
            body.WriteUtf8(callback);
            body.Write((byte)'(');
            JsonPrinter.Write(body, root, output.Utf8);
            body.Write((byte)')');
        }
        else if (output.Format == "jsonfm")
        {
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.html";

            // A person opening api.php in a browser gets the help page itself, as on MediaWiki.
            body.WriteUtf8(error is null && root["help"] is JsonObject { } help && help["help"] is JsonValue helpHtml
                ? HelpPage(wiki, helpHtml.GetValue<string>())
                : PrettyHtml(wiki, JsonPrinter.Write(root, output.Utf8)));
        }
        else
        {
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.json";
            JsonPrinter.Write(body, root, output.Utf8);
        }

        if (!HttpMethods.IsHead(http.Request.Method))
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.WrittenMemory, http.RequestAborted);
        }
    }

    /// <summary>
    /// ApiMain::substituteResultWithError: the result is emptied except for its warnings, the error is added
    /// on top (BC: <c>error</c> with the docref inside; otherwise <c>errors</c> and a top-level docref),
    /// then requestid and curtimestamp are appended again.
    /// </summary>
    private static void SubstituteError(ApiResult result, Wiki wiki, ApiError error, ApiRequest? request, DateTime now)
    {
        var root = result.Data;
        var hadWarnings = root.ContainsKey(ApiResult.WarningsKey);
        root.Clear();
        if (hadWarnings)
        {
            root[ApiResult.WarningsKey] = null;
        }

        var docref = "See " + wiki.ApiUrl + DocRefTail;
        var bc = request?.Peek("errorformat") is not { } ef || !ErrorFormats.Contains(ef) || ef == "bc";
        if (bc)
        {
            var err = new JsonObject { ["code"] = error.Code, ["info"] = error.Info };
            if (error.ExtraData is { } data)
            {
                foreach (var (key, value) in data.ToList())
                {
                    data.Remove(key);
                    err[key] = value;
                }
            }

            err[result.FormatVersion == 2 ? "docref" : "*"] = docref;
            root.Insert(0, "error", err);
        }
        else
        {
            var output = new Output("json", result.FormatVersion, false, null, request!.Peek("errorformat")!, null);
            root.Insert(0, "errors", MessageList([(error.Code, error.Info, error.Module ?? "main", error.ExtraData)], output));
            root[result.FormatVersion == 2 ? "docref" : "*"] = docref;
        }

        if (request?.Peek("requestid") is { } requestId)
        {
            root["requestid"] = requestId;
        }

        if (request?.Peek("curtimestamp") is not null)
        {
            root["curtimestamp"] = Timestamps.Iso(now);
        }
    }

    /// <summary>
    /// The formatversion 1 transform of content values (ApiResult BC): the content key is renamed <c>*</c>,
    /// which puts it after every other key of its object.
    /// </summary>
    private static void ContentLast(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey("*") && obj.IndexOf("*") != obj.Count - 1)
                {
                    var content = obj["*"];
                    obj.Remove("*");
                    obj["*"] = content;
                }

                foreach (var (_, value) in obj)
                {
                    ContentLast(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ContentLast(item);
                }

                break;
        }
    }

    private const string PrivateNoMaxAge = "private, must-revalidate, max-age=0";

    private static int Seconds(ApiRequest? request, string name) =>
        request?.Peek(name) is { } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string CacheControl(ApiRequest? request, ApiCacheMode mode)
    {
        var maxage = Seconds(request, "maxage");
        var smaxage = Seconds(request, "smaxage");
        if (PublicMaxAge(request, mode) is not null)
        {
            return $"s-maxage={smaxage}, max-age={maxage}, public";
        }

        return maxage == 0 ? PrivateNoMaxAge : "private, must-revalidate, max-age=" + maxage.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The shorter of s-maxage and max-age when the answer is publicly cacheable, else null.</summary>
    private static int? PublicMaxAge(ApiRequest? request, ApiCacheMode mode)
    {
        var maxage = Seconds(request, "maxage");
        var smaxage = Seconds(request, "smaxage");
        return mode == ApiCacheMode.Public && (maxage > 0 || smaxage > 0) ? Math.Min(maxage, smaxage) : null;
    }

    /// <summary>
    /// BC warnings: <c>{module name: {"*" or "warnings": texts joined by newlines}}</c>, keyed by the last part
    /// of the module path. A module's entry is created on top of the others (ADD_ON_TOP), so the module
    /// that warned last comes first.
    /// </summary>
    private static JsonObject BcWarnings(ApiResult result)
    {
        var warnings = new JsonObject();
        var key = result.FormatVersion == 2 ? "warnings" : "*";
        foreach (var group in result.Warnings.GroupBy(w => w.Module[(w.Module.LastIndexOf('+') + 1)..]))
        {
            warnings.Insert(0, group.Key, new JsonObject { [key] = string.Join("\n", group.Select(w => w.Text)) });
        }

        return warnings;
    }

    /// <summary>Non-BC errors and warnings: <c>[{code, text|html|key+params, [data], module}]</c> (ApiErrorFormatter).</summary>
    private static JsonArray MessageList(IEnumerable<(string Code, string Text, string Module, JsonObject? Data)> messages, Output output)
    {
        var list = new JsonArray();
        foreach (var (code, text, module, data) in messages)
        {
            var item = new JsonObject { ["code"] = code };
            switch (output.ErrorFormat)
            {
                case "html":
                    item["html"] = HtmlEncoder.Default.Encode(text);
                    break;
                case "raw":
                    item["key"] = "apierror-" + code;
                    item["params"] = new JsonArray();
                    break;
                case "none":
                    break;
                default:
                    item[output.FormatVersion == 2 ? "text" : "*"] = text;
                    break;
            }

            if (data is { Count: > 0 })
            {
                item["data"] = data.DeepClone();
            }

            item["module"] = module;
            list.Add(item);
        }

        return list;
    }

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The <c>jsonfm</c> format: the JSON pretty-printed in an HTML page, for people in a browser.</summary>
    private static string PrettyHtml(Wiki wiki, string json)
    {
        var pretty = JsonSerializer.Serialize(JsonNode.Parse(json), Pretty);
        var enc = HtmlEncoder.Default;
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>" + enc.Encode(wiki.Sitename)
            + " API result</title></head><body><p>This is the HTML representation of the JSON format. Add <code>format=json</code> to get JSON.</p><pre>"
            + enc.Encode(pretty) + "</pre></body></html>";
    }

    private static string HelpPage(Wiki wiki, string helpHtml) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>" + HtmlEncoder.Default.Encode(wiki.Sitename)
        + " API help</title></head><body>" + helpHtml + "</body></html>";

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "api.php on {WikiId}: cross-origin request from '{Origin}' refused: {Refusal}")]
    private static partial void LogCorsRefused(ILogger logger, string wikiId, Microsoft.Extensions.Primitives.StringValues origin, CorsRefusal refusal);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "api.php request {RequestId} failed with an internal error")]
    private static partial void LogInternalError(ILogger logger, Exception exception, string requestId);
}
