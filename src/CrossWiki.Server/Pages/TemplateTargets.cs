namespace CrossWiki.Server.Pages;

/// <summary>
/// The pages a wikitext transcludes, for the template links: <c>{{Name|...}}</c> is Template:Name,
/// <c>{{:Name}}</c> a page of the main namespace, <c>{{Ns:Name}}</c> a page of that namespace; nested ones
/// count too. Parameters (<c>{{{1}}}</c>), magic words (<c>{{PAGENAME}}</c>), parser functions
/// (<c>{{#if:...}}</c>, <c>{{lc:...}}</c>), substitutions and what is inside <c>&lt;nowiki&gt;</c>,
/// <c>&lt;pre&gt;</c> or comments are not transclusions. Names built from parameters are left out.
/// </summary>
internal static class TemplateTargets
{
    /// <summary>Prefixes that make <c>{{prefix:...}}</c> a function, not a page (MediaWiki's core parser functions and modifiers).</summary>
    private static readonly HashSet<string> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        "lc", "uc", "lcfirst", "ucfirst", "urlencode", "anchorencode", "fullurl", "fullurle", "localurl", "localurle", "canonicalurl",
        "canonicalurle", "filepath", "ns", "nse", "formatnum", "padleft", "padright", "plural", "grammar", "gender", "int", "msg", "msgnw",
        "raw", "subst", "safesubst", "displaytitle", "defaultsort", "defaultsortkey", "defaultcategorysort", "pagesincategory", "pagesize",
        "protectionlevel", "protectionexpiry", "numberingroup", "language", "special", "speciale", "tag", "formatdate", "bidi",
        "pagesinnamespace", "pagesinns", "revisionuser", "revisionid", "revisiontimestamp", "interwikilink", "interlanguagelink",
    };

    public static List<(int Namespace, string DbKey)> Find(string text, NamespaceTable namespaces)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(namespaces);
        var found = new List<(int, string)>();
        var seen = new HashSet<(int, string)>();
        var i = 0;
        while ((i = text.IndexOfAny(['{', '<'], i)) >= 0)
        {
            if (text[i] == '<')
            {
                i = SkipUnparsed(text, i);
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '{')
            {
                i++;
                continue;
            }

            // {{{parameter}}} is not a transclusion; what follows its name may hold some, so only the braces are skipped.
            if (i + 2 < text.Length && text[i + 2] == '{' && !(i + 3 < text.Length && text[i + 3] == '{'))
            {
                i += 3;
                continue;
            }

            var start = i + 2;
            var end = start;
            while (end < text.Length && text[end] is not ('|' or '}' or '{' or '\n' or '<'))
            {
                end++;
            }

            if (end < text.Length && text[end] is '|' or '}' && Target(text[start..end], namespaces) is { } target && seen.Add(target))
            {
                found.Add(target);
            }

            i = start;
        }

        return found;
    }

    private static (int, string)? Target(string name, NamespaceTable namespaces)
    {
        name = name.Trim();
        if (name.Length == 0 || name[0] == '#')
        {
            return null;
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon == 0)
        {
            return TitleParser.Parse(name[1..], namespaces).Title is { Namespace: >= 0 } main ? (main.Namespace, main.DbKey) : null;
        }

        if (colon > 0 && Functions.Contains(name[..colon].Trim()))
        {
            return null;
        }

        // Magic words are upper case: PAGENAME, CURRENTYEAR, NUMBEROFARTICLES, and with a colon PAGENAME:X.
        var head = colon > 0 ? name[..colon] : name;
        if (head.Length > 1 && head.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) && !(colon > 0 && namespaces.TryResolve(head, out _)))
        {
            return null;
        }

        return TitleParser.Parse(name, namespaces, NamespaceTable.Template).Title is { Namespace: >= 0 } title ? (title.Namespace, title.DbKey) : null;
    }

    /// <summary>After a <c>&lt;nowiki&gt;</c>, <c>&lt;pre&gt;</c> or comment, its end; after any other <c>&lt;</c>, the next character.</summary>
    private static int SkipUnparsed(string text, int at)
    {
        foreach (var (open, close) in (ReadOnlySpan<(string, string)>)[("<!--", "-->"), ("<nowiki>", "</nowiki>"), ("<pre>", "</pre>")])
        {
            if (string.CompareOrdinal(text, at, open, 0, open.Length) == 0 || (open != "<!--" && text.AsSpan(at).StartsWith(open, StringComparison.OrdinalIgnoreCase)))
            {
                var end = text.IndexOf(close, at + open.Length, StringComparison.OrdinalIgnoreCase);
                return end < 0 ? text.Length : end + close.Length;
            }
        }

        return at + 1;
    }
}
