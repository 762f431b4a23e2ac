using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>
/// MediaWiki's core parser functions (CoreParserFunctions) and the ParserFunctions extension's, called as
/// <c>{{name:first|arg|...}}</c>. Core functions get their arguments expanded and trimmed; the extension's expand only
/// the branches they take (SFH_OBJECT_ARGS), so an untaken branch neither costs nor records its templates.
/// </summary>
internal static partial class ParserFunctions
{
    /// <summary>Functions matched whatever their case; the title words (PAGENAME:...), DISPLAYTITLE and DEFAULTSORT are case-sensitive.</summary>
    private static readonly HashSet<string> Insensitive = new(StringComparer.OrdinalIgnoreCase)
    {
        "#if", "#ifeq", "#iferror", "#ifexist", "#ifexpr", "#expr", "#switch", "#time", "#timel", "#titleparts", "#rel2abs", "#tag",
        "#language", "#special", "#speciale", "lc", "uc", "lcfirst", "ucfirst", "urlencode", "anchorencode", "fullurl", "fullurle",
        "localurl", "localurle", "canonicalurl", "canonicalurle", "filepath", "ns", "nse", "formatnum", "padleft", "padright", "plural",
        "grammar", "gender", "int", "bidi",
    };

    /// <summary>The function's output; null when <paramref name="name"/> is no function (then it is a template's name).</summary>
    public static string? TryCall(Preprocessor pp, Preprocessor.Frame frame, string name, string first, List<PPart> parts)
    {
        var key = Insensitive.Contains(name) ? name.ToLowerInvariant() : name;
        string Arg(int i) => i < parts.Count ? Preprocessor.TrimPhp(pp.Expand(parts[i].Nodes, frame)) : "";
        bool Has(int i) => i < parts.Count;
        List<string> All()
        {
            var list = new List<string>(parts.Count);
            for (var i = 0; i < parts.Count; i++)
            {
                list.Add(Arg(i));
            }

            return list;
        }

        switch (key)
        {
            case "#if":
                return first.Length > 0 ? Arg(0) : Arg(1);
            case "#ifeq":
            {
                var left = WebUtility.HtmlDecode(first);
                var right = WebUtility.HtmlDecode(Arg(0));
                return LooseEquals(left, right) ? Arg(1) : Arg(2);
            }

            case "#iferror":
                return ErrorPattern().IsMatch(first) ? Arg(0) : Has(1) ? Arg(1) : first;
            case "#ifexpr":
                try
                {
                    var value = Expr.Evaluate(first, out var values);
                    var truthy = values.Count == 1 ? values[0] != 0 : value.Length > 0;
                    return truthy ? Arg(0) : Arg(1);
                }
                catch (ExprException)
                {
                    return Expr.Evaluate(first);
                }

            case "#expr":
                return Expr.Evaluate(first);
            case "#ifexist":
                return IfExist(pp, first) switch { true => Arg(0), false => Arg(1), null => "" };
            case "#switch":
                return Switch(pp, frame, first, parts);
            case "#time":
            case "#timel":
                return Time(pp, first, Arg(0));
            case "#titleparts":
                return TitleParts(pp, first, Arg(0), Arg(1));
            case "#rel2abs":
                return Rel2Abs(pp, first, Arg(0));
            case "#tag":
                return Tag(pp, frame, first, parts);
            case "#language":
                return Language(first, Arg(0));
            case "#special":
                return Special(pp, first).PrefixedText;
            case "#speciale":
                return MagicWords.EscapeWikiText(WikiUrl.Encode(Special(pp, first).PrefixedDbKey));
            case "lc":
                return first.ToLowerInvariant();
            case "bidi":
                return Bidi(first);
            case "NUMBEROFPAGES" or "NUMBEROFARTICLES" or "NUMBEROFEDITS" or "NUMBEROFUSERS" or "NUMBEROFACTIVEUSERS" or "NUMBEROFFILES" or "NUMBEROFADMINS":
            {
                // {{NUMBEROFPAGES:R}} is the raw number; any other argument the formatted one.
                var value = MagicWords.TryVariable(pp, key, frame) ?? "";
                return first == "R" ? value.Replace(",", "", StringComparison.Ordinal) : value;
            }

            case "PAGESIZE":
                return PageSize(pp, first, Arg(0) == "R");
            case "PROTECTIONLEVEL":
                // CrossWiki has no page protection levels on wikitext pages yet, so every page is unprotected.
                return "";
            case "uc":
                // PHP's mb_strtoupper applies full case mapping: ß becomes SS.
                return first.ToUpperInvariant().Replace("\u00DF", "SS", StringComparison.Ordinal);
            case "lcfirst":
                return first.Length == 0 ? first : char.ToLowerInvariant(first[0]) + first[1..];
            case "ucfirst":
                return first.Length == 0 ? first : char.ToUpperInvariant(first[0]) + first[1..];
            case "urlencode":
                return Arg(0).ToUpperInvariant() switch
                {
                    "PATH" => Uri.EscapeDataString(first),
                    "WIKI" => WikiUrl.Encode(first.Replace(' ', '_')),
                    _ => WebUtility.UrlEncode(first).Replace("%7E", "~", StringComparison.Ordinal),
                };
            case "anchorencode":
                return AnchorEncode(first);
            case "localurl" or "localurle" or "fullurl" or "fullurle" or "canonicalurl" or "canonicalurle":
                return Url(pp, key, first, Arg(0));
            case "filepath":
                return FilePath(pp, first);
            case "ns":
            case "nse":
            {
                var ns = NamespaceName(pp, first);
                if (ns is null)
                {
                    // An unknown number gives nothing; an unknown name makes the call a template's title ({{ns:Nope}} → Template:Ns:Nope).
                    return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? "" : null;
                }

                return key == "ns" ? ns : WikiUrl.Encode(ns.Replace(' ', '_'));
            }

            case "formatnum":
                return FormatNum(first, Arg(0));
            case "padleft":
            case "padright":
                return Pad(first, Arg(0), Has(1) ? Arg(1) : "0", key == "padleft");
            case "plural":
            {
                var forms = All();
                if (forms.Count == 0)
                {
                    return "";
                }

                var n = double.TryParse(first.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
                return ExplicitPlural(forms, first) ?? (Math.Abs(n) == 1 ? forms[0] : forms[forms.Count > 1 ? 1 : 0]);
            }

            case "grammar":
                return Arg(0);
            case "gender":
            {
                var forms = All();
                return forms.Count == 0 ? "" : forms.Count > 2 ? forms[2] : forms[0];
            }

            case "int":
                return Int(pp, frame, first, All());
            case "DISPLAYTITLE":
                return DisplayTitle(pp, first, Arg(0));
            case "DEFAULTSORT":
            case "DEFAULTSORTKEY":
            case "DEFAULTCATEGORYSORT":
                return DefaultSort(pp, first, Arg(0));
        }

        // {{PAGENAME:Other}} and the rest of the title words.
        if (name.Length > 0 && char.IsAsciiLetterUpper(name[0]) && MagicWords.TitleWord(pp, name, pp.Page.Title) is not null)
        {
            var title = TitleParser.Parse(first, pp.Site.Namespaces).Title;
            return title is null ? "" : MagicWords.TitleWord(pp, name, title);
        }

        return null;
    }

    [GeneratedRegex(@"<(?:strong|span|p|div)\s(?:[^\s>]*\s+)*?class=""(?:[^""\s>]*\s+)*?error(?:\s[^"">]*)?""")]
    private static partial Regex ErrorPattern();

    /// <summary>PHP 8's <c>==</c> on two strings: numerically when both are numeric strings, else byte for byte.</summary>
    public static bool LooseEquals(string a, string b) =>
        a == b || (PhpNumeric(a) is { } x && PhpNumeric(b) is { } y && x == y);

    /// <summary>The value of a PHP numeric string (leading and trailing whitespace allowed), or null.</summary>
    public static double? PhpNumeric(string s)
    {
        var t = s.Trim(' ', '\t', '\n', '\r', '\v', '\f');
        if (t.Length == 0 || !NumericPattern().IsMatch(t))
        {
            return null;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex NumericPattern();

    private static string Switch(Preprocessor pp, Preprocessor.Frame frame, string first, List<PPart> parts)
    {
        var primary = WebUtility.HtmlDecode(first);
        var found = false;
        var defaultFound = false;
        List<PNode>? defaultValue = null;
        var lastItemHadNoEquals = false;
        var lastItem = "";
        foreach (var part in parts)
        {
            if (part.EqualsAt < 0)
            {
                lastItemHadNoEquals = true;
                lastItem = Preprocessor.TrimPhp(pp.Expand(part.Nodes, frame));
                var test = WebUtility.HtmlDecode(lastItem);
                if (LooseEquals(primary, test))
                {
                    found = true;
                }
                else if (test == "#default")
                {
                    defaultFound = true;
                }
            }
            else
            {
                lastItemHadNoEquals = false;
                var test = WebUtility.HtmlDecode(Preprocessor.TrimPhp(pp.Expand(part.Name, frame)));
                if (found || LooseEquals(primary, test))
                {
                    return Preprocessor.TrimPhp(pp.Expand(part.Value, frame));
                }

                if (defaultFound || test == "#default")
                {
                    defaultValue = part.Value;
                    defaultFound = false;
                }
            }
        }

        if (lastItemHadNoEquals)
        {
            return lastItem;
        }

        return defaultValue is null ? "" : Preprocessor.TrimPhp(pp.Expand(defaultValue, frame));
    }

    private static bool? IfExist(Preprocessor pp, string text)
    {
        var title = TitleParser.Parse(text, pp.Site.Namespaces).Title;
        if (title is null)
        {
            return false;
        }

        if (title.Namespace == NamespaceTable.Special)
        {
            // A special page exists when the wiki has it (its name before any subpage).
            var name = title.DbKey.Split('/')[0];
            return Array.Exists(SpecialPages, p => p.Equals(name, StringComparison.OrdinalIgnoreCase));
        }

        if (title.Namespace == NamespaceTable.Media)
        {
            title = Title.Create(pp.Site.Namespaces, NamespaceTable.File, title.DbKey);
        }

        if (!pp.IncrementExpensiveCount())
        {
            return false;
        }

        pp.AddLink(title);
        return pp.Sources.Get(Title.Create(pp.Site.Namespaces, title.Namespace, title.DbKey)) is { } page ? page.Exists || page.Title != title : null;
    }

    private static string Time(Preprocessor pp, string format, string date)
    {
        if (date.Length == 0 || date.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            pp.LowerCacheTtl(format.AsSpan().IndexOfAny("sU") >= 0 ? 1 : format.AsSpan().IndexOfAny("i") >= 0 ? 60 : 3600);
        }

        if (date.Length == 4 && date.All(char.IsAsciiDigit))
        {
            // ParserFunctions reads four digits alone as a year (PHP would take them for a time of day).
            var year = int.Parse(date, CultureInfo.InvariantCulture);
            var now = pp.Page.Now.ToUniversalTime();
            if (year < 1)
            {
                return "<strong class=\"error\">Error: Invalid time.</strong>";
            }

            var day = Math.Min(now.Day, DateTime.DaysInMonth(year, now.Month));
            return TimeFormat.Format(format, new DateTimeOffset(year, now.Month, day, 0, 0, 0, TimeSpan.Zero));
        }

        var time = TimeFormat.Parse(date, pp.Page.Now);
        return time is { } t ? TimeFormat.Format(format, t) : "<strong class=\"error\">Error: Invalid time.</strong>";
    }

    private static string TitleParts(Preprocessor pp, string text, string partsText, string offsetText)
    {
        var title = TitleParser.Parse(text, pp.Site.Namespaces).Title;
        if (title is null)
        {
            return text;
        }

        var parts = PhpInt(partsText);
        var offset = PhpInt(offsetText);
        var bits = title.PrefixedText.Split('/', 25);
        if (offset > 0)
        {
            offset--;
        }

        var start = offset < 0 ? Math.Max(0, bits.Length + offset) : Math.Min(offset, bits.Length);
        var end = parts == 0 ? bits.Length : parts > 0 ? Math.Min(bits.Length, start + parts) : Math.Max(start, bits.Length + parts);
        return string.Join('/', bits[start..end]);
    }

    /// <summary>PHP's (int) of a string: the leading integer, 0 when there is none.</summary>
    private static int PhpInt(string s)
    {
        var m = LeadingInt().Match(s);
        return m.Success && int.TryParse(m.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    [GeneratedRegex(@"^\s*[+-]?\d{1,9}")]
    private static partial Regex LeadingInt();

    private static string Rel2Abs(Preprocessor pp, string to, string from)
    {
        from = Preprocessor.TrimPhp(from);
        if (from.Length == 0)
        {
            from = pp.Page.Title.PrefixedText;
        }

        to = to.TrimEnd(' ', '/');
        if (to is "" or ".")
        {
            return from;
        }

        if (!(to.StartsWith('/') || to.StartsWith("./", StringComparison.Ordinal) || to.StartsWith("../", StringComparison.Ordinal) || to == ".."))
        {
            from = "";
        }

        var fullPath = "/" + from + "/" + to + "/";
        fullPath = DotSegments().Replace(fullPath, "/");
        fullPath = Slashes().Replace(fullPath, "/");
        fullPath = fullPath.Trim('/');
        var result = new List<string>();
        foreach (var current in fullPath.Split('/'))
        {
            if (current == "..")
            {
                if (result.Count == 0)
                {
                    return "<strong class=\"error\">Error: Invalid depth in path: &quot;" + HtmlEscaper.Text(fullPath) + "&quot; (tried to access a node above the root node).</strong>";
                }

                result.RemoveAt(result.Count - 1);
            }
            else
            {
                result.Add(current);
            }
        }

        return string.Join('/', result);
    }

    [GeneratedRegex(@"/(\./)+")]
    private static partial Regex DotSegments();

    [GeneratedRegex(@"/{2,}")]
    private static partial Regex Slashes();

    private static string Tag(Preprocessor pp, Preprocessor.Frame frame, string first, List<PPart> parts)
    {
        var name = first.ToLowerInvariant();
        if (name.Length == 0)
        {
            return "";
        }

        string? inner = parts.Count > 0 ? pp.Expand(parts[0].Nodes, frame) : null;
        var attributes = new StringBuilder();
        for (var i = 1; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.EqualsAt < 0)
            {
                continue;
            }

            var attrName = Preprocessor.TrimPhp(pp.Expand(part.Name, frame, Preprocessor.ExpandFlags.StripComments));
            var value = Preprocessor.TrimPhp(pp.Expand(part.Value, frame));
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] is '"' or '\'')
            {
                value = value[1..^1];
            }

            attributes.Append(' ').Append(HtmlEscaper.Attribute(attrName)).Append("=\"").Append(HtmlEscaper.Attribute(value)).Append('"');
        }

        return inner is null ? "<" + name + attributes + "/>" : "<" + name + attributes + ">" + inner + "</" + name + ">";
    }

    private static readonly Dictionary<string, (string Autonym, string English)> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = ("English", "English"), ["de"] = ("Deutsch", "German"), ["fr"] = ("français", "French"), ["es"] = ("español", "Spanish"),
        ["it"] = ("italiano", "Italian"), ["nl"] = ("Nederlands", "Dutch"), ["pt"] = ("português", "Portuguese"), ["ru"] = ("русский", "Russian"),
        ["ja"] = ("日本語", "Japanese"), ["zh"] = ("中文", "Chinese"), ["pl"] = ("polski", "Polish"), ["sv"] = ("svenska", "Swedish"),
        ["ar"] = ("العربية", "Arabic"), ["he"] = ("עברית", "Hebrew"), ["uk"] = ("українська", "Ukrainian"), ["fi"] = ("suomi", "Finnish"),
        ["cs"] = ("čeština", "Czech"), ["ko"] = ("한국어", "Korean"), ["tr"] = ("Türkçe", "Turkish"), ["el"] = ("Ελληνικά", "Greek"),
    };

    // An unknown code comes back in BCP 47 letter case: two-letter subtags upper, four-letter title case, the rest lower.
    private static string Bcp47(string code)
    {
        var parts = code.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].ToLowerInvariant();
            var afterSingleton = i > 0 && parts[i - 1].Length == 1;
            if (i > 0 && !afterSingleton && part.Length == 2)
            {
                part = part.ToUpperInvariant();
            }
            else if (i > 0 && !afterSingleton && part.Length == 4)
            {
                part = char.ToUpperInvariant(part[0]) + part[1..];
            }

            parts[i] = part;
        }

