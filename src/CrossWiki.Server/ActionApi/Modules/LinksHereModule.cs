using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>prop=linkshere: the pages that link to each page of the set.</summary>
internal sealed class LinksHereModule : IncomingLinksModule
{
    public override string Name => "linkshere";

    protected override string ModulePrefix => "lh";

    public override string Description => "Find all pages that link to the given pages.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.PageLinks(db, wikiId);
}

/// <summary>prop=transcludedin: the pages that transclude each page of the set.</summary>
internal sealed class TranscludedInModule : IncomingLinksModule
{
    public override string Name => "transcludedin";

    protected override string ModulePrefix => "ti";

    public override string Description => "Find all pages that transclude the given pages.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.TemplateLinks(db, wikiId);
}

/// <summary>prop=fileusage: the pages that use each file of the set.</summary>
internal sealed class FileUsageModule : IncomingLinksModule
{
    public override string Name => "fileusage";

    protected override string ModulePrefix => "fu";

    public override string Description => "Find all pages that use the given files.";

    protected override int? OnlyNamespace => NamespaceTable.File;

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.ImageLinks(db, wikiId);
}

/// <summary>prop=redirects: the redirects to each page of the set, with the section they point to.</summary>
internal sealed class PageRedirectsModule : IncomingLinksModule
{
    public override string Name => "redirects";

    protected override string ModulePrefix => "rd";

    public override string Description => "Returns all redirects to the given pages.";

    protected override bool Redirects => true;

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.Redirects(db, wikiId);
}

