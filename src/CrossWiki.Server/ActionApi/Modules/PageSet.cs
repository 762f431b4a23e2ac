using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>One page of the page set: existing, missing or invalid, with the output prop modules fill.</summary>
internal sealed class PageEntry
{
    public Title? Title { get; init; }

    public Page? Page { get; set; }

    /// <summary>The page's latest revision, when the set was asked to read it with the page (<see cref="PageSet.LoadAsync"/>).</summary>
    public Revision? LatestRevision { get; init; }

    public string? InvalidTitle { get; init; }

    public string? InvalidReason { get; init; }

    public int? MissingPageId { get; init; }

    /// <summary>The negative id ApiPageSet gives a missing, invalid or special title.</summary>
    public int FakeId { get; set; }

    /// <summary>Revisions asked for by <c>revids</c>, in request order.</summary>
    public List<int> RevIds { get; } = [];

    public JsonObject Output { get; } = [];
}

/// <summary>The pages action=query works on, from <c>titles</c>, <c>pageids</c> or <c>revids</c>.</summary>
internal sealed class PageSet
{
    public List<PageEntry> Entries { get; } = [];

    public List<(string From, string To)> Normalized { get; } = [];

    public List<int> BadRevIds { get; } = [];

    /// <summary>Titles of other sites (<c>metawiki:Page</c>): listed under <c>interwiki</c>, not as pages.</summary>
    public List<(string Title, InterwikiPrefix Prefix, string Page, string? Fragment)> Interwiki { get; } = [];

    /// <summary>With <c>redirects</c>: each redirect of the set that was replaced by its target, in the order resolved.</summary>
    public List<(string From, string To, string Fragment)> Redirects { get; } = [];

    public IEnumerable<PageEntry> Existing => Entries.Where(e => e.Page is not null);

    public bool FromRevIds { get; private set; }

    /// <summary>The set came from <c>titles</c> (the page table is then read by title, not by id).</summary>
    public bool FromTitles { get; private set; }

    /// <summary>
    /// The set came from a list generator's page ids: its pages are listed in the generator's order (by
    /// title for allpages, by sort key for categorymembers, by rank for search), as ApiPageSet keeps them.
    /// </summary>
    public bool InGivenOrder { get; private set; }

    /// <summary>
    /// The pages an action works on from its <c>titles</c> and <c>pageids</c> (action=watch, action=purge), invalid
    /// titles and unknown ids first, then missing pages, then existing ones, as those modules list them.
    /// </summary>
    public static async Task<List<PageEntry>> ForActionAsync(ApiContext ctx, IReadOnlyList<string> titles, IReadOnlyList<string> pageIdValues, bool resolveRedirects)
    {
        ArgumentNullException.ThrowIfNull(pageIdValues);
        var pageIds = new List<int>(pageIdValues.Count);
        foreach (var raw in pageIdValues)
        {
            pageIds.Add(int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw ApiError.BadInteger("pageids", raw));
        }

        var set = await LoadAsync(ctx, titles, pageIds, [], resolveRedirects);
        return [.. set.Entries.Where(e => e.Title is null), .. set.Entries.Where(e => e.Title is not null && e.Page is null), .. set.Existing];
    }

    /// <summary>An entry with no title in an action's list: an unknown page id (<c>missing</c>) or an invalid title.</summary>
    public static JsonObject Unlisted(ApiResult r, PageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(entry);
        var o = new JsonObject();
        if (entry.MissingPageId is { } missingId)
        {
            o["pageid"] = missingId;
            r.SetFlag(o, "missing", true);
        }
        else
        {
            o["title"] = entry.InvalidTitle;
            r.SetFlag(o, "invalid", true);
            o["invalidreason"] = entry.InvalidReason;
        }

        return o;
    }

    /// <summary>
    /// The pages of <c>titles</c>, <c>pageids</c> or <c>revids</c>. With <paramref name="withLatestRevisions"/>, a page
    /// given by title is read together with its latest revision (<see cref="PageEntry.LatestRevision"/>), in one read.
    /// </summary>
    public static ValueTask<PageSet> LoadAsync(
        ApiContext ctx, IReadOnlyList<string> titles, IReadOnlyList<int> pageIds, IReadOnlyList<int> revIds, bool resolveRedirects, bool withLatestRevisions = false)
    {
        // meta and list modules alone (userinfo, tokens, ...) need no database.
        return titles.Count == 0 && pageIds.Count == 0 && revIds.Count == 0
            ? ValueTask.FromResult(new PageSet())
            : new ValueTask<PageSet>(LoadFromDatabaseAsync(ctx, titles, pageIds, revIds, resolveRedirects, withLatestRevisions));
    }

