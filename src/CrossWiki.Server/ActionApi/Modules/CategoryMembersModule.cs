using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=categorymembers (ApiQueryCategoryMembers): the members of a category from the category links,
/// by type (pages, subcategories, files) and sort key, or by the time they were added.
/// </summary>
internal sealed class CategoryMembersModule : QuerySubmodule
{
    private static readonly string[] Types = ["page", "subcat", "file"];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "categorymembers";

    public override string Group => "list";

    protected override string ModulePrefix => "cm";

    public override string Description => "List all pages in a given category.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Help = "Which category to enumerate (required). Must include the Category: prefix." },
        new("pageid", ApiParamType.Integer) { Help = "Page ID of the category to enumerate. Cannot be used together with cmtitle." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"], Default = "ids|title", Help = "Which pieces of information to include." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Only include pages in these namespaces." },
        new("type", ApiParamType.Enum) { Multi = true, Values = Types, Default = "page|subcat|file", Help = "Which type of category members to include." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "The maximum number of pages to return." },
        new("sort", ApiParamType.Enum) { Values = ["sortkey", "timestamp"], Default = "sortkey", Help = "Property to sort by." },
        new("dir", ApiParamType.Enum) { Values = ["asc", "desc", "ascending", "descending", "newer", "older"], Default = "ascending", Help = "In which direction to sort." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(m => m.PageId)]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var rows = await ReadAsync(ctx, state);
        state.Query["categorymembers"] = Output(ctx, props, rows);
    }

    /// <summary>The members of this batch; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Member>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var types = GetMulti(ctx, "type");
        var limit = GetInt(ctx, "limit") ?? 10;
        var byTimestamp = GetString(ctx, "sort") == "timestamp";
        var descending = GetString(ctx, "dir") is "desc" or "descending" or "older";
        var title = await LinkQueries.TitleOrPageIdAsync(ctx, Prefix, GetString(ctx, "title"), GetInt(ctx, "pageid"));
        if (title.Namespace != NamespaceTable.Category)
        {
            throw new ApiError("invalidcategory", "The category name you entered is not valid.");
        }

        var wikiId = ctx.Wiki.Id;
        var category = title.DbKey;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var members =
            from l in db.CategoryLinks.AsNoTracking()
            join p in db.Pages.AsNoTracking() on new { l.WikiId, Id = l.FromId } equals new { p.WikiId, p.Id }
            where l.WikiId == wikiId && l.Category == category && types.Contains(l.Type)
            select new Member
            {
                TypeRank = l.Type == "page" ? 0 : l.Type == "subcat" ? 1 : 2,
                SortKey = l.SortKey,
                SortKeyPrefix = l.SortKeyPrefix,
                Timestamp = l.Timestamp,
                PageId = p.Id,
                Namespace = p.Namespace,
                DbKey = p.DbKey,
            };
        if (namespaces.Count > 0)
        {
            members = members.Where(m => namespaces.Contains(m.Namespace));
        }

        members = Continue(members, GetString(ctx, "continue"), byTimestamp, descending, ctx.Now);
        var rows = await Order(members, byTimestamp, descending).Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = byTimestamp
                ? $"{Timestamps.Iso(next.Timestamp)}|{next.PageId}"
                : $"{Types[next.TypeRank]}|{LinkQueries.Hex(next.SortKey)}|{next.PageId}";
            rows.RemoveAt(limit);
        }

        return rows;
    }

    private static JsonArray Output(ApiContext ctx, HashSet<string> props, List<Member> rows) =>
        new([.. rows.Select(m =>
        {
            var o = new JsonObject();
            if (props.Contains("ids"))
            {
                o["pageid"] = m.PageId;
            }

            if (props.Contains("title"))
            {
                o["ns"] = m.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, m.Namespace, m.DbKey).PrefixedText;
            }

            if (props.Contains("sortkey"))
            {
                o["sortkey"] = LinkQueries.Hex(m.SortKey);
            }

            if (props.Contains("sortkeyprefix"))
            {
                o["sortkeyprefix"] = m.SortKeyPrefix;
            }

            if (props.Contains("type"))
            {
                o["type"] = Types[m.TypeRank];
            }

            if (props.Contains("timestamp"))
            {
                o["timestamp"] = Timestamps.Iso(m.Timestamp);
            }

            return (JsonNode)o;
        })]);

    /// <summary>By type (pages, subcategories, files), sort key and page id; or by the time added and page id.</summary>
    private static IQueryable<Member> Order(IQueryable<Member> q, bool byTimestamp, bool descending) => (byTimestamp, descending) switch
    {
        (true, false) => q.OrderBy(m => m.Timestamp).ThenBy(m => m.PageId),
        (true, true) => q.OrderByDescending(m => m.Timestamp).ThenByDescending(m => m.PageId),
        (false, false) => q.OrderBy(m => m.TypeRank).ThenBy(m => m.SortKey).ThenBy(m => m.PageId),
        (false, true) => q.OrderByDescending(m => m.TypeRank).ThenByDescending(m => m.SortKey).ThenByDescending(m => m.PageId),
    };

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
    /// <summary>Where the previous batch stopped: its continuation is the first member not yet listed.</summary>
    private static IQueryable<Member> Continue(IQueryable<Member> q, string? value, bool byTimestamp, bool descending, DateTime now)
    {
        if (value is null)
        {
            return q;
        }

        if (byTimestamp)
        {
            var parts = LinkQueries.ContinueParts(value, 2);
            if (!Timestamps.TryParse(parts[0], now, out var at))
            {
                throw LinkQueries.BadContinue();
            }

            var from = LinkQueries.ContinueInt(parts[1]);
            return descending
                ? q.Where(m => m.Timestamp < at || (m.Timestamp == at && m.PageId <= from))
                : q.Where(m => m.Timestamp > at || (m.Timestamp == at && m.PageId >= from));
        }

        var p = LinkQueries.ContinueParts(value, 3);
        var rank = Array.IndexOf(Types, p[0]);
        if (rank < 0)
        {
            throw LinkQueries.BadContinue();
        }

        var key = LinkQueries.FromHex(p[1]);
        var id = LinkQueries.ContinueInt(p[2]);
        return descending
            ? q.Where(m => m.TypeRank < rank || (m.TypeRank == rank && (string.Compare(m.SortKey, key) < 0 || (m.SortKey == key && m.PageId <= id))))
            : q.Where(m => m.TypeRank > rank || (m.TypeRank == rank && (string.Compare(m.SortKey, key) > 0 || (m.SortKey == key && m.PageId >= id))));
    }
#pragma warning restore CA1309

    /// <summary>One member as read (a class with settable members, so that EF can order and filter by them).</summary>
    private sealed class Member
    {
        public int TypeRank { get; init; }

        public required string SortKey { get; init; }

        public required string SortKeyPrefix { get; init; }

        public DateTime Timestamp { get; init; }

        public int PageId { get; init; }

        public int Namespace { get; init; }

        public required string DbKey { get; init; }
    }
}
