using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

/// <summary>
/// The lookups page reads, renderings and saves do. The two that every page read makes (a page by title,
/// a revision by id) read their row with one SQL command (<see cref="RowRead"/>), because EF's materializer
/// cost more than the lookup; the others are EF Core compiled queries (the LINQ is translated once).
/// </summary>
internal static class PageReads
{
    /// <summary>The page of a wiki with this namespace and key, untracked; null when it does not exist.</summary>
    public static async Task<Page?> PageByTitleAsync(WikiDbContext db, string wikiId, int ns, string dbKey, CancellationToken ct)
    {
        await using var read = await RowRead.StartAsync(db, PageByTitleSql, ct, wikiId, ns, dbKey);
        return await read.NextAsync(ct) ? ReadPage(read.Reader, wikiId) : null;
    }

    /// <summary>A revision of a wiki by id, untracked; null when it does not exist.</summary>
    public static async Task<Revision?> RevisionByIdAsync(WikiDbContext db, string wikiId, int id, CancellationToken ct)
    {
        await using var read = await RowRead.StartAsync(db, RevisionByIdSql, ct, wikiId, id);
        return await read.NextAsync(ct) ? ReadRevision(read.Reader, wikiId) : null;
    }

    /// <summary>
    /// The page of a wiki with this namespace and key and its latest revision, in one read (a page read by title
    /// that shows the latest revision: <c>prop=revisions</c> without its list options); null when the page does not exist.
    /// </summary>
    public static async Task<(Page Page, Revision? Latest)?> PageWithLatestByTitleAsync(WikiDbContext db, string wikiId, int ns, string dbKey, CancellationToken ct)
    {
        await using var read = await RowRead.StartAsync(db, PageWithLatestByTitleSql, ct, wikiId, ns, dbKey);
        if (!await read.NextAsync(ct))
        {
            return null;
        }

        var r = read.Reader;
        return (ReadPage(r, wikiId), r.IsDBNull(PageColumnCount) ? null : ReadRevision(r, wikiId, PageColumnCount));
    }

    private const string PageColumns = "\"Id\", \"Namespace\", \"DbKey\", \"LatestRevisionId\", \"Touched\", \"Length\", \"IsNew\", \"Random\"";

    private const int PageColumnCount = 8;

    private const string RevisionColumns = "\"Id\", \"PageId\", \"ParentId\", \"UserId\", \"UserText\", \"Timestamp\", \"Comment\", \"Minor\", \"Text\", \"Length\", \"Sha1\"";

    private const string PageByTitleSql =
        "SELECT " + PageColumns + " FROM \"pages\" WHERE \"WikiId\" = @p0 AND \"Namespace\" = @p1 AND \"DbKey\" = @p2 LIMIT 1";

    private const string RevisionByIdSql =
        "SELECT " + RevisionColumns + " FROM \"revisions\" WHERE \"WikiId\" = @p0 AND \"Id\" = @p1 LIMIT 1";

    private const string PageWithLatestByTitleSql =
        "SELECT p.\"Id\", p.\"Namespace\", p.\"DbKey\", p.\"LatestRevisionId\", p.\"Touched\", p.\"Length\", p.\"IsNew\", p.\"Random\", "
        + "r.\"Id\", r.\"PageId\", r.\"ParentId\", r.\"UserId\", r.\"UserText\", r.\"Timestamp\", r.\"Comment\", r.\"Minor\", r.\"Text\", r.\"Length\", r.\"Sha1\" "
        + "FROM \"pages\" AS p LEFT JOIN \"revisions\" AS r ON r.\"WikiId\" = p.\"WikiId\" AND r.\"Id\" = p.\"LatestRevisionId\" "
        + "WHERE p.\"WikiId\" = @p0 AND p.\"Namespace\" = @p1 AND p.\"DbKey\" = @p2 LIMIT 1";

    private static Page ReadPage(DbDataReader r, string wikiId) => new()
    {
        WikiId = wikiId,
        Id = r.GetInt32(0),
        Namespace = r.GetInt32(1),
        DbKey = r.GetString(2),
        LatestRevisionId = r.GetInt32(3),
        Touched = r.GetDateTime(4),
        Length = r.GetInt32(5),
        IsNew = r.GetBoolean(6),
        Random = r.GetDouble(7),
    };

    private static Revision ReadRevision(DbDataReader r, string wikiId, int at = 0) => new()
    {
        WikiId = wikiId,
        Id = r.GetInt32(at),
        PageId = r.GetInt32(at + 1),
        ParentId = r.GetInt32(at + 2),
        UserId = r.GetInt32(at + 3),
        UserText = r.GetString(at + 4),
        Timestamp = r.GetDateTime(at + 5),
        Comment = r.GetString(at + 6),
        Minor = r.GetBoolean(at + 7),
        Text = r.GetString(at + 8),
        Length = r.GetInt32(at + 9),
        Sha1 = r.GetString(at + 10),
    };

    /// <summary>The revision this one was made on (RevisionStore::getPreviousRevision), untracked; null for a page's first.</summary>
    public static async Task<Revision?> PreviousRevisionAsync(WikiDbContext db, Revision rev, CancellationToken ct) =>
        rev.ParentId == 0 ? null : await RevisionByIdAsync(db, rev.WikiId, rev.ParentId, ct);

