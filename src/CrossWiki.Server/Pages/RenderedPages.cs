using System.Text;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CrossWiki.Server.Pages;

/// <summary>What a page read needs to know about a page: its latest revision.</summary>
internal sealed record PageHead(int Id, int LatestRevisionId, DateTime Touched);

/// <summary>
/// What tells whether pages were created: the farm's highest page id as last read from the database, and
/// how many saves this process committed (a save may have created a page).
/// </summary>
internal readonly record struct PageStamp(int MaxPageId, long LocalSaves);

/// <summary>One rendering of a revision, and what it depended on.</summary>
internal sealed class Rendering(string html, DateTime timestamp, Title[] missingLinks, PageStamp pageStamp)
{
    public string Html { get; } = html;

    public DateTime Timestamp { get; } = timestamp;

    /// <summary>Link targets that did not exist when it was rendered (its red links).</summary>
    public Title[] MissingLinks { get; } = missingLinks;

    /// <summary>The page stamp when it was rendered or last found still valid.</summary>
    public PageStamp PageStamp { get; set; } = pageStamp;

    /// <summary>The whole rest.php HTML document in UTF-8, made on its first request.</summary>
    public byte[]? RestDocument { get; set; }
}

/// <summary>
/// Rendered HTML by revision, so a page read renders wikitext once, not on every request (MediaWiki's
/// parser cache). A revision's text never changes, and as pages are never deleted or moved, the only
/// thing that changes its HTML is the creation of a page it links to in red. So a rendering stays valid
/// while no page was created (the page stamp is unchanged); once one was, a single query checks whether
/// any of its red links now exists, and only then is it rendered again. Saves by this process change the
/// stamp at once (<see cref="PageChanges"/>); pages created by another server process are
/// noticed when the farm's highest page id is read again, at most <see cref="StampMaxAge"/> after the
/// last read (MediaWiki updates links to a new page from its job queue, later still). Entries are
/// bounded by size, least recently used going first.
/// <para>
/// A farm served by one process (<c>Farm:SingleProcess</c>, README "Several nodes") also keeps the page
/// heads it read, by title: every save goes through this process and makes them all be read again
/// (<see cref="PageChanges"/>), and none is trusted for longer than <see cref="StampMaxAge"/>. A farm of
/// several nodes reads the head of every page view from the database.
/// </para>
/// </summary>
internal sealed class RenderedPages(IDbContextFactory<WikiDbContext> dbFactory, TimeProvider time, FarmConfig farm, PageChanges changes) : IDisposable
{
    /// <summary>At most this many page heads are kept.</summary>
    private const int MaxHeads = 65536;

    /// <summary>At most this many bytes of HTML are kept.</summary>
    public const long SizeLimit = 32L * 1024 * 1024;

    /// <summary>How long the farm's highest page id, as read from the database, is trusted.</summary>
    public static readonly TimeSpan StampMaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _stampLock = new();
    private int _maxPageId = -1;
    private long _maxPageIdReadAt;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Wiki, int Namespace, string DbKey), KeptHead>? _heads =
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
        await PageReads.PageByTitle(db, wiki.Id, title.Namespace, title.DbKey, ct) is { } page
            ? new PageHead(page.Id, page.LatestRevisionId, page.Touched)
            : null;

    private sealed record KeptHead(PageHead Head, long Saves, long ReadAt);

    /// <summary>The rendering of the page's latest revision: cached when still valid, else rendered and kept.</summary>
    public async Task<Rendering> GetAsync(WikiDbContext db, Wiki wiki, PageHead page, CancellationToken ct)
    {
        if (_cache.TryGetValue(page.LatestRevisionId, out Rendering? cached) && cached is not null
            && await IsValidAsync(db, wiki, cached, ct))
        {
            return cached;
        }

        // The stamp is taken before rendering: a page created meanwhile makes the next read check again.
        var stamp = await StampAsync(db, ct);
        var revision = await PageReads.LatestRevisionAsync(db, page.Id, page.LatestRevisionId, ct);
        using var links = new LinkTargets(wiki, dbFactory);
        var html = WikitextRenderer.Render(revision.Text, links.Context);
        var rendering = new Rendering(html, revision.Timestamp, [.. links.Missing], stamp);
        _cache.Set(revision.Id, rendering, new MemoryCacheEntryOptions { Size = (html.Length * 2L) + 256 });
        return rendering;
    }

    /// <summary>The rest.php HTML document of a rendering (built once per rendering).</summary>
    public static byte[] RestDocument(Rendering rendering, Title title)
    {
        if (rendering.RestDocument is { } done)
        {
            return done;
        }

        var enc = System.Text.Encodings.Web.HtmlEncoder.Default;
        var document = Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + enc.Encode(title.PrefixedText)
            + "</title></head><body>" + rendering.Html + "</body></html>");
        rendering.RestDocument = document;
        return document;
    }

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
            maxPageId = await PageReads.MaxPageId(db, ct);
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
        if (rendering.MissingLinks.Length == 0)
        {
            return true;
        }

        var stamp = await StampAsync(db, ct);
        if (rendering.PageStamp == stamp)
        {
            return true;
        }

        // Pages were created since: is any of the red links among them?
        var wikiId = wiki.Id;
        foreach (var group in rendering.MissingLinks.GroupBy(t => t.Namespace))
        {
            var ns = group.Key;
            var keys = group.Select(t => t.DbKey).ToList();
            if (await db.Pages.AnyAsync(p => p.WikiId == wikiId && p.Namespace == ns && keys.Contains(p.DbKey), ct))
            {
                return false;
            }
        }

        rendering.PageStamp = stamp;
        return true;
    }

    public void Dispose() => _cache.Dispose();
}
