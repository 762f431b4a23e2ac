using System.Collections.Frozen;
using System.Globalization;

namespace CrossWiki.Server.Files;

/// <summary>
/// The upload rules of a wiki, MediaWiki's settings of the same names: the extensions a file may have
/// (<c>$wgFileExtensions</c>, always strict as <c>$wgStrictFileExtensions</c>) and the largest bitmap, in
/// pixels, CrossWiki takes (<c>$wgMaxImageArea</c>).
/// </summary>
internal sealed record UploadRules(IReadOnlyList<string> FileExtensions, long MaxImageArea)
{
    /// <summary>
    /// MediaWiki 1.39's extensions (png, gif, jpg, jpeg, webp) plus svg, which CrossWiki accepts because it
    /// rasterises SVG thumbnails itself, and Wikimedia's area limit of 100,000,000 pixels (MediaWiki's default,
    /// 12,500,000, would refuse a 24-megapixel photo; libvips thumbnails big files without decoding them whole).
    /// </summary>
    public static readonly UploadRules Default = new(["png", "gif", "jpg", "jpeg", "webp", "svg"], 100_000_000);
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
/// storage; <c>action=upload</c> turns a refusal into its <see cref="ActionApi.ApiError"/>. The checks
/// themselves are in <see cref="FileSniffing"/> (MIME type, script), <see cref="ImageHeaders"/> (bitmap size),
/// <see cref="SvgDocument"/> and <see cref="SvgFilter"/> (SVG), and the texts in <see cref="FileVerifierMessages"/>.
/// </summary>
internal static class FileVerifier
{
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
    /// The extension of a file name as MediaWiki takes it (UploadBase::getTitle): the part after the last dot
    /// once <c>: / \</c> became <c>-</c>, trimmed and lower-cased (<c>jpeg</c> and <c>jpg</c> stay as they
    /// are), or "" when the name has no dot.
    /// </summary>
    public static string ExtensionOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return FileVerifierText.AsciiLower(FinalExtension(NameParts(fileName)));
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
            return new UploadRefusal("filetype-missing", FileVerifierMessages.Render("filetype-missing"));
        }

        var prohibited = parts.Skip(1).Select(FileVerifierText.AsciiLower).Where(ProhibitedExtensions.Contains).ToList();
        var allowed = rules.FileExtensions.Select(FileVerifierText.AsciiLower).Distinct(StringComparer.Ordinal).ToList();
        if (prohibited.Count == 0 && allowed.Contains(FileVerifierText.AsciiLower(written), StringComparer.Ordinal))
        {
            return null;
        }

        // ApiUpload: the prohibited parts when there are any, else the final extension as written.
        var refused = prohibited.Count > 0 ? prohibited : [written];
        var text = "<strong>\"." + string.Join(", ", refused) + "\"</strong> "
            + (refused.Count == 1 ? "is not a permitted file type" : "are not permitted file types")
            + ".\nPermitted " + (allowed.Count == 1 ? "file type is" : "file types are") + " " + string.Join(", ", allowed) + ".";
        return new UploadRefusal("filetype-banned", FileVerifierMessages.StripMarkup(text));
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
            return new FileVerification(new FileFacts("application/x-empty", "UNKNOWN", 0, 0), new UploadRefusal("empty-file", FileVerifierMessages.Render("empty-file")));
        }

        var sample = new FileSample(content, length);
        var mime = FileSniffing.DetectMime(sample);
        var (width, height) = mime switch
        {
            "image/png" => ImageHeaders.PngSize(sample.Head),
            "image/gif" => ImageHeaders.GifSize(sample.Head),
            "image/jpeg" => ImageHeaders.JpegSize(content, length),
            "image/webp" => ImageHeaders.WebPSize(sample.Head),
            "image/svg+xml" => SvgDocument.Size(sample.Scan),
            _ => (0, 0),
        };
        var facts = new FileFacts(mime, FileSniffing.MediaTypeOf(mime), width, height);
        var refusal = CheckContent(sample, facts, FinalExtension(NameParts(fileName)), rules) ?? CheckExtension(fileName, rules);
        return new FileVerification(facts, refusal);
    }

    /// <summary>verifyPartialFile, then verifyFile, then CrossWiki's pixel limit.</summary>
    private static UploadRefusal? CheckContent(FileSample sample, FileFacts facts, string extension, UploadRules rules)
    {
        var mime = facts.Mime;
        if (MimeTypeExclusions.Contains(mime))
        {
            return Failed("filetype-badmime", mime);
        }

        // MediaWiki compares the extension as written here (=== 'svg'), in detectScript and detectScriptInSvg alike.
        var svg = extension == "svg" || mime == "image/svg+xml";
        if (FileSniffing.DetectScript(sample, mime, svg))
        {
            return Failed("uploadscripted");
        }

        var scan = svg ? sample.Scan : null;
        if (scan is { WellFormed: true, Refusal: { } hostile })
        {
            return Failed(hostile);
        }

        if (extension.Length > 0 && !FileSniffing.MatchesExtension(mime, FileVerifierText.AsciiLower(extension)))
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

    /// <summary>A verification error: ApiUpload's info is the detail message, and the details are its key and parameters.</summary>
    private static UploadRefusal Failed(string key, params string[] parameters) =>
        new("verification-error", FileVerifierMessages.Render(key, parameters), [key, .. parameters]);

    private static UploadRefusal Failed(string[] details) => Failed(details[0], details[1..]);

    /// <summary>The dotted parts of a name once <c>: / \</c> became <c>-</c> (wfStripIllegalFilenameChars).</summary>
    private static string[] NameParts(string fileName) =>
        fileName.Trim().Replace(':', '-').Replace('/', '-').Replace('\\', '-').Split('.');

    /// <summary>The final extension, trimmed, in the case it was written in; "" when the name has no dot.</summary>
    private static string FinalExtension(string[] parts) => parts.Length > 1 ? parts[^1].Trim() : "";
}

/// <summary>The parts of a file that are read: its head, its tail, and (for markup and text) its whole, each read once.</summary>
internal sealed class FileSample
{
    /// <summary>How much of a file MimeAnalyzer and detectScript look at for binary content.</summary>
    private const int HeadLength = 1024;

    /// <summary>The longest ZIP end-of-central-directory record (with its comment): the tail MimeAnalyzer reads.</summary>
    private const int TailLength = 65558;

    /// <summary>
    /// CrossWiki's limit on the markup and text it reads whole (MediaWiki reads the whole file): SVG and XML
    /// beyond it cannot be checked for scripts and are refused as unparsable; text beyond it is scanned this far.
    /// </summary>
    public const int ScanLimit = 5 * 1024 * 1024;

    private readonly Stream _content;
    private readonly long _length;
    private byte[]? _tail;
    private byte[]? _document;
    private bool _scanned;
    private XmlScan? _scan;

    public FileSample(Stream content, long length)
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
                _scan = _length <= ScanLimit && StartsWithMarkup(Head) ? SvgDocument.Scan(Document) : null;
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
        if (FileVerifierText.StartsWithUtf16Bom(head))
        {
            return true;
        }

        var span = FileVerifierText.SkipUtf8Bom(head);
        var first = span.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && span[first] == '<';
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from an offset; returns how much was read.</summary>
    public static int ReadAt(Stream stream, long offset, byte[] buffer)
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
}
