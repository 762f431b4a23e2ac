using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Files;

/// <summary>
/// MediaWiki 1.39's filter of the elements of an uploaded SVG (UploadBase::checkSvgScriptCallback): the
/// namespace allow-list, scriptable elements, event handlers, links and animations, and CSS that pulls in
/// remote or executable code. <see cref="SvgDocument"/> runs it on each element as it closes.
/// </summary>
internal static partial class SvgFilter
{
    private const string InkscapeNamespace = "http://www.inkscape.org/namespaces/inkscape";

    /// <summary>
    /// The element namespaces an SVG may use (UploadBase::checkSvgScriptCallback), lower-cased. XHTML is
    /// deliberately not among them (T62771): HTML inside an SVG, in a foreignObject or not, is refused here.
    /// </summary>
    private static readonly FrozenSet<string> SvgNamespaces = FrozenSet.Create(StringComparer.Ordinal,
        "",
        "adobe:ns:meta/",
        "http://creativecommons.org/ns#",
        "http://inkscape.sourceforge.net/dtd/sodipodi-0.dtd",
        "http://ns.adobe.com/adobeillustrator/10.0/",
        "http://ns.adobe.com/adobesvgviewerextensions/3.0/",
        "http://ns.adobe.com/extensibility/1.0/",
        "http://ns.adobe.com/flows/1.0/",
        "http://ns.adobe.com/illustrator/1.0/",
        "http://ns.adobe.com/imagereplacement/1.0/",
        "http://ns.adobe.com/pdf/1.3/",
        "http://ns.adobe.com/photoshop/1.0/",
        "http://ns.adobe.com/saveforweb/1.0/",
        "http://ns.adobe.com/variables/1.0/",
        "http://ns.adobe.com/xap/1.0/",
        "http://ns.adobe.com/xap/1.0/g/",
        "http://ns.adobe.com/xap/1.0/g/img/",
        "http://ns.adobe.com/xap/1.0/mm/",
        "http://ns.adobe.com/xap/1.0/rights/",
        "http://ns.adobe.com/xap/1.0/stype/dimensions#",
        "http://ns.adobe.com/xap/1.0/stype/font#",
        "http://ns.adobe.com/xap/1.0/stype/manifestitem#",
        "http://ns.adobe.com/xap/1.0/stype/resourceevent#",
        "http://ns.adobe.com/xap/1.0/stype/resourceref#",
        "http://ns.adobe.com/xap/1.0/t/pg/",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/elements/1.1",
        "http://schemas.microsoft.com/visio/2003/svgextensions/",
        "http://sodipodi.sourceforge.net/dtd/sodipodi-0.dtd",
        "http://taptrix.com/inkpad/svg_extensions",
        "http://web.resource.org/cc/",
        "http://www.freesoftware.fsf.org/bkchem/cdml",
        InkscapeNamespace,
        "http://www.opengis.net/gml",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/tr/rec-rdf-syntax/",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2000/02/svg/testsuite/description/");

    /// <summary>SVG presentation attributes that can hold CSS, checked for remote URLs without CSS unescaping.</summary>
    private static readonly FrozenSet<string> CssAttributes = FrozenSet.Create(StringComparer.Ordinal,
        "font", "clip-path", "fill", "filter", "marker", "marker-end", "marker-mid", "marker-start", "mask", "stroke");

