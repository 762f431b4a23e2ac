using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=setnotificationtimestamp (ApiSetNotificationTimestamp): marks watched pages seen (no timestamp), or sets
/// their first unseen change to <c>timestamp</c>, to revision <c>torevid</c>'s time, or to the revision after
/// <c>newerthanrevid</c>; for the given pages or the <c>entirewatchlist</c>.
/// </summary>
internal sealed class SetNotificationTimestampModule : ApiModule
{
    public override string Name => "setnotificationtimestamp";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    public override string Description => "Update the notification timestamp for watched pages.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("entirewatchlist", ApiParamType.Boolean) { Help = "Work on all watched pages." },
        new("timestamp", ApiParamType.Timestamp) { Help = "Timestamp to which to set the notification timestamp." },
        new("torevid", ApiParamType.Integer) { Help = "Revision to set the notification timestamp to (one page only)." },
        new("newerthanrevid", ApiParamType.Integer) { Help = "Revision to set the notification timestamp newer than (one page only)." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("titles") { Multi = true, Help = "A list of titles to work on." },
        new("pageids") { Multi = true, Help = "A list of page IDs to work on." },
        new("redirects", ApiParamType.Boolean) { Help = "Automatically resolve redirects in titles and pageids." },
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        ApiWatchlist.RequireOwn(ctx, "editmywatchlist", "edit your watchlist");

        var entire = GetBool(ctx, "entirewatchlist");
        var titles = GetMulti(ctx, "titles");
        var pageIds = GetMulti(ctx, "pageids");
        var stamp = GetTimestamp(ctx, "timestamp");
        var toRev = GetInt(ctx, "torevid");
        var newerThan = GetInt(ctx, "newerthanrevid");
        RequireMaxOne(("timestamp", stamp), ("torevid", toRev), ("newerthanrevid", newerThan));
        if (entire && (titles.Count > 0 || pageIds.Count > 0))
        {
            throw new ApiError("invalidparammix", "The parameters \"entirewatchlist\" and \"titles\" can not be used together.");
        }

        var r = ctx.Result;
        DateTime? timestamp = stamp;
        if (toRev is not null || newerThan is not null)
        {
            var revId = (toRev ?? newerThan)!.Value;
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var rev = await PageReads.RevisionByIdAsync(db, ctx.Wiki.Id, revId, ctx.Aborted)
                ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {revId}.");
            timestamp = toRev is not null ? rev.Timestamp : (await PageReads.NextRevisionAsync(db, rev, ctx.Aborted))?.Timestamp;
        }

        var written = timestamp is { } t ? Timestamps.Iso(t) : "";
        if (entire)
        {
            await Watchlist.SetNotificationAsync(ctx.Services.Db, ctx.Services.Writes, ctx.Wiki.Id, ctx.User.Id, null, timestamp, ctx.Aborted);
            r.Data["setnotificationtimestamp"] = new JsonObject { ["notificationtimestamp"] = written };
            return;
        }

        var list = new JsonArray();
        foreach (var entry in await PageSet.ForActionAsync(ctx, titles, pageIds, GetBool(ctx, "redirects")))
        {
            if (entry.Title is not { } title)
            {
                list.Add(PageSet.Unlisted(r, entry));
                continue;
            }

            var o = new JsonObject { ["ns"] = title.Namespace, ["title"] = title.PrefixedText };
            if (entry.Page is null)
            {
                r.SetFlag(o, "missing", true);
            }

            if (await Watchlist.SetNotificationAsync(ctx.Services.Db, ctx.Services.Writes, ctx.Wiki.Id, ctx.User.Id, [title], timestamp, ctx.Aborted) > 0)
            {
                o["notificationtimestamp"] = written;
            }
            else
            {
                r.SetFlag(o, "notwatched", true);
            }

            list.Add(o);
        }

        r.SetFlag(r.Data, "batchcomplete", true);
        r.Data["setnotificationtimestamp"] = list;
    }
}
