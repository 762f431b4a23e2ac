using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=watch (ApiWatch): adds pages (with their talk pages) to the user's watchlist, until <c>expiry</c>, or
/// removes them with <c>unwatch</c>. Invalid titles are listed first, then missing pages, then existing ones.
/// </summary>
internal sealed class WatchModule : ApiModule
{
    public override string Name => "watch";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "watch";

    public override string Description => "Add or remove pages from the current user's watchlist.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Help = "The page to (un)watch. Use titles instead." },
        new("expiry") { Default = "infinite", Help = "Expiry timestamp to be applied to all given pages. Omit this parameter entirely to leave any current expiries unchanged." },
        new("unwatch", ApiParamType.Boolean) { Help = "If set the page will be unwatched rather than watched." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("titles") { Multi = true, Help = "A list of titles to work on." },
        new("pageids") { Multi = true, Help = "A list of page IDs to work on." },
        new("redirects", ApiParamType.Boolean) { Help = "Automatically resolve redirects in titles and pageids." },
        new("token") { Required = true, TokenType = "watch", Help = "A \"watch\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        ApiWatchlist.RequireOwn(ctx, "editmywatchlist", "edit your watchlist");

        var unwatch = GetBool(ctx, "unwatch");
        var expiryGiven = ctx.Request.Peek("expiry") is not null;
        var expiry = ApiWatchlist.Expiry(ctx, Name, GetString(ctx, "expiry"), out _);
        var titles = GetMulti(ctx, "titles").ToList();
        if (GetString(ctx, "title") is { } single)
        {
            ctx.Result.Deprecate(Name, "deprecation", "The parameter \"title\" has been deprecated.");
            titles.Add(single);
        }

        var r = ctx.Result;
        var list = new JsonArray();
        foreach (var entry in await PageSet.ForActionAsync(ctx, titles, GetMulti(ctx, "pageids"), GetBool(ctx, "redirects")))
        {
            if (entry.Title is not { } title)
            {
                list.Add(PageSet.Unlisted(r, entry));
                continue;
            }

            var o = new JsonObject { ["title"] = title.PrefixedText, ["ns"] = title.Namespace };
            if (!Watchlist.IsWatchable(title))
            {
                o["watchable"] = 0;
            }
            else if (unwatch)
            {
                await Watchlist.SetAsync(ctx.Services.Db, ctx.Services.Writes, ctx.Wiki.Id, ctx.User.Id, title, false, null, ctx.Aborted);
                r.SetFlag(o, "unwatched", true);
            }
            else
            {
                await ApiWatchlist.ApplyAsync(ctx, title, "watch", expiry, expiryGiven, created: false);
                r.SetFlag(o, "watched", true);
                o["expiry"] = expiry is { } at ? Timestamps.Iso(at) : "infinity";
            }

            if (entry.Page is null)
            {
                r.SetFlag(o, "missing", true);
            }

            list.Add(o);
        }

        r.SetFlag(r.Data, "batchcomplete", true);
        r.Data["watch"] = list;
    }
}
