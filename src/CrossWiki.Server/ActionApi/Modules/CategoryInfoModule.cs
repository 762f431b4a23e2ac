using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=categoryinfo (ApiQueryCategoryInfo): the member counts of each category of the set, counted from
/// the category links (by type, on their index), for categories with members whether or not their page exists.
/// </summary>
internal sealed class CategoryInfoModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "categoryinfo";

    public override string Group => "prop";

    protected override string ModulePrefix => "ci";

    public override string Description => "Returns information about the given categories.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var from = GetString(ctx, "continue");
        var categories = state.Pages.Entries.Where(e => e.Title is { Namespace: NamespaceTable.Category }).ToList();
        if (categories.Count == 0)
        {
            return;
        }

        var keys = categories.Select(e => e.Title!.DbKey).ToList();
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var counts = await CountsAsync(db, wikiId, keys, ctx.Aborted);
        var hidden = await HiddenCategories(db, wikiId).Where(k => keys.Contains(k)).ToHashSetAsync(StringComparer.Ordinal, ctx.Aborted);
        foreach (var entry in categories.OrderBy(e => e.Title!.DbKey, StringComparer.Ordinal))
        {
            var key = entry.Title!.DbKey;
            if ((from is not null && string.CompareOrdinal(key, from) < 0) || !counts.TryGetValue(key, out var count))
            {
                continue;
            }

            var info = new JsonObject();
            WriteCounts(info, count);
            ctx.Result.SetBool(info, "hidden", hidden.Contains(key));
            entry.Output[Name] = info;
        }
    }

    /// <summary>The keys of the wiki's hidden categories: category pages with <c>__HIDDENCAT__</c> (the <c>hiddencat</c> page property).</summary>
    public static IQueryable<string> HiddenCategories(WikiDbContext db, string wikiId) =>
        from prop in db.PageProps
        where prop.WikiId == wikiId && prop.Name == "hiddencat"
        join page in db.Pages on new { prop.WikiId, Id = prop.PageId } equals new { page.WikiId, page.Id }
        where page.Namespace == NamespaceTable.Category
        select page.DbKey;

    /// <summary>MediaWiki's category counts: <c>size</c> is every member, <c>pages</c> those that are neither subcategories nor files.</summary>
    public static void WriteCounts(JsonObject o, Counts count)
    {
        o["size"] = count.Pages + count.Subcats + count.Files;
        o["pages"] = count.Pages;
        o["files"] = count.Files;
        o["subcats"] = count.Subcats;
    }

    /// <summary>The members of each category by type; a category without members has no entry.</summary>
    public static async Task<Dictionary<string, Counts>> CountsAsync(WikiDbContext db, string wikiId, List<string> keys, CancellationToken ct)
    {
        var rows = await db.CategoryLinks.AsNoTracking()
            .Where(l => l.WikiId == wikiId && EF.Parameter(keys).Contains(l.Category))
            .GroupBy(l => new { l.Category, l.Type })
            .Select(g => new { g.Key.Category, g.Key.Type, Count = g.Count() })
            .ToListAsync(ct);
        var counts = new Dictionary<string, Counts>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var c = counts.GetValueOrDefault(row.Category);
            counts[row.Category] = row.Type switch
            {
                "subcat" => c with { Subcats = row.Count },
                "file" => c with { Files = row.Count },
                _ => c with { Pages = row.Count },
            };
        }

        return counts;
    }

    internal readonly record struct Counts(int Pages, int Subcats, int Files);
}
