using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=backlinks (ApiQueryBacklinks): the pages that link to a page, from the page links, by page id.</summary>
internal sealed class BacklinksModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "backlinks";

    public override string Group => "list";

    protected override string ModulePrefix => "bl";

    public override string Description => "Find all pages that link to the given page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Help = "Title to search. Cannot be used together with blpageid." },
        new("pageid", ApiParamType.Integer) { Help = "Page ID to search. Cannot be used together with bltitle." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "The namespace to enumerate." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "The direction in which to list." },
        new("filterredir", ApiParamType.Enum) { Values = ["all", "redirects", "nonredirects"], Default = "all", Help = "How to filter for redirects." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total pages to return." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(p => p.Id)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var rows = await ReadAsync(ctx, state);
        var r = ctx.Result;
        state.Query["backlinks"] = new JsonArray([.. rows.Select(p =>
        {
            var o = new JsonObject { ["pageid"] = p.Id, ["ns"] = p.Namespace, ["title"] = Title.Create(ctx.Wiki.Namespaces, p.Namespace, p.DbKey).PrefixedText };
            r.SetFlag(o, "redirect", p.Redirect);
            return (JsonNode)o;
        })]);
    }

    /// <summary>The linking pages of this batch; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Linking>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var descending = GetString(ctx, "dir") == "descending";
        var filter = GetString(ctx, "filterredir");
        var limit = GetInt(ctx, "limit") ?? 10;
        var title = await LinkQueries.TitleOrPageIdAsync(ctx, Prefix, GetString(ctx, "title"), GetInt(ctx, "pageid"));
        var wikiId = ctx.Wiki.Id;
        var (ns, key) = (title.Namespace, title.DbKey);
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var linking =
            from l in db.PageLinks.AsNoTracking()
            join p in db.Pages.AsNoTracking() on new { l.WikiId, Id = l.FromId } equals new { p.WikiId, p.Id }
            where l.WikiId == wikiId && l.Namespace == ns && l.Title == key
            select new Linking { Id = p.Id, Namespace = p.Namespace, DbKey = p.DbKey, Redirect = db.Redirects.Any(r => r.WikiId == wikiId && r.FromId == p.Id) };
        if (namespaces.Count > 0)
        {
            linking = linking.Where(p => namespaces.Contains(p.Namespace));
        }

        linking = filter switch
        {
            "redirects" => linking.Where(p => p.Redirect),
            "nonredirects" => linking.Where(p => !p.Redirect),
            _ => linking,
        };

        // blcontinue is "namespace|key|from id" of the first page not yet listed.
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 3);
        if (parts.Length == 3)
        {
            var from = LinkQueries.ContinueInt(parts[2]);
            linking = descending ? linking.Where(p => p.Id <= from) : linking.Where(p => p.Id >= from);
        }

        linking = descending ? linking.OrderByDescending(p => p.Id) : linking.OrderBy(p => p.Id);
        var rows = await linking.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = $"{ns.ToString(CultureInfo.InvariantCulture)}|{key}|{rows[limit].Id.ToString(CultureInfo.InvariantCulture)}";
            rows.RemoveAt(limit);
        }

        return rows;
    }

    /// <summary>One linking page as read (settable members, so that EF can filter and order by them).</summary>
    private sealed class Linking
    {
        public int Id { get; init; }

        public int Namespace { get; init; }

        public required string DbKey { get; init; }

        public bool Redirect { get; init; }
    }
}
