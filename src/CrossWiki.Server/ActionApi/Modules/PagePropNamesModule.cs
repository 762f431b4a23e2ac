using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=pagepropnames (ApiQueryPagePropNames): the page property names in use on the wiki, in order; <c>ppncontinue</c> is the next name.</summary>
internal sealed class PagePropNamesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "pagepropnames";

    public override string Group => "list";

    protected override string ModulePrefix => "ppn";

    public override string Description => "List all page property names in use on the wiki.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("continue") { Help = "When more results are available, use this to continue." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "The maximum number of names to return." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var limit = GetInt(ctx, "limit") ?? 10;
        var from = GetString(ctx, "continue");
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var names = db.PageProps.AsNoTracking().Where(p => p.WikiId == wikiId).Select(p => p.Name).Distinct();
        if (from is not null)
        {
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these names by code point.
            names = names.Where(n => string.Compare(n, from) >= 0);
#pragma warning restore CA1309
        }

        var list = await names.OrderBy(n => n).Take(limit + 1).ToListAsync(ctx.Aborted);
        if (list.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = list[limit];
            list.RemoveAt(limit);
        }

        state.Query[Name] = new JsonArray([.. list.Select(n => (JsonNode)new JsonObject { ["propname"] = n })]);
    }
}
