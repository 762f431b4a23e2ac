using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=usercontribs (ApiQueryUserContribs): the revisions of one or more users (<c>ucuser</c>, <c>ucuserids</c> or
/// <c>ucuserprefix</c>), newest first (or oldest with <c>ucdir=newer</c>), with the properties of <c>ucprop</c> in
/// MediaWiki's order and the <c>ucshow</c> filters; <c>uccontinue</c> is <c>timestamp|revid</c> (the list is in time
/// order for several users too).
/// </summary>
internal sealed class UserContribsModule : QuerySubmodule
{
    private static readonly string[] Props = ["ids", "title", "timestamp", "comment", "parsedcomment", "size", "sizediff", "flags", "patrolled", "tags"];

    private static readonly string[] Shows = ["minor", "!minor", "patrolled", "!patrolled", "autopatrolled", "!autopatrolled", "top", "!top", "new", "!new"];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "usercontribs";

    public override string Group => "list";

    protected override string ModulePrefix => "uc";

    public override string Description => "Get all edits by a user.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "The maximum number of contributions to return." },
        new("start", ApiParamType.Timestamp) { Help = "The start timestamp to return from." },
        new("end", ApiParamType.Timestamp) { Help = "The end timestamp to return to." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("user", ApiParamType.User) { Multi = true, Help = "The users to retrieve contributions for." },
        new("userids", ApiParamType.Integer) { Multi = true, Help = "The user IDs to retrieve contributions for." },
        new("userprefix") { Help = "Retrieve contributions for all users whose names begin with this value." },
        new("iprange") { Help = "The CIDR range to retrieve contributions for." },
        new("dir", ApiParamType.Enum) { Values = ["newer", "older"], Default = "older", Help = "In which direction to enumerate." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Only list contributions in these namespaces." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "ids|title|timestamp|comment|size|flags", Help = "Include additional pieces of information." },
        new("show", ApiParamType.Enum) { Multi = true, Values = Shows, Help = "Show only items that meet these criteria." },
        new("tag") { Help = "Only list revisions tagged with this tag." },
        new("toponly", ApiParamType.Boolean) { Help = "Only list changes which are the latest revision." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var users = GetMulti(ctx, "user");
        var userIds = GetMulti(ctx, "userids");
        var prefix = GetString(ctx, "userprefix");
        var range = GetString(ctx, "iprange");
        RequireOnlyOne(("user", users.Count > 0 ? users : null), ("userids", userIds.Count > 0 ? userIds : null), ("userprefix", prefix), ("iprange", range));
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var show = GetMulti(ctx, "show").ToHashSet(StringComparer.Ordinal);
        if (show.Overlaps(["patrolled", "!patrolled", "autopatrolled", "!autopatrolled"]) || props.Contains("patrolled"))
        {
            RequirePatrolRight(ctx);
        }

        var older = GetString(ctx, "dir") != "newer";
        var limit = GetInt(ctx, "limit") ?? 10;
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var revisions = db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId);
        if (users.Count > 0)
        {
            var names = users.Select(RecentChangesModule.UserName).ToList();
            revisions = revisions.Where(v => names.Contains(v.UserText));
        }
        else if (userIds.Count > 0)
        {
            var ids = userIds.Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToList();
            revisions = revisions.Where(v => ids.Contains(v.UserId) && v.UserId != 0);
        }
        else if (prefix is not null)
        {
            var start = RecentChangesModule.UserName(prefix);
            revisions = CanPrefixAName(start) ? revisions.Where(v => v.UserText.StartsWith(start)) : revisions.Where(v => false);
        }
        else
        {
            // IP ranges: only a single address, which is an anonymous editor's name.
            revisions = revisions.Where(v => v.UserId == 0 && v.UserText == range!.Split('/')[0]);
        }

        var rows = Contributions.Of(db, revisions);
        if (GetMulti(ctx, "namespace") is { Count: > 0 } namespaceValues)
        {
            var namespaces = LinkQueries.NamespaceIds(namespaceValues);
            rows = rows.Where(c => namespaces.Contains(c.Namespace));
        }

        rows = Contributions.Show(rows, show, db, wikiId);
        if (GetBool(ctx, "toponly"))
        {
            rows = rows.Where(c => c.Latest == c.Id);
        }

        if (GetString(ctx, "tag") is not null)
        {
            rows = rows.Where(c => false);
        }

        if (GetTimestamp(ctx, "start") is { } from)
        {
            rows = older ? rows.Where(c => c.Timestamp <= from) : rows.Where(c => c.Timestamp >= from);
        }

        if (GetTimestamp(ctx, "end") is { } to)
        {
            rows = older ? rows.Where(c => c.Timestamp >= to) : rows.Where(c => c.Timestamp <= to);
        }

        if (GetString(ctx, "continue") is { } continuation)
        {
            var (at, after) = TimeContinuation(ctx, continuation);
            rows = older ? rows.Where(c => c.Timestamp < at || (c.Timestamp == at && c.Id <= after)) : rows.Where(c => c.Timestamp > at || (c.Timestamp == at && c.Id >= after));
        }

        rows = older ? rows.OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id) : rows.OrderBy(c => c.Timestamp).ThenBy(c => c.Id);
        var found = await rows.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (found.Count > limit)
        {
            var next = found[limit];
            ContinueTarget(state)[Prefix + "continue"] = Timestamps.Mw(next.Timestamp) + "|" + next.Id.ToString(CultureInfo.InvariantCulture);
            found.RemoveAt(limit);
        }

        var parentIds = props.Contains("sizediff") ? found.Where(c => c.ParentId > 0).Select(c => c.ParentId).Distinct().ToList() : [];
        var parentLengths = parentIds.Count > 0
            ? await db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && parentIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Length, ctx.Aborted)
            : [];
        var patrolled = props.Contains("patrolled")
            ? await PatrolledAsync(db, wikiId, [.. found.Select(c => c.Id)], ctx.Aborted)
            : [];
        var r = ctx.Result;
        state.Query[Name] = new JsonArray([.. found.Select(c =>
        {
            var o = new JsonObject { ["userid"] = c.UserId, ["user"] = c.UserText };
            if (props.Contains("ids"))
            {
                o["pageid"] = c.PageId;
                o["revid"] = c.Id;
                o["parentid"] = c.ParentId;
            }

            if (props.Contains("title"))
            {
                o["ns"] = c.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, c.Namespace, c.DbKey).PrefixedText;
            }

            if (props.Contains("timestamp"))
            {
                o["timestamp"] = Timestamps.Iso(c.Timestamp);
            }

            if (props.Contains("flags"))
            {
                r.SetBool(o, "new", c.ParentId == 0);
                r.SetBool(o, "minor", c.Minor);
                r.SetBool(o, "top", c.Latest == c.Id);
            }

            if (props.Contains("comment"))
            {
                o["comment"] = c.Comment;
            }

            if (props.Contains("parsedcomment"))
            {
                o["parsedcomment"] = HtmlEscaper.Text(c.Comment);
            }

            if (props.Contains("patrolled"))
            {
                var level = patrolled.GetValueOrDefault(c.Id);
                r.SetBool(o, "patrolled", level != 0);
                r.SetBool(o, "autopatrolled", level == 2);
            }

            if (props.Contains("size"))
            {
                o["size"] = c.Length;
            }

            if (props.Contains("sizediff"))
            {
                o["sizediff"] = c.Length - parentLengths.GetValueOrDefault(c.ParentId);
            }

            if (props.Contains("tags"))
            {
                o["tags"] = new JsonArray();
            }

            return (JsonNode)o;
        })]);
    }

    private static async Task<Dictionary<int, int>> PatrolledAsync(Storage.WikiDbContext db, string wikiId, List<int> revisionIds, CancellationToken ct) =>
        (await db.RecentChanges.AsNoTracking().Where(x => x.WikiId == wikiId && revisionIds.Contains(x.RevisionId) && x.Type != Pages.ChangeFeed.Log)
            .Select(x => new { x.RevisionId, x.Patrolled }).ToListAsync(ct)).DistinctBy(x => x.RevisionId).ToDictionary(x => x.RevisionId, x => x.Patrolled);
}
