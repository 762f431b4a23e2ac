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
    /// Saves <paramref name="text"/> as the new latest revision. Returns null when another writer saved
    /// first (the page changed or was created meanwhile); nothing is written then.
    /// </summary>
    public static async Task<Revision?> SaveAsync(
        WikiDbContext db, string wikiId, Title title, Page? page, string text, string summary, bool minor,
        int userId, string userName, DateTime now, CancellationToken ct)
    {
        var timestamp = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var length = Encoding.UTF8.GetByteCount(text);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var (pageId, revisionId) = await NextIdsAsync(db, wikiId, newPage: page is null, ct);
            if (page is null)
            {
                page = new Page { WikiId = wikiId, Id = pageId, Namespace = title.Namespace, DbKey = title.DbKey, IsNew = true };
                db.Pages.Add(page);
            }
            else
            {
                page.IsNew = false;
            }

            var revision = new Revision
            {
                WikiId = wikiId,
                Id = revisionId,
                PageId = page.Id,
                ParentId = page.LatestRevisionId,
                UserId = userId,
                UserText = userName,
                Timestamp = timestamp,
                Comment = summary.Length > 500 ? summary[..500] : summary,
                Minor = minor,
                Text = text,
                Length = length,
#pragma warning disable CA5350 // MediaWiki's revision sha1 is a content fingerprint clients compare, not a security measure.
                Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))),
#pragma warning restore CA5350
            };
            db.Revisions.Add(revision);

            // One statement batch: the page's update is checked against the latest revision it was read with.
            page.LatestRevisionId = revision.Id;
            page.Touched = timestamp;
            page.Length = length;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);

            return revision;
        }
        catch (DbUpdateException)
        {
            // A concurrency-token mismatch or a duplicate (wiki, namespace, title): someone else saved first.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>
    /// Takes the wiki's next revision id (and page id, for a new page) inside the save's transaction. The
    /// counter row's update is rolled back with a save that loses, and on PostgreSQL it holds the row's lock
    /// until the save commits, so two nodes never take the same id. A wiki's first save makes its row, after
    /// the ids the wiki already has.
    /// </summary>
    private static async Task<(int PageId, int RevisionId)> NextIdsAsync(WikiDbContext db, string wikiId, bool newPage, CancellationToken ct)
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
}
