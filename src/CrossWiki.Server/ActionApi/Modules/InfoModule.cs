using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>prop=info: basic page information (mwclient reads it before every page action).</summary>
internal sealed class InfoModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "info";

    public override string Group => "prop";

    protected override string ModulePrefix => "in";

    public override string Description => "Get basic page information.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Values = ["protection", "talkid", "watched", "watchers", "visitingwatchers", "notificationtimestamp", "subjectid", "associatedpageid", "url", "readable", "preload", "displaytitle", "varianttitles", "linkclasses"],
            Help = "Which additional properties to get.",
        },
        new("linkcontext", ApiParamType.Title) { Help = "The context title to use when determining extra CSS classes." },
        new("testactions") { Multi = true, Help = "Test whether the current user can perform certain actions on the page." },
        new("testactionsdetail", ApiParamType.Enum) { Values = ["boolean", "full", "quick"], Default = "boolean", Help = "Detail level for intestactions." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        GetString(ctx, "linkcontext");
        GetString(ctx, "testactionsdetail");
        GetString(ctx, "continue");
        var actions = GetMulti(ctx, "testactions");
        var r = ctx.Result;
        var redirects = await RedirectsAsync(ctx, state.Pages);
        var watch = props.Overlaps(["watched", "watchers", "notificationtimestamp"]) ? await WatchInfoAsync(ctx, state.Pages) : null;
        var protections = props.Contains("protection") ? await ProtectionsAsync(ctx, state.Pages) : null;
        foreach (var entry in state.Pages.Entries)
        {
            // ApiQueryInfo covers the pages that exist and the missing ones, not invalid or special titles.
            if (entry.Title is not { Namespace: >= 0 } title)
            {
                continue;
            }

            var o = entry.Output;
            o["contentmodel"] = ContentModel.For(title).Name;
            o["pagelanguage"] = "en";
            o["pagelanguagehtmlcode"] = "en";
            o["pagelanguagedir"] = "ltr";
            if (entry.Page is { } page)
            {
                o["touched"] = Timestamps.Iso(page.Touched);
                o["lastrevid"] = page.LatestRevisionId;
                o["length"] = page.Length;
                r.SetFlag(o, "redirect", redirects.Contains(page.Id));
                r.SetFlag(o, "new", page.IsNew);
            }

            if (protections is not null)
            {
                var list = new JsonArray();
                foreach (var p in protections.GetValueOrDefault((title.Namespace, title.DbKey)) ?? [])
                {
                    var one = new JsonObject { ["type"] = p.Type, ["level"] = p.Level, ["expiry"] = p.Expiry is { } at ? Timestamps.Iso(at) : "infinity" };
                    if (p.Cascade)
                    {
                        r.SetFlag(one, "cascade", true);
                    }

                    list.Add(one);
                }

                o["protection"] = list;
                o["restrictiontypes"] = new JsonArray([.. Protection.TypesFor(title, entry.Page is not null).Select(t => (JsonNode)t)]);
            }

            var item = watch?.Items.GetValueOrDefault((title.Namespace, title.DbKey));
            if (props.Contains("watched") && watch is { CanView: true })
            {
                r.SetBool(o, "watched", item is not null);
                if (item?.Expiry is { } expiry)
                {
                    o["watchlistexpiry"] = Timestamps.Iso(expiry);
                }
            }

            if (props.Contains("watchers") && watch is { Watchers: { } counts })
            {
                o["watchers"] = counts.GetValueOrDefault((title.Namespace, title.DbKey));
            }

            if (props.Contains("notificationtimestamp") && watch is { CanView: true })
            {
                o["notificationtimestamp"] = item?.NotificationTimestamp is { } seen ? Timestamps.Iso(seen) : "";
            }

            if (props.Contains("url"))
            {
                var url = ctx.Wiki.Server + ctx.Wiki.ArticleUrl(title.PrefixedDbKey);
                o["fullurl"] = url;
                o["editurl"] = ctx.Wiki.Server + ctx.Wiki.ScriptPath + "/index.php?title=" + Uri.EscapeDataString(title.PrefixedDbKey) + "&action=edit";
                o["canonicalurl"] = url;
            }

            if (props.Contains("readable"))
            {
                r.SetBool(o, "readable", ctx.User.HasRight("read"));
            }

            if (props.Contains("displaytitle"))
            {
                o["displaytitle"] = title.PrefixedText;
            }

            if (actions.Count > 0)
            {
                var tests = new JsonObject();
                foreach (var action in actions)
                {
                    r.SetBool(tests, action, action switch
                    {
                        "read" => ctx.User.HasRight("read"),
                        "edit" => ctx.User.HasRight("edit"),
                        "create" => ctx.User.HasRight("createpage"),
                        "move" or "delete" or "undelete" or "protect" or "rollback" => ctx.User.HasRight(action),
                        _ => false,
                    });
                }

                o["actions"] = tests;
            }
        }
    }

    private sealed record ProtectionRow(string Type, string Level, DateTime? Expiry, bool Cascade);

    /// <summary>The protections in force of the set's pages, and the creation protection of its missing titles, by title.</summary>
    private static async Task<Dictionary<(int, string), List<ProtectionRow>>> ProtectionsAsync(ApiContext ctx, PageSet pages)
    {
        var byTitle = new Dictionary<(int, string), List<ProtectionRow>>();
        var wikiId = ctx.Wiki.Id;
        var now = ctx.Now;
        var existing = pages.Entries.Where(e => e.Page is not null).ToDictionary(e => e.Page!.Id, e => (e.Title!.Namespace, e.Title.DbKey));
        var missing = pages.Entries.Where(e => e.Page is null && e.Title is { Namespace: >= 0 }).Select(e => e.Title!.DbKey).Distinct().ToList();
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var ids = existing.Keys.ToList();
        foreach (var row in await db.Restrictions.AsNoTracking().Where(r => r.WikiId == wikiId && ids.Contains(r.PageId) && (r.Expiry == null || r.Expiry > now)).ToListAsync(ctx.Aborted))
        {
            var key = existing[row.PageId];
            (byTitle.TryGetValue(key, out var list) ? list : byTitle[key] = []).Add(new ProtectionRow(row.Type, row.Level, row.Expiry, row.Cascade));
        }

        if (missing.Count > 0)
        {
            foreach (var row in await db.ProtectedTitles.AsNoTracking().Where(t => t.WikiId == wikiId && missing.Contains(t.Title) && (t.Expiry == null || t.Expiry > now)).ToListAsync(ctx.Aborted))
            {
                var key = (row.Namespace, row.Title);
                (byTitle.TryGetValue(key, out var list) ? list : byTitle[key] = []).Add(new ProtectionRow("create", row.Level, row.Expiry, false));
            }
        }

        foreach (var list in byTitle.Values)
        {
            list.Sort((a, b) => Order(a.Type).CompareTo(Order(b.Type)));
        }

        return byTitle;

        static int Order(string type) => type switch { "edit" => 0, "move" => 1, "upload" => 2, _ => 3 };
    }

    /// <summary>The user's watchlist items for the set's titles, and how many users watch each (for those allowed to know).</summary>
    private sealed record WatchInfo(bool CanView, Dictionary<(int, string), WatchedItem> Items, Dictionary<(int, string), int>? Watchers);

    private static async Task<WatchInfo> WatchInfoAsync(ApiContext ctx, PageSet pages)
    {
        var titles = pages.Entries.Where(e => e.Title is { Namespace: >= 0 }).Select(e => e.Title!).ToList();
        var keys = titles.Select(t => t.DbKey).Distinct().ToList();
        var wikiId = ctx.Wiki.Id;
        var now = ctx.Now;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var canView = !ctx.User.IsAnonymous && ctx.User.HasRight("viewmywatchlist");
        var items = new Dictionary<(int, string), WatchedItem>();
        if (canView && keys.Count > 0)
        {
            foreach (var w in await Watchlist.Active(db, wikiId, ctx.User.Id, now).Where(w => keys.Contains(w.Title)).ToListAsync(ctx.Aborted))
            {
                items[(w.Namespace, w.Title)] = w;
            }
        }

        // $wgUnwatchedPageThreshold is off: only users with unwatchedpages see how many watch a page.
        Dictionary<(int, string), int>? watchers = null;
        if (ctx.User.HasRight("unwatchedpages"))
        {
            watchers = keys.Count > 0 ? await Watchlist.WatchersAsync(db, wikiId, keys, now, ctx.Aborted) : [];
        }

        return new WatchInfo(canView, items, watchers);
    }

    /// <summary>Which pages of the set are redirects (they have a row in the redirect table).</summary>
    private static async Task<HashSet<int>> RedirectsAsync(ApiContext ctx, PageSet pages)
    {
        var ids = pages.Existing.Select(e => e.Page!.Id).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        return [.. await db.Redirects.AsNoTracking().Where(l => l.WikiId == wikiId && ids.Contains(l.FromId)).Select(l => l.FromId).ToListAsync(ctx.Aborted)];
    }
}
