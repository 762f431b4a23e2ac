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
    /// <summary>Parameters of the main module; always recognized.</summary>
    private static readonly string[] MainParams =
    [
        "action", "format", "formatversion", "utf8", "ascii", "callback", "requestid", "curtimestamp", "maxlag",
        "smaxage", "maxage", "assert", "assertuser", "servedby", "responselanginfo", "origin", "uselang", "variant",
        "errorformat", "errorlang", "errorsuselocal",
    ];

    private static readonly string[] ErrorFormats = ["bc", "plaintext", "wikitext", "html", "raw", "none"];

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
            var emptyResult = new ApiResult(1);
            await WriteAsync(http, wiki, emptyResult, Output.Default, e, request: null);
            return;
        }

        var output = ReadOutput(request);
        var result = new ApiResult(output.FormatVersion);
        foreach (var (code, text) in request.ReadWarnings)
        {
            result.Warn("main", code, text);
        }

        if (output.FormatVersionWarning is { } fvWarning)
        {
            result.Warn("json", "unrecognizedvalue", fvWarning);
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

        var session = await services.Sessions.LoadAsync(wiki, http.Request.Cookies[wiki.SessionCookieName], ct);
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

        ApiError? error = null;
        try
        {
            foreach (var name in MainParams)
            {
                request.MarkUsed(name);
            }

            if (output.Callback is not null)
            {
                // jQuery's cache buster comes with JSONP and is not a parameter anyone sets (spec §5).
                request.MarkUsed("_");
            }

            result.RequestId = request.Peek("requestid");
            await ExecuteAsync(ctx);
            if (request.Peek("curtimestamp") is not null)
            {
                result.CurTimestamp = Timestamps.Iso(ctx.Now);
            }

            var unused = request.Unused().ToList();
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
            error = new ApiError("internal_api_error_" + e.GetType().Name, $"[{id}] Caught exception of type {e.GetType().FullName}");
        }

        await WriteAsync(http, wiki, result, output, error, request, session, cors.VaryOrigin);
    }

    /// <summary>Decides CORS from plain inputs and applies the headers; refusals are logged with their reason.</summary>
    private ApiCorsDecision Cors(HttpContext http, Wiki wiki, ApiRequest request)
    {
        var headers = http.Request.Headers;
        var decision = wiki.ApiCors.Decide(new ApiCorsRequest(
            http.Request.Method,
            request.Peek("origin"),
            OriginHeader.Parse(headers.Origin),
            headers.ContainsKey("Access-Control-Request-Method"),
            headers.TryGetValue("Access-Control-Request-Headers", out var acrh) ? acrh.ToString() : null));
        foreach (var (name, value) in decision.Headers)
        {
            http.Response.Headers[name] = value;
        }

        if (decision.Refusal != CorsRefusal.None)
        {
            LogCorsRefused(logger, wiki.Id, headers.Origin, decision.Refusal);
        }

        return decision;
    }

    private async Task ExecuteAsync(ApiContext ctx)
    {
        var request = ctx.Request;
        var method = request.Method;
        if (method != HttpMethods.Get && method != HttpMethods.Post && method != HttpMethods.Head)
        {
            throw new ApiError("invalidmethod", "Invalid HTTP method. Consider using GET or POST.", 405);
        }

        var actionName = request.Get("action") ?? "help";
        if (!services.Modules.Actions.TryGetValue(actionName, out var module))
        {
            throw ApiError.BadValue("action", actionName);
        }

        // The assert checks run before the module's own parameter errors (ApiMainTest::testAssertBeforeModule).
        CheckAsserts(ctx);

        foreach (var p in module.Parameters)
        {
            if (p.Required && request.Peek(module.Prefix + p.Name) is null)
            {
                throw ApiError.MissingParam(module.Prefix + p.Name);
            }
        }

        if (module.TokenType is { } tokenType)
        {
            var tokenName = module.TokenParamName;
            var token = request.Get(tokenName) ?? throw ApiError.MissingParam(tokenName);
            if (request.IsInQueryString(tokenName))
            {
                throw new ApiError("mustpostparams", $"The following parameter was found in the query string, but must be in the POST body: {tokenName}.");
            }

            if (!ctx.ValidateToken(tokenType, token))
            {
                throw ApiError.BadToken();
            }
        }

        if (!ctx.User.HasRight("read") && actionName is not ("login" or "clientlogin" or "help" or "paraminfo"))
        {
            throw new ApiError("readapidenied", "You need read permission to use this module.");
        }

        if (module.IsWriteMode && !ctx.User.HasRight("writeapi"))
        {
            throw new ApiError("writeapidenied", "You're not allowed to edit this wiki through the API.");
        }

        if (request.Get("maxlag") is { } maxlag && !int.TryParse(maxlag, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new ApiError("badinteger", $"Invalid value \"{maxlag}\" for integer parameter \"maxlag\".");
        }

        // A single database has no replication lag, so maxlag never trips.
        if (module.MustBePosted && !request.WasPosted)
        {
            throw ApiError.MustBePosted(module.Name);
        }

        ctx.Result.CacheMode = module.CacheMode;
        await module.ExecuteAsync(ctx);
    }

    private static void CheckAsserts(ApiContext ctx)
    {
        switch (ctx.Request.Get("assert"))
        {
            case null:
                break;
            case "user" when ctx.User.IsAnonymous:
                throw new ApiError("assertuserfailed", "You are no longer logged in, so the action could not be completed.");
            case "bot" when !ctx.User.HasRight("bot"):
                throw new ApiError("assertbotfailed", "You do not have the \"bot\" right, so the action could not be completed.");
            case "anon" when !ctx.User.IsAnonymous:
                throw new ApiError("assertanonfailed", "You are no longer logged out, so the action could not be completed.");
            case "user" or "bot" or "anon":
                break;
            case var other:
                throw ApiError.BadValue("assert", other);
        }

        if (ctx.Request.Get("assertuser") is { } expected)
        {
            var normalized = expected.Replace('_', ' ').Trim();
            if (normalized.Length > 0)
            {
                normalized = char.ToUpperInvariant(normalized[0]) + normalized[1..];
            }

            if (!string.Equals(normalized, ctx.User.Name, StringComparison.Ordinal))
            {
                throw new ApiError("assertnameduserfailed", $"You are no longer logged in as \"{normalized}\", so the action could not be completed.");
            }
        }
    }

    private sealed record Output(string Format, int FormatVersion, bool Utf8, string? Callback, string ErrorFormat, string? FormatVersionWarning)
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
        string? fvWarning = null;
        var fv = fvRaw switch
        {
            null or "1" => 1,
            "2" or "latest" => 2,
            _ => 1,
        };
        if (fvRaw is not (null or "1" or "2" or "latest"))
        {
            fvWarning = $"Unrecognized value for parameter \"formatversion\": {fvRaw}.";
        }

        // MediaWiki prints UTF-8 in formatversion 2 unless ascii is set, and in 1 only with utf8.
        var utf8 = fv == 2 ? request.Peek("ascii") is null : request.Peek("utf8") is not null;
        var errorFormat = request.Peek("errorformat") is { } ef && ErrorFormats.Contains(ef) ? ef : "bc";
        var callback = request.Peek("callback");
        return new Output(format, fv, utf8, callback is null ? null : SanitizeCallback(callback), errorFormat, fvWarning);
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

    private static async Task WriteAsync(HttpContext http, Wiki wiki, ApiResult result, Output output, ApiError? error, ApiRequest? request, Session? session = null, bool varyOrigin = false)
    {
        var response = http.Response;
        if (session is { CookieDirty: true })
        {
            SessionCookie.Append(response, wiki, session.Id);
        }

        var root = new JsonObject();
        var fv2 = output.FormatVersion == 2;
        if (result.BatchComplete == true && error is null)
        {
            root["batchcomplete"] = fv2 ? true : "";
        }

        if (result.Continue is { } cont && error is null)
        {
            root["continue"] = cont;
        }

        var bc = output.ErrorFormat == "bc";
        if (result.Warnings.Count > 0)
        {
            root["warnings"] = bc ? BcWarnings(result, fv2) : MessageList(result.Warnings.Select(w => (w.Code, w.Text, w.Module)), output);
        }

        if (result.RequestId is { } requestId)
        {
            root["requestid"] = requestId;
        }

        if (error is null)
        {
            foreach (var (key, value) in result.Data.ToList())
            {
                result.Data.Remove(key);
                root[key] = value;
            }

            if (result.CurTimestamp is { } ts)
            {
                root["curtimestamp"] = ts;
            }
        }
        else
        {
            var docref = $"See {wiki.ApiUrl} for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes.";
            if (bc)
            {
                var err = new JsonObject { ["code"] = error.Code, ["info"] = error.Info, [fv2 ? "docref" : "*"] = docref };
                if (error.ExtraData is { } data)
                {
                    foreach (var (key, value) in data.ToList())
                    {
                        data.Remove(key);
                        err[key] = value;
                    }
                }

                root["error"] = err;
            }
            else
            {
                root["errors"] = MessageList([(error.Code, error.Info, "main")], output);
                root[fv2 ? "docref" : "*"] = docref;
            }

            response.Headers["MediaWiki-API-Error"] = error.Code;
            response.StatusCode = error.HttpStatus;
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
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var expires = maxAge == 0 ? DateTimeOffset.FromUnixTimeSeconds(1) : now.AddSeconds(maxAge);
            response.Headers.Expires = expires.ToString("r", CultureInfo.InvariantCulture);
        }

        var json = JsonPrinter.Write(root, output.Utf8);
        string body;
        if (output.Callback is { } callback)
        {
            response.ContentType = "text/javascript; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.js";
            body = "/**/" + callback + "(" + json + ")";
        }
        else if (output.Format == "jsonfm")
        {
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.html";

            // A person opening api.php in a browser gets the help page itself, as on MediaWiki.
            body = error is null && root["help"] is JsonObject { } help && help["help"] is JsonValue helpHtml
                ? HelpPage(wiki, helpHtml.GetValue<string>())
                : PrettyHtml(wiki, json);
        }
        else
        {
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.ContentDisposition = "inline; filename=api-result.json";
            body = json;
        }

        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await response.WriteAsync(body, http.RequestAborted);
        }
    }

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

        return "private, must-revalidate, max-age=" + maxage.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The shorter of s-maxage and max-age when the answer is publicly cacheable, else null.</summary>
    private static int? PublicMaxAge(ApiRequest? request, ApiCacheMode mode)
    {
        var maxage = Seconds(request, "maxage");
        var smaxage = Seconds(request, "smaxage");
        return mode == ApiCacheMode.Public && (maxage > 0 || smaxage > 0) ? Math.Min(maxage, smaxage) : null;
    }

    private static JsonObject BcWarnings(ApiResult result, bool fv2)
    {
        var warnings = new JsonObject();
        // BC warnings are keyed by module name (tokens), not path (query+tokens).
        foreach (var group in result.Warnings.GroupBy(w => w.Module[(w.Module.LastIndexOf('+') + 1)..]))
        {
            warnings[group.Key] = new JsonObject { [fv2 ? "warnings" : "*"] = string.Join("\n", group.Select(w => w.Text)) };
        }

        return warnings;
    }

    private static JsonArray MessageList(IEnumerable<(string Code, string Text, string Module)> messages, Output output)
    {
        var list = new JsonArray();
        foreach (var (code, text, module) in messages)
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
