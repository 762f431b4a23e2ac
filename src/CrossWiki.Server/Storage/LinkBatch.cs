using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

/// <summary>
/// Which of many pages exist, a few hundred keys per query (MediaWiki's <c>LinkBatch</c>): a rendering
/// looks all its link targets up at once instead of one query per link. The keys of a batch go to the
/// database as one collection parameter (<c>EF.Parameter(keys).Contains</c>: a JSON array read with
/// <c>json_each</c> on SQLite, an array with <c>= ANY</c> on PostgreSQL) rather than EF Core 10's default of
/// one parameter per key, which cost several milliseconds a query in binding and command setup.
/// </summary>
internal static class LinkBatch
{
    /// <summary>Keys per query: far below SQLite's and PostgreSQL's parameter limits, and few round trips.</summary>
    public const int BatchSize = 1000;

    // Not an EF compiled query: EF.Parameter cannot be used in one. EF caches the translation by the
    // query's shape, so each batch only pays for extracting its three parameters.
    private static IAsyncEnumerable<string> ExistingKeysQuery(WikiDbContext db, string wikiId, int ns, List<string> keys) =>
        db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == ns && EF.Parameter(keys).Contains(p.DbKey))
            .Select(p => p.DbKey).AsAsyncEnumerable();

    /// <summary>
    /// Whether each page exists, in the order given. Negative namespaces (Special, Media) hold no pages,
    /// so they are not queried.
    /// </summary>
    public static async Task<bool[]> ExistAsync(WikiDbContext db, string wikiId, IReadOnlyList<(int Namespace, string DbKey)> pages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pages);
        var exists = new bool[pages.Count];
        var byNamespace = new Dictionary<int, List<int>>();
        for (var i = 0; i < pages.Count; i++)
        {
            if (pages[i].Namespace >= 0)
            {
                if (!byNamespace.TryGetValue(pages[i].Namespace, out var indexes))
                {
                    byNamespace.Add(pages[i].Namespace, indexes = []);
                }

                indexes.Add(i);
            }
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        var keys = new List<string>(BatchSize);
        foreach (var (ns, indexes) in byNamespace)
        {
            found.Clear();
            for (var start = 0; start < indexes.Count; start += BatchSize)
            {
                keys.Clear();
                for (var i = start; i < Math.Min(indexes.Count, start + BatchSize); i++)
                {
                    keys.Add(pages[indexes[i]].DbKey);
                }

                await foreach (var key in ExistingKeysQuery(db, wikiId, ns, keys).WithCancellation(ct))
                {
                    found.Add(key);
                }
            }

            foreach (var i in indexes)
            {
                exists[i] = found.Contains(pages[i].DbKey);
            }
        }

        return exists;
    }

    /// <summary>Whether any of the pages exists; stops at the first batch that finds one.</summary>
    public static async Task<bool> AnyExistsAsync(WikiDbContext db, string wikiId, IReadOnlyList<(int Namespace, string DbKey)> pages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pages);
        foreach (var group in pages.Where(p => p.Namespace >= 0).GroupBy(p => p.Namespace))
        {
            foreach (var chunk in group.Chunk(BatchSize))
            {
                await foreach (var _ in ExistingKeysQuery(db, wikiId, group.Key, [.. chunk.Select(p => p.DbKey)]).WithCancellation(ct))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
