using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=pageswithprop (ApiQueryPagesWithProp): the pages that have a page property, by page id, with its
/// value; <c>pwpcontinue</c> is the page id of the next page.
/// </summary>
internal sealed class PagesWithPropModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "pageswithprop";

    public override string Group => "list";

    protected override string ModulePrefix => "pwp";

    public override string Description => "List all pages using a given page property.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("propname") { Required = true, Help = "Page property for which to enumerate pages (action=query&list=pagepropnames returns page property names in use)." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["ids", "title", "value"], Default = "ids|title", Help = "Which pieces of information to include." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "The maximum number of results to return." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "In which direction to sort." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(r => r.Id)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        state.Query[Name] = new JsonArray([.. (await ReadAsync(ctx, state)).Select(r =>
        {
            var o = new JsonObject();
            if (props.Contains("ids"))
            {
                o["pageid"] = r.Id;
            }

            if (props.Contains("title"))
            {
                var title = Pages.Title.Create(ctx.Wiki.Namespaces, r.Namespace, r.DbKey);
                o["ns"] = title.Namespace;
                o["title"] = title.PrefixedText;
            }

            if (props.Contains("value"))
            {
                o["value"] = r.Value;
            }

            return (JsonNode)o;
        })]);
    }

    private async Task<List<Row>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var name = RequireString(ctx, "propname");
        var limit = GetInt(ctx, "limit") ?? 10;
        var descending = GetString(ctx, "dir") == "descending";
        var from = LinkQueries.ContinueParts(GetString(ctx, "continue"), 1) is [var part] ? LinkQueries.ContinueInt(part) : (int?)null;
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var props = db.PageProps.AsNoTracking().Where(p => p.WikiId == wikiId && p.Name == name);
        if (from is { } start)
        {
            props = descending ? props.Where(p => p.PageId <= start) : props.Where(p => p.PageId >= start);
        }

        props = (descending ? props.OrderByDescending(p => p.PageId) : props.OrderBy(p => p.PageId)).Take(limit + 1);
        var list = (await (
            from prop in props
            join page in db.Pages.AsNoTracking() on new { prop.WikiId, Id = prop.PageId } equals new { page.WikiId, page.Id }
            select new { page.Id, page.Namespace, page.DbKey, prop.Value }).ToListAsync(ctx.Aborted))
            .Select(r => new Row(r.Id, r.Namespace, r.DbKey, r.Value))
            .OrderBy(r => descending ? -r.Id : r.Id)
            .ToList();
        if (list.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = list[limit].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.RemoveAt(limit);
        }

        return list;
    }

    private sealed record Row(int Id, int Namespace, string DbKey, string Value);
}
