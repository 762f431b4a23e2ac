using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace CrossWiki.Server.Farm;

/// <summary>
/// Serves <c>crosswiki.js</c>, the browser clients (mw.Api, mw.ForeignApi, mw.Rest, mw.ForeignRest),
/// at <c>{ScriptPath}/resources/crosswiki.js</c> on every wiki. The file is
/// <c>wwwroot/crosswiki.js</c>, embedded in the assembly so that serving it does not depend on the
/// working directory.
/// </summary>
internal static class ClientScript
{
    public const string PathInScriptPath = "/resources/crosswiki.js";

    private const string ResourceName = "CrossWiki.Server.wwwroot.crosswiki.js";

    private static readonly Lazy<(byte[] Content, EntityTagHeaderValue ETag)> Script = new(Load);

    public static async Task ServeAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var response = ctx.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var (content, etag) = Script.Value;
        response.Headers.CacheControl = "public, max-age=300";
        response.Headers.ETag = etag.ToString();
        if (request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = "text/javascript; charset=utf-8";
        response.ContentLength = content.Length;
        if (HttpMethods.IsGet(request.Method))
        {
            await response.Body.WriteAsync(content, ctx.RequestAborted);
        }
    }

    private static (byte[] Content, EntityTagHeaderValue ETag) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16));
        return (content, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
