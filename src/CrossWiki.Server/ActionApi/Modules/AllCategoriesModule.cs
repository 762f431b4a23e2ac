using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=allcategories (ApiQueryAllCategories): the categories that have members, in key order, from the
/// category links; <c>accontinue</c> is the next key.
/// </summary>
internal sealed class AllCategoriesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "allcategories";

    public override string Group => "list";

    protected override string ModulePrefix => "ac";

    public override string Description => "Enumerate all categories.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("from") { Help = "The category to start enumerating from." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("to") { Help = "The category to stop enumerating at." },
        new("prefix") { Help = "Search for all category titles that begin with this value." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "Direction to sort in." },
        new("min", ApiParamType.Integer) { Help = "Only return categories with at least this many members." },
        new("max", ApiParamType.Integer) { Help = "Only return categories with at most this many members." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many categories to return." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["size", "hidden"], Default = "", Help = "Which properties to get." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([.. (await ReadAsync(ctx, state)).Select(c => Title.Create(ctx.Wiki.Namespaces, NamespaceTable.Category, c.Category).PrefixedText)], []);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var rows = await ReadAsync(ctx, state);
        var counts = new Dictionary<string, CategoryInfoModule.Counts>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        if ((props.Contains("size") || props.Contains("hidden")) && rows.Count > 0)
        {
            var wikiId = ctx.Wiki.Id;
            var keys = rows.ConvertAll(r => r.Category);
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            if (props.Contains("size"))
            {
                counts = await CategoryInfoModule.CountsAsync(db, wikiId, keys, ctx.Aborted);
            }

            if (props.Contains("hidden"))
            {
                hidden = await CategoryInfoModule.HiddenCategories(db, wikiId).Where(k => keys.Contains(k)).ToHashSetAsync(StringComparer.Ordinal, ctx.Aborted);
            }
        }

        var contentKey = ctx.Result.ContentKeyOf("category");
        state.Query[Name] = new JsonArray([.. rows.Select(row =>
        {
            var o = new JsonObject { [contentKey] = Title.Create(ctx.Wiki.Namespaces, NamespaceTable.Category, row.Category).Text };
            if (props.Contains("size"))
            {
                CategoryInfoModule.WriteCounts(o, counts.GetValueOrDefault(row.Category));
            }

            if (props.Contains("hidden"))
            {
                ctx.Result.SetBool(o, "hidden", hidden.Contains(row.Category));
            }

            return (JsonNode)o;
        })]);
    }

    /// <summary>The categories of this batch with their sizes; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Sized>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var descending = GetString(ctx, "dir") == "descending";
        var limit = GetInt(ctx, "limit") ?? 10;
        var (min, max) = (GetInt(ctx, "min"), GetInt(ctx, "max"));
        var from = Key(ctx, GetString(ctx, "continue") ?? GetString(ctx, "from"));
        var to = Key(ctx, GetString(ctx, "to"));
        var prefix = Key(ctx, GetString(ctx, "prefix"));
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var links = db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId);
        if (prefix is not null)
        {
            links = links.Where(l => l.Category.StartsWith(prefix));
        }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
        if (from is not null)
        {
            links = descending ? links.Where(l => string.Compare(l.Category, from) <= 0) : links.Where(l => string.Compare(l.Category, from) >= 0);
        }

        if (to is not null)
        {
            links = descending ? links.Where(l => string.Compare(l.Category, to) >= 0) : links.Where(l => string.Compare(l.Category, to) <= 0);
        }
#pragma warning restore CA1309

        var categories = links.GroupBy(l => l.Category).Select(g => new Sized { Category = g.Key, Size = g.Count() });
        if (min is { } least)
        {
            categories = categories.Where(c => c.Size >= least);
        }

        if (max is { } most)
        {
            categories = categories.Where(c => c.Size <= most);
        }

        categories = descending ? categories.OrderByDescending(c => c.Category) : categories.OrderBy(c => c.Category);
        var rows = await categories.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = rows[limit].Category;
            rows.RemoveAt(limit);
        }

        return rows;
    }

    private static string? Key(ApiContext ctx, string? text) => KeyIn(ctx, "Category", text);

    /// <summary>A category and its number of members (settable members, so that EF can filter and order by them).</summary>
    private sealed class Sized
    {
        public required string Category { get; init; }

        public int Size { get; init; }
    }
}
