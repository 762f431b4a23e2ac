using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace CrossWiki.Server.Files;

/// <summary>
/// An SVG (or any XML file) read as MediaWiki 1.39 reads it: XmlTypeCheck's well-formedness, DOCTYPE and
/// processing-instruction rules with every element run through <see cref="SvgFilter"/>, UploadBase's check of
/// the XML declaration's encoding, and the drawing's size as SVGReader takes it from the root element.
/// </summary>
internal static partial class SvgDocument
{
    /// <summary>MediaWiki 1.39's <c>$wgSVGMetadataCutoff</c>: how far the XML declaration's encoding is looked for.</summary>
    private const int XmlDeclarationCutoff = 256 * 1024;

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>The encodings an XML declaration may name: ones browsers and the server's parser read alike (T49304).</summary>
    private static readonly FrozenSet<string> SafeXmlEncodings = FrozenSet.Create(StringComparer.Ordinal,
        "UTF-8", "US-ASCII", "ISO-8859-1", "ISO-8859-2", "UTF-16", "UTF-32",
        "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253", "WINDOWS-1254",
        "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257", "WINDOWS-1258");

    /// <summary>The external DTDs an SVG may declare (UploadBase::checkSvgExternalDTD; T168856 for the last).</summary>
    private static readonly FrozenSet<string> AllowedDtds = FrozenSet.Create(StringComparer.Ordinal,
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd",
        "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd",
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11-basic.dtd",
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11-tiny.dtd",
        "http://www.w3.org/TR/2001/PR-SVG-20010719/DTD/svg10.dtd");

    /// <summary>
    /// Reads the XML as MediaWiki's XmlTypeCheck does: well-formedness, the root element, processing
    /// instructions and the DOCTYPE, then each element (as it closes) through the SVG filter. Entities are
    /// expanded only when the internal DTD subset is one XmlTypeCheck calls safe, and nothing external is
    /// ever fetched (no resolver).
    /// </summary>
    public static XmlScan Scan(byte[] document)
    {
        var scan = new XmlScan();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = FileSample.ScanLimit,
            IgnoreComments = true,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
        };

