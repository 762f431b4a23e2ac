using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=opensearch (ApiOpenSearch): the OpenSearch suggestions answer, an array of the search text, the
/// titles that begin with it, their descriptions (none are kept: empty strings) and their URLs.
/// </summary>
internal sealed class OpenSearchModule : ApiModule
{
    public override string Name => "opensearch";

    public override string Description => "Search the wiki using the OpenSearch protocol.";

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("search") { Required = true, Help = "Search string." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Default = "0", Help = "Namespaces to search." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 100, HighMax = 100, Help = "Maximum number of results to return." },
        new("profile", ApiParamType.Enum)
        {
            Values = ["strict", "normal", "normal-subphrases", "fuzzy", "fast-fuzzy", "fuzzy-subphrases", "classic"],
            Default = "fuzzy",
            Help = "Search profile to use.",
        },
        new("suggest", ApiParamType.Boolean) { Help = "No longer used." },
        new("redirects", ApiParamType.Enum) { Values = ["return", "resolve"], Help = "How to handle redirects: return the redirect itself, or resolve it to its target. The default is return." },
        new("warningsaserror", ApiParamType.Boolean) { Help = "If warnings are raised with format=json, return an API error instead of ignoring them." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var search = GetString(ctx, "search")!;
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var limit = GetInt(ctx, "limit") ?? 10;
        var resolve = GetString(ctx, "redirects") == "resolve";
        GetString(ctx, "profile");
        if (GetBool(ctx, "suggest"))
        {
            ctx.Result.Deprecate(Name, "deprecation", "The parameter \"suggest\" has been deprecated.");
        }

        if (GetBool(ctx, "warningsaserror") && ctx.Result.Warnings.Count > 0)
        {
            throw new ApiError("warnings", "Warnings were raised, and warningsaserror was given.");
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var pages = await PrefixSearch.FindAsync(db, wikiId, ctx.Wiki.Namespaces, search, namespaces, 0, limit, ctx.Aborted);
        var titles = pages.Select(p => Title.Create(ctx.Wiki.Namespaces, p.Namespace, p.DbKey)).ToList();
        if (resolve && pages.Count > 0)
        {
            var ids = pages.Select(p => p.Id).ToList();
            var targets = await db.Redirects.AsNoTracking().Where(r => r.WikiId == wikiId && ids.Contains(r.FromId)).ToDictionaryAsync(r => r.FromId, ctx.Aborted);
            titles = [.. pages.Select((p, i) => targets.TryGetValue(p.Id, out var t) ? Title.Create(ctx.Wiki.Namespaces, t.Namespace, t.Title) : titles[i])
                .DistinctBy(t => t.PrefixedDbKey, StringComparer.Ordinal)];
        }

        ctx.Result.ArrayAnswer =
        [
            search,
            new JsonArray([.. titles.Select(t => (JsonNode)t.PrefixedText)]),
            new JsonArray([.. titles.Select(_ => (JsonNode)"")]),
            new JsonArray([.. titles.Select(t => (JsonNode)(ctx.Wiki.Server + ctx.Wiki.ArticleUrl(t.PrefixedDbKey)))]),
        ];
    }
}
