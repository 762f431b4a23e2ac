using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=allpages: the pages of one namespace in title order, with continuation.</summary>
internal sealed class AllPagesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "allpages";

    public override string Group => "list";

    protected override string ModulePrefix => "ap";

    public override string Description => "Enumerate all pages sequentially in a given namespace.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("from") { Help = "The page title to start enumerating from." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("to") { Help = "The page title to stop enumerating at." },
        new("prefix") { Help = "Search for all page titles that begin with this value." },
        new("namespace", ApiParamType.Integer) { Default = "0", Help = "The namespace to enumerate." },
        new("filterredir", ApiParamType.Enum) { Values = ["all", "redirects", "nonredirects"], Default = "all", Help = "Which pages to list." },
        new("minsize", ApiParamType.Integer) { Help = "Limit to pages with at least this many bytes." },
        new("maxsize", ApiParamType.Integer) { Help = "Limit to pages with at most this many bytes." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total pages to return." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "The direction in which to list." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(p => p.Id)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var rows = await ReadAsync(ctx, state);
        state.Query["allpages"] = new JsonArray([.. rows.Select(p => (JsonNode)new JsonObject
        {
            ["pageid"] = p.Id,
            ["ns"] = p.Namespace,
            ["title"] = PageSet.ToTitle(ctx, p).PrefixedText,
        })]);
    }

    /// <summary>The pages of this batch; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Storage.Page>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var ns = GetInt(ctx, "namespace") ?? 0;
        var limit = GetInt(ctx, "limit") ?? 10;
        var descending = GetString(ctx, "dir") == "descending";
        var filter = GetString(ctx, "filterredir");
        var minSize = GetInt(ctx, "minsize");
        var maxSize = GetInt(ctx, "maxsize");
        var from = Key(GetString(ctx, "continue") ?? GetString(ctx, "from"));
        var to = Key(GetString(ctx, "to"));
        var prefix = Key(GetString(ctx, "prefix"));
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var query = db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == ns);
        if (filter != "all")
        {
            var redirects = filter == "redirects";
            query = query.Where(p => db.Redirects.Any(l => l.WikiId == wikiId && l.FromId == p.Id) == redirects);
        }

        if (minSize is { } min)
        {
            query = query.Where(p => p.Length >= min);
        }

        if (maxSize is { } max)
        {
            query = query.Where(p => p.Length <= max);
        }

        if (prefix is not null)
        {
            query = query.Where(p => p.DbKey.StartsWith(prefix));
        }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; SQLite's default collation is already binary (ordinal).
        if (from is not null)
        {
            query = descending ? query.Where(p => string.Compare(p.DbKey, from) <= 0) : query.Where(p => string.Compare(p.DbKey, from) >= 0);
        }

        if (to is not null)
        {
            query = descending ? query.Where(p => string.Compare(p.DbKey, to) >= 0) : query.Where(p => string.Compare(p.DbKey, to) <= 0);
        }

#pragma warning restore CA1309
        query = descending ? query.OrderByDescending(p => p.DbKey) : query.OrderBy(p => p.DbKey);
        var rows = await query.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = rows[limit].DbKey;
            rows.RemoveAt(limit);
        }

        return rows;
    }

    /// <summary>Titles in these parameters are compared as database keys: underscores, first letter upper case.</summary>
    private static string? Key(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var key = text.Trim().Replace(' ', '_');
        return key.Length == 0 ? null : TitlePart(char.ToUpperInvariant(key[0]) + key[1..], text);
    }
}
