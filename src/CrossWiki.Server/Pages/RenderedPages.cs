using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CrossWiki.Server.Pages;

/// <summary>What a page read needs to know about a page: its latest revision.</summary>
internal sealed record PageHead(int Id, int LatestRevisionId, DateTime Touched)
{
    /// <summary>The page's title (PAGENAME and the other title words of its rendering, its section edit links).</summary>
    public Title? Title { get; init; }

    /// <summary>The page's content model (code pages are shown as code, not rendered as wikitext).</summary>
    public ContentModel Model { get; init; } = ContentModel.Wikitext;
}

/// <summary>
/// What tells whether pages were created: how many page ids the farm's wikis have handed out, as last read
/// from the database, and how many saves this process committed (a save may have created a page).
/// </summary>
internal readonly record struct PageStamp(int PagesCreated, long LocalSaves);

/// <summary>One rendering of a revision, and what it depended on.</summary>
internal sealed class Rendering(byte[] html, DateTime timestamp, (int Namespace, string DbKey)[] missingLinks, PageStamp pageStamp)
{
    /// <summary>The pages its expansion read (templates, #ifexist targets, messages) and the revision of each it read (0: missing).</summary>
    public (int Namespace, string DbKey, int RevisionId)[] Dependencies { get; init; } = [];

    /// <summary>When its time-dependent magic words make it stale (MediaWiki lowers the parser cache's expiry for them); null: never.</summary>
    public long? ExpiresAt { get; init; }

    /// <summary>When its dependencies were last checked (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long DependenciesCheckedAt { get; set; }

    /// <summary>The HTML in UTF-8, as rest.php sends it (half the memory of a string, and no copy to send).</summary>
    public byte[] Html { get; } = html;

    public DateTime Timestamp { get; } = timestamp;

    /// <summary>Link targets that did not exist when it was rendered (its red links).</summary>
    public (int Namespace, string DbKey)[] MissingLinks { get; } = missingLinks;

    /// <summary>The page stamp when it was rendered or last found still valid.</summary>
    public PageStamp PageStamp { get; set; } = pageStamp;

    /// <summary>What it costs the cache in bytes: the HTML and, roughly, each kept red-link key.</summary>
    public long Size
    {
        get
        {
            long size = 256 + Html.Length;
            foreach (var (_, dbKey) in MissingLinks)
            {
                size += 48 + (2L * dbKey.Length);
            }

            foreach (var (_, dbKey, _) in Dependencies)
            {
                size += 56 + (2L * dbKey.Length);
            }

            return size;
        }
    }
}

/// <summary>
/// Rendered HTML by revision, so a page read renders wikitext once, not on every request (MediaWiki's
/// parser cache). A revision's text never changes; of the pages it links to, only the creation of one it links
/// to in red is looked for (a page it links to in blue that is deleted or moved away stays blue until the
/// rendering is purged or its own page saved again). So a rendering stays valid
/// while no page was created (the page stamp is unchanged); once one was, a single query checks whether
/// any of its red links now exists, and only then is it rendered again. Saves by this process change the
/// stamp at once (<see cref="PageChanges"/>); pages created by another server process are
/// noticed when the farm's highest page id is read again, at most <see cref="StampMaxAge"/> after the
/// last read (MediaWiki updates links to a new page from its job queue, later still). Entries are
/// bounded by their size in bytes (<see cref="SizeLimit"/>), least recently used going first, and a
/// revision that several requests want at once is rendered by the first of them only; every rendering is
/// counted on the <c>crosswiki.pages.rendered</c> counter of the <see cref="MeterName"/> meter.
/// <para>
/// Templates make a revision's HTML depend on other pages too: a rendering keeps every page its expansion read
/// (templates, nested and missing ones, #ifexist targets, interface messages) with the revision it read, and is
/// rendered again as soon as one of them has another latest revision (or was created). They are checked with one
/// query when the page stamp changed (every local save changes it) and otherwise at most every <see cref="StampMaxAge"/>,
/// so an edit by another process is seen within that time too. A rendering whose magic words depend on the clock
/// (CURRENTTIME, #time of now, NUMBEROF...) expires after the lifetime they ask for, at most an hour, as MediaWiki
/// lowers its parser cache expiry for them.
/// </para>
/// <para>
/// A farm served by one process (<c>Farm:SingleProcess</c>, README "Several nodes") also keeps the page
/// heads it read, by title: every save goes through this process and makes them all be read again
/// (<see cref="PageChanges"/>), and none is trusted for longer than <see cref="StampMaxAge"/>. A farm of
/// several nodes reads the head of every page view from the database.
/// </para>
/// </summary>
internal sealed class RenderedPages(IDbContextFactory<WikiDbContext> dbFactory, TimeProvider time, FarmConfig farm, PageChanges changes, IMeterFactory meters) : IDisposable
{
    /// <summary>The meter of page renderings.</summary>
    public const string MeterName = "CrossWiki.Server.Pages";

