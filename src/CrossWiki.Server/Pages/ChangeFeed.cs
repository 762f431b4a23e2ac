using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>How a change is flagged in the feeds: a bot's (the user has the right and asked for it), and autopatrolled.</summary>
internal readonly record struct ChangeFlags(bool Bot, bool Autopatrolled)
{
    /// <summary>The flags of a change by <paramref name="user"/>; <paramref name="askedForBot"/> is api.php's <c>bot</c> (uploads and logs: always).</summary>
    public static ChangeFlags Of(WikiUser user, bool askedForBot) => new(askedForBot && user.HasRight("bot"), user.HasRight("autopatrol"));
}

/// <summary>
/// The rows the change feeds are read from (MediaWiki's <c>recentchanges</c> and <c>logging</c>), made by the
/// one save path and the file repository inside the transaction of the change they describe.
/// </summary>
internal static class ChangeFeed
{
    /// <summary>MediaWiki's <c>rc_type</c> values (RC_EDIT, RC_NEW, RC_LOG).</summary>
    public const int Edit = 0, New = 1, Log = 3;

    /// <summary>The recent change of a saved revision: an edit, or the creation of its page.</summary>
    public static RecentChange OfRevision(Revision revision, Title title, bool created, int oldLength, ChangeFlags flags) => new()
    {
        WikiId = revision.WikiId,
        Timestamp = revision.Timestamp,
        UserId = revision.UserId,
        UserText = revision.UserText,
        Namespace = title.Namespace,
        Title = title.DbKey,
        Comment = revision.Comment,
        Minor = revision.Minor,
        Bot = flags.Bot,
        Type = created ? New : Edit,
        PageId = revision.PageId,
        RevisionId = revision.Id,
        ParentId = revision.ParentId,
        OldLength = created ? 0 : oldLength,
        NewLength = revision.Length,
        Patrolled = flags.Autopatrolled ? 2 : 0,
    };

    /// <summary>A log entry; <paramref name="parameters"/> are its <c>logparams</c>.</summary>
    public static LogEntry Entry(string wikiId, string type, string action, Title title, int pageId, int userId, string userText, string comment, JsonObject? parameters, DateTime timestamp) => new()
    {
        WikiId = wikiId,
        Type = type,
        Action = action,
        Timestamp = timestamp,
        UserId = userId,
        UserText = userText,
        Namespace = title.Namespace,
        Title = title.DbKey,
        PageId = pageId,
        Comment = comment.Length > 500 ? comment[..500] : comment,
        Params = parameters?.ToJsonString() ?? "{}",
    };

    /// <summary>
    /// Saves a log entry, then its recent change (which needs the entry's id), tied to the revision the action made
    /// (a null revision of a move or protection; 0 for none). Inside the caller's transaction.
    /// </summary>
    public static async Task LogAsync(WikiDbContext db, LogEntry entry, int revisionId, int parentId, ChangeFlags flags, CancellationToken ct)
    {
        db.Logs.Add(entry);
        await db.SaveChangesAsync(ct);
        db.RecentChanges.Add(OfLog(entry, revisionId, parentId, flags));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The recent change of a saved log entry (its id known), tied to the revision it made, if any.</summary>
    public static RecentChange OfLog(LogEntry entry, int revisionId, int parentId, ChangeFlags flags) => new()
    {
        WikiId = entry.WikiId,
        Timestamp = entry.Timestamp,
        UserId = entry.UserId,
        UserText = entry.UserText,
        Namespace = entry.Namespace,
        Title = entry.Title,
        Comment = entry.Comment,
        Bot = flags.Bot,
        Type = Log,
        PageId = entry.PageId,
        RevisionId = revisionId,
        ParentId = parentId,
        Patrolled = flags.Autopatrolled ? 2 : 0,
        LogId = entry.Id,
        LogType = entry.Type,
        LogAction = entry.Action,
    };

    /// <summary>The <c>rcshow</c> criteria (<c>minor</c>, <c>!bot</c>, ...), also those of the HTML feeds' hide* filters.</summary>
    public static IQueryable<RecentChange> Show(IQueryable<RecentChange> changes, HashSet<string> show, WikiDbContext db, string wikiId)
    {
        foreach (var criterion in show)
        {
            changes = criterion switch
            {
                "minor" => changes.Where(c => c.Minor),
                "!minor" => changes.Where(c => !c.Minor),
                "bot" => changes.Where(c => c.Bot),
                "!bot" => changes.Where(c => !c.Bot),
                "anon" => changes.Where(c => c.UserId == 0),
                "!anon" => changes.Where(c => c.UserId != 0),
                "redirect" => changes.Where(c => db.Redirects.Any(d => d.WikiId == wikiId && d.FromId == c.PageId)),
                "!redirect" => changes.Where(c => !db.Redirects.Any(d => d.WikiId == wikiId && d.FromId == c.PageId)),
                "patrolled" => changes.Where(c => c.Patrolled != 0),
                "!patrolled" or "unpatrolled" => changes.Where(c => c.Patrolled == 0),
                "autopatrolled" => changes.Where(c => c.Patrolled == 2),
                "!autopatrolled" => changes.Where(c => c.Patrolled != 2),
                _ => changes,
            };
        }

        return changes;
    }

    /// <summary>
    /// The changes of the pages in <paramref name="watched"/> (list=watchlist, Special:Watchlist); with
    /// <paramref name="latestOnly"/> only each page's latest edit, and every log entry, as MediaWiki without <c>allrev</c>.
    /// </summary>
    public static IQueryable<RecentChange> OfWatched(WikiDbContext db, string wikiId, IQueryable<WatchedItem> watched, bool latestOnly)
    {
        var changes = db.RecentChanges.AsNoTracking().Where(c => c.WikiId == wikiId && watched.Any(w => w.Namespace == c.Namespace && w.Title == c.Title));
        return latestOnly
            ? changes.Where(c => c.Type == Log || db.Pages.Any(p => p.WikiId == wikiId && p.Id == c.PageId && p.LatestRevisionId == c.RevisionId))
            : changes;
    }
}
