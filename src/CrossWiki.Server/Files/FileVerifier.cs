using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace CrossWiki.Server.Files;

/// <summary>
/// The upload rules of a wiki, MediaWiki's settings of the same names: the extensions a file may have
/// (<c>$wgFileExtensions</c>, always strict as <c>$wgStrictFileExtensions</c>) and the largest bitmap, in
/// pixels, CrossWiki takes (<c>$wgMaxImageArea</c>).
/// </summary>
internal sealed record UploadRules(IReadOnlyList<string> FileExtensions, long MaxImageArea)
{
    /// <summary>
    /// MediaWiki 1.39's defaults (png, gif, jpg, jpeg, webp; 12,500,000 pixels) plus svg, which CrossWiki
    /// accepts because it rasterises SVG thumbnails itself.
    /// </summary>
    public static readonly UploadRules Default = new(["png", "gif", "jpg", "jpeg", "webp", "svg"], 12_500_000);
}

/// <summary>
/// What the content of a file is, read from its bytes and not from its name: the MIME type MediaWiki's
/// MimeAnalyzer would give it, the <c>img_media_type</c> (<c>BITMAP</c>, <c>DRAWING</c>, <c>TEXT</c>, ...,
/// <c>UNKNOWN</c>) and the pixel size from the header (0 when unknown; for SVG what MediaWiki's SVG handler
/// reads from the root element).
/// </summary>
internal sealed record FileFacts(string Mime, string MediaType, int Width, int Height);

/// <summary>
/// A refused upload: the error code and English info text <c>api.php</c> gives (MediaWiki's message as the
/// BC error format renders it: <c>&lt;code&gt;</c> as quotes, other tags stripped, whitespace collapsed),
/// and for <c>verification-error</c> its <c>details</c>: the message key, then its parameters.
/// </summary>
internal sealed record UploadRefusal(string Code, string Info, IReadOnlyList<string>? Details = null);

/// <summary>The outcome of a verification: what the content is, and why it is refused (null when it may be uploaded).</summary>
internal sealed record FileVerification(FileFacts Facts, UploadRefusal? Refusal);

/// <summary>
/// The checks a file passes before CrossWiki stores it, those of MediaWiki 1.39's UploadBase (verifyUpload,
/// verifyPartialFile, verifyFile, checkFileExtension, detectScript, detectScriptInSvg) with MimeAnalyzer's
/// content sniffing, as one pure function of the bytes and the name. Nothing here touches the request or
/// storage; <c>action=upload</c> turns a refusal into its <see cref="ActionApi.ApiError"/>.
/// </summary>
internal static partial class FileVerifier
{
    /// <summary>How much of a file MimeAnalyzer and detectScript look at for binary content.</summary>
    private const int HeadLength = 1024;

    /// <summary>The longest ZIP end-of-central-directory record (with its comment): the tail MimeAnalyzer reads.</summary>
    private const int TailLength = 65558;

    /// <summary>
    /// CrossWiki's limit on the markup and text it reads whole (MediaWiki reads the whole file): SVG and XML
    /// beyond it cannot be checked for scripts and are refused as unparsable; text beyond it is scanned this far.
    /// </summary>
    private const int ScanLimit = 5 * 1024 * 1024;

    /// <summary>MediaWiki 1.39's <c>$wgSVGMetadataCutoff</c>: how far the XML declaration's encoding is looked for.</summary>
    private const int XmlDeclarationCutoff = 256 * 1024;

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private const string InkscapeNamespace = "http://www.inkscape.org/namespaces/inkscape";

    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789:_.-");

    private static ReadOnlySpan<byte> Utf8Bom => [0xef, 0xbb, 0xbf];

    /// <summary>MediaWiki 1.39's <c>$wgProhibitedFileExtensions</c>: never allowed, wherever they are in the name.</summary>
    private static readonly FrozenSet<string> ProhibitedExtensions = FrozenSet.Create(StringComparer.Ordinal,
        // HTML may contain cookie-stealing JavaScript and web bugs
        "html", "htm", "js", "jsb", "mhtml", "mht", "xhtml", "xht",
        // PHP scripts may execute arbitrary code on the server
        "php", "phtml", "php3", "php4", "php5", "phps", "phar",
        // Other types that may be interpreted by some servers
        "shtml", "jhtml", "pl", "py", "cgi",
        // May contain harmful executables for Windows victims
        "exe", "scr", "dll", "msi", "vbs", "bat", "com", "pif", "cmd", "vxd", "cpl");

    /// <summary>MediaWiki 1.39's <c>$wgMimeTypeExclusions</c>: content of these types is refused whatever its name.</summary>
    private static readonly FrozenSet<string> MimeTypeExclusions = FrozenSet.Create(StringComparer.Ordinal,
        "text/html", "text/javascript", "text/x-javascript", "application/x-shellscript",
        "application/x-php", "text/x-php",
        "text/x-python", "text/x-perl", "text/x-bash", "text/x-sh", "text/x-csh",
        "text/scriptlet", "application/x-msdownload",
        "application/x-msmetafile");