    /// <summary>The clock renderings are made with (the time magic words read it).</summary>
    public TimeProvider Time => time;

    /// <summary>At most this many page heads are kept.</summary>
    private const int MaxHeads = 65536;

    /// <summary>
    /// At most this many bytes of renderings are kept (<see cref="Rendering.Size"/>): a constant, enough for
    /// thousands of ordinary pages and for the largest pages a wiki accepts (2 MB of wikitext can render
    /// to 50 MB of HTML), so that a big page is not rendered again on every view.
    /// </summary>
    public const long SizeLimit = 256L * 1024 * 1024;

    /// <summary>How long the farm's highest page id, as read from the database, is trusted.</summary>
    public static readonly TimeSpan StampMaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _stampLock = new();
    private int _maxPageId = -1;
    private long _maxPageIdReadAt;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    /// <summary>Renderings under way, by revision id, so that simultaneous first views wait for one.</summary>
    private readonly ConcurrentDictionary<(string WikiId, int RevisionId), Task<Rendering>> _inFlight = new();

    private readonly Counter<long> _rendered = meters.Create(MeterName).CreateCounter<long>(
        "crosswiki.pages.rendered", unit: "{rendering}", description: "Revisions rendered for page views and rest.php HTML (cache misses).");

    private readonly ConcurrentDictionary<(string Wiki, int Namespace, string DbKey), KeptHead>? _heads =
        farm.SingleProcess ? new() : null;

    /// <summary>The page of a title; null when it does not exist.</summary>
    public async Task<PageHead?> HeadAsync(WikiDbContext db, Wiki wiki, Title title, CancellationToken ct)
    {
        if (_heads is null)
        {
            return await ReadHeadAsync(db, wiki, title, ct);
        }

        var key = (wiki.Id, title.Namespace, title.DbKey);
        var saves = changes.Saves;
        var now = time.GetTimestamp();
        if (_heads.TryGetValue(key, out var kept) && kept.Saves == saves && time.GetElapsedTime(kept.ReadAt, now) < StampMaxAge)
        {
            return kept.Head;
        }

        // Read after taking the save count: a save committed meanwhile leaves this head stale, and unused.
        var head = await ReadHeadAsync(db, wiki, title, ct);
        if (head is not null)
        {
            if (_heads.Count >= MaxHeads)
            {
                _heads.Clear();
            }

            _heads[key] = new KeptHead(head, saves, now);
        }

        return head;
    }

    private static async Task<PageHead?> ReadHeadAsync(WikiDbContext db, Wiki wiki, Title title, CancellationToken ct) =>
        await PageReads.PageByTitleAsync(db, wiki.Id, title.Namespace, title.DbKey, ct) is { } page
            ? new PageHead(page.Id, page.LatestRevisionId, page.Touched) { Model = ContentModel.For(title), Title = title }
            : null;

    private sealed record KeptHead(PageHead Head, long Saves, long ReadAt);

    /// <summary>The rendering of the page's latest revision: cached when still valid, else rendered and kept.</summary>
    public async Task<Rendering> GetAsync(WikiDbContext db, Wiki wiki, PageHead page, CancellationToken ct)
    {
        if (_cache.TryGetValue((wiki.Id, page.LatestRevisionId), out Rendering? cached) && cached is not null
            && await IsValidAsync(db, wiki, cached, ct))
        {
            return cached;
        }

        return await RenderOnceAsync(wiki, page).WaitAsync(ct);
    }

