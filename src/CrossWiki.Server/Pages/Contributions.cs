using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Pages;

/// <summary>Users' revisions with the pages they belong to: list=usercontribs and Special:Contributions read them here.</summary>
internal static class Contributions
{
    /// <summary>The <paramref name="revisions"/> joined with their pages (revisions of deleted pages are in the archive, not here).</summary>
    public static IQueryable<Contribution> Of(WikiDbContext db, IQueryable<Revision> revisions) =>
        revisions.Join(db.Pages, v => new { v.WikiId, Id = v.PageId }, p => new { p.WikiId, p.Id }, (v, p) => new Contribution
        {
            Id = v.Id, PageId = v.PageId, ParentId = v.ParentId, UserId = v.UserId, UserText = v.UserText, Timestamp = v.Timestamp, Comment = v.Comment,
            Minor = v.Minor, Length = v.Length, Namespace = p.Namespace, DbKey = p.DbKey, Latest = p.LatestRevisionId,
        });

    /// <summary>The <c>ucshow</c> criteria (<c>top</c>, <c>!minor</c>, <c>new</c>, ...), also Special:Contributions' topOnly, newOnly and hideMinor.</summary>
    public static IQueryable<Contribution> Show(IQueryable<Contribution> rows, IEnumerable<string> show, WikiDbContext db, string wikiId)
    {
        foreach (var criterion in show)
        {
            rows = criterion switch
            {
                "minor" => rows.Where(c => c.Minor),
                "!minor" => rows.Where(c => !c.Minor),
                "top" => rows.Where(c => c.Latest == c.Id),
                "!top" => rows.Where(c => c.Latest != c.Id),
                "new" => rows.Where(c => c.ParentId == 0),
                "!new" => rows.Where(c => c.ParentId != 0),
                "patrolled" or "autopatrolled" => rows.Where(c => db.RecentChanges.Any(x => x.WikiId == wikiId && x.RevisionId == c.Id && x.Patrolled != 0)),
                "!patrolled" or "!autopatrolled" => rows.Where(c => !db.RecentChanges.Any(x => x.WikiId == wikiId && x.RevisionId == c.Id && x.Patrolled != 0)),
                _ => rows,
            };
        }

        return rows;
    }
}

/// <summary>One revision with the page it belongs to (set by member, so that queries can filter on it).</summary>
internal sealed class Contribution
{
    public int Id { get; init; }

    public int PageId { get; init; }

    public int ParentId { get; init; }

    public int UserId { get; init; }

    public required string UserText { get; init; }

    public DateTime Timestamp { get; init; }

    public required string Comment { get; init; }

    public bool Minor { get; init; }

    public int Length { get; init; }

    public int Namespace { get; init; }

    public required string DbKey { get; init; }

    public int Latest { get; init; }
}