    /// <summary>
    /// UploadBase::checkSvgScriptCallback: the namespace allow-list, scriptable elements, hostile CSS, event
    /// handlers, links, animations that set links or handlers, and remote URLs in styles. Returns the message
    /// key and parameters of the first problem of the element, in MediaWiki's order, or null.
    /// </summary>
    public static string[]? CheckElement(string name, List<KeyValuePair<string, string>> attributes, string data)
    {
        var (ns, element) = SplitName(name);

        // Inkscape mangles namespace definitions created by Adobe Illustrator; harmless (T144827).
        if (!(BuggyInkscapeNamespace().IsMatch(ns) || SvgNamespaces.Contains(ns)))
        {
            return ["uploadscriptednamespace", ns];
        }

        // handler: <handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">; stylesheet:
        // xml:stylesheet used to make a script (February 2012); iframe in case it passes the namespace check.
        if (element is "script" or "handler" or "stylesheet" or "iframe")
        {
            return ["uploaded-script-svg", element];
        }

        if (element == "style" && CssIsHostile(NormalizeCss(data)))
        {
            return ["uploaded-hostile-svg"];
        }

        foreach (var (attribute, raw) in attributes)
        {
            // An attribute without a namespace belongs to its element's.
            var (attributeNs, stripped) = SplitName(attribute);
            var value = FileVerifierText.AsciiLower(raw);

            // Inkscape's own elements have safe attributes that start with "on".
            if (!(ns == InkscapeNamespace && attributeNs.Length == 0) && stripped.StartsWith("on", StringComparison.Ordinal))
            {
                return ["uploaded-event-handler-on-svg", attribute, value];
            }

            // No relative links or unsafe schemes: <a> may link to data:, http(s): and fragments, every other
            // element only to data: and fragments.
            if (stripped == "href" && value.Length > 0
                && !value.StartsWith("data:", StringComparison.Ordinal)
                && !value.StartsWith('#')
                && !(element == "a" && HttpUrl().IsMatch(value)))
            {
                return ["uploaded-href-attribute-svg", element, attribute, value];
            }

            // Only data: images that cannot hold scripts (not image/svg, text/xml, text/html, ...).
            if (stripped == "href" && value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && !SafeDataUri().IsMatch(value))
            {
                return ["uploaded-href-unsafe-target-svg", element, attribute, value];
            }

            // Changing href with animate from (http://html5sec.org/#137).
            if (stripped == "attributename" && element == "animate" && SplitName(value).Local == "href")
            {
                return ["uploaded-animate-svg", element, attribute, value];
            }

            // set or animate adding an event handler to the parent.
            if (element is "set" or "animate" && stripped == "attributename" && value.StartsWith("on", StringComparison.Ordinal))
            {
                return ["uploaded-setting-event-handler-svg", element, stripped, value];
            }

            // set adding an href to the parent.
            if (element == "set" && stripped == "attributename" && value.Contains("href", StringComparison.Ordinal))
            {
                return ["uploaded-setting-href-svg"];
            }

            // set giving an element a remote, data or script target.
            if (element == "set" && stripped == "to" && RemoteTarget().IsMatch(value))
            {
                return ["uploaded-wrong-setting-svg", value];
            }

            if (stripped == "handler" && RemoteTarget().IsMatch(value))
            {
                return ["uploaded-setting-handler-svg", attribute, value];
            }

            if (stripped == "style" && CssIsHostile(NormalizeCss(value)))
            {
                return ["uploaded-remote-url-svg", attribute, value];
            }

            // Presentation attributes can hold CSS too; CSS escapes are not allowed in them.
            if (CssAttributes.Contains(stripped) && CssIsHostile(value))
            {
                return ["uploaded-remote-url-svg", attribute, value];
            }

            // An image filter can pull in a URL, which could be an SVG with scripts: only url(#...).
            if (element == "image" && stripped == "filter" && ImageFilterUrl().IsMatch(value))
            {
                return ["uploaded-image-filter-svg", element, stripped, value];
            }
        }

        return null;
    }

