using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
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
        var (titleText, pageId) = (GetString(ctx, "title"), GetInt(ctx, "pageid"));
        RequireOnlyOne("title", titleText, "pageid", pageId);
        var title = await LinkQueries.TitleOrPageIdAsync(ctx, titleText, pageId);
        if (title.Namespace != NamespaceTable.Category)
        {
            throw new ApiError("invalidcategory", "The category name you entered is not valid.");
        }

        var wikiId = ctx.Wiki.Id;
        var category = title.DbKey;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var rows = byTimestamp
            ? await ByTimestampAsync(db, wikiId, category, types, namespaces, GetString(ctx, "continue"), descending, limit + 1, ctx)
            : await BySortKeyAsync(db, wikiId, category, types, namespaces, GetString(ctx, "continue"), descending, limit + 1, ctx.Aborted);
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

    /// <summary>
    /// The members by type (pages, then subcategories, then files), each type by sort key and page id: one
    /// query per type, each a range of the (wiki, category, type, sort key, page) index, as MediaWiki does.
    /// </summary>
    private static async Task<List<Member>> BySortKeyAsync(
        WikiDbContext db, string wikiId, string category, IReadOnlyList<string> types, IReadOnlyList<int> namespaces, string? continueValue, bool descending, int count, CancellationToken ct)
    {
        var (startRank, key, from) = (descending ? Types.Length - 1 : 0, (string?)null, 0);
        if (continueValue is not null)
        {
            var p = LinkQueries.ContinueParts(continueValue, 3);
            startRank = Array.IndexOf(Types, p[0]);
            if (startRank < 0)
            {
                throw LinkQueries.BadContinue();
            }

            (key, from) = (LinkQueries.FromHex(p[1]), LinkQueries.ContinueInt(p[2]));
        }

        var rows = new List<Member>();
        for (var rank = startRank; rank >= 0 && rank < Types.Length && rows.Count < count; rank += descending ? -1 : 1)
        {
            var type = Types[rank];
            if (!types.Contains(type))
            {
                continue;
            }

            var links = db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId && l.Category == category && l.Type == type);
            if (rank == startRank && key is not null)
            {
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
                links = descending
                    ? links.Where(l => string.Compare(l.SortKey, key) < 0 || (l.SortKey == key && l.FromId <= from))
                    : links.Where(l => string.Compare(l.SortKey, key) > 0 || (l.SortKey == key && l.FromId >= from));
#pragma warning restore CA1309
            }

            var members = Join(db, links, rank, namespaces);
            members = descending ? members.OrderByDescending(m => m.SortKey).ThenByDescending(m => m.PageId) : members.OrderBy(m => m.SortKey).ThenBy(m => m.PageId);
            rows.AddRange(await members.Take(count - rows.Count).ToListAsync(ct));
        }

        return rows;
    }

    /// <summary>The members by the time they were added to the category, then page id.</summary>
    private static async Task<List<Member>> ByTimestampAsync(
        WikiDbContext db, string wikiId, string category, IReadOnlyList<string> types, IReadOnlyList<int> namespaces, string? continueValue, bool descending, int count, ApiContext ctx)
    {
        var links = db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId && l.Category == category && types.Contains(l.Type));
        if (continueValue is not null)
        {
            var parts = LinkQueries.ContinueParts(continueValue, 2);
            if (!Timestamps.TryParse(parts[0], ctx.Now, out var at))
            {
                throw LinkQueries.BadContinue();
            }

            var from = LinkQueries.ContinueInt(parts[1]);
            links = descending
                ? links.Where(l => l.Timestamp < at || (l.Timestamp == at && l.FromId <= from))
                : links.Where(l => l.Timestamp > at || (l.Timestamp == at && l.FromId >= from));
        }

        var members = Join(db, links, null, namespaces);
        members = descending ? members.OrderByDescending(m => m.Timestamp).ThenByDescending(m => m.PageId) : members.OrderBy(m => m.Timestamp).ThenBy(m => m.PageId);
        return await members.Take(count).ToListAsync(ctx.Aborted);
    }

    /// <summary>The category links with their pages; <paramref name="rank"/> is their type's, when they have one type.</summary>
    private static IQueryable<Member> Join(WikiDbContext db, IQueryable<CategoryLink> links, int? rank, IReadOnlyList<int> namespaces)
    {
        var members =
            from l in links
            join p in db.Pages.AsNoTracking() on new { l.WikiId, Id = l.FromId } equals new { p.WikiId, p.Id }
            select new Member
            {
                TypeRank = rank ?? (l.Type == "page" ? 0 : l.Type == "subcat" ? 1 : 2),
                SortKey = l.SortKey,
                SortKeyPrefix = l.SortKeyPrefix,
                Timestamp = l.Timestamp,
                PageId = p.Id,
                Namespace = p.Namespace,
                DbKey = p.DbKey,
            };
        return namespaces.Count > 0 ? members.Where(m => namespaces.Contains(m.Namespace)) : members;
    }

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