    /// <summary>The pages a generator gave: titles (prop generators) or page ids (list generators, kept in their order).</summary>
    public static async ValueTask<PageSet> LoadGeneratedAsync(ApiContext ctx, GeneratedPages generated, bool resolveRedirects)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var set = await LoadAsync(ctx, generated.Titles, generated.PageIds, [], resolveRedirects);
        set.InGivenOrder = generated.Titles.Count == 0;
        return set;
    }

    private static async Task<PageSet> LoadFromDatabaseAsync(
        ApiContext ctx, IReadOnlyList<string> titles, IReadOnlyList<int> pageIds, IReadOnlyList<int> revIds, bool resolveRedirects, bool withLatestRevisions)
    {
        var set = new PageSet { FromTitles = titles.Count > 0 };

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        // ApiPageSet::processTitlesArray: invalid and special titles get their negative ids in request
        // order; the missing ones get theirs after the page table was read (initFromQueryResult).
        var fakeId = -1;
        foreach (var raw in titles)
        {
            if (ctx.Wiki.Namespaces.Interwiki.TryMatch(raw, out var prefix, out var page0, out var fragment))
            {
                var text = prefix.Prefix + ":" + page0.Replace('_', ' ');
                if (text != raw && !set.Normalized.Contains((raw, text)))
                {
                    set.Normalized.Add((raw, text));
                }

                if (!set.Interwiki.Any(i => i.Title == text))
                {
                    set.Interwiki.Add((text, prefix, page0, fragment));
                }

                continue;
            }

            var parsed = TitleParser.Parse(raw, ctx.Wiki.Namespaces);
            if (parsed.Title is not { } title)
            {
                if (!set.Entries.Any(e => e.InvalidTitle == raw))
                {
                    set.Entries.Add(new PageEntry { InvalidTitle = raw, InvalidReason = parsed.Message, FakeId = fakeId-- });
                }

                continue;
            }

            if (title.PrefixedText != raw && !set.Normalized.Contains((raw, title.PrefixedText)))
            {
                set.Normalized.Add((raw, title.PrefixedText));
            }

            if (set.Entries.Any(e => e.Title is { } t && t.Namespace == title.Namespace && t.DbKey == title.DbKey))
            {
                continue;
            }

            if (title.Namespace < 0)
            {
                set.Entries.Add(new PageEntry { Title = title, FakeId = fakeId-- });
                continue;
            }

            if (withLatestRevisions)
            {
                var read = await PageReads.PageWithLatestByTitleAsync(db, wikiId, title.Namespace, title.DbKey, ctx.Aborted);
                set.Entries.Add(new PageEntry { Title = title, Page = read?.Page, LatestRevision = read?.Latest });
                continue;
            }

            var page = await PageReads.PageByTitleAsync(db, wikiId, title.Namespace, title.DbKey, ctx.Aborted);
            set.Entries.Add(new PageEntry { Title = title, Page = page });
        }

        // LinkBatch keeps the missing titles grouped by namespace, in request order within one.
        foreach (var entry in set.Entries.Where(e => e.Title is { Namespace: >= 0 } && e.Page is null).OrderBy(e => e.Title!.Namespace).ToList())
        {
            entry.FakeId = fakeId--;
        }

        // One query for all the ids (a generator hands over up to 5000).
        var distinct = pageIds.Distinct().ToList();
        var byId = distinct.Count == 0
            ? []
            : await db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && distinct.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ctx.Aborted);
        foreach (var id in distinct)
        {
            set.Entries.Add(byId.TryGetValue(id, out var page) ? new PageEntry { Title = ToTitle(ctx, page), Page = page } : new PageEntry { MissingPageId = id });
        }

        if (resolveRedirects)
        {
            fakeId = await set.ResolveRedirectsAsync(ctx, db, fakeId);
        }

        if (revIds.Count > 0)
        {
            set.FromRevIds = true;
            foreach (var id in revIds.Distinct())
            {
                var rev = await db.Revisions.AsNoTracking().Where(r => r.Id == id && r.WikiId == wikiId).Select(r => new { r.Id, r.PageId }).FirstOrDefaultAsync(ctx.Aborted);
                if (rev is null)
                {
                    set.BadRevIds.Add(id);
                    continue;
                }

                var entry = set.Entries.FirstOrDefault(e => e.Page?.Id == rev.PageId);
                if (entry is null)
                {
                    var page = await db.Pages.AsNoTracking().FirstAsync(p => p.WikiId == wikiId && p.Id == rev.PageId, ctx.Aborted);
                    entry = new PageEntry { Title = ToTitle(ctx, page), Page = page };
                    set.Entries.Add(entry);
                }

                entry.RevIds.Add(rev.Id);
            }
        }

        return set;
    }

    /// <summary>
    /// ApiPageSet::resolvePendingRedirects: each redirect page of the set is replaced by its target, hop by
    /// hop, until no page of the set is a redirect; a target already in the set (a loop too) is not added
    /// again. Returns the next negative id for missing targets.
    /// </summary>
    private async Task<int> ResolveRedirectsAsync(ApiContext ctx, WikiDbContext db, int fakeId)
    {
        var wikiId = ctx.Wiki.Id;
        var resolved = new HashSet<int>();
        while (true)
        {
            var pending = Entries.Where(e => e.Page is { } p && !resolved.Contains(p.Id)).Select(e => e.Page!.Id).ToList();
            if (pending.Count == 0)
            {
                return fakeId;
            }

            resolved.UnionWith(pending);
            var targets = await db.Redirects.AsNoTracking().Where(r => r.WikiId == wikiId && pending.Contains(r.FromId)).ToListAsync(ctx.Aborted);
            if (targets.Count == 0)
            {
                return fakeId;
            }

            foreach (var target in targets.OrderBy(t => t.FromId))
            {
                var entry = Entries.First(e => e.Page?.Id == target.FromId);
                Entries.Remove(entry);
                var to = Title.Create(ctx.Wiki.Namespaces, target.Namespace, target.Title);
                Redirects.Add((entry.Title!.PrefixedText, to.PrefixedText, target.Fragment));
                if (Entries.Any(e => e.Title is { } t && t.Namespace == to.Namespace && t.DbKey == to.DbKey))
                {
                    continue;
                }

                var page = to.Namespace < 0 ? null : await PageReads.PageByTitleAsync(db, wikiId, to.Namespace, to.DbKey, ctx.Aborted);
                Entries.Add(new PageEntry { Title = to, Page = page, FakeId = page is null ? fakeId-- : 0 });
            }
        }
    }

    public static Title ToTitle(ApiContext ctx, Page page) =>
        Title.Create(ctx.Wiki.Namespaces, page.Namespace, page.DbKey);

    /// <summary>Writes <c>normalized</c> (and <c>badrevids</c>); pages are written by <see cref="Finish"/>, after prop modules.</summary>
    public void WriteGeneral(ApiContext ctx, JsonObject query, bool indexPageIds)
    {
        var fv2 = ctx.Result.FormatVersion == 2;
        if (Normalized.Count > 0)
        {
            var list = new JsonArray();
            foreach (var (from, to) in Normalized)
            {
                var item = new JsonObject();
                if (fv2)
                {
                    item["fromencoded"] = false;
                }

                item["from"] = from;
                item["to"] = to;
                list.Add(item);
            }

            query["normalized"] = list;
        }

        if (Interwiki.Count > 0)
        {
            var withUrl = ctx.Request.Peek("iwurl") is not null;
            query["interwiki"] = new JsonArray([.. Interwiki.Select(i =>
            {
                var item = new JsonObject { ["title"] = i.Title, ["iw"] = i.Prefix.Prefix };
                if (withUrl)
                {
                    item["url"] = i.Prefix.PageUrl(i.Page, i.Fragment);
                }

                return (JsonNode)item;
            })]);
        }

        if (Redirects.Count > 0)
        {
            query["redirects"] = new JsonArray([.. Redirects.Select(r =>
            {
                var item = new JsonObject { ["from"] = r.From, ["to"] = r.To };
                if (r.Fragment.Length > 0)
                {
                    item["tofragment"] = r.Fragment;
                }

                return (JsonNode)item;
            })]);
        }

        if (BadRevIds.Count > 0)
        {
            var bad = new JsonObject();
            foreach (var id in BadRevIds)
            {
                var item = new JsonObject { ["revid"] = id };
                ctx.Result.SetFlag(item, "missing", true);
                bad[id.ToString(CultureInfo.InvariantCulture)] = item;
            }

            query["badrevids"] = bad;
        }

        _indexPageIds = indexPageIds;

        // ApiQuery::outputGeneralPageInfo runs before the submodules: the pages come before list and meta
        // output. They are filled in by Finish, after the prop modules added to them.
        if (Entries.Count > 0)
        {
            if (indexPageIds)
            {
                query["pageids"] = null;
            }

            query["pages"] = null;
        }
    }

    private bool _indexPageIds;

    /// <summary>
    /// Writes <c>query.pages</c>: a list in formatversion 2; in 1 an object keyed by page id, with negative
    /// keys for missing and invalid pages (spec api-clients.md).
    /// </summary>
    public void Finish(ApiContext ctx, JsonObject query)
    {
        if (Entries.Count == 0)
        {
            return;
        }

        // ApiQuery::outputGeneralPageInfo: missing titles, invalid titles, missing page ids, special pages,
        // then the pages that exist (in the order the database returns them: by title, or by id).
        var result = ctx.Result;
        var ordered = Entries.Where(e => e.Title is { Namespace: >= 0 } && e.Page is null).OrderByDescending(e => e.FakeId)
            .Concat(Entries.Where(e => e.InvalidTitle is not null).OrderByDescending(e => e.FakeId))
            .Concat(Entries.Where(e => e.MissingPageId is not null))
            .Concat(Entries.Where(e => e.Title is { Namespace: < 0 }).OrderByDescending(e => e.FakeId))
            .Concat(InGivenOrder
                ? Entries.Where(e => e.Page is not null)
                : FromTitles
                ? Entries.Where(e => e.Page is not null).OrderBy(e => e.Page!.Namespace).ThenBy(e => e.Page!.DbKey, StringComparer.Ordinal)
                : Entries.Where(e => e.Page is not null).OrderBy(e => e.Page!.Id));
        var keyed = new List<(string Key, JsonObject Page)>();
        foreach (var entry in ordered)
        {
            var o = new JsonObject();
            string key;
            if (entry.InvalidTitle is not null)
            {
                o["title"] = entry.InvalidTitle;
                o["invalidreason"] = entry.InvalidReason;
                result.SetFlag(o, "invalid", true);
                key = entry.FakeId.ToString(CultureInfo.InvariantCulture);
            }
            else if (entry.MissingPageId is { } missingId)
            {
                o["pageid"] = missingId;
                result.SetFlag(o, "missing", true);
                key = missingId.ToString(CultureInfo.InvariantCulture);
            }
            else if (entry.Page is { } page)
            {
                o["pageid"] = page.Id;
                o["ns"] = page.Namespace;
                o["title"] = entry.Title!.PrefixedText;
                key = page.Id.ToString(CultureInfo.InvariantCulture);
            }
            else if (entry.Title!.Namespace < 0)
            {
                // Special and Media pages never exist as rows; none of them is "known" here.
                o["ns"] = entry.Title.Namespace;
                o["title"] = entry.Title.PrefixedText;
                result.SetFlag(o, "special", true);
                result.SetFlag(o, "missing", true);
                key = entry.FakeId.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                o["ns"] = entry.Title.Namespace;
                o["title"] = entry.Title.PrefixedText;
                result.SetFlag(o, "missing", true);
                key = entry.FakeId.ToString(CultureInfo.InvariantCulture);
            }

            foreach (var (k, v) in entry.Output.ToList())
            {
                entry.Output.Remove(k);
                o[k] = v;
            }

            keyed.Add((key, o));
        }

        if (_indexPageIds)
        {
            query["pageids"] = new JsonArray([.. keyed.Select(k => (JsonNode)JsonValue.Create(k.Key))]);
        }

        if (result.FormatVersion == 2)
        {
            query["pages"] = new JsonArray([.. keyed.Select(k => (JsonNode)k.Page)]);
        }
        else
        {
            var pages = new JsonObject();
            foreach (var (key, page) in keyed)
            {
                pages[key] = page;
            }

            query["pages"] = pages;
        }
    }
}
