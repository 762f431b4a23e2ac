using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=pageprops (ApiQueryPageProps): the properties each existing page of the set has in <c>page_props</c>
/// (its behaviour switches), as an object of names to values, optionally only the names in <c>ppprop</c>.
/// </summary>
internal sealed class PagePropsModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "pageprops";

    public override string Group => "prop";

    protected override string ModulePrefix => "pp";

    public override string Description => "Get various page properties defined in the page content.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("continue") { Help = "When more results are available, use this to continue." },
        new("prop") { Multi = true, Help = "Only list these page properties (action=query&list=pagepropnames returns page property names in use). Useful for checking whether pages use a certain page property." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        // ApiQueryPageProps reads its continuation as a page id (intval).
        var from = int.TryParse(GetString(ctx, "continue"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0;
        var names = GetMulti(ctx, "prop");
        var pages = state.Pages.Existing.Where(e => e.Page!.Id >= from).ToDictionary(e => e.Page!.Id);
        if (pages.Count == 0)
        {
            return;
        }

        var ids = pages.Keys.ToList();
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var query = db.PageProps.AsNoTracking().Where(p => p.WikiId == wikiId && ids.Contains(p.PageId));
        if (names.Count > 0)
        {
            query = query.Where(p => names.Contains(p.Name));
        }

        foreach (var row in await query.OrderBy(p => p.PageId).ThenBy(p => p.Name).ToListAsync(ctx.Aborted))
        {
            var output = pages[row.PageId].Output;
            if (output[Name] is not JsonObject props)
            {
                output[Name] = props = [];
            }

            props[row.Name] = row.Value;
        }
    }
}
