using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

internal sealed record TitleParseResult
{
    private TitleParseResult(Title? title, string? code, string? message)
    {
        Title = title;
        Code = code;
        Message = message;
    }

    public Title? Title { get; }

    public string? Code { get; }

    public string? Message { get; }

    [MemberNotNullWhen(true, nameof(Title))]
    [MemberNotNullWhen(false, nameof(Code), nameof(Message))]
    public bool IsValid => Title is not null;

    public static TitleParseResult Success(Title title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new TitleParseResult(title, null, null);
    }

    public static TitleParseResult Failure(string code, string message) => new(null, code, message);
}

internal static class TitleParser
{
    public const string InvalidEmpty = "title-invalid-empty";
    public const string InvalidUtf8 = "title-invalid-utf8";
    public const string InvalidTalkNamespace = "title-invalid-talk-namespace";
    public const string InvalidCharacters = "title-invalid-characters";
    public const string InvalidRelative = "title-invalid-relative";
    public const string InvalidMagicTilde = "title-invalid-magic-tilde";
    public const string InvalidTooLong = "title-invalid-too-long";
    public const string InvalidLeadingColon = "title-invalid-leading-colon";

    // Page titles live in 255-byte database columns; special pages are never stored, so MediaWiki allows 512.
    public const int MaxTitleBytes = 255;
    private const int MaxSpecialTitleBytes = 512;

