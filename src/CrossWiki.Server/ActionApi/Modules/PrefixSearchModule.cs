using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=prefixsearch (ApiQueryPrefixSearch): the pages whose titles begin with the search text, in key
/// order (an exact match is first); a namespace prefix in the text picks that namespace, as MediaWiki's
/// title prefix search does. <c>psoffset</c> continues.
/// </summary>
internal sealed class PrefixSearchModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "prefixsearch";

    public override string Group => "list";

    protected override string ModulePrefix => "ps";

    public override string Description => "Perform a prefix search for page titles.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("search") { Required = true, Help = "Search string." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Default = "0", Help = "Namespaces to search." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 100, HighMax = 200, Help = "Maximum number of results to return." },
        new("offset", ApiParamType.Integer) { Default = "0", Min = 0, Help = "When more results are available, use this to continue." },
        new("profile", ApiParamType.Enum)
        {
            Values = ["strict", "normal", "normal-subphrases", "fuzzy", "fast-fuzzy", "fuzzy-subphrases", "classic"],
            Default = "fuzzy",
            Help = "Search profile to use.",
        },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(p => p.Id)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var pages = await ReadAsync(ctx, state);
        state.Query[Name] = new JsonArray([.. pages.Select(p => (JsonNode)new JsonObject
        {
            ["ns"] = p.Namespace,
            ["title"] = PageSet.ToTitle(ctx, p).PrefixedText,
            ["pageid"] = p.Id,
        })]);
    }

    private async Task<List<Page>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var search = RequireString(ctx, "search");
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var limit = GetInt(ctx, "limit") ?? 10;
        var offset = GetInt(ctx, "offset") ?? 0;
        GetString(ctx, "profile");
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var pages = await PrefixSearch.FindAsync(db, wikiId, ctx.Wiki.Namespaces, search, namespaces, offset, limit + 1, ctx.Aborted);
        if (pages.Count > limit)
        {
            ContinueTarget(state)[Prefix + "offset"] = offset + limit;
            pages.RemoveAt(limit);
        }

        return pages;
    }
}