    /// <summary>
    /// The rendering under way for this revision, or a new one. It runs on its own database context and
    /// is not cancelled with the request that started it: the others waiting for it, and the cache, still
    /// want it.
    /// </summary>
    private Task<Rendering> RenderOnceAsync(Wiki wiki, PageHead page)
    {
        var revisionId = (wiki.Id, page.LatestRevisionId);
        var mine = new TaskCompletionSource<Rendering>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inFlight.GetOrAdd(revisionId, mine.Task);
        if (running != mine.Task)
        {
            return running;
        }

        _ = RunAsync();
        return mine.Task;

        async Task RunAsync()
        {
            try
            {
                mine.SetResult(await RenderAndKeepAsync(wiki, page));
            }
            catch (Exception e)
            {
                mine.SetException(e);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<(string, int), Task<Rendering>>(revisionId, mine.Task));
            }
        }
    }

    private async Task<Rendering> RenderAndKeepAsync(Wiki wiki, PageHead page)
    {
        var ct = CancellationToken.None;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // The stamp is taken before rendering: a page created meanwhile makes the next read check again.
        var stamp = await StampAsync(db, ct);
        var revision = await PageReads.LatestRevisionAsync(db, wiki.Id, page.Id, page.LatestRevisionId, ct);
        Rendering rendering;
        if (page.Model.IsCode)
        {
            rendering = new Rendering(System.Text.Encoding.UTF8.GetBytes(WikiRendering.CodeHtml(page.Model, revision.Text)), revision.Timestamp, [], stamp);
        }
        else
        {
            var expansionPage = new Wikitext.ExpansionPage(page.Title ?? Title.Create(wiki.Namespaces, 0, "Main_Page"), time.GetUtcNow())
            {
                PageId = page.Id,
                RevisionId = revision.Id,
                RevisionTimestamp = new DateTimeOffset(DateTime.SpecifyKind(revision.Timestamp, DateTimeKind.Utc)),
                RevisionUser = revision.UserText,
            };
            var (holders, exists) = await WikiRendering.RenderAsync(db, wiki, revision.Text, expansionPage, ct, farm.SharedRepositoryFor(wiki));
            var expansion = holders.Expansion!;
            rendering = new Rendering(holders.FillUtf8(exists), revision.Timestamp, holders.Missing(exists), stamp)
            {
                Dependencies = [.. expansion.Dependencies],
                ExpiresAt = expansion.CacheTtl is { } ttl ? time.GetTimestamp() + (Math.Min(ttl, 3600) * time.TimestampFrequency) : null,
                DependenciesCheckedAt = time.GetTimestamp(),
            };
        }

        _rendered.Add(1, new KeyValuePair<string, object?>("wiki", wiki.Id));
        _cache.Set((wiki.Id, revision.Id), rendering, new MemoryCacheEntryOptions { Size = rendering.Size });
        return rendering;
    }

    /// <summary>Drops this node's rendering of a revision (action=purge): the next view renders it again.</summary>
    public void Forget(string wikiId, int revisionId) => _cache.Remove((wikiId, revisionId));

    /// <summary>The rest.php HTML document up to the rendered HTML (MediaWiki's Parsoid page shape, simplified).</summary>
    public static string DocumentHead(Title title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + System.Text.Encodings.Web.HtmlEncoder.Default.Encode(title.PrefixedText)
            + "</title></head><body>";
    }

    /// <summary>The rest.php HTML document after the rendered HTML.</summary>
    public const string DocumentTail = "</body></html>";

    public static readonly byte[] DocumentTailUtf8 = Encoding.UTF8.GetBytes(DocumentTail);

    private async Task<PageStamp> StampAsync(WikiDbContext db, CancellationToken ct)
    {
        // Read the local count first: a save after it was read will change it again.
        var local = changes.Saves;
        var now = time.GetTimestamp();
        int maxPageId;
        lock (_stampLock)
        {
            maxPageId = _maxPageId >= 0 && time.GetElapsedTime(_maxPageIdReadAt, now) < StampMaxAge ? _maxPageId : -1;
        }

        if (maxPageId < 0)
        {
            maxPageId = await PageReads.PagesCreated(db, ct);
            lock (_stampLock)
            {
                if (_maxPageId < 0 || now >= _maxPageIdReadAt)
                {
                    (_maxPageId, _maxPageIdReadAt) = (maxPageId, now);
                }
            }
        }

        return new PageStamp(maxPageId, local);
    }

    private async Task<bool> IsValidAsync(WikiDbContext db, Wiki wiki, Rendering rendering, CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (rendering.ExpiresAt is { } expires && now >= expires)
        {
            return false;
        }

        if (rendering.MissingLinks.Length == 0 && rendering.Dependencies.Length == 0)
        {
            return true;
        }

        var stamp = await StampAsync(db, ct);
        var checkDependencies = rendering.Dependencies.Length > 0
            && (rendering.PageStamp != stamp || time.GetElapsedTime(rendering.DependenciesCheckedAt, now) >= StampMaxAge);
        if (rendering.PageStamp == stamp && !checkDependencies)
        {
            return true;
        }

        // Pages were created since: is any of the red links among them?
        if (rendering.PageStamp != stamp && rendering.MissingLinks.Length > 0 && await LinkBatch.AnyExistsAsync(db, wiki.Id, rendering.MissingLinks, ct))
        {
            return false;
        }

        if (checkDependencies)
        {
            // Saves happened: has any page the expansion read another latest revision now?
            var keys = rendering.Dependencies.Select(d => (d.Namespace, d.DbKey)).ToList();
            var latest = await Wikitext.TemplateExpansion.LatestRevisionIdsAsync(db, wiki.Id, keys, ct);
            for (var i = 0; i < latest.Length; i++)
            {
                if (latest[i] != rendering.Dependencies[i].RevisionId)
                {
                    return false;
                }
            }

            rendering.DependenciesCheckedAt = now;
        }

        rendering.PageStamp = stamp;
        return true;
    }

    public void Dispose() => _cache.Dispose();
}