    public static TitleParseResult Parse(string input, NamespaceTable table, int defaultNamespace = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(table);
        if (!table.TryGet(defaultNamespace, out _))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultNamespace), defaultNamespace, "Unknown namespace.");
        }

        if (HasLoneSurrogate(input))
        {
            return Utf8Failure();
        }

        // Title::newFromText decodes character references and NFC-normalises before splitting.
        string text = input;
        if (text.Contains('&', StringComparison.Ordinal))
        {
            text = WebUtility.HtmlDecode(text);
            if (HasLoneSurrogate(text))
            {
                return Utf8Failure();
            }
        }

        text = text.Normalize(NormalizationForm.FormC);
        string key = CollapseWhitespace(text);
        if (key.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return Utf8Failure();
        }

        int ns = defaultNamespace;
        if (key.StartsWith(':'))
        {
            ns = NamespaceTable.Main;
            key = key[1..].Trim('_');
        }

        if (key.Length == 0)
        {
            return EmptyFailure();
        }

        bool hasPrefix = TrySplitPrefix(key, out string prefix, out string rest);
        if (hasPrefix && table.TryResolve(prefix, out int prefixNs))
        {
            ns = prefixNs;
            key = rest;

            // "Talk:File:X" would be the talk page of a page in another namespace; the right form is "File talk:X".
            if (ns == NamespaceTable.Talk
                && TrySplitPrefix(key, out string innerPrefix, out _)
                && table.TryResolve(innerPrefix, out int innerNs)
                && innerNs != NamespaceTable.Main)
            {
                return TitleParseResult.Failure(
                    InvalidTalkNamespace,
                    "The requested page title refers to a talk page that cannot exist.");
            }
        }
        else if (hasPrefix && table.Interwiki.TryMatch(key, out _, out _, out _))
        {
            // A page of another site (an interwiki prefix) is no title of this wiki (Title::isExternal).
            return TitleParseResult.Failure("title-invalid-interwiki", "The requested page title contains an interwiki link which cannot be used in titles.");
        }

        string? fragment = null;
        int hash = key.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            fragment = key[(hash + 1)..].Replace('_', ' ');
            key = key[..hash].TrimEnd('_');
        }

        string? illegal = FindIllegalSequence(key);
        if (illegal is not null)
        {
            return TitleParseResult.Failure(
                InvalidCharacters,
                $"The requested page title contains invalid characters: \"{illegal}\".");
        }

        if (IsRelativePath(key))
        {
            return TitleParseResult.Failure(
                InvalidRelative,
                "Title has relative path. Relative page titles (./, ../) are invalid, because they will often be unreachable when handled by user's browser.");
        }

        // "~~~" would be expanded into a signature when the title is written in wikitext.
        if (key.Contains("~~~", StringComparison.Ordinal))
        {
            return TitleParseResult.Failure(
                InvalidMagicTilde,
                "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>).");
        }

        int maxBytes = ns == NamespaceTable.Special ? MaxSpecialTitleBytes : MaxTitleBytes;
        if (Encoding.UTF8.GetByteCount(key) > maxBytes)
        {
            return TitleParseResult.Failure(
                InvalidTooLong,
                $"The requested page title is too long. It must be no longer than {maxBytes} bytes in UTF-8 encoding.");
        }

        // $wgCapitalLinks = true capitalises the first letter in every namespace.
        key = UppercaseFirst(key);

        if (key.Length == 0)
        {
            return EmptyFailure();
        }

        if (key.StartsWith(':'))
        {
            return TitleParseResult.Failure(
                InvalidLeadingColon,
                "The requested page title contains an invalid colon at the beginning.");
        }

        return TitleParseResult.Success(new Title(ns, table[ns].Name, key, fragment));
    }

    // $wgLegalTitleChars: ASCII controls, DEL and #<>[]|{} are excluded; every non-ASCII character is legal
    // except U+FFFD, which stands for undecodable input.
    public static bool IsLegalTitleChar(char c)
    {
        if (c >= 0x80)
        {
            return c != '\uFFFD';
        }

        if (c < 0x20 || c == 0x7F)
        {
            return false;
        }

        return c is not ('#' or '<' or '>' or '[' or ']' or '|' or '{' or '}');
    }

    private static TitleParseResult Utf8Failure() =>
        TitleParseResult.Failure(InvalidUtf8, "The requested page title contains an invalid UTF-8 sequence.");

    private static TitleParseResult EmptyFailure() =>
        TitleParseResult.Failure(InvalidEmpty, "The requested page title is empty or contains only the name of a namespace.");

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBidiMark(char c) => c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E');

    private static bool IsTitleWhitespace(char c) =>
        c is ' ' or '_' or '\u00A0' or '\u1680' or '\u180E' or (>= '\u2000' and <= '\u200A')
            or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';

    private static string CollapseWhitespace(string text)
    {
        // Most titles are already collapsed, or only need their single inner spaces as underscores.
        switch (WhitespaceShape(text))
        {
            case 0:
                return text;
            case 1:
                return text.Replace(' ', '_');
        }

        var sb = new StringBuilder(text.Length);
        bool pending = false;
        foreach (char c in text)
        {
            if (IsBidiMark(c))
            {
                continue;
            }

            if (IsTitleWhitespace(c))
            {
                pending = sb.Length > 0;
                continue;
            }

            if (pending)
            {
                sb.Append('_');
                pending = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // 0: nothing to change; 1: only single spaces between other characters, to become underscores; 2: the rest.
    private static int WhitespaceShape(string text)
    {
        int shape = 0;
        bool previousSpace = true;
        foreach (char c in text)
        {
            if (IsBidiMark(c))
            {
                return 2;
            }

            bool space = IsTitleWhitespace(c);
            if (space && (previousSpace || c is not (' ' or '_')))
            {
                return 2;
            }

            if (c == ' ')
            {
                shape = 1;
            }

            previousSpace = space;
        }

        return previousSpace && text.Length > 0 ? 2 : shape;
    }

    private static bool TrySplitPrefix(string key, out string prefix, out string rest)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            prefix = key[..colon].TrimEnd('_');
            rest = key[(colon + 1)..].TrimStart('_');
            if (prefix.Length > 0)
            {
                return true;
            }
        }

        prefix = string.Empty;
        rest = key;
        return false;
    }

    // Besides single illegal characters, MediaWiki rejects percent-escapes and character references because
    // such titles cannot round-trip through URLs and wikitext.
    private static string? FindIllegalSequence(string key)
    {
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (!IsLegalTitleChar(c))
            {
                return c.ToString();
            }

            if (c == '%' && i + 2 < key.Length && char.IsAsciiHexDigit(key[i + 1]) && char.IsAsciiHexDigit(key[i + 2]))
            {
                return key.Substring(i, 3);
            }

            if (c == '&')
            {
                int j = i + 1;
                while (j < key.Length && (char.IsAsciiLetterOrDigit(key[j]) || key[j] >= 0x80))
                {
                    j++;
                }

                if (j > i + 1 && j < key.Length && key[j] == ';')
                {
                    return key[i..(j + 1)];
                }
            }
        }

        return null;
    }

    // Browsers resolve "." and ".." path segments, so such pages would be unreachable by URL.
    private static bool IsRelativePath(string key)
    {
        if (!key.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        return key is "." or ".."
            || key.StartsWith("./", StringComparison.Ordinal)
            || key.StartsWith("../", StringComparison.Ordinal)
            || key.Contains("/./", StringComparison.Ordinal)
            || key.Contains("/../", StringComparison.Ordinal)
            || key.EndsWith("/.", StringComparison.Ordinal)
            || key.EndsWith("/..", StringComparison.Ordinal);
    }

    private static string UppercaseFirst(string key)
    {
        if (key.Length == 0 || Rune.DecodeFromUtf16(key, out Rune first, out int consumed) != System.Buffers.OperationStatus.Done)
        {
            return key;
        }

        Rune upper = Rune.ToUpperInvariant(first);
        return upper == first ? key : upper.ToString() + key[consumed..];
    }
}
