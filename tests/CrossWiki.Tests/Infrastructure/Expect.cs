using System.Globalization;
using System.Text.Json.Nodes;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>Expected api.php bodies with their volatile parts (ids, timestamps, tokens) filled in deliberately.</summary>
internal static class Expect
{
    /// <summary>
    /// Replaces each <c>$NAME</c> in <paramref name="template"/> with its value: numbers as they are, strings
    /// as the text to splice into JSON (callers pass values that need no escaping: timestamps, tokens' hex).
    /// Longer names are replaced first, so <c>$REV1</c> and <c>$REV10</c> do not collide.
    /// </summary>
    public static string Fill(string template, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values.OrderByDescending(v => v.Name.Length))
        {
            template = template.Replace("$" + name, Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return template;
    }

    /// <summary>The docref of every error: the wiki's api.php URL and the mailing-list sentence, entities literal (spec §7.3).</summary>
    public static string DocRef(string api) =>
        $"See {api} for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes.";

    /// <summary>The BC error body: <c>*</c> holds the docref in formatversion 1, <c>docref</c> in 2.</summary>
    public static string Error(string api, string code, string info, int formatVersion = 1) =>
        "{\"error\":{\"code\":" + Str(code) + ",\"info\":" + Str(info) + (formatVersion == 2 ? ",\"docref\":" : ",\"*\":") + Str(DocRef(api)) + "}}";

    /// <summary>The text main's deprecation-help warning has (api-usage-mailinglist-ref, markup stripped).</summary>
    public const string MailingList =
        "Subscribe to the mediawiki-api-announce mailing list at <https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/> for notice of API deprecations and breaking changes.";

    /// <summary>A JSON string literal as MediaWiki's printer writes it for ASCII text (slashes not escaped).</summary>
    public static string Str(string s) => JsonValue.Create(s).ToJsonString(Options);

    private static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An ISO 8601 timestamp as MediaWiki writes it.</summary>
    public static void IsTimestamp(string? value) => Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", value);
}
