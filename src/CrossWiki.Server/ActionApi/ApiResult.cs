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
/// Keys keep MediaWiki's order: appended as added, except what MediaWiki adds with
/// <c>ApiResult::ADD_ON_TOP</c> (<c>warnings</c> when the first one arrives, <c>batchcomplete</c>,
/// <c>continue</c>), which goes first.
/// </summary>
internal sealed class ApiResult(int formatVersion)
{
    public const string WarningsKey = "warnings";

    public int FormatVersion { get; } = formatVersion;

    /// <summary>The root object, in output order. <c>warnings</c> holds a placeholder the printer fills.</summary>
    public JsonObject Data { get; } = [];

    public List<ApiWarning> Warnings { get; } = [];

    public ApiCacheMode CacheMode { get; set; } = ApiCacheMode.Private;

    /// <summary>The key of text content: <c>content</c> in formatversion 2, <c>*</c> in 1.</summary>
    public string ContentKey => ContentKeyOf("content");

    /// <summary>ApiResult::setContentValue's key: the value's own name in format version 2, <c>*</c> in version 1.</summary>
    public string ContentKeyOf(string name) => FormatVersion == 2 ? name : "*";

    /// <summary>
    /// An answer that is not an object (action=opensearch's array, which has its own printer on MediaWiki):
    /// printed in place of <see cref="Data"/> when there is no error; warnings are not printed with it.
    /// </summary>
    public JsonArray? ArrayAnswer { get; set; }

    /// <summary>
    /// Adds a warning. Exact duplicates for the same module are dropped, as ApiErrorFormatter does; the
    /// first warning puts <c>warnings</c> on top of the result (ADD_ON_TOP).
    /// </summary>
    public void Warn(string module, string code, string text)
    {
        if (Warnings.Exists(w => w.Module == module && w.Text == text))
        {
            return;
        }

        if (!Data.ContainsKey(WarningsKey))
        {
            Data.Insert(0, WarningsKey, null);
        }

        Warnings.Add(new ApiWarning(module, code, text));
    }

    /// <summary>ApiBase::addDeprecation: the warning, then main's pointer to the announcement list.</summary>
    public void Deprecate(string module, string code, string text)
    {
        Warn(module, code, text);
        Warn("main", "deprecation-help",
            "Subscribe to the mediawiki-api-announce mailing list at <https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/> for notice of API deprecations and breaking changes.");
    }

    /// <summary>MediaWiki's <c>ApiResult::ADD_ON_TOP</c>: a new key goes before every other.</summary>
    public void AddOnTop(string key, JsonNode? value)
    {
        if (Data.ContainsKey(key))
        {
            Data[key] = value;
        }
        else
        {
            Data.Insert(0, key, value);
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
