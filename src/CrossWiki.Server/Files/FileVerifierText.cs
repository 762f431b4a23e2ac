using System.Text;

namespace CrossWiki.Server.Files;

/// <summary>
/// The string and byte helpers the upload checks share: PHP's and PCRE's notions of case, trimming and
/// whitespace, which MediaWiki's checks are written in, and the byte-order marks content sniffing looks for.
/// </summary>
internal static class FileVerifierText
{
    /// <summary>What PHP's trim() takes off by default: space, tab, newline, carriage return, NUL and vertical tab.</summary>
    private static readonly char[] PhpTrimCharacters = [' ', '\t', '\n', '\r', '\0', '\v'];

    private static ReadOnlySpan<byte> Utf8Bom => [0xef, 0xbb, 0xbf];

    /// <summary>PHP's strtolower: ASCII letters only.</summary>
    public static string AsciiLower(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
        }
    });

    /// <summary>PHP's trim() with its default characters.</summary>
    public static string PhpTrim(string text) => text.Trim(PhpTrimCharacters);

    /// <summary>Characters outside ASCII become <c>?</c> (MimeAnalyzer), or are dropped (iconv's ASCII//IGNORE).</summary>
    public static string FoldToAscii(string text, bool drop = false)
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

    public static bool IsPcreSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Where the run of PCRE whitespace (<c>\s</c>) that starts at <paramref name="at"/> ends.</summary>
    public static int SkipPcreSpace(string text, int at)
    {
        while (at < text.Length && IsPcreSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>Whether the bytes start with a UTF-16 byte-order mark, big- or little-endian.</summary>
    public static bool StartsWithUtf16Bom(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]);

    /// <summary>The bytes after a UTF-8 byte-order mark, or all of them when there is none.</summary>
    public static ReadOnlySpan<byte> SkipUtf8Bom(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Utf8Bom) ? bytes[3..] : bytes;
}
