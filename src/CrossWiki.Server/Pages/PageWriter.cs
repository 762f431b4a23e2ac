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
            if (page is null)
            {
                page = new Page { WikiId = wikiId, Namespace = title.Namespace, DbKey = title.DbKey, IsNew = true };
                db.Pages.Add(page);
                await db.SaveChangesAsync(ct);
            }
            else
            {
                page.IsNew = false;
            }

            var revision = new Revision
            {
                PageId = page.Id,
                WikiId = wikiId,
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
            await db.SaveChangesAsync(ct);
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
}
