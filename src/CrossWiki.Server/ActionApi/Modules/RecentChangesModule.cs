using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=recentchanges (ApiQueryRecentChanges): the wiki's edits, page creations and log entries, newest first
/// (or oldest with <c>rcdir=newer</c>), filtered by namespace, title, user, type and the <c>rcshow</c> flags, each
/// with the properties of <c>rcprop</c> in MediaWiki's order; <c>rccontinue</c> is <c>timestamp|rcid</c>. Also a
/// generator of the changed pages (or of their revisions with <c>rcgeneraterevisions</c>).
/// </summary>
internal sealed class RecentChangesModule : QuerySubmodule
{
    private static readonly string[] Props = ["user", "userid", "comment", "parsedcomment", "flags", "timestamp", "title", "ids", "sizes", "redirect", "patrolled", "loginfo", "tags", "sha1"];

    private static readonly string[] Shows = ["minor", "!minor", "bot", "!bot", "anon", "!anon", "redirect", "!redirect", "patrolled", "!patrolled", "unpatrolled", "autopatrolled", "!autopatrolled"];

    internal static readonly Dictionary<string, int> Types = new(StringComparer.Ordinal) { ["edit"] = ChangeFeed.Edit, ["new"] = ChangeFeed.New, ["log"] = ChangeFeed.Log, ["external"] = 5, ["categorize"] = 6 };

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "recentchanges";

    public override string Group => "list";

    protected override string ModulePrefix => "rc";

    public override string Description => "Enumerate recent changes.";

    public override bool CanGenerate => true;

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("start", ApiParamType.Timestamp) { Help = "The timestamp to start enumerating from." },
        new("end", ApiParamType.Timestamp) { Help = "The timestamp to end enumerating." },
        new("dir", ApiParamType.Enum) { Values = ["newer", "older"], Default = "older", Help = "In which direction to enumerate." },
        new("namespace", ApiParamType.Enum) { Multi = true, Values = LinkQueries.Namespaces, Help = "Filter changes to only these namespaces." },
        new("user", ApiParamType.User) { Help = "Only list changes by this user." },
        new("excludeuser", ApiParamType.User) { Help = "Don't list changes by this user." },
        new("tag") { Help = "Only list changes tagged with this tag." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "title|timestamp|ids", Help = "Include additional pieces of information." },
        new("show", ApiParamType.Enum) { Multi = true, Values = Shows, Help = "Show only items that meet these criteria." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total changes to return." },
        new("type", ApiParamType.Enum) { Multi = true, Values = [.. Types.Keys], Default = "edit|new|log|categorize", Help = "Which types of changes to show." },
        new("toponly", ApiParamType.Boolean) { Help = "Only list changes which are the latest revision." },
        new("title") { Help = "Filter entries to those related to a page." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("generaterevisions", ApiParamType.Boolean) { Help = "When being used as a generator, generate revision IDs rather than titles." },
        new("slot", ApiParamType.Enum) { Values = ["main"], Help = "Only list changes that touch the named slot." },
    ];

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state)
    {
        var (rows, _) = await ReadAsync(ctx, state, []);
        return new([.. rows.Select(r => Title.Create(ctx.Wiki.Namespaces, r.Namespace, r.Title).PrefixedText).Distinct(StringComparer.Ordinal)], []);
    }

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        if (props.Contains("patrolled"))
        {
            RequirePatrolRight(ctx);
        }

        var (rows, extra) = await ReadAsync(ctx, state, props);
        var r = ctx.Result;
        var list = new JsonArray();
        foreach (var row in rows)
        {
            var o = new JsonObject { ["type"] = Types.First(t => t.Value == row.Type).Key };
            if (props.Contains("title"))
            {
                o["ns"] = row.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, row.Namespace, row.Title).PrefixedText;
            }

            WriteChange(r, o, row, props, withRcId: true);
            WriteComment(o, row, props);

            if (props.Contains("redirect"))
            {
                r.SetBool(o, "redirect", extra.Redirects.Contains(row.PageId));
            }

            if (props.Contains("patrolled"))
            {
                r.SetBool(o, "patrolled", row.Patrolled != 0);
                r.SetBool(o, "unpatrolled", row.Patrolled == 0);
                r.SetBool(o, "autopatrolled", row.Patrolled == 2);
            }

            if (props.Contains("loginfo") && row.Type == ChangeFeed.Log)
            {
                o["logid"] = row.LogId;
                o["logtype"] = row.LogType;
                o["logaction"] = row.LogAction;
                o["logparams"] = extra.LogParams.TryGetValue(row.LogId, out var parameters) ? JsonNode.Parse(parameters) : new JsonObject();
            }

            if (props.Contains("tags"))
            {
                o["tags"] = new JsonArray();
            }

            if (props.Contains("sha1") && extra.Sha1s.TryGetValue(row.RevisionId, out var sha1))
            {
                o["sha1"] = sha1;
            }

