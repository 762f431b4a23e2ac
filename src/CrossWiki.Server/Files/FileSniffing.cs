using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Files;

/// <summary>
/// What the bytes of a file are, as MediaWiki 1.39's MimeAnalyzer sniffs them (magic numbers, then markup and
/// text as file(1) would), with its MIME map and media types, and UploadBase::detectScript's look for HTML and
/// script that a browser could find in any file.
/// </summary>
internal static partial class FileSniffing
{
    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789:_.-");

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

    /// <summary>The extensions that stand for one type only, with that type.</summary>
    private static readonly FrozenDictionary<string, string> MimeByExtension = ExtensionsByMime
        .SelectMany(p => p.Value.Select(extension => (Extension: extension, Mime: p.Key)))
        .GroupBy(e => e.Extension, StringComparer.Ordinal)
        .Where(g => g.Count() == 1)
        .ToFrozenDictionary(g => g.Key, g => g.Single().Mime, StringComparer.Ordinal);

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

    /// <summary>
    /// MimeAnalyzer::guessMimeType in its order: magic numbers, WebP, PHP, well-formed XML by its root
    /// element, shell scripts, ZIP by its end record, images, then what file(1) would say.
    /// </summary>
    public static string DetectMime(FileSample sample)
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
            text = FileVerifierText.FoldToAscii(Encoding.BigEndianUnicode.GetString(head, 2, (head.Length - 2) & ~1));
        }
        else if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe, (byte)'#', 0x00, (byte)'!']))
        {
            text = FileVerifierText.FoldToAscii(Encoding.Unicode.GetString(head, 2, (head.Length - 2) & ~1));
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
        if (FileVerifierText.StartsWithUtf16Bom(head))
        {
            return "text/plain";
        }

        var body = FileVerifierText.SkipUtf8Bom(head);
        foreach (var b in body)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not 0x0b and not 0x0c and not (byte)'\r' and not 0x1b || b == 0x7f)
            {
                return "application/octet-stream";
            }
        }

        var text = FileVerifierText.AsciiLower(Encoding.Latin1.GetString(body));
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
            i = FileVerifierText.SkipPcreSpace(text, i);
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
    /// files are judged by their first kilobyte, text files whole; <paramref name="svg"/> (the extension or
    /// the content is SVG) adds the XML declaration's encoding to the checks.
    /// </summary>
    public static bool DetectScript(FileSample sample, string mime, bool svg)
    {
        var bytes = mime.StartsWith("text/", StringComparison.Ordinal) ? sample.Document : sample.Head;
        var chunk = FileVerifierText.AsciiLower(Encoding.Latin1.GetString(bytes));

        // Decoded from UTF-16 when it starts so, which could be used for obfuscation.
        var utf16 = chunk.StartsWith("\u00fe\u00ff", StringComparison.Ordinal) ? Encoding.BigEndianUnicode
            : chunk.StartsWith("\u00ff\u00fe", StringComparison.Ordinal) ? Encoding.Unicode
            : null;
        if (utf16 is not null)
        {
            chunk = FileVerifierText.FoldToAscii(utf16.GetString(Encoding.Latin1.GetBytes(chunk)), drop: true);
        }

        chunk = FileVerifierText.PhpTrim(chunk);
        if (chunk.Length == 0)
        {
            return false;
        }

        if (DoctypeHtml().IsMatch(chunk))
        {
            return true;
        }

        if (svg && SvgDocument.HasUnsafeXmlEncoding(sample.Document))
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

    /// <summary>The type an extension stands for in MimeAnalyzer's map; null when it names none, or several (<c>xml</c>).</summary>
    public static string? MimeOfExtension(string extension) => MimeByExtension.GetValueOrDefault(extension);

    /// <summary>Whether an extension fits a MIME type (UploadBase::verifyExtension with MimeAnalyzer's map).</summary>
    public static bool MatchesExtension(string mime, string extension) =>
        ExtensionsByMime.TryGetValue(mime, out var extensions)
            ? extensions.Contains(extension, StringComparer.Ordinal)
            // No extension is known for the type: it passes unless the extension is known to be another type's.
            : !KnownExtensions.Contains(extension);

    /// <summary>The media type MediaWiki's MIME info files a MIME type under.</summary>
    public static string MediaTypeOf(string mime) => mime switch
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

    [GeneratedRegex(@"<!doctype *x?html", RegexOptions.IgnoreCase)]
    private static partial Regex DoctypeHtml();

    [GeneratedRegex(@"type\s*=\s*['""]?\s*(?:\w*/)?(?:ecma|java)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ScriptType();

    [GeneratedRegex(@"(?:href|src|data)\s*=\s*['""]?\s*(?:ecma|java)script:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ScriptUrl();

    [GeneratedRegex(@"url\s*\(\s*['""]?\s*(?:ecma|java)script:", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex CssScriptUrl();

    [GeneratedRegex(@"/?([^ \t\n\v\f\r]+/)([A-Za-z0-9_]+)")]
    private static partial Regex Interpreter();
}
