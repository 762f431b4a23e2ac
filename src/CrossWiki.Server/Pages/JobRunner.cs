using System.Data.Common;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Runs the farm's job queue (<see cref="Job"/>, MediaWiki's <c>job</c> table): what a save leaves for
/// later is a row written in the save's transaction, so it survives a restart, and whichever node comes
/// first runs it (running one twice does no harm). Today's one job is MediaWiki's <c>htmlCacheUpdate</c>:
/// when a page is created, the pages that link to it (page, template, category and file links) are
/// touched, so their <c>touched</c> time and rest.php's ETag of their HTML change with their red link
/// turning blue (the rendering itself is checked again at once, <see cref="RenderedPages"/>). The queue is
/// read every <see cref="Interval"/>, a batch of <see cref="BatchSize"/> at a time, under the write turn.
/// The other job is MediaWiki's <c>refreshLinks</c>: when a page that other pages transclude is saved, their
/// link tables are worked out again from their text with the new version (what they link to, the templates
/// they use, their categories may change with it), and they are touched.
/// </summary>
internal sealed partial class JobRunner(
    IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, PageChanges changes, TimeProvider time, Farm.FarmConfig farm, ILogger<JobRunner> logger) : BackgroundService
{
    /// <summary>The job that works out again the link tables of the pages that transclude a title.</summary>
    public const string RefreshLinks = "refreshLinks";

    /// <summary>Queues the refresh of the pages that transclude <paramref name="title"/>; saved with the caller's changes.</summary>
    public static void EnqueueRefreshLinks(WikiDbContext db, string wikiId, Title title, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(title);
        db.Jobs.Add(new Job { WikiId = wikiId, Type = RefreshLinks, Namespace = title.Namespace, Title = title.DbKey, Timestamp = now });
    }

    /// <summary>The job that touches a title's backlinks.</summary>
    public const string HtmlCacheUpdate = "htmlCacheUpdate";

    /// <summary>How often the queue is read when it was empty.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Jobs run in one transaction.</summary>
    public const int BatchSize = 100;

    /// <summary>Queues the touch of <paramref name="title"/>'s backlinks; saved with the caller's changes.</summary>
    public static void EnqueueBacklinkTouch(WikiDbContext db, string wikiId, Title title, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(title);
        db.Jobs.Add(new Job { WikiId = wikiId, Type = HtmlCacheUpdate, Namespace = title.Namespace, Title = title.DbKey, Timestamp = now });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                while (await RunPendingAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                // The jobs stay queued; the next round tries them again.
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs the oldest queued jobs (at most <see cref="BatchSize"/>) and returns how many there were.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.Type == HtmlCacheUpdate || j.Type == RefreshLinks).OrderBy(j => j.Id).Take(BatchSize).ToListAsync(ct);
        if (jobs.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var touched = 0;
        using (await writes.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var job in jobs)
            {
                touched += job.Type == RefreshLinks ? await RefreshTransclusionsAsync(db, job, now, ct) : await TouchBacklinksAsync(db, job, now, ct);
            }

            var ids = jobs.ConvertAll(j => j.Id);
            await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (touched > 0)
        {
            // Page heads read before now carry the old touched time.
            changes.Saved();
        }

        return jobs.Count;
    }

    /// <summary>The link tables of every page that transcludes the job's title, from its latest text; each is touched.</summary>
    private async Task<int> RefreshTransclusionsAsync(WikiDbContext db, Job job, DateTime now, CancellationToken ct)
    {
        var wiki = farm.Wikis.FirstOrDefault(w => w.Id == job.WikiId);
        if (wiki is null)
        {
            return 0;
        }

        var (wikiId, ns, key) = (job.WikiId, job.Namespace, job.Title);
        var pages = await db.Pages.AsNoTracking()
            .Where(p => p.WikiId == wikiId && db.TemplateLinks.Any(l => l.WikiId == wikiId && l.Namespace == ns && l.Title == key && l.FromId == p.Id))
            .Select(p => new { p.Id, p.Namespace, p.DbKey, Text = db.Revisions.Where(r => r.WikiId == wikiId && r.Id == p.LatestRevisionId).Select(r => r.Text).First() })
            .ToListAsync(ct);
        foreach (var page in pages)
        {
            var title = Title.Create(wiki.Namespaces, page.Namespace, page.DbKey);
            await PageWriter.ReplaceLinksAsync(db, wikiId, title, page.Id, await PageLinkSet.FromTextAsync(db, page.Text, title, wiki, now, ct), now, ct);
        }

        await db.SaveChangesAsync(ct);
        var ids = pages.ConvertAll(p => p.Id);
        return await db.Pages.Where(p => p.WikiId == wikiId && ids.Contains(p.Id) && p.Touched < now).ExecuteUpdateAsync(s => s.SetProperty(p => p.Touched, now), ct);
    }

    /// <summary>Sets the touched time of every page that links to the job's title (never back in time).</summary>
    private static Task<int> TouchBacklinksAsync(WikiDbContext db, Job job, DateTime now, CancellationToken ct)
    {
        var (wikiId, ns, key) = (job.WikiId, job.Namespace, job.Title);
        var from = db.PageLinks.Where(l => l.WikiId == wikiId && l.Namespace == ns && l.Title == key).Select(l => l.FromId)
            .Concat(db.TemplateLinks.Where(l => l.WikiId == wikiId && l.Namespace == ns && l.Title == key).Select(l => l.FromId));
        if (ns == NamespaceTable.Category)
        {
            from = from.Concat(db.CategoryLinks.Where(l => l.WikiId == wikiId && l.Category == key).Select(l => l.FromId));
        }
        else if (ns == NamespaceTable.File)
        {
            from = from.Concat(db.ImageLinks.Where(l => l.WikiId == wikiId && l.To == key).Select(l => l.FromId));
        }

        return db.Pages.Where(p => p.WikiId == wikiId && from.Contains(p.Id) && p.Touched < now)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Touched, now), ct);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Job queue: a batch failed and stays queued")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
