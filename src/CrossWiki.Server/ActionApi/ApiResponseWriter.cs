using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Web;
using CrossWiki.Server.Web.Components;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// Writes an api.php answer once: the session cookie, the error in place of the result, warnings, the
/// formatversion 1 transform, MediaWiki's cache headers, and the body in the requested format (JSON,
/// JSONP, or the jsonfm page).
/// </summary>
internal sealed class ApiResponseWriter(RazorRenderer razor)
{
    private const string PrivateNoMaxAge = "private, must-revalidate, max-age=0";

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task WriteAsync(
        HttpContext http, Wiki wiki, ApiResult result, ApiOutput output, ApiError? error, ApiRequest? request, Session? session, DateTime now, bool varyOrigin)
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
            ApiErrorFormatter.SubstituteError(result, wiki, error, request, now);
            result.Warn("main", "errorprinterfailed", "Error printer failed. Will retry without params.");
            result.Warn("json", "badvalue", printerError);
            output = ApiOutput.Default with { ErrorFormat = output.ErrorFormat };
        }
        else if (error is not null)
        {
            ApiErrorFormatter.SubstituteError(result, wiki, error, request, now);
            status = error.HttpStatus;
        }

        JsonNode root = error is null && result.ArrayAnswer is { } array ? array : result.Data;
        if (root is JsonObject data)
        {
            if (data.ContainsKey(ApiResult.WarningsKey))
            {
                data[ApiResult.WarningsKey] = ApiErrorFormatter.Warnings(result, output.ErrorFormat);
            }

            if (output.FormatVersion == 1)
            {
                ContentLast(data);
            }
        }

        if (error is not null)
        {
            response.Headers["MediaWiki-API-Error"] = error.Code;
            response.StatusCode = status;
        }

        response.Headers.XFrameOptions = "DENY";
        WriteCacheHeaders(response, request, error is null ? result.CacheMode : null, varyOrigin, now);

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
            var model = error is null && root["help"] is JsonObject { } help && help["help"] is JsonValue helpHtml
                ? new ApiResultModel(wiki.Sitename, null, helpHtml.GetValue<string>())
                : new ApiResultModel(wiki.Sitename, JsonSerializer.Serialize(JsonNode.Parse(JsonPrinter.Write(root, output.Utf8)), Pretty), null);
            body.WriteUtf8(await razor.RenderAsync<ApiResultPage>(model));
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
            await body.CopyToAsync(response.Body, http.RequestAborted);
        }
    }

    /// <summary>
    /// Cache-Control, Vary and Expires of an answer in <paramref name="mode"/> (null for an error, always
    /// private). Vary is sent only in the public cache modes, never in the default private one (spec §2.5).
    /// </summary>
    private static void WriteCacheHeaders(HttpResponse response, ApiRequest? request, ApiCacheMode? mode, bool varyOrigin, DateTime now)
    {
        if (mode is ApiCacheMode.Public or ApiCacheMode.AnonPublicUserPrivate)
        {
            response.Headers.Vary = varyOrigin ? "Accept-Encoding, Origin, Treat-as-Untrusted, Cookie" : "Accept-Encoding, Treat-as-Untrusted, Cookie";
        }

        var maxage = Seconds(request, "maxage");
        var smaxage = Seconds(request, "smaxage");
        if (mode == ApiCacheMode.Public && (maxage > 0 || smaxage > 0))
        {
            response.Headers.CacheControl = $"s-maxage={smaxage}, max-age={maxage}, public";

            // Public answers also carry Expires, min(s-maxage, max-age) from now; 0 gives 1970 (spec §2.5).
            var maxAge = Math.Min(maxage, smaxage);
            var expires = maxAge == 0 ? DateTimeOffset.FromUnixTimeSeconds(1) : new DateTimeOffset(now, TimeSpan.Zero).AddSeconds(maxAge);
            response.Headers.Expires = expires.ToString("r", CultureInfo.InvariantCulture);
            return;
        }

        response.Headers.CacheControl = mode is null || maxage == 0
            ? PrivateNoMaxAge
            : "private, must-revalidate, max-age=" + maxage.ToString(CultureInfo.InvariantCulture);
    }

    private static int Seconds(ApiRequest? request, string name) =>
        request?.Peek(name) is { } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

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
}
