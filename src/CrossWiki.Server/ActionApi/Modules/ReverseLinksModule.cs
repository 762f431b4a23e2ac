using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=backlinks (ApiQueryBacklinks): the pages that link to a page, from the page links, by page id.</summary>
internal sealed class BacklinksModule : ReverseLinksModule
{
    public override string Name => "backlinks";

    protected override string ModulePrefix => "bl";

    public override string Description => "Find all pages that link to the given page.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) => LinkTableRows.PageLinks(db, wikiId);
}

/// <summary>list=embeddedin (ApiQueryBacklinks in its embeddedin mode): the pages that transclude a page.</summary>
internal sealed class EmbeddedInModule : ReverseLinksModule
{
    public override string Name => "embeddedin";

    protected override string ModulePrefix => "ei";

    public override string Description => "Find all pages that embed (transclude) the given title.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) => LinkTableRows.TemplateLinks(db, wikiId);
}

/// <summary>list=imageusage (ApiQueryBacklinks in its imageusage mode): the pages that use a file.</summary>
internal sealed class ImageUsageModule : ReverseLinksModule
{
    public override string Name => "imageusage";

    protected override string ModulePrefix => "iu";

    public override string Description => "Find all pages that use the given image title.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) => LinkTableRows.ImageLinks(db, wikiId);

    protected override void Check(Title target)
    {
        if (target.Namespace != NamespaceTable.File)
        {
            throw new ApiError("bad_image_title", "The title for imageusage must be a file.");
        }
    }
}

/// <summary>
/// What backlinks, embeddedin and imageusage share (MediaWiki's ApiQueryBacklinks serves the three): the
/// pages with a link row to a target, by page id, with <c>{prefix}continue</c> = <c>namespace|key|from id</c>.
/// </summary>
internal abstract class ReverseLinksModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Group => "list";

    /// <summary>The module's link table, every row of the wiki.</summary>
    protected abstract IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId);

    /// <summary>Refuses a target the module cannot list (imageusage of a non-file).</summary>
    protected virtual void Check(Title target)
    {
    }

    public override IReadOnlyList<ApiParam> Parameters => field ??=
    [
        new("title") { Help = $"Title to search. Cannot be used together with {Prefix}pageid." },
        new("pageid", ApiParamType.Integer) { Help = $"Page ID to search. Cannot be used together with {Prefix}title." },
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
        state.Query[Name] = new JsonArray([.. rows.Select(p =>
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
        var (titleText, pageId) = (GetString(ctx, "title"), GetInt(ctx, "pageid"));
        RequireOnlyOne("title", titleText, "pageid", pageId);
        var title = await LinkQueries.TitleOrPageIdAsync(ctx, titleText, pageId);
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        Check(title);
        var (ns, key) = (title.Namespace, title.DbKey);
        var sources = Rows(db, wikiId).Where(l => l.Namespace == ns && l.Title == key).Select(l => l.FromId);
        var linking =
            from p in db.Pages.AsNoTracking()
            where p.WikiId == wikiId && sources.Contains(p.Id)
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
            ContinueTarget(state)[Prefix + "continue"] = $"{title.Namespace.ToString(CultureInfo.InvariantCulture)}|{title.DbKey}|{rows[limit].Id.ToString(CultureInfo.InvariantCulture)}";
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
