using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>prop=links (ApiQueryLinks): the pages each page of the set links to, from the page links.</summary>
internal sealed class PageLinksModule : LinkTargetsModule
{
    public override string Name => "links";

    protected override string ModulePrefix => "pl";

    protected override string OnlyParameter => "titles";

    public override string Description => "Returns all links from the given pages.";

    protected override IQueryable<LinkTableRow> Rows(Storage.WikiDbContext db, string wikiId) =>
        LinkTableRows.PageLinks(db, wikiId);
}

/// <summary>prop=templates (ApiQueryLinks in its templates mode): the pages each page of the set transcludes.</summary>
internal sealed class PageTemplatesModule : LinkTargetsModule
{
    public override string Name => "templates";

    protected override string ModulePrefix => "tl";

    protected override string OnlyParameter => "templates";

    public override string Description => "Returns all pages transcluded on the given pages.";

    protected override IQueryable<LinkTableRow> Rows(Storage.WikiDbContext db, string wikiId) =>
        LinkTableRows.TemplateLinks(db, wikiId);
}

/// <summary>prop=images (ApiQueryImages): the files each page of the set uses, from the file links.</summary>
internal sealed class PageImagesModule : LinkTargetsModule
{
    public override string Name => "images";

    protected override string ModulePrefix => "im";

    protected override string OnlyParameter => "images";

    protected override bool ByNamespace => false;

    public override string Description => "Returns all files contained on the given pages.";

    protected override IQueryable<LinkTableRow> Rows(Storage.WikiDbContext db, string wikiId) =>
        LinkTableRows.ImageLinks(db, wikiId);
}

/// <summary>
/// What prop=links, prop=templates and prop=images share (MediaWiki's ApiQueryLinks serves both): each page's link
/// targets by namespace and key, with <c>{prefix}continue</c> = <c>page id|namespace|key</c> (<c>page id|key</c>
/// for files, which are all in one namespace).
/// </summary>
internal abstract class LinkTargetsModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Group => "prop";

    /// <summary>The parameter that keeps only links to some titles (<c>pltitles</c>, <c>tltemplates</c>).</summary>
    protected abstract string OnlyParameter { get; }

    /// <summary>Whether the targets are in several namespaces (a <c>namespace</c> parameter and continuation part).</summary>
    protected virtual bool ByNamespace => true;

    /// <summary>The link rows of a wiki: the links of every page.</summary>
    protected abstract IQueryable<LinkTableRow> Rows(Storage.WikiDbContext db, string wikiId);

    public override IReadOnlyList<ApiParam> Parameters => field ??=
    [
        .. ByNamespace ? [new ApiParam("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = $"Show {Name} in these namespaces only." }] : Array.Empty<ApiParam>(),
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = $"How many {Name} to return." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new(OnlyParameter) { Multi = true, Help = $"Only list these {Name}. Useful for checking whether a certain page has a certain one." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "The direction in which to list." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([.. (await ReadAsync(ctx, state)).Select(l => Title.Create(ctx.Wiki.Namespaces, l.Namespace, l.Title).PrefixedText).Distinct(StringComparer.Ordinal)], []);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var rows = await ReadAsync(ctx, state);
        var pages = state.Pages.Existing.ToDictionary(e => e.Page!.Id);
        foreach (var group in rows.GroupBy(l => l.FromId))
        {
            var list = new JsonArray();
            pages[group.Key].Output[Name] = list;
            foreach (var link in group)
            {
                list.Add(new JsonObject { ["ns"] = link.Namespace, ["title"] = Title.Create(ctx.Wiki.Namespaces, link.Namespace, link.Title).PrefixedText });
            }
        }
    }

    /// <summary>The links of this batch, of the set's pages; where the next batch starts goes to the continuation.</summary>
    private async Task<List<LinkTableRow>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var namespaces = ByNamespace ? LinkQueries.NamespaceIds(GetMulti(ctx, "namespace")) : [];
        var limit = GetInt(ctx, "limit") ?? 10;
        var descending = GetString(ctx, "dir") == "descending";
        var titles = GetMulti(ctx, OnlyParameter);
        var only = titles.Select(t => TitleParser.Parse(t, ctx.Wiki.Namespaces).Title).OfType<Title>().Select(t => t.Namespace + ":" + t.DbKey).ToList();
        var ids = state.Pages.Existing.Select(e => e.Page!.Id).ToList();
        if (ids.Count == 0 || (titles.Count > 0 && only.Count == 0))
        {
            return [];
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var links = Rows(db, wikiId).Where(l => ids.Contains(l.FromId));
        if (namespaces.Count > 0)
        {
            links = links.Where(l => namespaces.Contains(l.Namespace));
        }

        // plcontinue is "page id|namespace|key" of the first link not yet listed (imcontinue "page id|key").
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), ByNamespace ? 3 : 2);
        if (parts.Length > 0)
        {
            var (from, ns, key) = ByNamespace
                ? (LinkQueries.ContinueInt(parts[0]), LinkQueries.ContinueInt(parts[1]), parts[2])
                : (LinkQueries.ContinueInt(parts[0]), NamespaceTable.File, parts[1]);
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
            links = descending
                ? links.Where(l => l.FromId < from || (l.FromId == from && (l.Namespace < ns || (l.Namespace == ns && string.Compare(l.Title, key) <= 0))))
                : links.Where(l => l.FromId > from || (l.FromId == from && (l.Namespace > ns || (l.Namespace == ns && string.Compare(l.Title, key) >= 0))));
#pragma warning restore CA1309
        }

        links = descending
            ? links.OrderByDescending(l => l.FromId).ThenByDescending(l => l.Namespace).ThenByDescending(l => l.Title)
            : links.OrderBy(l => l.FromId).ThenBy(l => l.Namespace).ThenBy(l => l.Title);
        var rows = only.Count > 0
            ? (await links.ToListAsync(ctx.Aborted)).Where(l => only.Contains(l.Namespace + ":" + l.Title)).Take(limit + 1).ToList()
            : await links.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = ByNamespace
                ? string.Create(CultureInfo.InvariantCulture, $"{next.FromId}|{next.Namespace}|{next.Title}")
                : string.Create(CultureInfo.InvariantCulture, $"{next.FromId}|{next.Title}");
            rows.RemoveAt(limit);
        }

        return rows;
    }
}