    /// <summary>
    /// The extensions of the MIME types CrossWiki detects, from MediaWiki's MIME map: the content must have
    /// one of these when it is one of these types (UploadBase::verifyExtension).
    /// </summary>
    private static readonly FrozenDictionary<string, string[]> ExtensionsByMime = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["image/png"] = ["png"],
        ["image/gif"] = ["gif"],
        ["image/jpeg"] = ["jpeg", "jpg", "jpe"],
        ["image/webp"] = ["webp"],
        ["image/svg+xml"] = ["svg"],
        ["image/x-xcf"] = ["xcf"],
        ["application/pdf"] = ["pdf"],
        ["application/zip"] = ["zip"],
        ["application/ogg"] = ["ogx", "ogg", "ogm", "ogv", "oga", "spx", "opus"],
        ["audio/midi"] = ["mid", "midi", "kar"],
        ["audio/mpeg"] = ["mpga", "mpa", "mp2", "mp3"],
        ["application/x-msmetafile"] = ["wmf"],
        ["application/octet-stream"] = ["bin", "dms", "lrf", "mar", "so", "dist", "distz", "pkg", "bpk", "dump", "elc", "deploy", "exe", "dll", "deb", "dmg", "iso", "img", "msi", "msp", "msm", "buffer"],
        ["application/x-php"] = ["php"],
        ["application/x-sh"] = ["sh"],
        ["application/xml"] = ["xml", "xsl", "xsd", "kml"],
        ["text/xml"] = ["xml"],
        ["text/html"] = ["html", "htm"],
        ["text/plain"] = ["txt", "text", "conf", "def", "list", "log", "in"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> KnownExtensions = ExtensionsByMime.Values.SelectMany(e => e).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>MediaWiki's hard-coded magic numbers (MimeAnalyzer::doGuessMimeType), tried first and in this order.</summary>
    private static readonly (byte[] Magic, string Mime)[] MagicHeaders =
    [
        ("MThd"u8.ToArray(), "audio/midi"),
        ("OggS"u8.ToArray(), "application/ogg"),
        ("ID3"u8.ToArray(), "audio/mpeg"),
        ([0xff, 0xfb], "audio/mpeg"),
        ([0xff, 0xf3], "audio/mpeg"),
        ([0xff, 0xe3], "audio/mpeg"),
        ([0x01, 0x00, 0x09, 0x00], "application/x-msmetafile"),
        ([0xd7, 0xcd, 0xc6, 0x9a], "application/x-msmetafile"),
        ("%PDF"u8.ToArray(), "application/pdf"),
        ("gimp xcf"u8.ToArray(), "image/x-xcf"),
        // Some forbidden fruit: DOS/Windows, Mach-O and ELF executables.
        ("MZ"u8.ToArray(), "application/octet-stream"),
        ([0xca, 0xfe, 0xba, 0xbe], "application/octet-stream"),
        ([0x7f, (byte)'E', (byte)'L', (byte)'F'], "application/octet-stream"),
    ];

    /// <summary>What the file(1) magic takes for an HTML document in a text file.</summary>
    private static readonly string[] HtmlMarkers = ["<!doctype html", "<html", "<head", "<title", "<body", "<script", "<style", "<table", "<a href="];

    /// <summary>The tags detectScript refuses in the first kilobyte of any file (what old IE and Safari took for HTML).</summary>
    private static readonly string[] ScriptTags = ["<body", "<head", "<html", "<script"];

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

    /// <summary>The English texts (en.json) of the messages a refusal can carry, with MediaWiki's markup.</summary>
    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["empty-file"] = "The file you submitted was empty.",
        ["filetype-missing"] = "The file has no extension (like \".jpg\").",
        ["filetype-mime-mismatch"] = "File extension \".$1\" does not match the detected MIME type of the file ($2).",
        ["filetype-badmime"] = "Files of the MIME type \"$1\" are not allowed to be uploaded.",
        ["uploadscripted"] = "This file contains HTML or script code that may be erroneously interpreted by a web browser.",
        ["upload-scripted-pi-callback"] = "Cannot upload a file that contains XML-stylesheet processing instruction.",
        ["upload-scripted-dtd"] = "Cannot upload SVG files that contain a non-standard DTD declaration.",
        ["uploaded-script-svg"] = "Found scriptable element \"$1\" in the uploaded SVG file.",
        ["uploaded-hostile-svg"] = "Found unsafe CSS in the style element of uploaded SVG file.",
        ["uploaded-event-handler-on-svg"] = "Setting event-handler attributes <code>$1=\"$2\"</code> is not allowed in SVG files.",
        ["uploaded-href-attribute-svg"] = "<a> elements can only link (href) to data: (embedded file), http:// or https://, or fragment (#, same-document) targets. For other elements, such as <image>, only data: and fragment are allowed. Try embedding images when exporting your SVG. Found <code>&lt;$1 $2=\"$3\"&gt;</code>.",
        ["uploaded-href-unsafe-target-svg"] = "Found href to unsafe data: URI target <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-animate-svg"] = "Found \"animate\" tag that might be changing href, using the \"from\" attribute <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-event-handler-svg"] = "Setting event-handler attributes is blocked, found <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-href-svg"] = "Using the \"set\" tag to add \"href\" attribute to parent element is blocked.",
        ["uploaded-wrong-setting-svg"] = "Using the \"set\" tag to add a remote/data/script target to any attribute is blocked. Found <code>&lt;set to=\"$1\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-handler-svg"] = "SVG that sets the \"handler\" attribute with remote/data/script is blocked. Found <code>$1=\"$2\"</code> in the uploaded SVG file.",
        ["uploaded-remote-url-svg"] = "SVG that sets any style attribute with remote URL is blocked. Found <code>$1=\"$2\"</code> in the uploaded SVG file.",
        ["uploaded-image-filter-svg"] = "Found image filter with URL: <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploadscriptednamespace"] = "This SVG file contains an illegal namespace \"<nowiki>$1</nowiki>\".",
        ["uploadinvalidxml"] = "The XML in the uploaded file could not be parsed.",
        // CrossWiki's own message (MediaWiki has no such upload check).
        ["file-too-many-pixels"] = "The image has $1 pixels, more than the $2 pixels this wiki accepts.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The extension of a file name as MediaWiki takes it (UploadBase::getTitle): the part after the last dot
    /// once <c>: / \</c> became <c>-</c>, trimmed and lower-cased (<c>jpeg</c> and <c>jpg</c> stay as they
    /// are), or "" when the name has no dot.
    /// </summary>
    public static string ExtensionOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return AsciiLower(FinalExtension(NameParts(fileName)));
    }

    /// <summary>
    /// Checks the name's extensions alone, as UploadBase::getTitle does after the content is checked: null
    /// when allowed; <c>filetype-missing</c> when there is none; <c>filetype-banned</c> when any dotted part is
    /// prohibited (so <c>x.php.png</c> is refused for its <c>php</c>) or the last one is not in
    /// <see cref="UploadRules.FileExtensions"/>. The info names the refused and the permitted types as
    /// ApiUpload::checkVerification words them.
    /// </summary>
    public static UploadRefusal? CheckExtension(string fileName, UploadRules rules)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(rules);
        var parts = NameParts(fileName);
        var written = FinalExtension(parts);
        if (written.Length == 0)
        {
            return new UploadRefusal("filetype-missing", Render("filetype-missing"));
        }

        var prohibited = parts.Skip(1).Select(AsciiLower).Where(ProhibitedExtensions.Contains).ToList();
        var allowed = rules.FileExtensions.Select(AsciiLower).Distinct(StringComparer.Ordinal).ToList();
        if (prohibited.Count == 0 && allowed.Contains(AsciiLower(written), StringComparer.Ordinal))
        {
            return null;
        }

        // ApiUpload: the prohibited parts when there are any, else the final extension as written.
        var refused = prohibited.Count > 0 ? prohibited : [written];
        var text = "<strong>\"." + string.Join(", ", refused) + "\"</strong> "
            + (refused.Count == 1 ? "is not a permitted file type" : "are not permitted file types")
            + ".\nPermitted " + (allowed.Count == 1 ? "file type is" : "file types are") + " " + string.Join(", ", allowed) + ".";
        return new UploadRefusal("filetype-banned", StripMarkup(text));
    }

    /// <summary>
    /// Reads the content from its start (the stream must be seekable; only the header and tail are read, and the
    /// whole file only for markup and text, up to 5 MB) and checks it in UploadBase::verifyUpload's order:
    /// empty file; a MIME type in <c>$wgMimeTypeExclusions</c> (<c>filetype-badmime</c>); HTML or script in
    /// the first kilobyte (<c>uploadscripted</c>); scripts in an SVG (the <c>uploaded-*-svg</c> keys,
    /// <c>uploadscriptednamespace</c>, <c>upload-scripted-*</c>); an extension the content does not have
    /// (<c>filetype-mime-mismatch</c>); SVG that is not well-formed XML (<c>uploadinvalidxml</c>); a bitmap
    /// larger than <see cref="UploadRules.MaxImageArea"/>; then the name's extension (<see cref="CheckExtension"/>).
    /// </summary>
    public static FileVerification Verify(Stream content, string fileName, UploadRules rules)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(rules);
        var length = content.Length;
        if (length == 0)
        {
            return new FileVerification(new FileFacts("application/x-empty", "UNKNOWN", 0, 0), new UploadRefusal("empty-file", Render("empty-file")));
        }

        var sample = new Sample(content, length);
        var mime = DetectMime(sample);
        var (width, height) = mime switch
        {
            "image/png" => PngSize(sample.Head),
            "image/gif" => GifSize(sample.Head),
            "image/jpeg" => JpegSize(content, length),
            "image/webp" => WebPSize(sample.Head),
            "image/svg+xml" => SvgSize(sample.Scan),
            _ => (0, 0),
        };
        var facts = new FileFacts(mime, MediaTypeOf(mime), width, height);
        var refusal = CheckContent(sample, facts, FinalExtension(NameParts(fileName)), rules) ?? CheckExtension(fileName, rules);
        return new FileVerification(facts, refusal);
    }

    /// <summary>verifyPartialFile, then verifyFile, then CrossWiki's pixel limit.</summary>
    private static UploadRefusal? CheckContent(Sample sample, FileFacts facts, string extension, UploadRules rules)
    {
        var mime = facts.Mime;
        if (MimeTypeExclusions.Contains(mime))
        {
            return Failed("filetype-badmime", mime);
        }

        if (DetectScript(sample, mime, extension))
        {
            return Failed("uploadscripted");
        }

        // MediaWiki compares the extension as written here (=== 'svg').
        var svg = extension == "svg" || mime == "image/svg+xml";
        var scan = svg ? sample.Scan : null;
        if (scan is { WellFormed: true, Refusal: { } hostile })
        {
            return Failed(hostile);
        }

        if (extension.Length > 0 && !MatchesExtension(mime, AsciiLower(extension)))
        {
            return Failed("filetype-mime-mismatch", extension, mime);
        }

        // Invalid XML only counts once the whole file is there (T60553, T67724); markup past the scan limit
        // could not be read whole, so it could not be checked either.
        if (svg && scan is not { WellFormed: true })
        {
            return Failed("uploadinvalidxml");
        }

        // CrossWiki's own rule, not MediaWiki's: a bitmap is decompressed whole to make thumbnails, so one
        // with more pixels than $wgMaxImageArea (a decompression bomb) is refused at upload. SVG sizes are
        // nominal (drawings are rendered at the size asked), so they are not limited here.
        var area = (long)facts.Width * facts.Height;
        if (facts.MediaType == "BITMAP" && area > rules.MaxImageArea)
        {
            return Failed("file-too-many-pixels", area.ToString(CultureInfo.InvariantCulture), rules.MaxImageArea.ToString(CultureInfo.InvariantCulture));
        }

        return null;
    }

    /// <summary>
    /// MimeAnalyzer::guessMimeType in its order: magic numbers, WebP, PHP, well-formed XML by its root
    /// element, shell scripts, ZIP by its end record, images, then what file(1) would say.
    /// </summary>
    private static string DetectMime(Sample sample)
    {
        var head = sample.Head;
        foreach (var (magic, mime) in MagicHeaders)
        {
            if (head.AsSpan().StartsWith(magic))
            {
                return mime;
            }
        }

        if (head.Length >= 15 && head.AsSpan().StartsWith("RIFF"u8) && head.AsSpan(8, 7).SequenceEqual("WEBPVP8"u8))
        {
            return "image/webp";
        }

        if (LooksLikePhp(head))
        {
            return "application/x-php";
        }

        if (sample.Scan is { WellFormed: true } xml)
        {
            return xml.Root switch
            {
                "http://www.w3.org/2000/svg:svg" or "svg" => "image/svg+xml",
                "http://www.w3.org/1999/xhtml:html" or "html" => "text/html",
                "http://www.lysator.liu.se/~alla/dia/:diagram" => "application/x-dia-diagram",
                _ => "application/xml",
            };
        }

        if (ShellScriptMime(head) is { } script)
        {
            return script;
        }

        if (HasZipEndRecord(sample.Tail))
        {
            return "application/zip";
        }

        if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]))
        {
            return "image/png";
        }

        if (head.AsSpan().StartsWith("GIF87a"u8) || head.AsSpan().StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xff, 0xd8, 0xff]))
        {
            return "image/jpeg";
        }

        if (head.AsSpan().StartsWith("PK\x03\x04"u8))
        {
            return "application/zip";
        }

        return SniffText(head);
    }

    /// <summary>The PHP heuristic, checked before HTML and XML (MediaWiki cut it down for T18583).</summary>
    private static bool LooksLikePhp(byte[] head)
    {
        var span = head.AsSpan();
        return span.IndexOf("<?php"u8) >= 0
            || span.IndexOf("<\0?\0p\0h\0p"u8) >= 0
            || span.IndexOf("<\0?\0 "u8) >= 0
            || span.IndexOf("<\0?\0\n"u8) >= 0
            || span.IndexOf("<\0?\0\t"u8) >= 0
            || span.IndexOf("<\0?\0="u8) >= 0;
    }

    /// <summary>A shebang line gives <c>application/x-</c> and the interpreter's name, as MimeAnalyzer reads it.</summary>
    private static string? ShellScriptMime(byte[] head)
    {
        string text;
        if (head.AsSpan().StartsWith("#!"u8) || head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xef, 0xbb, 0xbf, (byte)'#', (byte)'!']))
        {
            text = Encoding.Latin1.GetString(head);
        }
        else if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff, 0x00, (byte)'#', 0x00, (byte)'!']))
        {
            text = FoldToAscii(Encoding.BigEndianUnicode.GetString(head, 2, (head.Length - 2) & ~1));
        }
        else if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe, (byte)'#', 0x00, (byte)'!']))
        {
            text = FoldToAscii(Encoding.Unicode.GetString(head, 2, (head.Length - 2) & ~1));
        }
        else
        {
            return null;
        }

        var match = Interpreter().Match(text);
        return match.Success ? "application/x-" + match.Groups[2].Value : null;
    }

    /// <summary>
    /// A ZIP end-of-central-directory record that really ends the file (T40432). The comment length is read
    /// big-endian, as MediaWiki's <c>unpack('n')</c> does; ZIP files without a comment are not affected.
    /// </summary>
    private static bool HasZipEndRecord(byte[] tail)
    {
        var at = tail.AsSpan().IndexOf("PK\x05\x06"u8);
        if (at < 0)
        {
            return false;
        }

        var commentLength = at + 22 <= tail.Length ? BinaryPrimitives.ReadUInt16BigEndian(tail.AsSpan(at + 20, 2)) : 0;
        return at + 22 + commentLength == tail.Length;
    }

    /// <summary>The last resort, file(1)'s view of a file: SVG and XML documents, HTML, plain text, or binary.</summary>
    private static string SniffText(byte[] head)
    {
        var bom = head.AsSpan().StartsWith(Utf8Bom) ? 3 : 0;
        if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff]) || head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]))
        {
            return "text/plain";
        }

        foreach (var b in head.AsSpan(bom))
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not 0x0b and not 0x0c and not (byte)'\r' and not 0x1b || b == 0x7f)
            {
                return "application/octet-stream";
            }
        }

        var text = AsciiLower(Encoding.Latin1.GetString(head, bom, head.Length - bom));
        if (FirstElementName(text) is { } root && (root == "svg" || root.EndsWith(":svg", StringComparison.Ordinal)))
        {
            return "image/svg+xml";
        }

        if (text.TrimStart().StartsWith("<?xml", StringComparison.Ordinal))
        {
            return "text/xml";
        }

        return HtmlMarkers.Any(m => text.Contains(m, StringComparison.Ordinal)) ? "text/html" : "text/plain";
    }

    /// <summary>
    /// The name of the first start tag of some markup, after whitespace, the XML declaration, processing
    /// instructions, comments and a DOCTYPE (with its internal subset); null when the text does not start so.
    /// </summary>
    private static string? FirstElementName(string text)
    {
        var i = 0;
        while (true)
        {
            while (i < text.Length && IsPcreSpace(text[i]))
            {
                i++;
            }

            if (i + 1 >= text.Length || text[i] != '<')
            {
                return null;
            }

            int end;
            if (text[i + 1] == '?')
            {
                end = text.IndexOf("?>", i + 2, StringComparison.Ordinal);
                end = end < 0 ? -1 : end + 2;
            }
            else if (text.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
            {
                end = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                end = end < 0 ? -1 : end + 3;
            }
            else if (text[i + 1] == '!')
            {
                // A DOCTYPE: its '>' is the first one outside the internal subset's brackets.
                end = -1;
                var subset = false;
                for (var j = i + 2; j < text.Length; j++)
                {
                    if (text[j] == '[' || text[j] == ']')
                    {
                        subset = text[j] == '[';
                    }
                    else if (text[j] == '>' && !subset)
                    {
                        end = j + 1;
                        break;
                    }
                }
            }
            else
            {
                var length = text.AsSpan(i + 1).IndexOfAnyExcept(NameCharacters);
                return length > 0 ? text.Substring(i + 1, length) : null;
            }

            if (end < 0)
            {
                return null;
            }

            i = end;
        }
    }

    /// <summary>
    /// UploadBase::detectScript: whether a browser could take the file for HTML or find script in it. Binary
    /// files are judged by their first kilobyte, text files whole.
    /// </summary>
    private static bool DetectScript(Sample sample, string mime, string extension)
    {
        var bytes = mime.StartsWith("text/", StringComparison.Ordinal) ? sample.Document : sample.Head;
        var chunk = AsciiLower(Encoding.Latin1.GetString(bytes));

        // Decoded from UTF-16 when it starts so, which could be used for obfuscation.
        if (chunk.StartsWith("\u00fe\u00ff", StringComparison.Ordinal))
        {
            chunk = FoldToAscii(Encoding.BigEndianUnicode.GetString(Encoding.Latin1.GetBytes(chunk)), drop: true);
        }
        else if (chunk.StartsWith("\u00ff\u00fe", StringComparison.Ordinal))
        {
            chunk = FoldToAscii(Encoding.Unicode.GetString(Encoding.Latin1.GetBytes(chunk)), drop: true);
        }

        chunk = chunk.Trim(' ', '\t', '\n', '\r', '\0', '\v');
        if (chunk.Length == 0)
        {
            return false;
        }

        if (DoctypeHtml().IsMatch(chunk))
        {
            return true;
        }

        if ((extension == "svg" || mime.StartsWith("image/svg", StringComparison.Ordinal)) && HasUnsafeXmlEncoding(sample.Document))
        {
            return true;
        }

        if (ScriptTags.Any(tag => chunk.Contains(tag, StringComparison.Ordinal)))
        {
            return true;
        }

        chunk = WebUtility.HtmlDecode(chunk);
        return ScriptType().IsMatch(chunk) || ScriptUrl().IsMatch(chunk) || CssScriptUrl().IsMatch(chunk);
    }

    /// <summary>
    /// UploadBase::checkXMLEncodingMissmatch: an XML declaration naming an encoding that browsers and the
    /// server's parser could read differently (T49304), one left unclosed, or EBCDIC; looked for as bytes,
    /// then as UTF-16 and UTF-32.
    /// </summary>
    private static bool HasUnsafeXmlEncoding(byte[] document)
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
    /// Reads the XML as MediaWiki's XmlTypeCheck does: well-formedness, the root element, processing
    /// instructions and the DOCTYPE, then each element (as it closes) through the SVG filter. Entities are
    /// expanded only when the internal DTD subset is one XmlTypeCheck calls safe, and nothing external is
    /// ever fetched (no resolver).
    /// </summary>
    private static XmlScan ScanXml(byte[] document)
    {
        var scan = new XmlScan();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = ScanLimit,
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
                            open.Peek().Data.Append(reader.Value.Trim(' ', '\t', '\n', '\r', '\0', '\v'));
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
            while (i < subset.Length && IsPcreSpace(subset[i]))
            {
                i++;
            }

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
        int SkipSpace(int at)
        {
            while (at < text.Length && IsPcreSpace(text[at]))
            {
                at++;
            }

            return at;
        }

        var nameStart = SkipSpace(i);
        if (nameStart == i)
        {
            return -1;
        }

        var nameEnd = nameStart;
        while (nameEnd < text.Length && !IsPcreSpace(text[nameEnd]))
        {
            nameEnd++;
        }

        var quoteAt = SkipSpace(nameEnd);
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

        var end = SkipSpace(close + 1);
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
        if (CheckSvgElement(element.Name, element.Attributes, element.Data.ToString(), scan) is { } hit)
        {
            scan.Hit = hit;
        }
    }

    /// <summary>
    /// UploadBase::checkSvgScriptCallback: the namespace allow-list, scriptable elements, hostile CSS, event
    /// handlers, links, animations that set links or handlers, and remote URLs in styles. Returns the message
    /// key and parameters of the first problem of the element, in MediaWiki's order, or null.
    /// </summary>
    private static string[]? CheckSvgElement(string name, List<KeyValuePair<string, string>> attributes, string data, XmlScan scan)
    {
        var (ns, element) = SplitName(name);

        // Inkscape mangles namespace definitions created by Adobe Illustrator; harmless (T144827).
        if (!(BuggyInkscapeNamespace().IsMatch(ns) || SvgNamespaces.Contains(ns)))
        {
            scan.NamespaceError = ns;
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
            var value = AsciiLower(raw);

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
            var next = at;
            while (next < value.Length && IsPcreSpace(value[next]))
            {
                next++;
            }

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

    /// <summary>Whether an extension fits a MIME type (UploadBase::verifyExtension with MimeAnalyzer's map).</summary>
    private static bool MatchesExtension(string mime, string extension) =>
        ExtensionsByMime.TryGetValue(mime, out var extensions)
            ? extensions.Contains(extension, StringComparer.Ordinal)
            // No extension is known for the type: it passes unless the extension is known to be another type's.
            : !KnownExtensions.Contains(extension);

    /// <summary>The media type MediaWiki's MIME info files a MIME type under.</summary>
    private static string MediaTypeOf(string mime) => mime switch
    {
        "image/png" or "image/gif" or "image/jpeg" or "image/webp" or "image/x-xcf" => "BITMAP",
        "image/svg+xml" => "DRAWING",
        "application/pdf" => "OFFICE",
        "application/zip" => "ARCHIVE",
        "audio/midi" or "audio/mpeg" => "AUDIO",
        "application/ogg" => "MULTIMEDIA",
        "application/xml" => "TEXT",
        _ when mime.StartsWith("text/", StringComparison.Ordinal) => "TEXT",
        _ => "UNKNOWN",
    };

    /// <summary>The IHDR chunk's width and height.</summary>
    private static (int Width, int Height) PngSize(byte[] head) =>
        head.Length >= 24 && head.AsSpan(12, 4).SequenceEqual("IHDR"u8)
            ? (Clamp(BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16))), Clamp(BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(20))))
            : (0, 0);

    /// <summary>The logical screen's width and height.</summary>
    private static (int Width, int Height) GifSize(byte[] head) =>
        head.Length >= 10 ? (BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8))) : (0, 0);

    /// <summary>The first frame header (SOF0 to SOF15), found by walking the segments before the scan.</summary>
    private static (int Width, int Height) JpegSize(Stream content, long length)
    {
        long position = 2;
        var marker = new byte[4];
        while (position + 2 <= length)
        {
            var read = ReadAt(content, position, marker);
            if (read < 2 || marker[0] != 0xff)
            {
                break;
            }

            if (marker[1] == 0xff)
            {
                // Fill bytes before a marker.
                position++;
                continue;
            }

            var code = marker[1];
            if (code is 0xd8 or 0x01 or (>= 0xd0 and <= 0xd7))
            {
                position += 2;
                continue;
            }

            if (code is 0xd9 or 0xda || read < 4)
            {
                break;
            }

            var segment = BinaryPrimitives.ReadUInt16BigEndian(marker.AsSpan(2));
            if (segment < 2)
            {
                break;
            }

            if (code is >= 0xc0 and <= 0xcf and not 0xc4 and not 0xc8 and not 0xcc)
            {
                var frame = new byte[5];
                return ReadAt(content, position + 4, frame) == 5
                    ? (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(3)), BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(1)))
                    : (0, 0);
            }

            position += 2 + segment;
        }

        return (0, 0);
    }

    /// <summary>The canvas of a WebP file: the VP8 frame header, the VP8L header, or the VP8X canvas.</summary>
    private static (int Width, int Height) WebPSize(byte[] head)
    {
        if (head.Length < 16)
        {
            return (0, 0);
        }

        var chunk = head.AsSpan(12, 4);
        if (chunk.SequenceEqual("VP8 "u8) && head.Length >= 30 && head.AsSpan(23, 3).SequenceEqual((ReadOnlySpan<byte>)[0x9d, 0x01, 0x2a]))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(26)) & 0x3fff, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(28)) & 0x3fff);
        }

        if (chunk.SequenceEqual("VP8L"u8) && head.Length >= 25 && head[20] == 0x2f)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(21));
            return ((int)(bits & 0x3fff) + 1, (int)((bits >> 14) & 0x3fff) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8) && head.Length >= 30)
        {
            return ((head[24] | (head[25] << 8) | (head[26] << 16)) + 1, (head[27] | (head[28] << 8) | (head[29] << 16)) + 1);
        }

        return (0, 0);
    }

    /// <summary>
    /// The size MediaWiki's SVG reader gives a drawing from its root element: width and height in their units
    /// (percentages of 512), a missing one from the viewBox's aspect ratio, 512 wide when neither is given.
    /// </summary>
    private static (int Width, int Height) SvgSize(XmlScan? scan)
    {
        if (scan is not { WellFormed: true } || SplitName(scan.Root).Local != "svg")
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

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);

    /// <summary>A verification error: ApiUpload's info is the detail message, and the details are its key and parameters.</summary>
    private static UploadRefusal Failed(string key, params string[] parameters) =>
        new("verification-error", Render(key, parameters), [key, .. parameters]);

    private static UploadRefusal Failed(string[] details) => Failed(details[0], details[1..]);

    /// <summary>A message in English with its parameters, as plain text.</summary>
    private static string Render(string key, params string[] parameters)
    {
        var text = new StringBuilder(Messages[key]);
        for (var i = parameters.Length; i >= 1; i--)
        {
            text.Replace("$" + i.ToString(CultureInfo.InvariantCulture), parameters[i - 1]);
        }

        return StripMarkup(text.ToString());
    }

    /// <summary>
    /// ApiErrorFormatter's plain text of a message (stripMarkup, then Sanitizer::stripAllTags): <c>var</c>,
    /// <c>kbd</c>, <c>samp</c> and <c>code</c> tags become quotes, other tags go, character references are
    /// decoded and runs of whitespace become one space.
    /// </summary>
    private static string StripMarkup(string text)
    {
        text = QuotingTags().Replace(text, "\"");
        var plain = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var tag = text[i] == '<' && i + 1 < text.Length
                && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '!' or '?' || (text[i + 1] == '/' && i + 2 < text.Length && char.IsAsciiLetter(text[i + 2])));
            if (!tag)
            {
                plain.Append(text[i]);
                continue;
            }

            var end = text.IndexOf('>', i);
            if (end < 0)
            {
                break;
            }

            i = end;
        }

        return Whitespace().Replace(WebUtility.HtmlDecode(plain.ToString()), " ").Trim(' ');
    }

    /// <summary>The dotted parts of a name once <c>: / \</c> became <c>-</c> (wfStripIllegalFilenameChars).</summary>
    private static string[] NameParts(string fileName) =>
        fileName.Trim().Replace(':', '-').Replace('/', '-').Replace('\\', '-').Split('.');

    /// <summary>The final extension, trimmed, in the case it was written in; "" when the name has no dot.</summary>
    private static string FinalExtension(string[] parts) => parts.Length > 1 ? parts[^1].Trim() : "";

    /// <summary>
    /// UploadBase::splitXmlNamespace: the whole name lower-cased, split at its last colon into namespace and
    /// local name (<c>http://www.w3.org/2000/svg:script</c>).
    /// </summary>
    private static (string Namespace, string Local) SplitName(string name)
    {
        var lower = AsciiLower(name);
        var colon = lower.LastIndexOf(':');
        return colon < 0 ? ("", lower) : (lower[..colon], lower[(colon + 1)..]);
    }

    /// <summary>PHP's strtolower: ASCII letters only.</summary>
    private static string AsciiLower(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
        }
    });

    /// <summary>Characters outside ASCII become <c>?</c> (MimeAnalyzer), or are dropped (iconv's ASCII//IGNORE).</summary>
    private static string FoldToAscii(string text, bool drop = false)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii.Append(c);
            }
            else if (!drop)
            {
                ascii.Append('?');
            }
        }

        return ascii.ToString();
    }

    private static bool IsPcreSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Reads up to <paramref name="buffer"/>'s length from an offset; returns how much was read.</summary>
    private static int ReadAt(Stream stream, long offset, byte[] buffer)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    [GeneratedRegex(@"<!doctype *x?html", RegexOptions.IgnoreCase)]
    private static partial Regex DoctypeHtml();

    [GeneratedRegex(@"type\s*=\s*['""]?\s*(?:\w*/)?(?:ecma|java)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ScriptType();

    [GeneratedRegex(@"(?:href|src|data)\s*=\s*['""]?\s*(?:ecma|java)script:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ScriptUrl();

    [GeneratedRegex(@"url\s*\(\s*['""]?\s*(?:ecma|java)script:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex CssScriptUrl();

    [GeneratedRegex(@"<\?xml\b(.*?)\?>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<\?xml\b", RegexOptions.IgnoreCase)]
    private static partial Regex XmlDeclarationStart();

    [GeneratedRegex(@"encoding[ \t\n\r]*=[ \t\n\r]*['""](.*?)['""]", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex EncodingAttribute();

    [GeneratedRegex(@"/?([^ \t\n\v\f\r]+/)([A-Za-z0-9_]+)")]
    private static partial Regex Interpreter();

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

    [GeneratedRegex(@"\s*[\s,]\s*")]
    private static partial Regex ViewBoxSeparator();

    [GeneratedRegex(@"^\s*([-+]?[0-9]*(?:\.[0-9]+|[0-9]+)(?:[Ee][-+]?[0-9]+)?)\s*(em|ex|px|pt|pc|cm|mm|in|%|)\s*$")]
    private static partial Regex SvgLength();

    [GeneratedRegex(@"^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")]
    private static partial Regex LeadingNumber();

    [GeneratedRegex(@"</?(?:var|kbd|samp|code)>")]
    private static partial Regex QuotingTags();

    [GeneratedRegex(@"(?:\r\n|[\x20\r\n\t])+")]
    private static partial Regex Whitespace();

    /// <summary>The parts of a file that are read: its head, its tail, and (for markup and text) its whole, each read once.</summary>
    private sealed class Sample
    {
        private readonly Stream _content;
        private readonly long _length;
        private byte[]? _tail;
        private byte[]? _document;
        private bool _scanned;
        private XmlScan? _scan;

        public Sample(Stream content, long length)
        {
            _content = content;
            _length = length;
            Head = Read(content, 0, HeadLength, length);
        }

        /// <summary>The first kilobyte.</summary>
        public byte[] Head { get; }

        /// <summary>The last 64 KiB, where a ZIP file's end record is.</summary>
        public byte[] Tail => _tail ??= Read(_content, Math.Max(0, _length - TailLength), TailLength, _length);

        /// <summary>The whole file, up to the scan limit.</summary>
        public byte[] Document => _document ??= Read(_content, 0, ScanLimit, _length);

        /// <summary>
        /// The XML reading of the file, or null when it cannot be XML (it does not start with markup) or is
        /// larger than CrossWiki reads whole.
        /// </summary>
        public XmlScan? Scan
        {
            get
            {
                if (!_scanned)
                {
                    _scanned = true;
                    _scan = _length <= ScanLimit && StartsWithMarkup(Head) ? ScanXml(Document) : null;
                }

                return _scan;
            }
        }

        private static byte[] Read(Stream content, long offset, int count, long length)
        {
            var buffer = new byte[(int)Math.Min(count, length - offset)];
            var read = ReadAt(content, offset, buffer);
            return read == buffer.Length ? buffer : buffer[..read];
        }

        /// <summary>XML starts with a byte-order mark, or with markup after optional whitespace.</summary>
        private static bool StartsWithMarkup(byte[] head)
        {
            var span = head.AsSpan();
            if (span.StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff]) || span.StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]))
            {
                return true;
            }

            if (span.StartsWith(Utf8Bom))
            {
                span = span[3..];
            }

            var first = span.IndexOfAnyExcept(" \t\r\n"u8);
            return first >= 0 && span[first] == '<';
        }
    }

    /// <summary>What reading a file as XML found.</summary>
    private sealed class XmlScan
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

    /// <summary>An element being read: its name, its attributes in order, and its own text.</summary>
    private sealed record OpenElement(string Name, List<KeyValuePair<string, string>> Attributes)
    {
        public StringBuilder Data { get; } = new();
    }
}