        var open = new Stack<OpenElement>();
        var rooted = false;
        try
        {
            using var stream = new MemoryStream(document, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.DocumentType:
                        if (!CheckDoctype(reader, scan))
                        {
                            return scan;
                        }

                        break;
                    case XmlNodeType.ProcessingInstruction:
                        // External stylesheets are not allowed (T59550).
                        if (reader.Name.Contains("xml-stylesheet", StringComparison.OrdinalIgnoreCase))
                        {
                            scan.Hit = ["upload-scripted-pi-callback"];
                        }

                        break;
                    case XmlNodeType.Element:
                        var element = new OpenElement(ExpandedName(reader), []);
                        var empty = reader.IsEmptyElement;
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                if (reader.NamespaceURI != XmlnsNamespace)
                                {
                                    element.Attributes.Add(new KeyValuePair<string, string>(ExpandedName(reader), reader.Value));
                                }
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        if (!rooted)
                        {
                            rooted = true;
                            scan.Root = element.Name;
                            scan.RootAttributes = element.Attributes;
                        }

                        open.Push(element);
                        if (empty)
                        {
                            Close(open.Pop(), scan);
                        }

                        break;
                    case XmlNodeType.EndElement:
                        Close(open.Pop(), scan);
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                        if (open.Count > 0)
                        {
                            open.Peek().Data.Append(FileVerifierText.PhpTrim(reader.Value));
                        }

                        break;
                }
            }
        }
        catch (XmlException)
        {
            return scan;
        }

        scan.WellFormed = rooted && open.Count == 0;
        return scan;
    }

    /// <summary>
    /// XmlTypeCheck's DOCTYPE rules: an external DTD other than the SVG standard ones is a hit
    /// (<c>upload-scripted-dtd</c>); an internal subset with more than simple entities and comments makes the
    /// document not well-formed (false).
    /// </summary>
    private static bool CheckDoctype(XmlReader reader, XmlScan scan)
    {
        var publicId = reader.GetAttribute("PUBLIC");
        var systemId = reader.GetAttribute("SYSTEM");
        if ((publicId is not null || systemId is not null)
            && !(publicId is not null && systemId is not null && AllowedDtds.Contains(systemId) && publicId.StartsWith("-//W3C//", StringComparison.Ordinal)))
        {
            scan.Hit = ["upload-scripted-dtd"];
        }

        return DtdSubsetIsSafe(reader.Value);
    }

    /// <summary>
    /// XmlTypeCheck::checkDTDIsSafe: the internal subset holds only entities whose value is plain text (at
    /// most 255 characters, no <c>%</c>, no references but <c>&amp;amp;</c> and the quote's own) or an alias
    /// of one other entity, comments, and graphviz's <c>xmlns:xlink</c> ATTLIST. So no external or parameter
    /// entities, and no entity that expands into others.
    /// </summary>
    private static bool DtdSubsetIsSafe(string subset)
    {
        const string GraphvizAttlist = "<!ATTLIST svg xmlns:xlink CDATA #FIXED \"http://www.w3.org/1999/xlink\">";
        var i = 0;
        while (true)
        {
            i = FileVerifierText.SkipPcreSpace(subset, i);
            if (i == subset.Length)
            {
                return true;
            }

            var rest = subset.AsSpan(i);
            if (rest.StartsWith("<!ENTITY", StringComparison.Ordinal))
            {
                i = EntityDeclarationEnd(subset, i + 8);
            }
            else if (rest.StartsWith("<!--", StringComparison.Ordinal))
            {
                // The first "--" must end the comment.
                var dashes = subset.IndexOf("--", i + 4, StringComparison.Ordinal);
                i = dashes >= 0 && dashes + 2 < subset.Length && subset[dashes + 2] == '>' ? dashes + 3 : -1;
            }
            else if (rest.StartsWith(GraphvizAttlist, StringComparison.Ordinal))
            {
                i += GraphvizAttlist.Length;
            }
            else
            {
                i = -1;
            }

            if (i < 0)
            {
                return false;
            }
        }
    }

    /// <summary>Where a safe <c>&lt;!ENTITY name "value"&gt;</c> ends (after its <c>&gt;</c>), reading from after <c>&lt;!ENTITY</c>; -1 when it is not safe.</summary>
    private static int EntityDeclarationEnd(string text, int i)
    {
        var nameStart = FileVerifierText.SkipPcreSpace(text, i);
        if (nameStart == i)
        {
            return -1;
        }

        var nameEnd = nameStart;
        while (nameEnd < text.Length && !FileVerifierText.IsPcreSpace(text[nameEnd]))
        {
            nameEnd++;
        }

        var quoteAt = FileVerifierText.SkipPcreSpace(text, nameEnd);
        if (nameEnd == nameStart || quoteAt == nameEnd || quoteAt >= text.Length || text[quoteAt] is not ('"' or '\''))
        {
            return -1;
        }

        var quote = text[quoteAt];
        var close = text.IndexOf(quote, quoteAt + 1);
        if (close < 0 || !EntityValueIsSafe(text.AsSpan(quoteAt + 1, close - quoteAt - 1), quote))
        {
            return -1;
        }

        var end = FileVerifierText.SkipPcreSpace(text, close + 1);
        return end < text.Length && text[end] == '>' ? end + 1 : -1;
    }

    private static bool EntityValueIsSafe(ReadOnlySpan<char> value, char quote)
    {
        // An alias: exactly one reference to another entity.
        if (value.Length is >= 3 and <= 66 && value[0] == '&' && value[^1] == ';' && value[1..^1].IndexOfAny("\"%&;") < 0)
        {
            return true;
        }

        var ownQuote = quote == '"' ? "&quot;" : "&apos;";
        var items = 0;
        for (var i = 0; i < value.Length; items++)
        {
            if (value[i] == '%')
            {
                return false;
            }

            if (value[i] != '&')
            {
                i++;
            }
            else if (value[i..].StartsWith("&amp;", StringComparison.Ordinal))
            {
                i += 5;
            }
            else if (value[i..].StartsWith(ownQuote, StringComparison.Ordinal))
            {
                i += 6;
            }
            else
            {
                return false;
            }
        }

        return items <= 255;
    }

    /// <summary>A name as XmlTypeCheck gives it to the filter: the namespace URI and the local name, or the name as written.</summary>
    private static string ExpandedName(XmlReader reader) =>
        reader.NamespaceURI.Length > 0 ? reader.NamespaceURI + ":" + reader.LocalName : reader.Name;

    private static void Close(OpenElement element, XmlScan scan)
    {
        // Every element that closes runs the filter; the last hit is the one reported, as in XmlTypeCheck.
        if (SvgFilter.CheckElement(element.Name, element.Attributes, element.Data.ToString()) is { } hit)
        {
            // The namespace allow-list is the filter's first check, and the only one that gives this key.
            if (hit[0] == "uploadscriptednamespace")
            {
                scan.NamespaceError = hit[1];
            }

            scan.Hit = hit;
        }
    }

    /// <summary>
    /// UploadBase::checkXMLEncodingMissmatch: an XML declaration naming an encoding that browsers and the
    /// server's parser could read differently (T49304), one left unclosed, or EBCDIC; looked for as bytes,
    /// then as UTF-16 and UTF-32.
    /// </summary>
    public static bool HasUnsafeXmlEncoding(byte[] document)
    {
        var contents = document.AsSpan(0, Math.Min(document.Length, XmlDeclarationCutoff));
        if (DeclarationIsUnsafe(Encoding.Latin1.GetString(contents)) is { } verdict)
        {
            return verdict;
        }

        if (contents.StartsWith((ReadOnlySpan<byte>)[0x4c, 0x6f, 0xa7, 0x94]))
        {
            return true;
        }

        foreach (var encoding in MultibyteEncodings(contents))
        {
            string text;
            try
            {
                text = encoding.GetString(contents);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            if (text.Length > 0 && DeclarationIsUnsafe(text) is { } multibyte)
            {
                return multibyte;
            }
        }

        return false;
    }

    /// <summary>True or false when the text has an XML declaration (unsafe or not), null when it has none.</summary>
    private static bool? DeclarationIsUnsafe(string text)
    {
        var declaration = XmlDeclaration().Match(text);
        if (declaration.Success)
        {
            var encoding = EncodingAttribute().Match(declaration.Groups[1].Value);
            return encoding.Success && !SafeXmlEncodings.Contains(encoding.Groups[1].Value.ToUpperInvariant()) ? true : null;
        }

        // The start of a declaration that never ends: there is no legitimate reason for it.
        return XmlDeclarationStart().IsMatch(text) ? true : null;
    }

    /// <summary>iconv's UTF-16 and UTF-32 (big-endian unless a byte-order mark says otherwise), then their big-endian forms.</summary>
    private static IEnumerable<Encoding> MultibyteEncodings(ReadOnlySpan<byte> contents)
    {
        var utf16Little = contents.StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]);
        var utf32Little = contents.StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe, 0x00, 0x00]);
        return
        [
            new UnicodeEncoding(bigEndian: !utf16Little, byteOrderMark: true, throwOnInvalidBytes: true),
            new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
            new UTF32Encoding(bigEndian: !utf32Little, byteOrderMark: true, throwOnInvalidCharacters: true),
            new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
        ];
    }

    /// <summary>
    /// The size MediaWiki's SVG reader gives a drawing from its root element: width and height in their units
    /// (percentages of 512), a missing one from the viewBox's aspect ratio, 512 wide when neither is given.
    /// </summary>
    public static (int Width, int Height) Size(XmlScan? scan)
    {
        if (scan is not { WellFormed: true } || SvgFilter.SplitName(scan.Root).Local != "svg")
        {
            return (0, 0);
        }

        string? Attribute(string name) => scan.RootAttributes.FirstOrDefault(a => a.Key == name).Value;

        const double DefaultWidth = 512;
        var defaultHeight = DefaultWidth;
        var aspect = 1.0;
        if (Attribute("viewBox") is { } viewBox)
        {
            var box = ViewBoxSeparator().Split(viewBox.Trim());
            if (box.Length == 4)
            {
                var viewWidth = ScaleSvgUnit(box[2]);
                var viewHeight = ScaleSvgUnit(box[3]);
                if (viewWidth > 0 && viewHeight > 0)
                {
                    aspect = viewWidth / viewHeight;
                    defaultHeight = DefaultWidth / aspect;
                }
            }
        }

        var givenWidth = Attribute("width");
        var givenHeight = Attribute("height");
        var width = givenWidth is null ? (double?)null : ScaleSvgUnit(givenWidth, DefaultWidth);
        var height = givenHeight is null ? (double?)null : ScaleSvgUnit(givenHeight, defaultHeight);
        if (width is null && height is null)
        {
            width = DefaultWidth;
            height = DefaultWidth / aspect;
        }
        else if (height is null)
        {
            height = width / aspect;
        }
        else
        {
            width ??= height * aspect;
        }

        return width > 0 && height > 0 ? (Round(width.Value), Round(height.Value)) : (0, 0);
    }

    /// <summary>SVGReader::scaleSVGUnit at 90 dpi: a length in pixels; a bare number is pixels, junk is its leading number or 0.</summary>
    private static double ScaleSvgUnit(string length, double viewport = 512)
    {
        var match = SvgLength().Match(length);
        if (!match.Success)
        {
            var leading = LeadingNumber().Match(length);
            return leading.Success ? double.Parse(leading.Value, NumberStyles.Float, CultureInfo.InvariantCulture) : 0;
        }

        var number = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "%" => number * 0.01 * viewport,
            "pt" => number * 1.25,
            "pc" => number * 15.0,
            "mm" => number * 3.543307,
            "cm" => number * 35.43307,
            "in" => number * 90.0,
            "em" => number * 16.0,
            "ex" => number * 12.0,
            _ => number,
        };
    }

    /// <summary>PHP's round() (halves away from zero), kept within int.</summary>
    private static int Round(double value) => (int)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, int.MaxValue);

    [GeneratedRegex(@"<\?xml\b(.*?)\?>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<\?xml\b", RegexOptions.IgnoreCase)]
    private static partial Regex XmlDeclarationStart();

    [GeneratedRegex(@"encoding[ \t\n\r]*=[ \t\n\r]*['""](.*?)['""]", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex EncodingAttribute();

    [GeneratedRegex(@"\s*[\s,]\s*")]
    private static partial Regex ViewBoxSeparator();

    [GeneratedRegex(@"^\s*([-+]?[0-9]*(?:\.[0-9]+|[0-9]+)(?:[Ee][-+]?[0-9]+)?)\s*(em|ex|px|pt|pc|cm|mm|in|%|)\s*$")]
    private static partial Regex SvgLength();

    [GeneratedRegex(@"^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")]
    private static partial Regex LeadingNumber();

    /// <summary>An element being read: its name, its attributes in order, and its own text.</summary>
    private sealed record OpenElement(string Name, List<KeyValuePair<string, string>> Attributes)
    {
        public StringBuilder Data { get; } = new();
    }
}

/// <summary>What reading a file as XML found.</summary>
internal sealed class XmlScan
{
    public bool WellFormed { get; set; }

    /// <summary>The root element's expanded name.</summary>
    public string Root { get; set; } = "";

    public List<KeyValuePair<string, string>> RootAttributes { get; set; } = [];

    /// <summary>The last filter hit: a message key and its parameters.</summary>
    public string[]? Hit { get; set; }

    /// <summary>The last namespace outside the allow-list, which wins over every other hit (UploadBase::detectScriptInSvg).</summary>
    public string? NamespaceError { get; set; }

    /// <summary>What detectScriptInSvg reports for a well-formed file, or null.</summary>
    public string[]? Refusal => Hit is null ? null : NamespaceError is { } ns ? ["uploadscriptednamespace", ns] : Hit;
}
