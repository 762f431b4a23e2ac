using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>
/// Expands a wikitext with the wiki's templates read from its database: the <see cref="Preprocessor"/> runs with the
/// pages loaded so far and names those it lacked; they are read in one batch per namespace (a redirect followed once,
/// as MediaWiki follows a template redirect) and the expansion runs again, until nothing is lacking. Every page is
/// read once per expansion; a page nested n templates deep costs n rounds.
/// </summary>
internal static class TemplateExpansion
{
    /// <summary>More rounds than templates can nest ($wgMaxTemplateDepth), plus the messages and #ifexist targets at the last level.</summary>
    private const int MaxRounds = Preprocessor.MaxTemplateDepth + 8;

    /// <summary>How many levels of calls one round reads ahead, and how many pages at most.</summary>
    private const int PrefetchLevels = 8;

    private const int MaxPrefetched = 2000;

    public static async Task<ExpansionResult> ExpandAsync(WikiDbContext db, Wiki wiki, ExpansionPage page, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        var site = ExpansionSite.For(wiki);
        var sources = new ExpansionSources();
        for (var round = 0; ; round++)
        {
            var result = new Preprocessor(site, page, sources).Run(text);
            if (sources.Complete || round >= MaxRounds)
            {
                return result;
            }

            await LoadAsync(db, wiki, sources, ct);
        }
    }

    /// <summary>The same rounds with pages from memory (<paramref name="pages"/> gives a page's text by prefixed title, null when missing).</summary>
    public static ExpansionResult Expand(ExpansionSite site, ExpansionPage page, string text, Func<Title, string?> pages, SiteStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(pages);
        var sources = new ExpansionSources { Statistics = statistics };
        for (var round = 0; ; round++)
        {
            var result = new Preprocessor(site, page, sources).Run(text);
            if (sources.Complete || round >= MaxRounds)
            {
                return result;
            }

            sources.WantsStatistics = false;
            foreach (var (ns, dbKey) in sources.WantedPages.ToList())
            {
                var asked = Title.Create(site.Namespaces, ns, dbKey);
                var found = pages(asked);
                if (found is not null && Redirects.Target(found, site.Namespaces) is { Namespace: >= 0 } target)
                {
                    var to = Title.Create(site.Namespaces, target.Namespace, target.DbKey);
                    sources.Add(asked, new LoadedPage(to, pages(to), 1, 1));
                }
                else
                {
                    sources.Add(asked, new LoadedPage(asked, found, found is null ? 0 : 1, found is null ? 0 : 1));
                }
            }

            sources.WantedPages.Clear();
        }
    }

    private static async Task LoadAsync(WikiDbContext db, Wiki wiki, ExpansionSources sources, CancellationToken ct)
    {
        if (sources.WantsStatistics)
        {
            sources.Statistics = await StatisticsAsync(db, wiki.Id, ct);
            sources.WantsStatistics = false;
        }

        var wanted = sources.WantedPages.ToList();
        sources.WantedPages.Clear();
        var texts = await TextsAsync(db, wiki.Id, wanted, ct);

        // The calls the loaded templates make are likely wanted next: read them now, a few levels down, so that a page
        // of nested templates takes a few rounds, not one per level (pages read and not used cost nothing more).
        var known = wanted.ToHashSet();
        var fresh = texts.Values.Select(t => t.Text).ToList();
        for (var level = 0; level < PrefetchLevels && fresh.Count > 0 && known.Count < MaxPrefetched; level++)
        {
            var next = fresh.SelectMany(t => TemplateTargets.Find(t, wiki.Namespaces)).Where(known.Add).ToList();
            if (next.Count == 0)
            {
                break;
            }

            var found = await TextsAsync(db, wiki.Id, next, ct);
            foreach (var (key, value) in found)
            {
                texts[key] = value;
            }

            wanted.AddRange(next);
            fresh = [.. found.Values.Select(t => t.Text)];
        }

        var redirects = new List<(Title Asked, Title Target)>();
        foreach (var (ns, dbKey) in wanted)
        {
            var asked = Title.Create(wiki.Namespaces, ns, dbKey);
            if (texts.TryGetValue((ns, dbKey), out var found))
            {
                if (Redirects.Target(found.Text, wiki.Namespaces) is { Namespace: >= 0 } target && !(target.Namespace == ns && target.DbKey == dbKey))
                {
                    redirects.Add((asked, Title.Create(wiki.Namespaces, target.Namespace, target.DbKey)));
                    continue;
                }

                sources.Add(asked, new LoadedPage(asked, found.Text, found.PageId, found.RevisionId));
            }
            else
            {
                sources.Add(asked, new LoadedPage(asked, null, 0, 0));
            }
        }

        if (redirects.Count > 0)
        {
            var targets = await TextsAsync(db, wiki.Id, [.. redirects.Select(r => (r.Target.Namespace, r.Target.DbKey))], ct);
            foreach (var (asked, target) in redirects)
            {
                sources.Add(asked, targets.TryGetValue((target.Namespace, target.DbKey), out var t)
                    ? new LoadedPage(target, t.Text, t.PageId, t.RevisionId)
                    : new LoadedPage(target, null, 0, 0));
            }
        }
    }

