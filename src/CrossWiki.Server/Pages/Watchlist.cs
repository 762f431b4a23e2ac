using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Users' watchlists: a page is watched with its talk page (or its subject page, for a talk page), each kept as
/// a row, optionally until an expiry. Pages outside the real namespaces (Special, Media) cannot be watched.
/// </summary>
internal static class Watchlist
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

    /// <summary>How many users watch each page (namespace and key) whose key is one of <paramref name="keys"/>.</summary>
    public static async Task<Dictionary<(int, string), int>> WatchersAsync(WikiDbContext db, string wikiId, List<string> keys, DateTime now, CancellationToken ct) =>
        (await Active(db, wikiId, now).Where(w => keys.Contains(w.Title))
            .GroupBy(w => new { w.Namespace, w.Title }).Select(g => new { g.Key.Namespace, g.Key.Title, Count = g.Count() }).ToListAsync(ct))
        .ToDictionary(c => (c.Namespace, c.Title), c => c.Count);

    /// <summary>Whether the user watches the page, and until when (null expiry: for good); null when not watched.</summary>
    public static async Task<WatchedItem?> FindAsync(WikiDbContext db, string wikiId, int userId, Title title, DateTime now, CancellationToken ct) =>
        await Active(db, wikiId, userId, now).FirstOrDefaultAsync(w => w.Namespace == title.Namespace && w.Title == title.DbKey, ct);

    /// <summary>
    /// A change to a watched page by <paramref name="editorId"/>: every other watcher who had seen the page now has
    /// this change as their first unseen one (<c>wl_notificationtimestamp</c>, left alone where already set). In the
    /// save's transaction.
    /// </summary>
    public static Task NotifyAsync(WikiDbContext db, string wikiId, Title title, int editorId, DateTime timestamp, CancellationToken ct) =>
        db.Watchlist.Where(w => w.WikiId == wikiId && w.Namespace == title.Namespace && w.Title == title.DbKey && w.UserId != editorId && w.NotificationTimestamp == null)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.NotificationTimestamp, timestamp), ct);

    /// <summary>
    /// Sets the user's notification timestamp of these pages (all their watched pages when <paramref name="titles"/> is
    /// null): null marks them seen. Returns how many watched rows there were.
    /// </summary>
    public static async Task<int> SetNotificationAsync(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, string wikiId, int userId, IReadOnlyList<Title>? titles, DateTime? timestamp, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var rows = db.Watchlist.Where(w => w.WikiId == wikiId && w.UserId == userId);
        if (titles is null)
        {
            return await rows.ExecuteUpdateAsync(u => u.SetProperty(w => w.NotificationTimestamp, timestamp), ct);
        }

        var changed = 0;
        foreach (var title in titles)
        {
            changed += await rows.Where(w => w.Namespace == title.Namespace && w.Title == title.DbKey).ExecuteUpdateAsync(u => u.SetProperty(w => w.NotificationTimestamp, timestamp), ct);
        }

        return changed;
    }

    /// <summary>
    /// A logged-in user has seen the page's latest revision: its notification is cleared. Only written when there
    /// is one to clear, so a page view costs one read (in the view's own context) otherwise.
    /// </summary>
    public static async Task SeenAsync(WikiDbContext db, IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, string wikiId, int userId, Title title, CancellationToken ct)
    {
        if (userId != 0 && await db.Watchlist.AnyAsync(w => w.WikiId == wikiId && w.UserId == userId && w.Namespace == title.Namespace && w.Title == title.DbKey && w.NotificationTimestamp != null, ct))
        {
            await SetNotificationAsync(dbFactory, writes, wikiId, userId, [title], null, ct);
        }
    }

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
}
