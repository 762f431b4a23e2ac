using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>MediaWiki's title prefix search on the page table, shared by list=prefixsearch, opensearch and rest.php.</summary>
internal static class PrefixSearch
{
    /// <summary>
    /// The pages whose key begins with the text's key, in the namespace its prefix names (<c>Talk:Fo</c>) or
    /// else in <paramref name="namespaces"/>; ordered by namespace, then key.
    /// </summary>
    public static async Task<List<Page>> FindAsync(WikiDbContext db, string wikiId, NamespaceTable table, string search, IReadOnlyList<int> namespaces, int offset, int count, CancellationToken ct)
    {
        var (inNamespaces, prefix) = Split(table, search, namespaces);
        if (prefix is null)
        {
            return [];
        }

        var query = db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && inNamespaces.Contains(p.Namespace));
        if (prefix.Length > 0)
        {
            query = query.Where(p => p.DbKey.StartsWith(prefix));
        }

        return await query.OrderBy(p => p.Namespace).ThenBy(p => p.DbKey).Skip(offset).Take(count).ToListAsync(ct);
    }

    /// <summary>The namespaces and key prefix a search text means; a null prefix when it can be no title's beginning.</summary>
    private static (IReadOnlyList<int> Namespaces, string? Prefix) Split(NamespaceTable table, string search, IReadOnlyList<int> namespaces)
    {
        var text = search.Trim().Replace(' ', '_');
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && table.TryResolve(text[..colon], out var named))
        {
            return (named >= 0 ? [named] : [], Capitalize(text[(colon + 1)..].TrimStart('_')));
        }

        if (text.Length == 0)
        {
            return (namespaces, "");
        }

        // A prefix that is not a title's start (a lone "[", a "#") matches nothing, rather than being an error.
        return TitleParser.Parse(text + "x", table).Title is { } title && title.Namespace == NamespaceTable.Main
            ? (namespaces, Capitalize(text))
            : (namespaces, null);
    }

    private static string Capitalize(string key) => key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..];

    /// <summary>
    /// MediaWiki's "go" match (SearchNearMatcher): the page titled as typed, else with each word capitalised,
    /// else in lower case after its first letter; null when none exists.
    /// </summary>
    public static async Task<Page?> NearMatchAsync(WikiDbContext db, string wikiId, NamespaceTable table, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] variants =
        [
            text,
            string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
            string.Join(' ', words).ToLowerInvariant(),
        ];
        foreach (var variant in variants.Distinct(StringComparer.Ordinal))
        {
            if (TitleParser.Parse(variant, table).Title is { Namespace: >= 0 } title
                && await PageReads.PageByTitleAsync(db, wikiId, title.Namespace, title.DbKey, ct) is { } page)
            {
                return page;
            }
        }

        return null;
    }
}
