namespace CrossWiki.Server.Cors;

/// <summary>The outcome of matching one origin: allowed or not, and the rules that decided it.</summary>
internal readonly record struct OriginMatch(bool Allowed, string? AllowRule, string? ExceptionRule);

/// <summary>
/// <c>CrossSiteAJAXdomains</c> and <c>CrossSiteAJAXdomainExceptions</c>, compiled once per wiki (spec §2.3):
/// each rule is a case-sensitive wildcard pattern over what follows <c>http://</c> or <c>https://</c>,
/// anchored at both ends, <c>*</c> any run of characters, <c>?</c> exactly one. The first allow rule that
/// matches decides; then any exception rule that matches refuses. No regex is built or run.
/// </summary>
internal sealed class OriginRules
{
    private readonly string[] _allow;
    private readonly string[] _except;

    public OriginRules(IEnumerable<string> allow, IEnumerable<string> except)
    {
        _allow = [.. allow];
        _except = [.. except];
    }

    public static readonly OriginRules None = new([], []);

    public OriginMatch Match(string origin)
    {
        if (!TryStripScheme(origin, out var rest))
        {
            return default;
        }

        foreach (var rule in _allow)
        {
            if (Wildcard.IsMatch(rest, rule))
            {
                foreach (var exception in _except)
                {
                    if (Wildcard.IsMatch(rest, exception))
                    {
                        return new OriginMatch(false, rule, exception);
                    }
                }

                return new OriginMatch(true, rule, null);
            }
        }

        return default;
    }

    /// <summary>Only lower-case <c>http://</c> and <c>https://</c> origins can match, as MediaWiki's <c>^https?://</c>.</summary>
    private static bool TryStripScheme(string origin, out ReadOnlySpan<char> rest)
    {
        var span = origin.AsSpan();
        if (span.StartsWith("https://", StringComparison.Ordinal))
        {
            rest = span[8..];
            return true;
        }

        if (span.StartsWith("http://", StringComparison.Ordinal))
        {
            rest = span[7..];
            return true;
        }

        rest = default;
        return false;
    }
}

/// <summary>Glob matching with <c>*</c> and <c>?</c>, linear in practice (the classic star-backtrack walk).</summary>
internal static class Wildcard
{
    public static bool IsMatch(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]) && pattern[p] != '*')
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
