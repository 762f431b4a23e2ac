using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>prop=categories (ApiQueryCategories): the categories of each page of the set, from the category links.</summary>
internal sealed class PageCategoriesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "categories";

    public override string Group => "prop";

    protected override string ModulePrefix => "cl";

    public override string Description => "List all categories the pages belong to.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["sortkey", "timestamp", "hidden"], Help = "Which additional properties to get for each category." },
        new("show", ApiParamType.Enum) { Multi = true, Values = ["hidden", "!hidden"], Help = "Which kind of categories to show." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many categories to return." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("categories") { Multi = true, Help = "Only list these categories. Useful for checking whether a certain page is in a certain category." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "The direction in which to list." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([.. (await ReadAsync(ctx, state)).Select(l => Title.Create(ctx.Wiki.Namespaces, NamespaceTable.Category, l.Category).PrefixedText).Distinct(StringComparer.Ordinal)], []);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var rows = await ReadAsync(ctx, state);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        if (props.Contains("hidden") && rows.Count > 0)
        {
            var keys = rows.Select(r => r.Category).Distinct(StringComparer.Ordinal).ToList();
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            hidden = await CategoryInfoModule.HiddenCategories(db, ctx.Wiki.Id).Where(k => keys.Contains(k)).ToHashSetAsync(StringComparer.Ordinal, ctx.Aborted);
        }

        var pages = state.Pages.Existing.ToDictionary(e => e.Page!.Id);
        foreach (var group in rows.GroupBy(l => l.FromId))
        {
            var list = new JsonArray();
            pages[group.Key].Output["categories"] = list;
            foreach (var link in group)
            {
                var o = new JsonObject { ["ns"] = NamespaceTable.Category, ["title"] = Title.Create(ctx.Wiki.Namespaces, NamespaceTable.Category, link.Category).PrefixedText };
                if (props.Contains("sortkey"))
                {
                    o["sortkey"] = LinkQueries.Hex(link.SortKey);
                    o["sortkeyprefix"] = link.SortKeyPrefix;
                }

                if (props.Contains("timestamp"))
                {
                    o["timestamp"] = Timestamps.Iso(link.Timestamp);
                }

                if (props.Contains("hidden"))
                {
                    ctx.Result.SetBool(o, "hidden", hidden.Contains(link.Category));
                }

                list.Add(o);
            }
        }
    }

    /// <summary>The category links of this batch, of the set's pages; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Storage.CategoryLink>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var limit = GetInt(ctx, "limit") ?? 10;
        var show = GetMulti(ctx, "show");
        RequireExclusive(show, ("hidden", "!hidden"));

        var descending = GetString(ctx, "dir") == "descending";
        var only = GetMulti(ctx, "categories")
            .Select(c => TitleParser.Parse(c, ctx.Wiki.Namespaces).Title)
            .Where(t => t is { Namespace: NamespaceTable.Category })
            .Select(t => t!.DbKey)
            .ToList();
        var ids = state.Pages.Existing.Select(e => e.Page!.Id).ToList();
        if (ids.Count == 0 || (GetMulti(ctx, "categories").Count > 0 && only.Count == 0))
        {
            return [];
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var links = db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId && ids.Contains(l.FromId));
        if (only.Count > 0)
        {
            links = links.Where(l => only.Contains(l.Category));
        }

        if (show.Count > 0)
        {
            var hidden = CategoryInfoModule.HiddenCategories(db, wikiId);
            links = show.Contains("hidden") ? links.Where(l => hidden.Contains(l.Category)) : links.Where(l => !hidden.Contains(l.Category));
        }

        // clcontinue is "page id|category key" of the first link not yet listed.
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 2);
        if (parts.Length == 2)
        {
            var from = LinkQueries.ContinueInt(parts[0]);
            var category = parts[1];
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
            links = descending
                ? links.Where(l => l.FromId < from || (l.FromId == from && string.Compare(l.Category, category) <= 0))
                : links.Where(l => l.FromId > from || (l.FromId == from && string.Compare(l.Category, category) >= 0));
#pragma warning restore CA1309
        }

        links = descending ? links.OrderByDescending(l => l.FromId).ThenByDescending(l => l.Category) : links.OrderBy(l => l.FromId).ThenBy(l => l.Category);
        var rows = await links.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = $"{rows[limit].FromId.ToString(CultureInfo.InvariantCulture)}|{rows[limit].Category}";
            rows.RemoveAt(limit);
        }

        return rows;
    }
}
