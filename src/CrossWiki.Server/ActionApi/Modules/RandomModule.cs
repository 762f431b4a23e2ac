using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=random (ApiQueryRandom): pages in the order of their random number, starting at a random point and
/// wrapping round once, so that continuing never lists a page twice. <c>rncontinue</c> is
/// <c>start|random|page id</c> of the next page.
/// </summary>
internal sealed class RandomModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "random";

    public override string Group => "list";

    protected override string ModulePrefix => "rn";

    public override string Description => "Get a set of random pages.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Return pages in these namespaces only." },
        new("filterredir", ApiParamType.Enum) { Values = ["all", "redirects", "nonredirects"], Default = "nonredirects", Help = "How to filter for redirects." },
        new("redirect", ApiParamType.Boolean) { Help = "Use rnfilterredir=redirects instead." },
        new("limit", ApiParamType.Limit) { Default = "1", Min = 1, Max = 500, HighMax = 5000, Help = "Limit how many random pages will be returned." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(p => p.Id)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var pages = await ReadAsync(ctx, state);
        state.Query[Name] = new JsonArray([.. pages.Select(p => (JsonNode)new JsonObject
        {
            ["id"] = p.Id,
            ["ns"] = p.Namespace,
            ["title"] = PageSet.ToTitle(ctx, p).PrefixedText,
        })]);
    }

    private async Task<List<Page>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var filter = GetString(ctx, "filterredir");
        if (GetBool(ctx, "redirect"))
        {
            ctx.Result.Deprecate(Path, "deprecation", $"The parameter \"{Prefix}redirect\" has been deprecated.");
            filter = "redirects";
        }

        var limit = GetInt(ctx, "limit") ?? 1;
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 3);
        var (start, random, id) = parts.Length == 3
            ? (Fraction(parts[0]), Fraction(parts[1]), LinkQueries.ContinueInt(parts[2]))
            : (Random.Shared.NextDouble(), -1.0, 0);
        if (random < 0)
        {
            random = start;
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var pages = db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId);
        if (namespaces.Count > 0)
        {
            pages = pages.Where(p => namespaces.Contains(p.Namespace));
        }

        if (filter != "all")
        {
            var redirects = filter == "redirects";
            pages = pages.Where(p => db.Redirects.Any(r => r.WikiId == wikiId && r.FromId == p.Id) == redirects);
        }

        // From the position to the end (or, once wrapped, to the start), then from 0 to the start.
        var wrapped = random < start;
        var end = wrapped ? start : 2.0;
        var rows = await pages.Where(p => (p.Random > random || (p.Random == random && p.Id >= id)) && p.Random < end)
            .OrderBy(p => p.Random).ThenBy(p => p.Id).Take(limit + 1).ToListAsync(ctx.Aborted);
        if (!wrapped && rows.Count <= limit)
        {
            rows.AddRange(await pages.Where(p => p.Random < start).OrderBy(p => p.Random).ThenBy(p => p.Id).Take(limit + 1 - rows.Count).ToListAsync(ctx.Aborted));
        }

        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = string.Create(CultureInfo.InvariantCulture, $"{start:R}|{next.Random:R}|{next.Id}");
            rows.RemoveAt(limit);
        }

        return rows;
    }

    private static double Fraction(string part) =>
        double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 0 and < 1 ? x : throw LinkQueries.BadContinue();
}
