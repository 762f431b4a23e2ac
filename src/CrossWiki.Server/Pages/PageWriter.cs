using System.Security.Cryptography;
using System.Text;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Saves a revision atomically: the page's latest revision is the concurrency token. Only
/// <see cref="PageEditor"/> (and the first-run seeding) call it, inside a turn of the <see cref="WriteGate"/>.
/// </summary>
internal static class PageWriter
{
    /// <summary>
    /// Saves <paramref name="text"/> as the new latest revision, with its recent change (unless
    /// <paramref name="feed"/> is null: a change the feeds do not show, such as an uploaded file's page) and, for a
    /// new page, its entry in the creation log. Returns null when another writer saved first (the page changed or
    /// was created meanwhile); nothing is written then. Inside a caller's transaction (a move leaving a redirect
    /// behind) the save is part of it, and a lost race is the caller's <see cref="DbUpdateException"/>.
    /// </summary>
    public static async Task<Revision?> SaveAsync(
        WikiDbContext db, string wikiId, Title title, Page? page, string text, PageLinkSet links, string summary, bool minor,
        int userId, string userName, DateTime now, ChangeFlags? feed, CancellationToken ct)
    {
        var timestamp = Accounts.UserDirectory.Truncate(now);
        var oldLength = page?.Length ?? 0;
        var created = page is null;
        var own = db.Database.CurrentTransaction is null;
        await using var tx = own ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            ArgumentNullException.ThrowIfNull(links);
            var (pageId, revisionId) = await NextIdsAsync(db, wikiId, newPage: page is null, ct);
            if (page is null)
            {
                page = new Page { WikiId = wikiId, Id = pageId, Namespace = title.Namespace, DbKey = title.DbKey, IsNew = true, Random = System.Random.Shared.NextDouble() };
                db.Pages.Add(page);

                // Pages that link to it in red are touched later, by the job queue.
                JobRunner.EnqueueBacklinkTouch(db, wikiId, title, timestamp);
            }
            else
            {
                page.IsNew = false;
                await DeleteLinksAsync(db, wikiId, page.Id, ct);
            }

            AddLinks(db, wikiId, title, page.Id, links, timestamp);
            await SearchIndex.WriteAsync(db, wikiId, page.Id, title.Text, text, ct);

            // Pages that transclude it are worked out again with this version, by the job queue.
            var (ns, key) = (title.Namespace, title.DbKey);
            if (await db.TemplateLinks.AnyAsync(l => l.WikiId == wikiId && l.Namespace == ns && l.Title == key, ct))
            {
                JobRunner.EnqueueRefreshLinks(db, wikiId, title, timestamp);
            }

            var revision = NewRevision(wikiId, revisionId, page, text, summary, minor, userId, userName, timestamp);
            db.Revisions.Add(revision);
            if (feed is { } flags)
            {
                db.RecentChanges.Add(ChangeFeed.OfRevision(revision, title, created, oldLength, flags));
                if (created)
                {
                    db.Logs.Add(ChangeFeed.Entry(wikiId, "create", "create", title, page.Id, userId, userName, revision.Comment, null, timestamp));
                }
            }

            // One statement batch: the page's update is checked against the latest revision it was read with.
            page.LatestRevisionId = revision.Id;
            page.Touched = timestamp;
            page.Length = revision.Length;
            await db.SaveChangesAsync(ct);
            if (feed is not null)
            {
                await Watchlist.NotifyAsync(db, wikiId, title, userId, timestamp, ct);
            }

            if (tx is not null)
            {
                await tx.CommitAsync(ct);
            }

            return revision;
        }
        catch (DbUpdateException) when (tx is not null)
        {
            // A concurrency-token mismatch or a duplicate (wiki, namespace, title): someone else saved first.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>A revision of <paramref name="page"/> after its latest one; the caller adds it and moves the page on to it.</summary>
    internal static Revision NewRevision(string wikiId, int id, Page page, string text, string summary, bool minor, int userId, string userName, DateTime timestamp) => new()
    {
        WikiId = wikiId,
        Id = id,
        PageId = page.Id,
        ParentId = page.LatestRevisionId,
        UserId = userId,
        UserText = userName,
        Timestamp = timestamp,
        Comment = summary.Length > 500 ? summary[..500] : summary,
        Minor = minor,
        Text = text,
        Length = Encoding.UTF8.GetByteCount(text),
        Sha1 = Sha1Of(text),
    };

#pragma warning disable CA5350 // MediaWiki's revision sha1 is a content fingerprint clients compare, not a security measure.
    private static string Sha1Of(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350

    /// <summary>
    /// A null revision (MediaWiki's): the page's latest text again, under a summary of what was done to the page
    /// (moved, protected), so that its history tells of it. Added to the page inside the caller's transaction.
    /// </summary>
    internal static async Task<Revision> AddNullRevisionAsync(WikiDbContext db, Page page, string summary, int userId, string userName, DateTime timestamp, CancellationToken ct)
    {
        var latest = await PageReads.LatestRevisionAsync(db, page.WikiId, page.Id, page.LatestRevisionId, ct);
        var (_, revisionId) = await NextIdsAsync(db, page.WikiId, newPage: false, ct);
        var revision = NewRevision(page.WikiId, revisionId, page, latest.Text, summary, minor: true, userId, userName, timestamp);
        db.Revisions.Add(revision);
        page.LatestRevisionId = revision.Id;
        page.Touched = timestamp;
        page.IsNew = false;
        return revision;
    }

    /// <summary>
    /// Takes the wiki's next revision id (and page id, for a new page) inside the save's transaction. The
    /// counter row's update is rolled back with a save that loses, and on PostgreSQL it holds the row's lock
    /// until the save commits, so two nodes never take the same id. A wiki's first save makes its row, after
    /// the ids the wiki already has.
    /// </summary>
    internal static async Task<(int PageId, int RevisionId)> NextIdsAsync(WikiDbContext db, string wikiId, bool newPage, CancellationToken ct)
    {
        var pageStep = newPage ? 1 : 0;
        var updated = await db.Counters.Where(c => c.WikiId == wikiId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextRevisionId, c => c.NextRevisionId + 1).SetProperty(c => c.NextPageId, c => c.NextPageId + pageStep), ct);
        if (updated == 1)
        {
            var next = await db.Counters.AsNoTracking().Where(c => c.WikiId == wikiId)
                .Select(c => new { c.NextPageId, c.NextRevisionId }).FirstAsync(ct);
            return (next.NextPageId - pageStep, next.NextRevisionId - 1);
        }

        var pageId = (await db.Pages.Where(p => p.WikiId == wikiId).MaxAsync(p => (int?)p.Id, ct) ?? 0) + 1;
        var revisionId = (await db.Revisions.Where(r => r.WikiId == wikiId).MaxAsync(r => (int?)r.Id, ct) ?? 0) + 1;
        db.Counters.Add(new WikiCounter { WikiId = wikiId, NextPageId = pageId + pageStep, NextRevisionId = revisionId + 1 });
        return (pageId, revisionId);
    }

    /// <summary>Replaces a page's link rows (its latest revision's links, worked out again); saved by the caller.</summary>
    public static async Task ReplaceLinksAsync(WikiDbContext db, string wikiId, Title title, int pageId, PageLinkSet links, DateTime timestamp, CancellationToken ct)
    {
        await DeleteLinksAsync(db, wikiId, pageId, ct);
        AddLinks(db, wikiId, title, pageId, links, timestamp);
    }

    /// <summary>The link rows of a page, before its new revision's are written.</summary>
    internal static async Task DeleteLinksAsync(WikiDbContext db, string wikiId, int pageId, CancellationToken ct)
    {
        await db.PageLinks.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.TemplateLinks.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.CategoryLinks.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.ImageLinks.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.ExternalLinks.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.Redirects.Where(l => l.WikiId == wikiId && l.FromId == pageId).ExecuteDeleteAsync(ct);
        await db.PageProps.Where(p => p.WikiId == wikiId && p.PageId == pageId).ExecuteDeleteAsync(ct);
    }

    /// <summary>The link rows of the revision being saved, written with it.</summary>
    private static void AddLinks(WikiDbContext db, string wikiId, Title title, int pageId, PageLinkSet links, DateTime timestamp)
    {
        db.PageLinks.AddRange(links.Links.Select(l => new PageLink { WikiId = wikiId, FromId = pageId, Namespace = l.Namespace, Title = l.DbKey }));
        db.TemplateLinks.AddRange(links.Templates.Select(l => new TemplateLink { WikiId = wikiId, FromId = pageId, Namespace = l.Namespace, Title = l.DbKey }));
        var type = title.Namespace switch
        {
            NamespaceTable.Category => "subcat",
            NamespaceTable.File => "file",
            _ => "page",
        };
        db.CategoryLinks.AddRange(links.Categories.Select(c => new CategoryLink
        {
            WikiId = wikiId,
            FromId = pageId,
            Category = c.Category,
            SortKeyPrefix = c.SortKeyPrefix,
            SortKey = SortKey(title, c.SortKeyPrefix),
            Type = type,
            Timestamp = timestamp,
        }));
        db.ImageLinks.AddRange(links.Images.Select(i => new ImageLink { WikiId = wikiId, FromId = pageId, To = i }));
        db.ExternalLinks.AddRange(links.ExternalLinks.Select((url, i) => new ExternalLink { WikiId = wikiId, FromId = pageId, Index = i, Url = url }));
        if (links.Redirect is { } target)
        {
            db.Redirects.Add(new RedirectTarget { WikiId = wikiId, FromId = pageId, Namespace = target.Namespace, Title = target.DbKey, Fragment = target.Fragment ?? "" });
        }

        db.PageProps.AddRange(links.Properties.Select(p => new PageProp { WikiId = wikiId, PageId = pageId, Name = p.Name, Value = p.Value }));
    }

    /// <summary>
    /// Title::getCategorySortkey under the default uppercase collation: the prefix, a newline and the
    /// title's text when there is a prefix, else the text; in upper case.
    /// </summary>
    internal static string SortKey(Title title, string prefix) =>
        (prefix.Length > 0 ? prefix + "\n" + title.Text : title.Text).ToUpperInvariant();
}
