using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=watchlistraw (ApiQueryWatchlistRaw): every page on the user's watchlist (talk pages included), by
/// namespace and title, answered at the top level as MediaWiki does; <c>wrcontinue</c> is <c>ns|title</c>. Also a generator.
/// </summary>
internal sealed class WatchlistRawModule : QuerySubmodule
{
    public override string Name => "watchlistraw";

    public override string Group => "list";

    protected override string ModulePrefix => "wr";

    public override string Description => "Get all pages on the current user's watchlist.";

    public override bool CanGenerate => true;

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("continue") { Help = "When more results are available, use this to continue." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Only list pages in the given namespaces." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total results to return per request." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["changed"], Help = "Which additional properties to get." },
        new("show", ApiParamType.Enum) { Multi = true, Values = ["changed", "!changed"], Help = "Only list items that meet these criteria." },
        new("owner", ApiParamType.User) { Help = "Used along with token to access a different user's watchlist." },
        new("token") { Help = "A security token (available in the user's preferences) to allow access to another user's watchlist." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "Direction to sort the titles and namespaces in." },
        new("fromtitle") { Help = "Title (with namespace prefix) to begin enumerating from." },
        new("totitle") { Help = "Title (with namespace prefix) to stop enumerating at." },
    ];

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state)
    {
        var rows = await ReadAsync(ctx, state);
        return new([.. rows.Select(w => Title.Create(ctx.Wiki.Namespaces, w.Namespace, w.Title).PrefixedText)], []);
    }

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var changed = GetMulti(ctx, "prop").Contains("changed");
        var list = new JsonArray();
        foreach (var w in await ReadAsync(ctx, state))
        {
            var o = new JsonObject { ["ns"] = w.Namespace, ["title"] = Title.Create(ctx.Wiki.Namespaces, w.Namespace, w.Title).PrefixedText };
            if (changed && w.NotificationTimestamp is { } at)
            {
                o["changed"] = Timestamps.Iso(at);
            }

            list.Add(o);
        }

        ctx.Result.Data[Name] = list;
    }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; SQLite's default collation is already binary (ordinal).
    private async Task<List<WatchedItem>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var userId = await WatchlistUserAsync(ctx, GetString(ctx, "owner"), GetString(ctx, "token"));
        var show = GetMulti(ctx, "show");
        RequireExclusive(show, ("changed", "!changed"));

        var limit = GetInt(ctx, "limit") ?? 10;
        var descending = GetString(ctx, "dir") == "descending";
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var items = Watchlist.Active(db, ctx.Wiki.Id, userId, ctx.Now);
        if (GetMulti(ctx, "namespace") is { Count: > 0 } namespaces)
        {
            var ids = LinkQueries.NamespaceIds(namespaces);
            items = items.Where(w => ids.Contains(w.Namespace));
        }

        items = show.Contains("changed") ? items.Where(w => w.NotificationTimestamp != null) : show.Contains("!changed") ? items.Where(w => w.NotificationTimestamp == null) : items;
        foreach (var (name, isFrom) in new[] { ("fromtitle", true), ("totitle", false) })
        {
            if (GetString(ctx, name) is not { } text)
            {
                continue;
            }

            var t = TitleParser.Parse(text, ctx.Wiki.Namespaces).Title ?? throw new ApiError("invalidtitle", $"Bad title \"{text}\".");
            items = isFrom != descending
                ? items.Where(w => w.Namespace > t.Namespace || (w.Namespace == t.Namespace && string.Compare(w.Title, t.DbKey) >= 0))
                : items.Where(w => w.Namespace < t.Namespace || (w.Namespace == t.Namespace && string.Compare(w.Title, t.DbKey) <= 0));
        }

        if (GetString(ctx, "continue") is { } cont)
        {
            var sep = cont.IndexOf('|', StringComparison.Ordinal);
            if (sep < 0 || !int.TryParse(cont.AsSpan(0, sep), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ns))
            {
                throw new ApiError("badcontinue", "Invalid continue param. You should pass the original value returned by the previous query.");
            }

            var key = cont[(sep + 1)..];
            items = descending
                ? items.Where(w => w.Namespace < ns || (w.Namespace == ns && string.Compare(w.Title, key) <= 0))
                : items.Where(w => w.Namespace > ns || (w.Namespace == ns && string.Compare(w.Title, key) >= 0));
        }

        items = descending ? items.OrderByDescending(w => w.Namespace).ThenByDescending(w => w.Title) : items.OrderBy(w => w.Namespace).ThenBy(w => w.Title);
        var rows = await items.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = next.Namespace.ToString(CultureInfo.InvariantCulture) + "|" + next.Title;
            rows.RemoveAt(limit);
        }

        return rows;
    }
#pragma warning restore CA1309
}
