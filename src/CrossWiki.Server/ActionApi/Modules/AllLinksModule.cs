using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=alllinks: every link target of a namespace, from the page links.</summary>
internal sealed class AllLinksModule : AllTargetsModule
{
    public override string Name => "alllinks";

    protected override string ModulePrefix => "al";

    public override string Description => "Enumerate all links that point to a given namespace.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.PageLinks(db, wikiId);
}

/// <summary>list=alltransclusions: every transcluded page of a namespace, from the template links.</summary>
internal sealed class AllTransclusionsModule : AllTargetsModule
{
    public override string Name => "alltransclusions";

    protected override string ModulePrefix => "at";

    protected override int DefaultNamespace => NamespaceTable.Template;

    public override string Description => "List all transclusions (pages embedded using {{x}}), including non-existing.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.TemplateLinks(db, wikiId);
}

/// <summary>list=allfileusages: every used file, from the file links.</summary>
internal sealed class AllFileUsagesModule : AllTargetsModule
{
    public override string Name => "allfileusages";

    protected override string ModulePrefix => "af";

    protected override int? OnlyNamespace => NamespaceTable.File;

    public override string Description => "List all file usages, including non-existing.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.ImageLinks(db, wikiId);
}

/// <summary>list=allredirects: every redirect target of a namespace, from the redirect table.</summary>
internal sealed class AllRedirectsModule : AllTargetsModule
{
    public override string Name => "allredirects";

    protected override string ModulePrefix => "ar";

    protected override bool Redirects => true;

    public override string Description => "List all redirects to a namespace.";

    protected override IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId) =>
        LinkTableRows.Redirects(db, wikiId);
}