        return string.Join('-', parts);
    }

    // The byte length of a page's wikitext (UTF-8), 0 for a missing page or a bad title.
    private static string PageSize(Preprocessor pp, string text, bool raw)
    {
        var title = TitleParser.Parse(text, pp.Site.Namespaces).Title;
        if (title is null || pp.Sources.Get(title) is not { Text: { } source })
        {
            return "0";
        }

        var size = System.Text.Encoding.UTF8.GetByteCount(source);
        return raw ? size.ToString(CultureInfo.InvariantCulture) : size.ToString("N0", CultureInfo.InvariantCulture);
    }

    // Wraps the text in a left-to-right or right-to-left embedding after its first strongly directional letter.
    private static string Bidi(string text)
    {
        foreach (var c in text)
        {
            if (c is (>= '\u0590' and <= '\u08FF') or (>= '\uFB1D' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF'))
            {
                return "\u202B" + text + "\u202C";
            }

            if (char.IsLetter(c))
            {
                return "\u202A" + text + "\u202C";
            }
        }

        return text;
    }

    private static string Language(string code, string inLanguage)
    {
        if (!Languages.TryGetValue(code, out var names))
        {
            return Bcp47(code);
        }

        // Without the CLDR extension MediaWiki 1.39 names a language by its autonym whatever the second argument.
        _ = inLanguage;
        return names.Autonym;
    }

    private static readonly string[] SpecialPages =
    [
        "AllPages", "AllMessages", "BlankPage", "Block", "BrokenRedirects", "Categories", "ChangeContentModel", "ChangeEmail", "ChangePassword",
        "ComparePages", "Contributions", "CreateAccount", "DeadendPages", "DoubleRedirects", "EditWatchlist", "Emailuser", "Export", "FileDuplicateSearch",
        "Import", "ListFiles", "ListRedirects", "ListUsers", "Log", "Login", "Logout", "LonelyPages", "LongPages", "MovePage", "MyContributions",
        "MyPage", "MyTalk", "NewFiles", "NewPages", "PageInfo", "PasswordReset", "PermanentLink", "Preferences", "PrefixIndex", "Random",
        "RecentChanges", "RecentChangesLinked", "Redirect", "Search", "ShortPages", "SpecialPages", "Statistics", "Tags", "Undelete", "Upload",
        "UserLogin", "UserLogout", "UserRights", "Version", "WantedPages", "Watchlist", "WhatLinksHere",
    ];

    private static Title Special(Preprocessor pp, string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var page = slash >= 0 ? text[..slash] : text;
        var sub = slash >= 0 ? text[slash..] : "";
        var canonical = SpecialPages.FirstOrDefault(p => p.Equals(page.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
            && !page.Contains(' ', StringComparison.Ordinal));
        var title = TitleParser.Parse("Special:" + (canonical ?? page) + sub, pp.Site.Namespaces).Title;
        return title is { Namespace: NamespaceTable.Special } ? title : Title.Create(pp.Site.Namespaces, NamespaceTable.Special, "Badtitle");
    }

    /// <summary>Parser::guessSectionNameFromWikiText without the "#": tags dropped, HTML-escaped (quotes too), whitespace as underscores.</summary>
    private static string AnchorEncode(string text)
    {
        text = HtmlTag().Replace(text, "");
        text = HtmlEscaper.Attribute(text).Replace("'", "&#039;", StringComparison.Ordinal);
        var id = text.Replace('\t', '_').Replace('\n', '_').Replace('\f', '_').Replace('\r', '_').Replace(' ', '_');
        return PercentEscape().Replace(id, "%25$1");
    }

    [GeneratedRegex("%([a-fA-F0-9]{2})")]
    private static partial Regex PercentEscape();

    private static string Url(Preprocessor pp, string function, string page, string query)
    {
        var title = TitleParser.Parse(page, pp.Site.Namespaces).Title;
        if (title is null)
        {
            return "";
        }

        var site = pp.Site;
        var key = WikiUrl.Encode(title.PrefixedDbKey);
        var local = query.Length == 0
            ? site.ArticlePath.Replace("$1", key, StringComparison.Ordinal)
            : site.ScriptPath + "/index.php?title=" + key + "&" + query;
        var url = function.StartsWith("local", StringComparison.Ordinal) ? local : site.Server + local;
        if (!function.StartsWith("local", StringComparison.Ordinal) && title.Fragment is { Length: > 0 } fragment)
        {
            url += "#" + AnchorEncode(fragment);
        }

        return function.EndsWith('e') ? HtmlEscaper.Attribute(url) : url;
    }

    private static string FilePath(Preprocessor pp, string name)
    {
        var title = TitleParser.Parse(name, pp.Site.Namespaces, NamespaceTable.File).Title;
        if (title is null)
        {
            return "";
        }

        var file = Title.Create(pp.Site.Namespaces, NamespaceTable.File, title.DbKey);
        if (pp.Sources.Get(file) is not { Exists: true })
        {
            return "";
        }

        return pp.Site.Server + pp.Site.ScriptPath + "/images/" + Files.FileNames.HashPath(file.DbKey) + "/" + Uri.EscapeDataString(file.DbKey);
    }

    private static string? NamespaceName(Preprocessor pp, string text)
    {
        var ns = pp.Site.Namespaces;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return ns.TryGet(id, out var info) ? info.Name : null;
        }

        return ns.TryResolve(text.Replace('_', ' ').Trim(), out var resolved) ? ns[resolved].Name : null;
    }

    /// <summary>Language::formatNum in English: each number in the text with thousands separators and U+2212 for minus; R undoes it; NOSEP keeps no separators.</summary>
    public static string FormatNum(string text, string option)
    {
        if (option.Equals("R", StringComparison.Ordinal))
        {
            return text.Replace(",", "", StringComparison.Ordinal).Replace('\u2212', '-');
        }

        if (option.Equals("NOSEP", StringComparison.Ordinal))
        {
            return text;
        }

        if (PhpNumeric(text) is { } whole && text.Contains('e', StringComparison.OrdinalIgnoreCase) && Math.Abs(whole) < 1e15)
        {
            text = whole.ToString("0.############", CultureInfo.InvariantCulture);
        }

        return NumberRun().Replace(text, m =>
        {
            var integer = m.Groups[2].Value;
            var sb = new StringBuilder();
            if (m.Groups[1].Length > 0)
            {
                sb.Append('\u2212');
            }

            for (var i = 0; i < integer.Length; i++)
            {
                if (i > 0 && (integer.Length - i) % 3 == 0)
                {
                    sb.Append(',');
                }

                sb.Append(integer[i]);
            }

            return sb.Append(m.Groups[3].Value).ToString();
        });
    }

    [GeneratedRegex(@"(-?)(\d+)(\.\d+)?")]
    private static partial Regex NumberRun();

    private static string Pad(string text, string lengthText, string padding, bool left)
    {
        if (padding.Length == 0)
        {
            return text;
        }

        var length = Math.Min(PhpInt(lengthText), 500) - text.Length;
        if (length <= 0)
        {
            return text;
        }

        var sb = new StringBuilder();
        while (length > 0)
        {
            sb.Append(padding, 0, Math.Min(padding.Length, length));
            length -= padding.Length;
        }

        return left ? sb + text : text + sb;
    }

    private static string? ExplicitPlural(List<string> forms, string count)
    {
        foreach (var form in forms)
        {
            var eq = form.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && form[..eq].All(char.IsAsciiDigit) && form[..eq] == count.Trim())
            {
                return form[(eq + 1)..];
            }
        }

        forms.RemoveAll(f => f.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq && f[..eq].All(char.IsAsciiDigit));
        return forms.Count == 0 ? "" : null;
    }

    private static string Int(Preprocessor pp, Preprocessor.Frame frame, string name, List<string> parameters)
    {
        var key = InterfaceMessages.NormalizeKey(name);
        var page = Title.Create(pp.Site.Namespaces, NamespaceTable.MediaWiki, InterfaceMessages.PageKey(key));
        var loaded = pp.Sources.Get(page);
        if (loaded is null)
        {
            return "";
        }

        var text = loaded.Text ?? (InterfaceMessages.Defaults.TryGetValue(key, out var d) ? d : null);
        if (text is null)
        {
            return "⧼" + HtmlEscaper.Attribute(name) + "⧽";
        }

        // Message::plain is parsed again (noparse false): its {{SITENAME}}, {{PLURAL}} and templates are expanded.
        return pp.ExpandText(InterfaceMessages.WithParameters(text, parameters), frame);
    }

    private static readonly string[] DisplayTitleBadTags =
        ["h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "ol", "ul", "li", "hr", "table", "tr", "th", "td", "dl", "dd", "caption", "p", "ruby", "rb", "rt", "rtc", "rp", "br"];

    [GeneratedRegex(@"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")]
    private static partial Regex HtmlTag();

    private static string DisplayTitle(Preprocessor pp, string text, string option)
    {
        text = BoldItalic().Replace(text, m => m.Groups[1].Length == 3 ? "<b>" + m.Groups[2].Value + "</b>" : "<i>" + m.Groups[2].Value + "</i>");
        text = HtmlTag().Replace(text, m => DisplayTitleBadTags.Contains(m.Groups[2].Value.ToLowerInvariant()) ? "" : m.Value);
        var plain = WebUtility.HtmlDecode(HtmlTag().Replace(text, ""));
        var title = TitleParser.Parse(plain, pp.Site.Namespaces).Title;
        var page = pp.Page.Title;
        if (title is not null && title.Fragment is null && title.Namespace == page.Namespace && title.DbKey == page.DbKey)
        {
            var old = pp.DisplayTitle;
            if (old is null || option != "noreplace")
            {
                pp.DisplayTitle = text;
            }

            if (old is not null && old != text && option is not ("noreplace" or "noerror"))
            {
                return "<span class=\"error\"><strong>Warning:</strong> Display title \"" + MagicWords.EscapeWikiText(text) + "\" overrides earlier display title \""
                    + MagicWords.EscapeWikiText(old) + "\".</span>";
            }

            return "";
        }

        pp.AddWarning("<strong>Warning:</strong> Display title \"" + text + "\" was ignored since it is not equivalent to the page's actual title.");
        pp.AddTrackingCategory("restricted-displaytitle-ignored");
        return "";
    }

    [GeneratedRegex("('''|'')(.+?)\\1")]
    private static partial Regex BoldItalic();

    private static string DefaultSort(Preprocessor pp, string text, string option)
    {
        text = Preprocessor.TrimPhp(text);
        if (text.Length == 0)
        {
            return "";
        }

        var old = pp.DefaultSort;
        if (old is null || option != "noreplace")
        {
            pp.DefaultSort = text;
        }

        if (old is null || old == text || option is "noreplace" or "noerror")
        {
            return "";
        }

        return "<span class=\"error\"><strong>Warning:</strong> Default sort key \"" + MagicWords.EscapeWikiText(text) + "\" overrides earlier default sort key \""
            + MagicWords.EscapeWikiText(old) + "\".</span>";
    }
}
