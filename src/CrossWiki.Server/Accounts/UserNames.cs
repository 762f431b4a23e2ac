namespace CrossWiki.Server.Accounts;

/// <summary>MediaWiki's user name rules: underscores are spaces, first letter upper case, no <c>@:&gt;=#/</c> and so on.</summary>
internal static class UserNames
{
    public static string Normalize(string name)
    {
        var n = string.Join(' ', name.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return n.Length == 0 ? n : char.ToUpperInvariant(n[0]) + n[1..];
    }

    /// <summary>
    /// Whom a block or a rollback names: an IP address in its canonical form (<paramref name="isIp"/>), or a user
    /// name normalised as <see cref="Normalize"/> does.
    /// </summary>
    public static string NormalizeNameOrIp(string raw, out bool isIp)
    {
        isIp = System.Net.IPAddress.TryParse(raw.Trim(), out var address);
        return isIp ? address!.ToString() : Normalize(raw);
    }

    /// <summary>A name an account may have: not empty, at most 85 characters, no characters that break titles or signatures.</summary>
    public static bool IsValid(string normalized) =>
        normalized.Length is > 0 and <= 85
        && normalized.IndexOfAny(['@', ':', '>', '=', '#', '<', '[', ']', '|', '{', '}', '/', '\n', '\r', '\t']) < 0
        && !System.Net.IPAddress.TryParse(normalized, out _);
}
