namespace CrossWiki.Server.Cors;

/// <summary>
/// The request's <c>Origin</c> header as MediaWiki reads it (spec §2.3): trimmed, <c>null</c> is the null
/// origin, anything else split on whitespace. Several header fields, or several origins in one, make
/// a multi-origin header. A value with characters other than visible ASCII, space and tab is malformed.
/// </summary>
internal readonly struct OriginHeader
{
    private readonly string[] _origins;

    private OriginHeader(bool present, bool isNull, string[] origins, string trimmed, bool isMalformed = false)
    {
        IsPresent = present;
        IsNull = isNull;
        _origins = origins;
        Trimmed = trimmed;
        IsMalformed = isMalformed;
    }

    public bool IsPresent { get; }

    public bool IsNull { get; }

    /// <summary>The header value without surrounding whitespace (what MediaWiki echoes in ACAO).</summary>
    public string Trimmed { get; }

    public IReadOnlyList<string> Origins => _origins ?? [];

    public bool IsMulti => Origins.Count > 1;

    /// <summary>
    /// True when a field holds a character other than visible ASCII, space or tab. A browser sends the
    /// ASCII serialization of its origin (hosts in punycode, RFC 6454 §6.2), and such a value cannot be
    /// echoed in <c>Access-Control-Allow-Origin</c>, so it is never matched.
    /// </summary>
    public bool IsMalformed { get; }

    /// <summary>The request's header fields as ASP.NET Core gives them (no boxing, no delegate).</summary>
    public static OriginHeader Parse(Microsoft.Extensions.Primitives.StringValues fields)
    {
        if (fields.Count == 0)
        {
            return new OriginHeader(false, false, [], "");
        }

        var joined = fields.Count == 1 ? fields[0] ?? "" : string.Join(' ', fields.ToArray());
        var trimmed = joined.Trim();
        if (fields.Count == 1 && trimmed == "null")
        {
            return new OriginHeader(true, true, [], trimmed);
        }

        string[] origins = trimmed.Length == 0 ? []
            : trimmed.AsSpan().IndexOfAny(Whitespace) < 0 ? [trimmed]
            : trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var malformed = false;
        foreach (var field in fields)
        {
            malformed |= !HeaderText.IsEchoable(field ?? "");
        }

        return new OriginHeader(true, false, origins, trimmed, malformed);
    }

    public static OriginHeader Parse(IReadOnlyList<string> fields) => Parse(new Microsoft.Extensions.Primitives.StringValues([.. fields]));

    /// <summary>What <see cref="string.Split(char[], StringSplitOptions)"/> with no separators splits on.</summary>
    private static readonly System.Buffers.SearchValues<char> Whitespace = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace)]);

    public bool Contains(string origin)
    {
        foreach (var o in Origins)
        {
            if (string.Equals(o, origin, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // PHP splits an empty header into one empty string, so origin= matches an empty Origin header.
        return (IsNull && origin == "null") || (IsPresent && Trimmed.Length == 0 && origin.Length == 0);
    }
}

/// <summary>What a request header value may hold to be sent back in a response header.</summary>
internal static class HeaderText
{
    /// <summary>
    /// Visible ASCII, space and tab only: Kestrel refuses control and non-ASCII characters in a response
    /// header (an exception, so a 500), where PHP would send them.
    /// </summary>
    public static bool IsEchoable(string value)
    {
        foreach (var c in value)
        {
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                return false;
            }
        }

        return true;
    }
}
