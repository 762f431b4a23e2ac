using System.Text;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CrossWiki.Server.Pages;

/// <summary>What a page read needs to know about a page: its latest revision, and the farm's page stamp.</summary>
/// <param name="PageStamp">The highest page id of the farm, read in the same query (see <see cref="RenderedPages"/>).</param>
internal sealed record PageHead(int Id, int LatestRevisionId, DateTime Touched, int PageStamp);

/// <summary>The revision a page read shows.</summary>
internal sealed record RevisionText(int Id, DateTime Timestamp, string Text);

/// <summary>One rendering of a revision, and what it depended on.</summary>
internal sealed class Rendering(string html, DateTime timestamp, Title[] missingLinks, int pageStamp)
{
    public string Html { get; } = html;

    public DateTime Timestamp { get; } = timestamp;

    /// <summary>Link targets that did not exist when it was rendered (its red links).</summary>
    public Title[] MissingLinks { get; } = missingLinks;

    /// <summary>The farm's page stamp when it was rendered or last found still valid.</summary>
    public int PageStamp { get; set; } = pageStamp;

    /// <summary>The whole rest.php HTML document in UTF-8, made on its first request.</summary>
    public byte[]? RestDocument { get; set; }
}

/// <summary>
/// Rendered HTML by revision, so a page read renders wikitext once, not on every request (MediaWiki's
/// parser cache). A revision's text never changes, and as pages are never deleted or moved, the only
/// thing that changes its HTML is a page being created that it links to in red. So a rendering stays
/// valid while the farm's highest page id (its page stamp, read with the page itself) is unchanged;
/// when the stamp moved, one query checks whether any of its red links now exists, and only then is it
/// rendered again. The stamp is read from the database, so pages created by another server process
/// count too. Entries are bounded by size (least recently used go first).
/// </summary>
internal sealed class RenderedPages(IDbContextFactory<WikiDbContext> dbFactory) : IDisposable
{
    /// <summary>At most this many bytes of HTML are kept.</summary>
    public const long SizeLimit = 32L * 1024 * 1024;

    private static readonly Func<WikiDbContext, string, int, string, CancellationToken, Task<PageHead?>> PageHeadQuery =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int ns, string dbKey, CancellationToken ct) =>
            db.Pages.Where(p => p.WikiId == wikiId && p.Namespace == ns && p.DbKey == dbKey)
                .Select(p => new PageHead(p.Id, p.LatestRevisionId, p.Touched, db.Pages.Max(x => x.Id)))
                .FirstOrDefault());

    private static readonly Func<WikiDbContext, int, CancellationToken, Task<RevisionText?>> RevisionQuery =
        EF.CompileAsyncQuery((WikiDbContext db, int id, CancellationToken ct) =>
            db.Revisions.Where(r => r.Id == id).Select(r => new RevisionText(r.Id, r.Timestamp, r.Text)).FirstOrDefault());

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    /// <summary>The page of a title with the farm's page stamp, in one query; null when it does not exist.</summary>
    public static Task<PageHead?> HeadAsync(WikiDbContext db, Wiki wiki, Title title, CancellationToken ct) =>
        PageHeadQuery(db, wiki.Id, title.Namespace, title.DbKey, ct);

    /// <summary>The rendering of the page's latest revision: cached when still valid, else rendered and kept.</summary>
    public async Task<Rendering> GetAsync(WikiDbContext db, Wiki wiki, PageHead page, CancellationToken ct)
    {
        if (_cache.TryGetValue(page.LatestRevisionId, out Rendering? cached) && cached is not null
            && await IsValidAsync(db, wiki, cached, page.PageStamp, ct))
        {
            return cached;
        }

        var revision = await RevisionQuery(db, page.LatestRevisionId, ct)
            ?? throw new InvalidOperationException($"Revision {page.LatestRevisionId} of page {page.Id} is missing.");
        using var links = new LinkTargets(wiki, dbFactory);
        var html = WikitextRenderer.Render(revision.Text, links.Context);

        // The stamp read before rendering: a page created meanwhile makes the next read check again.
        var rendering = new Rendering(html, revision.Timestamp, [.. links.Missing], page.PageStamp);
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

    private static async Task<bool> IsValidAsync(WikiDbContext db, Wiki wiki, Rendering rendering, int stamp, CancellationToken ct)
    {
        if (rendering.PageStamp == stamp || rendering.MissingLinks.Length == 0)
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
