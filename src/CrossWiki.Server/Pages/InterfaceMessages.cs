using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The interface messages (MediaWiki's <c>MessageCache</c>): English defaults from the embedded
/// <c>messages.json</c>, which a wiki overrides with pages in its MediaWiki namespace
/// (<c>MediaWiki:Mainpage</c> for <c>mainpage</c>).
/// </summary>
internal static partial class InterfaceMessages
{
    /// <summary>The defaults by key, in key order.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = Load();

    /// <summary>MediaWiki's <c>MessageCache::normalizeKey</c>: spaces as underscores, the first letter in lower case.</summary>
    public static string NormalizeKey(string name)
    {
        var key = name.Replace(' ', '_');
        return key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];
    }

    /// <summary>The key of the MediaWiki-namespace page that overrides a message.</summary>
    public static string PageKey(string key) => key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..];

    /// <summary>The message with its parameters in place of <c>$1</c>, <c>$2</c>, ... (what <c>Message::plain</c> gives).</summary>
    public static string WithParameters(string text, IReadOnlyList<string> parameters) =>
        parameters.Count == 0 ? text : Parameter().Replace(text, m =>
            int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) is var n && n >= 1 && n <= parameters.Count ? parameters[n - 1] : m.Value);

    /// <summary>
    /// The message as the parser would give its text (<c>Message::text</c>): <c>{{SITENAME}}</c> and
    /// <c>{{PLURAL:n|one|other}}</c> worked out; other templates are left as written.
    /// </summary>
    public static string Expand(string text, string sitename)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        text = text.Replace("{{SITENAME}}", sitename, StringComparison.Ordinal);

        // Innermost first: a PLURAL inside another's form is worked out before the outer one.
        for (var before = ""; before != text;)
        {
            before = text;
            text = Plural().Replace(text, m =>
            {
                var forms = m.Groups[2].Value.Split('|');
                var one = decimal.TryParse(m.Groups[1].ValueSpan.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) && n == 1;
                return one ? forms[0] : forms[^1];
            });
        }

        return text;
    }

    private static SortedDictionary<string, string> Load()
    {
        using var stream = typeof(InterfaceMessages).Assembly.GetManifestResourceStream("CrossWiki.Server.Pages.messages.json")
            ?? throw new InvalidOperationException("The interface messages are not embedded.");
        var messages = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
        return new SortedDictionary<string, string>(messages, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Parameter();

    // A PLURAL whose forms hold no further templates.
    [GeneratedRegex(@"\{\{PLURAL:([^|}]*)\|([^{}]*)\}\}")]
    private static partial Regex Plural();
}