            list.Add(o);
        }

        state.Query[Name] = list;
    }

    /// <summary>
    /// The fields list=recentchanges and list=watchlist write alike for a change, in MediaWiki's order: ids (with
    /// the rc id for the feed), user, flags, sizes, timestamp; then the comment with <see cref="WriteComment"/>.
    /// </summary>
    internal static void WriteChange(ApiResult r, JsonObject o, RecentChange row, IReadOnlySet<string> props, bool withRcId)
    {
        if (props.Contains("ids"))
        {
            o["pageid"] = row.PageId;
            o["revid"] = row.RevisionId;
            o["old_revid"] = row.ParentId;
            if (withRcId)
            {
                o["rcid"] = row.Id;
            }
        }

        if (props.Contains("user"))
        {
            o["user"] = row.UserText;
        }

        if (props.Contains("userid"))
        {
            o["userid"] = row.UserId;
        }

        if ((props.Contains("user") || props.Contains("userid")) && row.UserId == 0)
        {
            o["anon"] = r.FormatVersion == 2 ? true : "";
        }

        if (props.Contains("flags"))
        {
            r.SetBool(o, "bot", row.Bot);
            r.SetBool(o, "new", row.Type == ChangeFeed.New);
            r.SetBool(o, "minor", row.Minor);
        }

        if (props.Contains("sizes"))
        {
            o["oldlen"] = row.OldLength;
            o["newlen"] = row.NewLength;
        }

        if (props.Contains("timestamp"))
        {
            o["timestamp"] = Timestamps.Iso(row.Timestamp);
        }
    }

    internal static void WriteComment(JsonObject o, RecentChange row, IReadOnlySet<string> props)
    {
        if (props.Contains("comment"))
        {
            o["comment"] = row.Comment;
        }

        if (props.Contains("parsedcomment"))
        {
            o["parsedcomment"] = HtmlEscaper.Text(row.Comment);
        }
    }

    /// <summary>What some properties need besides the change rows: redirect pages, log parameters, revision hashes.</summary>
    private sealed record Extra(HashSet<int> Redirects, Dictionary<long, string> LogParams, Dictionary<int, string> Sha1s);

    /// <summary>This batch of changes; where the next batch starts goes to the continuation.</summary>
    private async Task<(List<RecentChange> Rows, Extra Extra)> ReadAsync(ApiContext ctx, QueryState state, HashSet<string> props)
    {
        var show = GetMulti(ctx, "show").ToHashSet(StringComparer.Ordinal);
        RequireExclusive(show, ("minor", "!minor"), ("bot", "!bot"), ("anon", "!anon"), ("redirect", "!redirect"), ("patrolled", "!patrolled"), ("patrolled", "unpatrolled"),
            ("!patrolled", "unpatrolled"), ("autopatrolled", "!autopatrolled"), ("autopatrolled", "unpatrolled"), ("autopatrolled", "!patrolled"));

        if (show.Overlaps(["patrolled", "!patrolled", "unpatrolled", "autopatrolled", "!autopatrolled"]))
        {
            RequirePatrolRight(ctx);
        }

        RequireMaxOne(("user", GetString(ctx, "user")), ("excludeuser", GetString(ctx, "excludeuser")));
        var older = GetString(ctx, "dir") != "newer";
        var limit = GetInt(ctx, "limit") ?? 10;
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var changes = db.RecentChanges.AsNoTracking().Where(c => c.WikiId == wikiId);

        var types = GetMulti(ctx, "type").Select(t => Types[t]).ToList();
        changes = changes.Where(c => types.Contains(c.Type));
        if (GetString(ctx, "title") is { } titleText)
        {
            if (Pages.TitleParser.Parse(titleText, ctx.Wiki.Namespaces).Title is not { } title)
            {
                throw new ApiError("invalidtitle", $"Bad title \"{titleText}\".");
            }

            changes = changes.Where(c => c.Namespace == title.Namespace && c.Title == title.DbKey);
        }
        else if (GetMulti(ctx, "namespace") is { Count: > 0 } namespaceValues)
        {
            var namespaces = LinkQueries.NamespaceIds(namespaceValues);
            changes = changes.Where(c => namespaces.Contains(c.Namespace));
        }

        changes = ByUser(ctx, changes);
        if (GetString(ctx, "tag") is not null)
        {
            // No change is tagged here.
            changes = changes.Where(c => false);
        }

        changes = ChangeFeed.Show(changes, show, db, wikiId);
        if (GetBool(ctx, "toponly"))
        {
            changes = changes.Where(c => db.Pages.Any(p => p.WikiId == wikiId && p.Id == c.PageId && p.LatestRevisionId == c.RevisionId));
        }

        var rows = await PageOfChangesAsync(ctx, state, changes, older, limit);
        var pageIds = rows.Select(c => c.PageId).Distinct().ToList();
        var redirects = props.Contains("redirect")
            ? (await db.Redirects.AsNoTracking().Where(d => d.WikiId == wikiId && pageIds.Contains(d.FromId)).Select(d => d.FromId).ToListAsync(ctx.Aborted)).ToHashSet()
            : [];
        var logIds = rows.Where(c => c.Type == ChangeFeed.Log).Select(c => c.LogId).ToList();
        var logParams = props.Contains("loginfo") && logIds.Count > 0
            ? await db.Logs.AsNoTracking().Where(l => logIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Params, ctx.Aborted)
            : [];
        var revisionIds = rows.Where(c => c.RevisionId > 0).Select(c => c.RevisionId).ToList();
        var sha1s = props.Contains("sha1") && revisionIds.Count > 0
            ? await db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && revisionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Sha1, ctx.Aborted)
            : [];
        return (rows, new Extra(redirects, logParams, sha1s));
    }

    /// <summary>A user name as given: underscores as spaces, the first letter in upper case.</summary>
    internal static string UserName(string text)
    {
        var name = text.Replace('_', ' ').Trim();
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
