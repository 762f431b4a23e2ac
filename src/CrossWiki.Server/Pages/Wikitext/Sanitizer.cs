using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>
/// HTML written in wikitext, as MediaWiki 1.39's Sanitizer lets it through: the tags of its allow-list
/// (Sanitizer::getRecognizedTagData) with the attributes allowed on each (setupAttributesAllowedInternal),
/// values checked (checkCss for <c>style</c>, EVIL_URI_PATTERN for the RDFa and microdata attributes) and
/// re-encoded (safeEncodeAttribute); everything else is left to be escaped as text.
/// </summary>
internal static class Sanitizer
{
    private static readonly HashSet<string> PairedOrSingle = new(StringComparer.Ordinal)
    {
        // htmlpairsStatic
        "b", "bdi", "del", "i", "ins", "u", "font", "big", "small", "sub", "sup", "h1", "h2", "h3", "h4", "h5", "h6",
        "cite", "code", "em", "s", "strike", "strong", "tt", "var", "div", "center", "blockquote", "ol", "ul", "dl",
        "table", "caption", "pre", "ruby", "rb", "rp", "rt", "rtc", "p", "span", "abbr", "dfn", "kbd", "samp", "data", "time", "mark",

        // htmlsingle, htmlnest and the table tags not already listed
        "br", "wbr", "hr", "li", "dt", "dd", "tr", "td", "th", "q", "bdo",
    };