/// <summary>
/// What linkshere, transcludedin, fileusage and redirects share (MediaWiki's ApiQueryBacklinksprop): for
/// each page of the set, the pages with a row to it, ordered by the target's namespace and key (when the set
/// has several) and then by the linking page's namespace (when several are asked for) and id. The
/// continuation is those parts that vary, in that order.
/// </summary>
internal abstract class IncomingLinksModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Group => "prop";

    /// <summary>The one namespace every target is in (files), or null.</summary>
    protected virtual int? OnlyNamespace => null;

    /// <summary>prop=redirects: the rows are redirects, shown with their fragment rather than a redirect flag.</summary>
    protected virtual bool Redirects => false;

    protected abstract IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId);

    public override IReadOnlyList<ApiParam> Parameters => field ??=
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Values = Redirects ? ["pageid", "title", "fragment"] : ["pageid", "title", "redirect"],
            Default = Redirects ? "pageid|title" : "pageid|title|redirect",
            Help = "Which properties to get.",
        },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Only include pages in these namespaces." },
        new("show", ApiParamType.Enum)
        {
            Multi = true,
            Values = Redirects ? ["fragment", "!fragment"] : ["redirect", "!redirect"],
            Help = "Show only items that meet these criteria.",
        },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many to return." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([], [.. (await ReadAsync(ctx, state)).Select(h => h.FromId).Distinct()]);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var hits = await ReadAsync(ctx, state);
        var r = ctx.Result;
        var entries = Targets(ctx, state).ToDictionary(e => (e.Title!.Namespace, e.Title.DbKey));
        foreach (var group in hits.GroupBy(h => (h.Namespace, h.Title)))
        {
            var list = new JsonArray();
            entries[group.Key].Output[Name] = list;
            foreach (var hit in group)
            {
                var o = new JsonObject();
                if (props.Contains("pageid"))
                {
                    o["pageid"] = hit.FromId;
                }

                if (props.Contains("title"))
                {
                    o["ns"] = hit.FromNamespace;
                    o["title"] = Title.Create(ctx.Wiki.Namespaces, hit.FromNamespace, hit.FromKey).PrefixedText;
                }

                if (props.Contains("fragment") && hit.Fragment.Length > 0)
                {
                    o["fragment"] = hit.Fragment;
                }

                if (props.Contains("redirect"))
                {
                    r.SetBool(o, "redirect", hit.Redirect);
                }

                list.Add(o);
            }
        }
    }

    /// <summary>The pages of the set that can have rows here: existing and missing ones, of the module's namespace.</summary>
    private IEnumerable<PageEntry> Targets(ApiContext ctx, QueryState state) =>
        state.Pages.Entries.Where(e => e.Title is { Namespace: >= 0 } t && (OnlyNamespace is not { } only || t.Namespace == only));

    /// <summary>The rows of this batch; where the next batch starts goes to the continuation.</summary>
    private async Task<List<Hit>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var namespaces = LinkQueries.NamespaceIds(GetMulti(ctx, "namespace"));
        var show = GetMulti(ctx, "show");
        var limit = GetInt(ctx, "limit") ?? 10;
        RequireExclusive(show, ("redirect", "!redirect"), ("fragment", "!fragment"));

        var byNamespace = Targets(ctx, state).GroupBy(e => e.Title!.Namespace).OrderBy(g => g.Key)
            .Select(g => (Namespace: g.Key, Keys: g.Select(e => e.Title!.DbKey).Order(StringComparer.Ordinal).ToList())).ToList();
        if (byNamespace.Count == 0)
        {
            return [];
        }

        // MediaWiki sorts (and continues) only by the parts that vary: the target's namespace and key when the
        // set has several, the linking page's namespace when several are asked for, and always its id.
        var (sortNamespace, sortTitle, sortFromNamespace) = (byNamespace.Count > 1, byNamespace.Count > 1 || byNamespace[0].Keys.Count > 1, namespaces.Count > 1);
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 1 + (sortNamespace ? 1 : 0) + (sortTitle ? 1 : 0) + (sortFromNamespace ? 1 : 0));
        Position? from = null;
        if (parts.Length > 0)
        {
            var i = 0;
            var ns = sortNamespace ? LinkQueries.ContinueInt(parts[i++]) : byNamespace[0].Namespace;
            var key = sortTitle ? parts[i++] : byNamespace[0].Keys[0];
            var fromNs = sortFromNamespace ? LinkQueries.ContinueInt(parts[i++]) : 0;
            from = new Position(ns, key, fromNs, LinkQueries.ContinueInt(parts[i]));
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var hits = new List<Hit>();
        foreach (var (ns, keys) in byNamespace)
        {
            if (from is { } start && ns < start.Namespace)
            {
                continue;
            }

            var query =
                from l in Rows(db, wikiId)
                where l.Namespace == ns && EF.Parameter(keys).Contains(l.Title)
                from p in db.Pages
                where p.WikiId == wikiId && p.Id == l.FromId
                select new Hit
                {
                    Namespace = ns, Title = l.Title, FromId = p.Id, FromNamespace = p.Namespace, FromKey = p.DbKey, Fragment = l.Fragment,
                    Redirect = db.Redirects.Any(r => r.WikiId == wikiId && r.FromId == p.Id),
                };
            query = Filter(query, namespaces, show);
            if (from is { } f && ns == f.Namespace)
            {
                var (key, fromNs, fromId) = (f.Title, f.FromNamespace, f.FromId);
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
                query = sortFromNamespace
                    ? query.Where(h => string.Compare(h.Title, key) > 0 || (h.Title == key && (h.FromNamespace > fromNs || (h.FromNamespace == fromNs && h.FromId >= fromId))))
                    : query.Where(h => string.Compare(h.Title, key) > 0 || (h.Title == key && h.FromId >= fromId));
#pragma warning restore CA1309
            }

            var ordered = sortFromNamespace
                ? query.OrderBy(h => h.Title).ThenBy(h => h.FromNamespace).ThenBy(h => h.FromId)
                : query.OrderBy(h => h.Title).ThenBy(h => h.FromId);
            hits.AddRange(await ordered.Take(limit + 1 - hits.Count).ToListAsync(ctx.Aborted));
            if (hits.Count > limit)
            {
                break;
            }
        }

        if (hits.Count > limit)
        {
            var next = hits[limit];
            var cont = new List<string>(4);
            if (sortNamespace)
            {
                cont.Add(next.Namespace.ToString(CultureInfo.InvariantCulture));
            }

            if (sortTitle)
            {
                cont.Add(next.Title);
            }

            if (sortFromNamespace)
            {
                cont.Add(next.FromNamespace.ToString(CultureInfo.InvariantCulture));
            }

            cont.Add(next.FromId.ToString(CultureInfo.InvariantCulture));
            ContinueTarget(state)[Prefix + "continue"] = string.Join('|', cont);
            hits.RemoveAt(limit);
        }

        return hits;
    }

    private static IQueryable<Hit> Filter(IQueryable<Hit> query, IReadOnlyList<int> namespaces, IReadOnlyList<string> show)
    {
        if (namespaces.Count > 0)
        {
            query = query.Where(h => namespaces.Contains(h.FromNamespace));
        }

        foreach (var value in show)
        {
            query = value switch
            {
                "redirect" => query.Where(h => h.Redirect),
                "!redirect" => query.Where(h => !h.Redirect),
                "fragment" => query.Where(h => h.Fragment != ""),
                _ => query.Where(h => h.Fragment == ""),
            };
        }

        return query;
    }

    private readonly record struct Position(int Namespace, string Title, int FromNamespace, int FromId);


    /// <summary>A row with the page it is on, as read (settable members, so that EF can filter and order by them).</summary>
    private sealed class Hit
    {
        public int Namespace { get; init; }

        public required string Title { get; init; }

        public int FromId { get; init; }

        public int FromNamespace { get; init; }

        public required string FromKey { get; init; }

        public required string Fragment { get; init; }

        public bool Redirect { get; init; }
    }
}
