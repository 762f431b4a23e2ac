using System.Globalization;
using System.Text.RegularExpressions;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Users' watchlists: a page is watched with its talk page (or its subject page, for a talk page), each kept as
/// a row, optionally until an expiry. Pages outside the real namespaces (Special, Media) cannot be watched.
/// </summary>
internal static partial class Watchlist
{
    /// <summary>The longest a temporary watch may last (<c>$wgWatchlistExpiryMaxDuration</c>).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    public static bool IsWatchable(Title title) => title.Namespace >= 0;

    /// <summary>The subject and talk namespaces of a page's pair.</summary>
    public static (int Subject, int Talk) Pair(int ns) => ns % 2 == 0 ? (ns, ns + 1) : (ns - 1, ns);

    /// <summary>Every user's items of a wiki still watched at <paramref name="now"/>.</summary>
    public static IQueryable<WatchedItem> Active(WikiDbContext db, string wikiId, DateTime now) =>
        db.Watchlist.AsNoTracking().Where(w => w.WikiId == wikiId && (w.Expiry == null || w.Expiry > now));

    /// <summary>A user's items still watched at <paramref name="now"/>.</summary>
    public static IQueryable<WatchedItem> Active(WikiDbContext db, string wikiId, int userId, DateTime now) =>
        Active(db, wikiId, now).Where(w => w.UserId == userId);

    /// <summary>Whether the user watches the page, and until when (null expiry: for good); null when not watched.</summary>
    public static async Task<WatchedItem?> FindAsync(WikiDbContext db, string wikiId, int userId, Title title, DateTime now, CancellationToken ct) =>
        await Active(db, wikiId, userId, now).FirstOrDefaultAsync(w => w.Namespace == title.Namespace && w.Title == title.DbKey, ct);

    /// <summary>Watches (with an expiry, or for good) or unwatches a page and its talk or subject page, in one save.</summary>
    public static async Task SetAsync(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, string wikiId, int userId, Title title, bool watch, DateTime? expiry, CancellationToken ct)
    {
        if (!IsWatchable(title) || userId == 0)
        {
            return;
        }

        var (subject, talk) = Pair(title.Namespace);
        var key = title.DbKey;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var rows = await db.Watchlist.Where(w => w.WikiId == wikiId && w.UserId == userId && (w.Namespace == subject || w.Namespace == talk) && w.Title == key).ToListAsync(ct);
        if (!watch)
        {
            db.Watchlist.RemoveRange(rows);
        }
        else
        {
            foreach (var ns in new[] { subject, talk })
            {
                if (rows.FirstOrDefault(w => w.Namespace == ns) is { } row)
                {
                    row.Expiry = expiry;
                }
                else
                {
                    db.Watchlist.Add(new WatchedItem { WikiId = wikiId, UserId = userId, Namespace = ns, Title = key, Expiry = expiry });
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>The outcome of reading an expiry: a time (null for never), or why it was refused.</summary>
    public readonly record struct ExpiryValue(DateTime? Expiry, string? ErrorCode, bool Clamped);

    /// <summary>
    /// An expiry as MediaWiki's ExpiryDef reads it: <c>infinite</c>, <c>indefinite</c>, <c>infinity</c> or
    /// <c>never</c>; a relative time (<c>1 week</c>, <c>3 months</c>); or a timestamp. A time in the past is
    /// refused; one beyond the longest duration is brought back to it.
    /// </summary>
    public static ExpiryValue ParseExpiry(string raw, DateTime now)
    {
        var text = raw.Trim();
        if (text.Length == 0 || text is "infinite" or "indefinite" or "infinity" or "never")
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

        return at > now + MaxDuration ? new(now + MaxDuration, null, true) : new(at, null, false);
    }

    [GeneratedRegex(@"^\+?(\d{1,6})\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}
