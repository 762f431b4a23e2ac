using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

/// <summary>
/// The lookups every page read does, as EF Core compiled queries: the LINQ is translated once, not on
/// every request.
/// </summary>
internal static class PageReads
{
    /// <summary>The page of a wiki with this namespace and key, untracked; null when it does not exist.</summary>
    public static readonly Func<WikiDbContext, string, int, string, CancellationToken, Task<Page?>> PageByTitle =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int ns, string dbKey, CancellationToken ct) =>
            db.Pages.AsNoTracking().FirstOrDefault(p => p.WikiId == wikiId && p.Namespace == ns && p.DbKey == dbKey));

    /// <summary>A revision by id, untracked; null when it does not exist.</summary>
    public static readonly Func<WikiDbContext, int, CancellationToken, Task<Revision?>> RevisionById =
        EF.CompileAsyncQuery((WikiDbContext db, int id, CancellationToken ct) =>
            db.Revisions.AsNoTracking().FirstOrDefault(r => r.Id == id));

    /// <summary>A page's latest revision, untracked; every page has one, so its absence is a broken database.</summary>
    public static async Task<Revision> LatestRevisionAsync(WikiDbContext db, int pageId, int latestRevisionId, CancellationToken ct) =>
        await RevisionById(db, latestRevisionId, ct)
            ?? throw new InvalidOperationException($"Revision {latestRevisionId} of page {pageId} is missing.");
}
