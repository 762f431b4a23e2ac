using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=watchlist (ApiQueryWatchlist): recent changes to the pages on the user's watchlist, newest first; only
/// each page's latest change unless <c>wlallrev</c>; <c>wlcontinue</c> is <c>timestamp|rcid</c>. Also a generator.
/// </summary>
internal sealed class WatchlistModule : QuerySubmodule
{
    private static readonly string[] Props = ["ids", "title", "flags", "user", "userid", "comment", "parsedcomment", "timestamp", "patrol", "sizes", "notificationtimestamp", "loginfo", "tags", "expiry"];

    public override string Name => "watchlist";

    public override string Group => "list";

    protected override string ModulePrefix => "wl";

    public override string Description => "Get recent changes to pages in the current user's watchlist.";

    public override bool CanGenerate => true;

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("allrev", ApiParamType.Boolean) { Help = "Include multiple revisions of the same page within given timeframe." },
        new("start", ApiParamType.Timestamp) { Help = "The timestamp to start enumerating from." },
        new("end", ApiParamType.Timestamp) { Help = "The timestamp to end enumerating." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Filter changes to only the given namespaces." },
        new("user", ApiParamType.User) { Help = "Only list changes by this user." },
        new("excludeuser", ApiParamType.User) { Help = "Don't list changes by this user." },
        new("dir", ApiParamType.Enum) { Values = ["newer", "older"], Default = "older", Help = "In which direction to enumerate." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total results to return per request." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "ids|title|flags", Help = "Which additional properties to get." },
        new("show", ApiParamType.Enum) { Multi = true, Values = ["minor", "!minor", "bot", "!bot", "anon", "!anon", "unread", "!unread"], Help = "Show only items that meet these criteria." },
        new("type", ApiParamType.Enum) { Multi = true, Values = ["edit", "new", "log", "external", "categorize"], Default = "edit|new|log|categorize", Help = "Which types of changes to show." },
        new("owner", ApiParamType.User) { Help = "Used along with token to access a different user's watchlist." },
        new("token") { Help = "A security token (available in the user's preferences) to allow access to another user's watchlist." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state)
    {
        var (rows, _) = await ReadAsync(ctx, state);
        return new([.. rows.Select(r => Title.Create(ctx.Wiki.Namespaces, r.Namespace, r.Title).PrefixedText).Distinct(StringComparer.Ordinal)], []);
    }

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var (rows, items) = await ReadAsync(ctx, state);
        var r = ctx.Result;
        var list = new JsonArray();
        foreach (var row in rows)
        {
            var o = new JsonObject { ["type"] = RecentChangesModule.Types.First(t => t.Value == row.Type).Key };
            if (props.Contains("title"))
            {
                o["ns"] = row.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, row.Namespace, row.Title).PrefixedText;
            }

            RecentChangesModule.WriteChange(r, o, row, props, withRcId: false);
            var item = items.GetValueOrDefault((row.Namespace, row.Title));
            if (props.Contains("notificationtimestamp"))
            {
                o["notificationtimestamp"] = item?.NotificationTimestamp is { } at ? Timestamps.Iso(at) : "";
            }

            RecentChangesModule.WriteComment(o, row, props);
            if (props.Contains("tags"))
            {
                o["tags"] = new JsonArray();
            }

            if (props.Contains("expiry"))
            {
                o["expiry"] = item?.Expiry is { } until ? Timestamps.Iso(until) : false;
            }

            list.Add(o);
        }

        state.Query[Name] = list;
    }

    private async Task<(List<RecentChange> Rows, Dictionary<(int, string), WatchedItem> Items)> ReadAsync(ApiContext ctx, QueryState state)
    {
        var userId = await WatchlistUserAsync(ctx, GetString(ctx, "owner"), GetString(ctx, "token"));
        RequireMaxOne(("user", GetString(ctx, "user")), ("excludeuser", GetString(ctx, "excludeuser")));
        var show = GetMulti(ctx, "show").ToHashSet(StringComparer.Ordinal);
        RequireExclusive(show, ("minor", "!minor"), ("bot", "!bot"), ("anon", "!anon"), ("unread", "!unread"));

        var older = GetString(ctx, "dir") != "newer";
        var limit = GetInt(ctx, "limit") ?? 10;
        var wikiId = ctx.Wiki.Id;
        var now = ctx.Now;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var watched = Watchlist.Active(db, wikiId, userId, now);
        if (show.Contains("unread"))
        {
            watched = watched.Where(w => w.NotificationTimestamp != null);
        }
        else if (show.Contains("!unread"))
        {
            watched = watched.Where(w => w.NotificationTimestamp == null);
        }

        var types = GetMulti(ctx, "type").Select(t => RecentChangesModule.Types[t]).ToList();
        var changes = ChangeFeed.OfWatched(db, wikiId, watched, latestOnly: !GetBool(ctx, "allrev")).Where(c => types.Contains(c.Type));

        if (GetMulti(ctx, "namespace") is { Count: > 0 } namespaceValues)
        {
            var namespaces = LinkQueries.NamespaceIds(namespaceValues);
            changes = changes.Where(c => namespaces.Contains(c.Namespace));
        }

        changes = ChangeFeed.Show(ByUser(ctx, changes), show, db, wikiId);
        var rows = await PageOfChangesAsync(ctx, state, changes, older, limit);
        var keys = rows.Select(c => c.Title).Distinct().ToList();
        var items = new Dictionary<(int, string), WatchedItem>();
        foreach (var w in await watched.Where(w => keys.Contains(w.Title)).ToListAsync(ctx.Aborted))
        {
            items[(w.Namespace, w.Title)] = w;
        }

        return (rows, items);
    }
}