    // Void elements (htmlsingleonly; meta and link are not offered, they need itemprop and are rarely written).
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "wbr", "hr" };

    private static readonly string[] Common =
    [
        "id", "class", "style", "lang", "dir", "title", "tabindex",
        "aria-describedby", "aria-flowto", "aria-hidden", "aria-label", "aria-labelledby", "aria-level", "aria-owns", "role",
        "about", "property", "resource", "datatype", "typeof",
        "itemid", "itemprop", "itemref", "itemscope", "itemtype",
    ];

    private static readonly Dictionary<string, HashSet<string>> Allowed = BuildAllowed();

    // Sanitizer::EVIL_URI_PATTERN.
    private static readonly System.Text.RegularExpressions.Regex EvilUri =
        new(@"(^|\s|\*/\s*)(javascript|vbscript)([^\w]|$)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    // The patterns of checkCss that mark a style as insecure, matched on the normalised value.
    private static readonly System.Text.RegularExpressions.Regex InsecureCss = new(
        @"expression|filter\s*:|accelerator\s*:|-o-link\s*:|-o-link-source\s*:|-o-replace\s*:|url\s*\(|image\s*\(|image-set\s*\(|attr\s*\([^)]+[\s,]+url|var\s*\(",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly SearchValues<char> TextSpecial = SearchValues.Create("&<>\u00A0");
    private static readonly SearchValues<char> TextSpecialFrench = SearchValues.Create("&<>\u00A0?:;!%»›«‹");

    private static Dictionary<string, HashSet<string>> BuildAllowed()
    {
        HashSet<string> With(params string[] extra) => new([.. Common, .. extra], StringComparer.Ordinal);
        string[] block = ["align"];
        string[] cell = ["abbr", "axis", "headers", "scope", "rowspan", "colspan", "nowrap", "width", "height", "bgcolor", "align", "valign"];
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["div"] = With(block), ["center"] = With(), ["span"] = With(), ["p"] = With(block),
            ["h1"] = With(block), ["h2"] = With(block), ["h3"] = With(block), ["h4"] = With(block), ["h5"] = With(block), ["h6"] = With(block),
            ["br"] = With("clear"), ["wbr"] = With(), ["pre"] = With("width"), ["hr"] = With("width"),
            ["ins"] = With("cite", "datetime"), ["del"] = With("cite", "datetime"),
            ["ul"] = With("type"), ["ol"] = With("type", "start", "reversed"), ["li"] = With("type", "value"),
            ["dl"] = With(), ["dd"] = With(), ["dt"] = With(),
            ["table"] = With("summary", "width", "border", "frame", "rules", "cellspacing", "cellpadding", "align", "bgcolor"),
            ["caption"] = With(block),
            ["tr"] = With("bgcolor", "align", "valign"), ["td"] = With(cell), ["th"] = With(cell),
            ["q"] = With("cite"), ["blockquote"] = With("cite"),
            ["font"] = With("size", "color", "face"),
            ["data"] = With("value"), ["time"] = With("datetime"),
        };
        foreach (string name in PairedOrSingle)
        {
            map.TryAdd(name, With());
        }

        return map;
    }

    /// <summary>Whether <paramref name="name"/> (lower case) is a tag wikitext may use.</summary>
    public static bool IsAllowedTag(string name) => PairedOrSingle.Contains(name);

    /// <summary>Whether the tag has no content and no closing tag (<c>br</c>, <c>wbr</c>, <c>hr</c>).</summary>
    public static bool IsVoidTag(string name) => Void.Contains(name);

    /// <summary>
    /// Sanitizer::fixTagAttributes: the attributes of <paramref name="raw"/> allowed on <paramref name="element"/>,
    /// checked and re-encoded, each preceded by a space, in the order written (a repeated name keeps its first place and last value).
    /// </summary>
    public static string FixTagAttributes(string raw, string element)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.AsSpan().Trim().IsEmpty)
        {
            return string.Empty;
        }

        Allowed.TryGetValue(element, out HashSet<string>? allowed);
        var names = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in ParseAttributes(raw))
        {
            if (ValidateAttribute(name, value, allowed) is not { } kept)
            {
                continue;
            }

            if (!values.ContainsKey(name))
            {
                names.Add(name);
            }

            values[name] = kept;
        }

        if (names.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder(raw.Length + 16);
        foreach (string name in names)
        {
            sb.Append(' ').Append(HtmlEscaper.Attribute(name)).Append("=\"").Append(SafeEncodeAttribute(values[name])).Append('"');
        }

        return sb.ToString();
    }

    private static string? ValidateAttribute(string name, string value, HashSet<string>? allowed)
    {
        bool isData = name.StartsWith("data-", StringComparison.Ordinal) && !name.Contains(':', StringComparison.Ordinal)
            && !name.StartsWith("data-ooui", StringComparison.Ordinal) && !name.StartsWith("data-mw", StringComparison.Ordinal)
            && !name.StartsWith("data-parsoid", StringComparison.Ordinal);
        if (!isData && (allowed is null || !allowed.Contains(name)))
        {
            return null;
        }

        switch (name)
        {
            case "style":
                return CheckCss(value);
            case "id":
                return value.Replace(' ', '_');
            case "aria-describedby" or "aria-flowto" or "aria-labelledby" or "aria-owns":
                return string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Replace(' ', '_')));
            case "rel" or "rev" or "about" or "property" or "resource" or "datatype" or "typeof"
                or "itemid" or "itemprop" or "itemref" or "itemscope" or "itemtype":
                return EvilUri.IsMatch(value) ? null : value;
            case "tabindex":
                return value == "0" ? value : null;
            default:
                return value;
        }
    }

    /// <summary>
    /// Sanitizer::decodeTagAttributes: names (lower case) and values, unquoted, whitespace runs made one space,
    /// trimmed and with their character references decoded; a name without a value has the value "".
    /// </summary>
    public static List<(string Name, string Value)> ParseAttributes(string raw)
    {
        var list = new List<(string, string)>();
        int i = 0;
        while (i < raw.Length)
        {
            if (!IsAttributeFirst(raw[i]))
            {
                i++;
                continue;
            }

            int nameStart = i;
            while (i < raw.Length && (IsAttributeFirst(raw[i]) || raw[i] is '.' or '-'))
            {
                i++;
            }

            string name = raw[nameStart..i].ToLowerInvariant();
            int j = i;
            while (j < raw.Length && IsSpace(raw[j]))
            {
                j++;
            }

            string value = string.Empty;
            if (j < raw.Length && raw[j] == '=')
            {
                j++;
                while (j < raw.Length && IsSpace(raw[j]))
                {
                    j++;
                }

                if (j < raw.Length && raw[j] is '"' or '\'')
                {
                    char quote = raw[j];
                    int close = raw.IndexOf(quote, j + 1);
                    int end = close < 0 ? raw.Length : close;
                    value = raw[(j + 1)..end];
                    i = close < 0 ? raw.Length : close + 1;
                }
                else
                {
                    int start = j;
                    while (j < raw.Length && !IsSpace(raw[j]) && raw[j] != '>')
                    {
                        j++;
                    }

                    value = raw[start..j];
                    i = j;
                }
            }

            value = WebUtility.HtmlDecode(CollapseWhitespace(value).Trim(' '));
            list.Add((name, value));
        }

        return list;
    }

    private static bool IsAttributeFirst(char c) => c is ':' or '_' || char.IsLetterOrDigit(c);

    private static bool IsSpace(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';

    private static string CollapseWhitespace(string value)
    {
        if (value.AsSpan().IndexOfAny("\t\r\n") < 0 && !value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value)
        {
            if (c is '\t' or '\r' or '\n' or ' ')
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        if (space)
        {
            sb.Append(' ');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Sanitizer::checkCss: the style normalised (character references and CSS escapes decoded, comments made
    /// spaces), or <c>/* insecure input */</c> when it could load or run something, <c>/* invalid control char */</c>
    /// when it holds control characters.
    /// </summary>
    public static string CheckCss(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string css = NormalizeCss(value);
        foreach (char c in css)
        {
            if ((c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == '\uFFFD')
            {
                return "/* invalid control char */";
            }
        }

        return InsecureCss.IsMatch(css) ? "/* insecure input */" : css;
    }

    private static string NormalizeCss(string value)
    {
        string css = WebUtility.HtmlDecode(value);

        // A value that is one comment and nothing else is let through as it is.
        string trimmed = css.Trim();
        if (trimmed.StartsWith("/*", StringComparison.Ordinal) && trimmed.EndsWith("*/", StringComparison.Ordinal) && trimmed.Length >= 4
            && trimmed.AsSpan(2, trimmed.Length - 4).IndexOfAny("*/\\") < 0)
        {
            return css;
        }

        // CSS escapes: "\" and up to six hex digits (and one following space), or "\" and any other character.
        if (css.Contains('\\', StringComparison.Ordinal))
        {
            var sb = new StringBuilder(css.Length);
            for (int i = 0; i < css.Length; i++)
            {
                if (css[i] != '\\')
                {
                    sb.Append(css[i]);
                    continue;
                }

                int j = i + 1;
                while (j < css.Length && j - i <= 6 && char.IsAsciiHexDigit(css[j]))
                {
                    j++;
                }

                if (j > i + 1)
                {
                    int code = int.Parse(css.AsSpan(i + 1, j - i - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    sb.Append(code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(code) : "\uFFFD");
                    if (j < css.Length && css[j] == ' ')
                    {
                        j++;
                    }

                    i = j - 1;
                }
                else if (j < css.Length && css[j] != '\n')
                {
                    sb.Append(css[j]);
                    i = j;
                }
            }

            css = sb.ToString();
        }

        // Comments become spaces; anything after an unclosed one is dropped.
        if (css.Contains("/*", StringComparison.Ordinal))
        {
            var sb = new StringBuilder(css.Length);
            int at = 0;
            while (true)
            {
                int open = css.IndexOf("/*", at, StringComparison.Ordinal);
                if (open < 0)
                {
                    sb.Append(css, at, css.Length - at);
                    break;
                }

                int close = css.IndexOf("*/", open + 2, StringComparison.Ordinal);
                sb.Append(css, at, open - at);
                if (close < 0)
                {
                    break;
                }

                sb.Append(' ');
                at = close + 2;
            }

            css = sb.ToString();
        }

        return css;
    }

    /// <summary>
    /// Sanitizer::safeEncodeAttribute: HTML-escaped with quotes, whitespace as character references, and the
    /// characters wikitext would act on (links, templates, magic links, protocols) as references too.
    /// </summary>
    public static string SafeEncodeAttribute(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\n': sb.Append("&#10;"); break;
                case '\r': sb.Append("&#13;"); break;
                case '\t': sb.Append("&#9;"); break;
                case '{': sb.Append("&#123;"); break;
                case '}': sb.Append("&#125;"); break;
                case '[': sb.Append("&#91;"); break;
                case ']': sb.Append("&#93;"); break;
                case '|': sb.Append("&#124;"); break;
                case '\u007F': break;
                case '_': sb.Append("&#95;"); break;
                case '\uFF3F': sb.Append("&#xFF3F;"); break;
                case ':' when EndsWithProtocol(value, i):
                    sb.Append("&#58;");
                    break;
                case 'I' when value.AsSpan(i).StartsWith("ISBN", StringComparison.Ordinal):
                    sb.Append("&#73;");
                    break;
                case 'R' when value.AsSpan(i).StartsWith("RFC", StringComparison.Ordinal):
                    sb.Append("&#82;");
                    break;
                case 'P' when value.AsSpan(i).StartsWith("PMID", StringComparison.Ordinal):
                    sb.Append("&#80;");
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    private static bool EndsWithProtocol(string value, int colon)
    {
        ReadOnlySpan<char> before = value.AsSpan(0, colon);
        ReadOnlySpan<char> after = value.AsSpan(colon + 1);
        foreach (string p in (ReadOnlySpan<string>)["http", "https", "ftp", "ftps", "irc", "ircs", "gopher", "nntp", "telnet", "worldwind", "svn", "git", "mms", "sftp", "ssh", "redis", "sip", "sips", "sms", "tel", "xmpp", "news", "urn", "geo", "magnet", "bitcoin", "mailto", "matrix"])
        {
            if (before.EndsWith(p, StringComparison.OrdinalIgnoreCase))
            {
                // Most protocols count with "://"; the others (mailto:, news:, tel:, ...) with ":" alone.
                bool slashes = p is not ("mailto" or "news" or "urn" or "geo" or "magnet" or "bitcoin" or "sip" or "sips" or "sms" or "tel" or "xmpp" or "matrix");
                return !slashes || after.StartsWith("//", StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>
    /// Text of the page as MediaWiki writes it (Sanitizer::normalizeCharReferences): a named character reference
    /// becomes its numeric one (<c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> and <c>&amp;quot;</c> stay), numeric ones
    /// are normalised, an invalid one or a bare "&amp;" is escaped, and so are "&lt;" and "&gt;". With
    /// <paramref name="frenchSpaces"/>, Parser::armorFrenchSpaces too: a space before ? : ; ! % » › (not followed by a
    /// word character) and after « ‹ is a no-break space.
    /// </summary>
    public static void AppendText(StringBuilder sb, ReadOnlySpan<char> text, bool frenchSpaces = false)
    {
        ArgumentNullException.ThrowIfNull(sb);
        SearchValues<char> special = frenchSpaces ? TextSpecialFrench : TextSpecial;
        while (!text.IsEmpty)
        {
            int stop = text.IndexOfAny(special);
            if (stop < 0)
            {
                sb.Append(text);
                return;
            }

            sb.Append(text[..stop]);
            char c = text[stop];
            text = text[(stop + 1)..];
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\u00A0': sb.Append("&#160;"); break;
                case '&':
                    if (TryNormalizeReference(text, sb, out int length))
                    {
                        text = text[length..];
                    }
                    else
                    {
                        sb.Append("&amp;");
                    }

                    break;
                case '«' or '‹':
                    sb.Append(c);
                    if (!text.IsEmpty && text[0] == ' ')
                    {
                        sb.Append("&#160;");
                        text = text[1..];
                    }

                    break;
                default:
                    if (sb.Length > 0 && sb[^1] == ' ' && (text.IsEmpty || !(char.IsLetterOrDigit(text[0]) || text[0] == '_')))
                    {
                        sb.Length--;
                        sb.Append("&#160;");
                    }

                    sb.Append(c);
                    break;
            }
        }
    }

    /// <summary>The text escaped as <see cref="AppendText"/> does.</summary>
    public static string Text(string text, bool frenchSpaces = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(frenchSpaces ? TextSpecialFrench : TextSpecial) < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        AppendText(sb, text, frenchSpaces);
        return sb.ToString();
    }

    private static bool TryNormalizeReference(ReadOnlySpan<char> rest, StringBuilder sb, out int length)
    {
        if (!TryDecodeReference(rest, out string decoded, out length))
        {
            return false;
        }

        ReadOnlySpan<char> body = rest[..(length - 1)];
        if (body[0] == '#')
        {
            int code = char.ConvertToUtf32(decoded, 0);
            bool hex = body.Length > 1 && (body[1] | 0x20) == 'x';
            sb.Append(hex ? "&#x" : "&#").Append(code.ToString(hex ? "x" : "D", CultureInfo.InvariantCulture)).Append(';');
            return true;
        }

        if (body is "amp" or "lt" or "gt" or "quot")
        {
            sb.Append('&').Append(body).Append(';');
            return true;
        }

        for (int i = 0; i < decoded.Length; i++)
        {
            int code = char.ConvertToUtf32(decoded, i);
            if (!IsValidCodepoint(code))
            {
                length = 0;
                return false;
            }

            sb.Append("&#").Append(code.ToString(CultureInfo.InvariantCulture)).Append(';');
            if (char.IsHighSurrogate(decoded[i]))
            {
                i++;
            }
        }

        return true;
    }

    // After "&": a named reference HTML knows, "#" decimal or "#x" hexadecimal digits, then ";".
    private static bool TryDecodeReference(ReadOnlySpan<char> rest, out string decoded, out int length)
    {
        decoded = string.Empty;
        length = 0;
        int semicolon = rest[..Math.Min(rest.Length, 40)].IndexOf(';');
        if (semicolon <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> body = rest[..semicolon];
        int code;
        if (body[0] == '#')
        {
            bool hex = body.Length > 1 && (body[1] | 0x20) == 'x';
            ReadOnlySpan<char> digits = body[(hex ? 2 : 1)..];
            if (digits.IsEmpty || digits.Length > 8
                || !int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out code)
                || !IsValidCodepoint(code))
            {
                return false;
            }

            decoded = char.ConvertFromUtf32(code);
        }
        else
        {
            foreach (char c in body)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    return false;
                }
            }

            string reference = "&" + body.ToString() + ";";
            decoded = WebUtility.HtmlDecode(reference);
            if (decoded == reference)
            {
                return false;
            }
        }

        length = semicolon + 1;
        return true;
    }

    // Sanitizer::validateCodepoint.
    // Sanitizer::validateCodepoint (DEL, which the renderer's markers use, is not valid either).
    private static bool IsValidCodepoint(int code) =>
        code is 0x09 or 0x0A || (code >= 0x20 && code <= 0x7E) || (code >= 0xA0 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}
