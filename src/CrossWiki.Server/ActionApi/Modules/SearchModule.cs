using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=search (ApiQuerySearch): full-text search of the pages' latest text and titles in the database's
/// engine (<see cref="SearchIndex"/>), best first, with snippets; <c>sroffset</c> continues.
/// </summary>
internal sealed class SearchModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "search";

    public override string Group => "list";

    protected override string ModulePrefix => "sr";

    public override string Description => "Perform a full text search.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("search") { Required = true, Help = "Search for page titles or content matching this value." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Default = "0", Help = "Search only within these namespaces." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total pages to return." },
        new("offset", ApiParamType.Integer) { Default = "0", Min = 0, Help = "When more results are available, use this to continue." },
        new("qiprofile", ApiParamType.Enum)
        {
            Values = ["classic_noboostlinks", "empty", "wsum_inclinks", "wsum_inclinks_pv", "popular_inclinks_pv", "popular_inclinks", "engine_autoselect"],
            Default = "engine_autoselect",
            Help = "Query independent profile to use (affects ranking algorithm).",
        },
        new("what", ApiParamType.Enum) { Values = ["title", "text", "nearmatch"], Help = "Which type of search to perform." },
        new("info", ApiParamType.Enum) { Multi = true, Values = ["totalhits", "suggestion", "rewrittenquery"], Default = "totalhits|suggestion|rewrittenquery", Help = "Which metadata to return." },
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Values = ["size", "wordcount", "timestamp", "snippet", "titlesnippet", "redirecttitle", "redirectsnippet", "sectiontitle", "sectionsnippet", "isfilematch", "categorysnippet", "score", "hasrelated", "extensiondata"],
            Default = "size|wordcount|timestamp|snippet",
            Help = "Which properties to return.",
        },
        new("interwiki", ApiParamType.Boolean) { Help = "Include interwiki results in the search, if available." },
        new("enablerewrites", ApiParamType.Boolean) { Help = "Enable internal query rewriting." },
        new("sort", ApiParamType.Enum) { Values = ["relevance"], Default = "relevance", Help = "Set the sort order of returned results." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Hits.Select(h => h.PageId)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var info = GetMulti(ctx, "info");
        var (hits, total, query) = await ReadAsync(ctx, state);
        if (info.Contains("totalhits"))
        {
            state.Query["searchinfo"] = new JsonObject { ["totalhits"] = total };
        }

        var texts = new Dictionary<int, string>();
        if (props.Contains("snippet") || props.Contains("wordcount"))
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            texts = await PageReads.LatestTextsAsync(db, ctx.Wiki.Id, [.. hits.Select(h => h.PageId)], ctx.Aborted);
        }

        state.Query[Name] = new JsonArray([.. hits.Select(hit =>
        {
            var title = Title.Create(ctx.Wiki.Namespaces, hit.Namespace, hit.DbKey);
            var text = texts.GetValueOrDefault(hit.PageId, "");
            var o = new JsonObject { ["ns"] = hit.Namespace, ["title"] = title.PrefixedText, ["pageid"] = hit.PageId };
            if (props.Contains("size"))
            {
                o["size"] = hit.Length;
            }

            if (props.Contains("wordcount"))
            {
                o["wordcount"] = SearchSnippets.WordCount(text);
            }

            if (props.Contains("snippet"))
            {
                o["snippet"] = SearchSnippets.Snippet(text, query);
            }

            if (props.Contains("timestamp"))
            {
                o["timestamp"] = Timestamps.Iso(hit.Touched);
            }

            if (props.Contains("titlesnippet"))
            {
                o["titlesnippet"] = SearchSnippets.TitleSnippet(title.Text, query);
            }

            return (JsonNode)o;
        })]);
    }

    private async Task<(List<SearchHit> Hits, int Total, SearchQuery Query)> ReadAsync(ApiContext ctx, QueryState state)
    {
        var text = RequireString(ctx, "search");
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var limit = GetInt(ctx, "limit") ?? 10;
        var offset = GetInt(ctx, "offset") ?? 0;
        var what = GetString(ctx, "what") ?? "text";
        var countAll = GetMulti(ctx, "info").Contains("totalhits");
        GetString(ctx, "qiprofile");
        GetBool(ctx, "interwiki");
        GetBool(ctx, "enablerewrites");
        GetString(ctx, "sort");
        var query = SearchQuery.Parse(text);
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        if (what == "nearmatch")
        {
            // SearchNearMatcher: the page with this title (or its capitalised variants), if there is one.
            var near = await PrefixSearch.NearMatchAsync(db, wikiId, ctx.Wiki.Namespaces, text, ctx.Aborted);
            var nearHits = near is null ? [] : new List<SearchHit> { new() { PageId = near.Id, Namespace = near.Namespace, DbKey = near.DbKey, Length = near.Length, Touched = near.Touched } };
            return (nearHits, nearHits.Count, query);
        }

        var (hits, total) = await SearchIndex.SearchAsync(db, wikiId, query, what == "title", namespaces, offset, limit + 1, countAll, ctx.Aborted);
        if (hits.Count > limit)
        {
            ContinueTarget(state)[Prefix + "offset"] = offset + limit;
            hits.RemoveAt(limit);
        }

        return (hits, total, query);
    }
}
