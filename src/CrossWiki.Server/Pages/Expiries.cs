using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages;

/// <summary>How long something lasts: a watchlist item, a protection, a block (MediaWiki's ExpiryDef).</summary>
internal static partial class Expiries
{
    /// <summary>The words for "never ends".</summary>
    public static bool IsInfinite(string text) => text is "infinite" or "indefinite" or "infinity" or "never";

    /// <summary>The outcome of reading an expiry: a time (null for never), or why it was refused.</summary>
    public readonly record struct ExpiryValue(DateTime? Expiry, string? ErrorCode, bool Clamped);

    /// <summary>
    /// An expiry as MediaWiki's ExpiryDef reads it: <c>infinite</c>, <c>indefinite</c>, <c>infinity</c> or
    /// <c>never</c>; a relative time (<c>1 week</c>, <c>3 months</c>); or a timestamp. A time in the past is
    /// refused; one beyond <paramref name="longest"/> (watchlist items: a year) is brought back to it.
    /// </summary>
    public static ExpiryValue Parse(string raw, DateTime now, TimeSpan? longest = null)
    {
        var text = raw.Trim();
        if (text.Length == 0 || IsInfinite(text))
        {
            return new(null, null, false);
        }

        DateTime at;
        if (Relative().Match(text) is { Success: true } m)
        {
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            at = m.Groups[2].Value.ToLowerInvariant() switch
            {
                "second" or "sec" => now.AddSeconds(n),
                "minute" or "min" => now.AddMinutes(n),
                "hour" => now.AddHours(n),
                "day" => now.AddDays(n),
                "week" => now.AddDays(7.0 * n),
                "fortnight" => now.AddDays(14.0 * n),
                "month" => now.AddMonths(Math.Min(n, 1200)),
                _ => now.AddYears(Math.Min(n, 100)),
            };
        }
        else if (!ActionApi.Timestamps.TryParse(text, now, out at))
        {
            return new(null, "badexpiry", false);
        }

        if (at < now)
        {
            return new(null, "badexpiry-past", false);
        }

        return longest is { } max && at > now + max ? new(now + max, null, true) : new(at, null, false);
    }

    [GeneratedRegex(@"^\+?(\d{1,6})\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}