    /// <summary>The latest revision of this revision's page: the revision itself when it is the latest.</summary>
    public static async Task<Revision> LatestRevisionOfPageAsync(WikiDbContext db, Revision rev, CancellationToken ct)
    {
        var latest = await db.Pages.AsNoTracking().Where(p => p.WikiId == rev.WikiId && p.Id == rev.PageId).Select(p => p.LatestRevisionId).FirstAsync(ct);
        return latest == rev.Id ? rev : await LatestRevisionAsync(db, rev.WikiId, rev.PageId, latest, ct);
    }

    /// <summary>The title of this revision's page.</summary>
    public static async Task<Pages.Title> TitleOfRevisionAsync(WikiDbContext db, Pages.NamespaceTable namespaces, Revision rev, CancellationToken ct)
    {
        var page = await db.Pages.AsNoTracking().Where(p => p.WikiId == rev.WikiId && p.Id == rev.PageId).Select(p => new { p.Namespace, p.DbKey }).FirstAsync(ct);
        return Pages.Title.Create(namespaces, page.Namespace, page.DbKey);
    }

    /// <summary>The page's revision after this one (RevisionStore::getNextRevision), untracked; null for the latest.</summary>
    public static async Task<Revision?> NextRevisionAsync(WikiDbContext db, Revision rev, CancellationToken ct) =>
        await db.Revisions.AsNoTracking().Where(r => r.WikiId == rev.WikiId && r.PageId == rev.PageId && r.Id > rev.Id).OrderBy(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>A page's latest revision, untracked; every page has one, so its absence is a broken database.</summary>
    public static async Task<Revision> LatestRevisionAsync(WikiDbContext db, string wikiId, int pageId, int latestRevisionId, CancellationToken ct) =>
        await RevisionByIdAsync(db, wikiId, latestRevisionId, ct)
            ?? throw new InvalidOperationException($"Revision {latestRevisionId} of page {pageId} on {wikiId} is missing.");

    /// <summary>How many page ids the farm's wikis have handed out: it grows whenever a page is created.</summary>
    public static readonly Func<WikiDbContext, CancellationToken, Task<int>> PagesCreated =
        EF.CompileAsyncQuery((WikiDbContext db, CancellationToken ct) => db.Counters.Sum(c => c.NextPageId));

    /// <summary>The page with this namespace and key, tracked (a save changes it); null when it does not exist.</summary>
    public static readonly Func<WikiDbContext, string, int, string, CancellationToken, Task<Page?>> PageForSaveByTitle =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int ns, string dbKey, CancellationToken ct) =>
            db.Pages.FirstOrDefault(p => p.WikiId == wikiId && p.Namespace == ns && p.DbKey == dbKey));

    /// <summary>The page of a wiki with this id, tracked (a save changes it); null when it does not exist.</summary>
    public static readonly Func<WikiDbContext, string, int, CancellationToken, Task<Page?>> PageForSaveById =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int id, CancellationToken ct) =>
            db.Pages.FirstOrDefault(p => p.Id == id && p.WikiId == wikiId));

    /// <summary>The first revision of a page saved in this (whole) second; null when none was.</summary>
    public static readonly Func<WikiDbContext, string, int, DateTime, CancellationToken, Task<int?>> FirstRevisionIdAt =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int pageId, DateTime timestamp, CancellationToken ct) =>
            db.Revisions.Where(r => r.WikiId == wikiId && r.PageId == pageId && r.Timestamp == timestamp).Min(r => (int?)r.Id));

    /// <summary>The last revision of a page saved before this time; null when none was.</summary>
    public static readonly Func<WikiDbContext, string, int, DateTime, CancellationToken, Task<int?>> LastRevisionIdBefore =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int pageId, DateTime timestamp, CancellationToken ct) =>
            db.Revisions.Where(r => r.WikiId == wikiId && r.PageId == pageId && r.Timestamp < timestamp).Max(r => (int?)r.Id));

    /// <summary>
    /// Whether a page has a revision after <c>afterId</c> that is not the registered user's <c>userId</c>;
    /// for <c>userId</c> 0 (anonymous) every later revision counts.
    /// </summary>
    public static readonly Func<WikiDbContext, string, int, int, int, CancellationToken, Task<bool>> AnyLaterRevisionByOthers =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int pageId, int afterId, int userId, CancellationToken ct) =>
            db.Revisions.Any(r => r.WikiId == wikiId && r.PageId == pageId && r.Id > afterId && (userId == 0 || r.UserId != userId)));

    /// <summary>The latest text of each of these pages, by page id (search results' snippets and word counts).</summary>
    public static async Task<Dictionary<int, string>> LatestTextsAsync(WikiDbContext db, string wikiId, List<int> pageIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (pageIds is not { Count: > 0 })
        {
            return [];
        }

        return await (
            from p in db.Pages.AsNoTracking()
            where p.WikiId == wikiId && pageIds.Contains(p.Id)
            join r in db.Revisions.AsNoTracking() on new { p.WikiId, Id = p.LatestRevisionId } equals new { r.WikiId, r.Id }
            select new { p.Id, r.Text }).ToDictionaryAsync(t => t.Id, t => t.Text, ct);
    }
}
