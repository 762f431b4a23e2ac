using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Fills the link tables once for pages saved before the save path kept them (MediaWiki's
/// refreshLinks.php): every page's latest revision is rendered and its links written, a batch of pages
/// per write turn. Done at the first start after the upgrade, and marked in the farm's settings.
/// </summary>
internal static class LinkTablesBackfill
{
    /// <summary>
    /// Marks the fill done; its version goes up when the save path starts keeping more (2: template links),
    /// so that pages saved before are filled again (3: page properties).
    /// </summary>
    internal const string DoneSetting = "link-tables-filled-3";

    private const int Batch = 200;

    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var farm = services.GetRequiredService<FarmConfig>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<WikiDbContext>>();
        var gate = services.GetRequiredService<WriteGate>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Settings.AnyAsync(s => s.Name == DoneSetting, ct))
        {
            return;
        }

        foreach (var wiki in farm.Wikis)
        {
            var wikiId = wiki.Id;
            var after = 0;
            while (true)
            {
                var pages = await db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Id > after).OrderBy(p => p.Id).Take(Batch)
                    .Select(p => new { p.Id, p.Namespace, p.DbKey, p.Touched, Text = db.Revisions.Where(r => r.WikiId == wikiId && r.Id == p.LatestRevisionId).Select(r => r.Text).First() })
                    .ToListAsync(ct);
                if (pages.Count == 0)
                {
                    break;
                }

                using (await gate.EnterAsync(ct))
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    foreach (var page in pages)
                    {
                        var title = Title.Create(wiki.Namespaces, page.Namespace, page.DbKey);
                        await PageWriter.ReplaceLinksAsync(db, wikiId, title, page.Id, await PageLinkSet.FromTextAsync(db, page.Text, title, wiki, page.Touched, ct), page.Touched, ct);
                    }

                    try
                    {
                        await db.SaveChangesAsync(ct);
                        await tx.CommitAsync(ct);
                    }
                    catch (DbUpdateException)
                    {
                        // Another node starting at the same time, or a save, wrote these pages' rows first: theirs stand.
                        await tx.RollbackAsync(CancellationToken.None);
                    }
                }

                db.ChangeTracker.Clear();
                after = pages[^1].Id;
            }
        }

        db.Settings.Add(new FarmSetting { Name = DoneSetting, Value = "1" });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Marked by another node that filled the tables at the same time.
        }
    }
}