    /// <summary>
    /// UploadBase::checkCssFragment: CSS that brings in remote or executable code (<c>@import</c>, url() other
    /// than <c>#fragment</c>, <c>expression</c>, <c>-o-link</c>, control characters). Fonts embedded as
    /// <c>data:;base64</c> in <c>@font-face</c> are let through.
    /// </summary>
    private static bool CssIsHostile(string value)
    {
        if (value.Contains("@import", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        value = FontFaceDataUrl().Replace(value, "$1$2");
        if (ExecutableCss().IsMatch(value))
        {
            return true;
        }

        foreach (Match open in CssUrlOpen().Matches(value))
        {
            var at = open.Index + open.Length;
            var next = FileVerifierText.SkipPcreSpace(value, at);

            var local = next < value.Length && (value[next] == '#' || (value[next] is '\'' or '"' && next + 1 < value.Length && value[next + 1] == '#'));
            if (!local && at < value.Length && value.IndexOf(')', at + 1) >= 0)
            {
                return true;
            }
        }

        return CssControlCharacter().IsMatch(value);
    }

    /// <summary>
    /// Sanitizer::normalizeCss: character references and CSS escapes decoded, comments made spaces, and
    /// anything after an unclosed comment dropped, so that checks see what a browser would.
    /// </summary>
    private static string NormalizeCss(string value)
    {
        value = WebUtility.HtmlDecode(value);
        value = CssEscape().Replace(value, DecodeCssEscape);

        // A value that is nothing but one comment is let through, so other checks can say why they refuse it.
        if (SingleCssComment().IsMatch(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        var position = 0;
        while (true)
        {
            var start = value.IndexOf("/*", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : value.IndexOf("*/", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                // The rest; a comment that never closes is cut off with what follows it.
                text.Append(value, position, (start < 0 ? value.Length : start) - position);
                return text.ToString();
            }

            text.Append(value, position, start - position).Append(' ');
            position = end + 2;
        }
    }

    private static string DecodeCssEscape(Match match)
    {
        string decoded;
        if (match.Groups[1].Length > 0)
        {
            // A line continuation.
            return "";
        }
        else if (match.Groups[2].Length > 0)
        {
            var codepoint = int.Parse(match.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            decoded = codepoint is > 0 and <= 0x10ffff and not (>= 0xd800 and <= 0xdfff) ? char.ConvertFromUtf32(codepoint) : "\ufffd";
        }
        else if (match.Groups[3].Length > 0)
        {
            decoded = match.Groups[3].Value;
        }
        else
        {
            decoded = "\\";
        }

        // Characters that need escaping in strings are kept escaped, in a clean form.
        return decoded is "\n" or "\"" or "'" or "\\"
            ? "\\" + ((int)decoded[0]).ToString("x", CultureInfo.InvariantCulture) + " "
            : decoded;
    }

    /// <summary>
    /// UploadBase::splitXmlNamespace: the whole name lower-cased, split at its last colon into namespace and
    /// local name (<c>http://www.w3.org/2000/svg:script</c>).
    /// </summary>
    public static (string Namespace, string Local) SplitName(string name)
    {
        var lower = FileVerifierText.AsciiLower(name);
        var colon = lower.LastIndexOf(':');
        return colon < 0 ? ("", lower) : (lower[..colon], lower[(colon + 1)..]);
    }

    [GeneratedRegex(@"^&(#38;)*ns_[a-z_]+;$")]
    private static partial Regex BuggyInkscapeNamespace();

    [GeneratedRegex(@"^https?://", RegexOptions.IgnoreCase)]
    private static partial Regex HttpUrl();

    /// <summary>data: images of the types MediaWiki trusts, with RFC 2397 parameters.</summary>
    [GeneratedRegex("""^data:\s*image/(gif|jpeg|jpg|png)(?:;[a-zA-Z0-9!#$&'*+.^_`{|}~-]+=(?:[a-zA-Z0-9!#$&'*+.^_`{|}~-]+|"(?:[\x00-\x0c\x0e-\x21\x23-\x5b\x5d-\x7f]+|\\[\x00-\x7f])*"))*(?:;base64)?,""", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SafeDataUri();

    [GeneratedRegex(@"(http|https|data|script):", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex RemoteTarget();

    [GeneratedRegex(@"url\s*\(\s*[""']?[^#]", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ImageFilterUrl();

    [GeneratedRegex(@"(@font-face\s*\{[^}]*src:)url(\(""data:;base64,)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex FontFaceDataUrl();

    [GeneratedRegex(@"expression|-o-link\s*:|-o-link-source\s*:|-o-replace\s*:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ExecutableCss();

    [GeneratedRegex(@"(?:url|image|image-set)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrlOpen();

    [GeneratedRegex(@"[\x00-\x08\x0B\x0E-\x1F\x7F]")]
    private static partial Regex CssControlCharacter();

    /// <summary>A CSS escape: a line continuation, a hexadecimal character number, an escaped character, or a lone backslash.</summary>
    [GeneratedRegex(@"\\(?:(\n|\r\n|\r|\f)|([0-9A-Fa-f]{1,6})[\x20\t\r\n\f]?|(.)|())")]
    private static partial Regex CssEscape();

    [GeneratedRegex(@"^\s*/\*[^*/]*\*/\s*$")]
    private static partial Regex SingleCssComment();
}
