using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi;

/// <summary>MediaWiki's cache modes; the least cacheable of the modules run wins.</summary>
internal enum ApiCacheMode
{
    Public,
    AnonPublicUserPrivate,
    Private,
}

/// <summary>A warning for one module path (<c>main</c>, <c>query+tokens</c>, ...).</summary>
internal sealed record ApiWarning(string Module, string Code, string Text);

/// <summary>
/// The result tree of one request. Modules write format-aware values through the helpers, so the
/// formatversion 1 and 2 shapes (spec api-clients.md, "formatversion 1 and 2") are decided in one place.
/// </summary>
internal sealed class ApiResult(int formatVersion)
{
    public int FormatVersion { get; } = formatVersion;

    public JsonObject Data { get; } = [];

    public List<ApiWarning> Warnings { get; } = [];

    /// <summary><c>batchcomplete</c> of action=query; null when the module is not a query.</summary>
    public bool? BatchComplete { get; set; }

    public JsonObject? Continue { get; set; }

    public string? RequestId { get; set; }

    public string? CurTimestamp { get; set; }

    public ApiCacheMode CacheMode { get; set; } = ApiCacheMode.Private;

    /// <summary>The key of text content: <c>content</c> in formatversion 2, <c>*</c> in 1.</summary>
    public string ContentKey => FormatVersion == 2 ? "content" : "*";

    public void Warn(string module, string code, string text)
    {
        if (!Warnings.Exists(w => w.Module == module && w.Text == text))
        {
            Warnings.Add(new ApiWarning(module, code, text));
        }
    }

    /// <summary>
    /// A boolean as MediaWiki prints it: <c>true</c>/<c>false</c> in formatversion 2; in formatversion 1
    /// an empty string when true and absent when false.
    /// </summary>
    public void SetBool(JsonObject target, string key, bool value)
    {
        if (FormatVersion == 2)
        {
            target[key] = value;
        }
        else if (value)
        {
            target[key] = "";
        }
    }

    /// <summary>A boolean that formatversion 2 prints only when true (MediaWiki's optional flags such as <c>missing</c>).</summary>
    public void SetFlag(JsonObject target, string key, bool value)
    {
        if (value)
        {
            target[key] = FormatVersion == 2 ? true : "";
        }
    }
}
