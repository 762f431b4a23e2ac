namespace CrossWiki.Server.Pages;

/// <summary>Redirect pages: text that starts with <c>#REDIRECT [[Target]]</c>.</summary>
internal static class Redirects
{
    /// <summary>
    /// The target of a redirect page's text (MediaWiki's WikitextContent::getRedirectTarget): the magic word
    /// in any case, after optional whitespace, an optional colon, then a link; null when the text is not a
    /// redirect or the target is not a valid title (or a Media: link, which cannot be a redirect target).
    /// </summary>
    public static Title? Target(string text, NamespaceTable namespaces)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan().TrimStart();
        const string Word = "#REDIRECT";
        if (!rest.StartsWith(Word, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        rest = rest[Word.Length..].TrimStart();
        if (rest.StartsWith(":"))
        {
            rest = rest[1..].TrimStart();
        }

        if (!rest.StartsWith("[["))
        {
            return null;
        }

        rest = rest[2..];
        var close = rest.IndexOf("]]");
        if (close < 0)
        {
            return null;
        }

        var inner = rest[..close];
        var pipe = inner.IndexOf('|');
        var target = (pipe >= 0 ? inner[..pipe] : inner).ToString();
        if (target.Contains('[', StringComparison.Ordinal) || target.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var parsed = TitleParser.Parse(target, namespaces);
        return parsed.IsValid && parsed.Title.Namespace != NamespaceTable.Media ? parsed.Title : null;
    }
}