    /// <summary>The latest text of each of these pages that exists, by title.</summary>
    public static async Task<Dictionary<(int, string), (string Text, int PageId, int RevisionId)>> TextsAsync(
        WikiDbContext db, string wikiId, List<(int Namespace, string DbKey)> titles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var found = new Dictionary<(int, string), (string, int, int)>();
        foreach (var group in titles.GroupBy(t => t.Namespace))
        {
            var ns = group.Key;
            var keys = group.Select(t => t.DbKey).Distinct(StringComparer.Ordinal).ToList();
            for (var start = 0; start < keys.Count; start += LinkBatch.BatchSize)
            {
                var batch = keys.GetRange(start, Math.Min(LinkBatch.BatchSize, keys.Count - start));
                var rows = await (
                    from p in db.Pages.AsNoTracking()
                    where p.WikiId == wikiId && p.Namespace == ns && batch.Contains(p.DbKey)
                    join r in db.Revisions.AsNoTracking() on new { p.WikiId, Id = p.LatestRevisionId } equals new { r.WikiId, r.Id }
                    select new { p.DbKey, p.Id, RevisionId = r.Id, r.Text }).ToListAsync(ct);
                foreach (var row in rows)
                {
                    found[(ns, row.DbKey)] = (row.Text, row.Id, row.RevisionId);
                }
            }
        }

        return found;
    }

    /// <summary>The latest revision id of each page that exists (0 for the others), for the render cache's check of its templates.</summary>
    public static async Task<int[]> LatestRevisionIdsAsync(WikiDbContext db, string wikiId, IReadOnlyList<(int Namespace, string DbKey)> titles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(titles);
        var ids = new int[titles.Count];
        var byKey = new Dictionary<(int, string), int>();
        foreach (var group in titles.Select((t, i) => (t, i)).GroupBy(x => x.t.Namespace))
        {
            var ns = group.Key;
            var keys = group.Select(x => x.t.DbKey).Distinct(StringComparer.Ordinal).ToList();
            for (var start = 0; start < keys.Count; start += LinkBatch.BatchSize)
            {
                var batch = keys.GetRange(start, Math.Min(LinkBatch.BatchSize, keys.Count - start));
                await foreach (var row in db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == ns && batch.Contains(p.DbKey))
                    .Select(p => new { p.DbKey, p.LatestRevisionId }).AsAsyncEnumerable().WithCancellation(ct))
                {
                    byKey[(ns, row.DbKey)] = row.LatestRevisionId;
                }
            }
        }

        for (var i = 0; i < titles.Count; i++)
        {
            ids[i] = byKey.GetValueOrDefault((titles[i].Namespace, titles[i].DbKey));
        }

        return ids;
    }

    private static async Task<SiteStatistics> StatisticsAsync(WikiDbContext db, string wikiId, CancellationToken ct)
    {
        var pages = await db.Pages.CountAsync(p => p.WikiId == wikiId, ct);
        var articles = await db.Pages.CountAsync(p => p.WikiId == wikiId && p.Namespace == 0, ct);
        var edits = await db.Revisions.CountAsync(r => r.WikiId == wikiId, ct);
        var users = await db.Users.CountAsync(ct);
        var admins = (await db.Users.AsNoTracking().Select(u => u.Groups).ToListAsync(ct))
            .Count(g => g.Split(',', StringSplitOptions.TrimEntries).Contains("sysop", StringComparer.Ordinal));
        var files = await db.Files.CountAsync(f => f.WikiId == wikiId, ct);
        return new SiteStatistics(pages, articles, edits, users, files, admins);
    }
}
