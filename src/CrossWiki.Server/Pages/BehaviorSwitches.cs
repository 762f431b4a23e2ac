using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>
/// MediaWiki's behaviour switches (<c>__NOTOC__</c>, <c>__HIDDENCAT__</c>, ...: the double-underscore magic
/// words of MessagesEn.php): taken out of the text before it is rendered, and kept as the page's properties
/// (<c>page_props</c>, each with the value "") as Parser::handleDoubleUnderscore does. Text inside
/// <c>nowiki</c>, <c>pre</c> and comments is already out of the way (strip markers) when this runs.
/// </summary>
internal static class BehaviorSwitches
{
    /// <summary>The words by their text, and whether the match ignores case, as MessagesEn.php has them.</summary>
    private static readonly (string Word, string Property, bool AnyCase)[] Words =
    [
        ("NOTOC", "notoc", true),
        ("NOGALLERY", "nogallery", true),
        ("FORCETOC", "forcetoc", true),
        ("NOEDITSECTION", "noeditsection", true),
        ("NEWSECTIONLINK", "newsectionlink", false),
        ("NONEWSECTIONLINK", "nonewsectionlink", false),
        ("HIDDENCAT", "hiddencat", false),
        ("EXPECTUNUSEDCATEGORY", "expectunusedcategory", false),
        ("INDEX", "index", false),
        ("NOINDEX", "noindex", false),
        ("STATICREDIRECT", "staticredirect", false),
        ("NOTITLECONVERT", "notitleconvert", true),
        ("NOTC", "notitleconvert", true),
        ("NOCONTENTCONVERT", "nocontentconvert", true),
        ("NOCC", "nocontentconvert", true),
    ];

    /// <summary>The text without its switches; the properties they set are added to <paramref name="found"/> (once each, in text order).</summary>
    public static string Take(string text, List<string> found)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(found);
        var start = text.IndexOf("__", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        StringBuilder? output = null;
        var copied = 0;
        while (start >= 0)
        {
            var end = start + 2;
            while (end < text.Length && char.IsAsciiLetter(text[end]))
            {
                end++;
            }

            if (end > start + 2 && end + 1 < text.Length && text[end] == '_' && text[end + 1] == '_'
                && Find(text.AsSpan(start + 2, end - start - 2)) is { } property)
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied);
                copied = end + 2;
                if (!found.Contains(property))
                {
                    found.Add(property);
                }

                start = text.IndexOf("__", copied, StringComparison.Ordinal);
                continue;
            }

            // Not a switch: the next one may begin at this one's closing underscores.
            start = text.IndexOf("__", end > start + 2 ? end : start + 1, StringComparison.Ordinal);
        }

        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    private static string? Find(ReadOnlySpan<char> word)
    {
        foreach (var (text, property, anyCase) in Words)
        {
            if (anyCase ? word.Equals(text, StringComparison.OrdinalIgnoreCase) : word.SequenceEqual(text))
            {
                return property;
            }
        }

        return null;
    }
}