/// <summary>
/// What alllinks, alltransclusions, allfileusages and allredirects share (MediaWiki's ApiQueryAllLinks): the
/// targets of one namespace in key order (each once with <c>unique</c>), else with each page that has the row,
/// by page id; <c>{prefix}continue</c> is <c>key</c> or <c>key|from id</c>.
/// </summary>
internal abstract class AllTargetsModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Group => "list";

    /// <summary>The namespace listed when none is given.</summary>
    protected virtual int DefaultNamespace => NamespaceTable.Main;

    /// <summary>The one namespace of every target (files), which then has no <c>namespace</c> parameter.</summary>
    protected virtual int? OnlyNamespace => null;

    /// <summary>list=allredirects: rows have a fragment.</summary>
    protected virtual bool Redirects => false;

    protected abstract IQueryable<LinkTableRow> Rows(WikiDbContext db, string wikiId);

    public override IReadOnlyList<ApiParam> Parameters => field ??=
    [
        new("continue") { Help = "When more results are available, use this to continue." },
        new("from") { Help = "The title to start enumerating from." },
        new("to") { Help = "The title to stop enumerating at." },
        new("prefix") { Help = "Search for all titles that begin with this value." },
        new("unique", ApiParamType.Boolean) { Help = "Only show distinct titles. Cannot be used with the ids property. When used as a generator, yields target pages instead of source pages." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Redirects ? ["ids", "title", "fragment", "interwiki"] : ["ids", "title"], Default = "title", Help = "Which pieces of information to include." },
        .. OnlyNamespace is null
            ? [new ApiParam("namespace", ApiParamType.Enum) { Values = LinkQueries.Namespaces, Default = DefaultNamespace.ToString(CultureInfo.InvariantCulture), Help = "The namespace to enumerate." }]
            : Array.Empty<ApiParam>(),
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total items to return." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "The direction in which to list." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state)
    {
        var (rows, unique) = await ReadAsync(ctx, state);
        return unique
            ? new([.. rows.Select(r => Title.Create(ctx.Wiki.Namespaces, r.Namespace, r.Title).PrefixedText)], [])
            : new([], [.. rows.Select(r => r.FromId).Distinct()]);
    }

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var (rows, unique) = await ReadAsync(ctx, state);
        if (unique && props.Contains("ids"))
        {
            throw new ApiError("invalidparammix", $"The parameters \"{Prefix}unique\" and \"{Prefix}prop=ids\" can not be used together.");
        }

        state.Query[Name] = new JsonArray([.. rows.Select(row =>
        {
            var o = new JsonObject();
            if (props.Contains("ids"))
            {
                o["fromid"] = row.FromId;
            }

            if (props.Contains("title"))
            {
                o["ns"] = row.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, row.Namespace, row.Title).PrefixedText;
            }

            if (props.Contains("fragment") && row.Fragment.Length > 0)
            {
                o["fragment"] = row.Fragment;
            }

            return (JsonNode)o;
        })]);
    }

    /// <summary>The rows of this batch; where the next batch starts goes to the continuation.</summary>
    private async Task<(List<LinkTableRow> Rows, bool Unique)> ReadAsync(ApiContext ctx, QueryState state)
    {
        var unique = GetBool(ctx, "unique");
        var ns = OnlyNamespace ?? int.Parse(GetString(ctx, "namespace")!, CultureInfo.InvariantCulture);
        var limit = GetInt(ctx, "limit") ?? 10;
        var descending = GetString(ctx, "dir") == "descending";
        var (from, to, prefix) = (Key(ctx, GetString(ctx, "from")), Key(ctx, GetString(ctx, "to")), Key(ctx, GetString(ctx, "prefix")));
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), unique ? 1 : 2);
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var rows = Rows(db, wikiId).Where(r => r.Namespace == ns);
        if (prefix is not null)
        {
            rows = rows.Where(r => r.Title.StartsWith(prefix));
        }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
        if (from is not null)
        {
            rows = descending ? rows.Where(r => string.Compare(r.Title, from) <= 0) : rows.Where(r => string.Compare(r.Title, from) >= 0);
        }

        if (to is not null)
        {
            rows = descending ? rows.Where(r => string.Compare(r.Title, to) >= 0) : rows.Where(r => string.Compare(r.Title, to) <= 0);
        }

        List<LinkTableRow> found;
        if (unique)
        {
            var titles = rows.Select(r => r.Title).Distinct();
            if (parts.Length == 1)
            {
                var key = parts[0];
                titles = descending ? titles.Where(t => string.Compare(t, key) <= 0) : titles.Where(t => string.Compare(t, key) >= 0);
            }

            titles = descending ? titles.OrderByDescending(t => t) : titles.OrderBy(t => t);
            found = [.. (await titles.Take(limit + 1).ToListAsync(ctx.Aborted)).Select(t => new LinkTableRow { Namespace = ns, Title = t, Fragment = "" })];
        }
        else
        {
            if (parts.Length == 2)
            {
                var (key, fromId) = (parts[0], LinkQueries.ContinueInt(parts[1]));
                rows = descending
                    ? rows.Where(r => string.Compare(r.Title, key) < 0 || (r.Title == key && r.FromId <= fromId))
                    : rows.Where(r => string.Compare(r.Title, key) > 0 || (r.Title == key && r.FromId >= fromId));
            }

            rows = descending ? rows.OrderByDescending(r => r.Title).ThenByDescending(r => r.FromId) : rows.OrderBy(r => r.Title).ThenBy(r => r.FromId);
            found = await rows.Take(limit + 1).ToListAsync(ctx.Aborted);
        }
#pragma warning restore CA1309

        if (found.Count > limit)
        {
            var next = found[limit];
            ContinueTarget(state)[Prefix + "continue"] = unique ? next.Title : next.Title + "|" + next.FromId.ToString(CultureInfo.InvariantCulture);
            found.RemoveAt(limit);
        }

        return (found, unique);
    }

    /// <summary>A title parameter as a key of the listed namespace: spaces as underscores, first letter as the namespace capitalises it.</summary>
    private static string? Key(ApiContext ctx, string? text) =>
        TitlePart(string.IsNullOrWhiteSpace(text) ? null : TitleParser.Parse(text, ctx.Wiki.Namespaces).Title?.DbKey ?? text.Trim().Replace(' ', '_'), text);

}
