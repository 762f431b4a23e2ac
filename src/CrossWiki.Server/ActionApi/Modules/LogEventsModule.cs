using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=logevents (ApiQueryLogEvents): the wiki's log entries, newest first (or oldest with <c>ledir=newer</c>),
/// by log type or <c>type/action</c>, user, title, namespace or title prefix, each with the properties of
/// <c>leprop</c> in MediaWiki's order; <c>lecontinue</c> is <c>timestamp|logid</c>.
/// </summary>
internal sealed class LogEventsModule : QuerySubmodule
{
    /// <summary>The logs this server writes or will write, as MediaWiki names them.</summary>
    private static readonly string[] LogTypes = ["block", "create", "delete", "import", "merge", "move", "newusers", "patrol", "protect", "rights", "suppress", "tag", "upload"];

    private static readonly string[] Props = ["ids", "title", "type", "user", "userid", "timestamp", "comment", "parsedcomment", "details", "tags"];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "logevents";

    public override string Group => "list";

    protected override string ModulePrefix => "le";

    public override string Description => "Get events from logs.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "ids|title|type|user|timestamp|comment|details", Help = "Which properties to get." },
        new("type", ApiParamType.Enum) { Values = LogTypes, Help = "Filter log entries to only this type." },
        new("action") { Help = "Filter log actions to only this action (type/action; type/* for every action of a type)." },
        new("start", ApiParamType.Timestamp) { Help = "The timestamp to start enumerating from." },
        new("end", ApiParamType.Timestamp) { Help = "The timestamp to end enumerating." },
        new("dir", ApiParamType.Enum) { Values = ["newer", "older"], Default = "older", Help = "In which direction to enumerate." },
        new("user", ApiParamType.User) { Help = "Filter entries to those made by the given user." },
        new("title") { Help = "Filter entries to those related to a page." },
        new("namespace", ApiParamType.Enum) { Values = LinkQueries.Namespaces, Help = "Filter entries to those in the given namespace." },
        new("prefix") { Help = "Filter entries that start with this prefix." },
        new("tag") { Help = "Only list event entries tagged with this tag." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total event entries to return." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var older = GetString(ctx, "dir") != "newer";
        var limit = GetInt(ctx, "limit") ?? 10;
        var wikiId = ctx.Wiki.Id;
        RequireMaxOne(("title", GetString(ctx, "title")), ("prefix", GetString(ctx, "prefix")));
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var logs = db.Logs.AsNoTracking().Where(l => l.WikiId == wikiId);
        if (GetString(ctx, "action") is { } action)
        {
            // leaction overrides letype, as MediaWiki's does.
            var parts = action.Split('/', 2);
            if (parts.Length != 2 || !LogTypes.Contains(parts[0]))
            {
                throw ApiError.BadValue(Prefix + "action", action);
            }

            var (type, name) = (parts[0], parts[1]);
            logs = name == "*" ? logs.Where(l => l.Type == type) : logs.Where(l => l.Type == type && l.Action == name);
        }
        else if (GetString(ctx, "type") is { } type)
        {
            logs = logs.Where(l => l.Type == type);
        }

        if (GetString(ctx, "user") is { } user)
        {
            var name = RecentChangesModule.UserName(user);
            logs = logs.Where(l => l.UserText == name);
        }

        if (GetString(ctx, "title") is { } titleText)
        {
            if (TitleParser.Parse(titleText, ctx.Wiki.Namespaces).Title is not { } title)
            {
                throw new ApiError("invalidtitle", $"Bad title \"{titleText}\".");
            }

            logs = logs.Where(l => l.Namespace == title.Namespace && l.Title == title.DbKey);
        }
        else if (GetString(ctx, "prefix") is { } prefixText)
        {
            if (TitleParser.Parse(prefixText + "x", ctx.Wiki.Namespaces).Title is not { } prefixTitle)
            {
                throw new ApiError("invalidtitle", $"Bad title \"{prefixText}\".");
            }

            var prefix = prefixTitle.DbKey[..^1];
            logs = logs.Where(l => l.Namespace == prefixTitle.Namespace && l.Title.StartsWith(prefix));
        }

        if (GetString(ctx, "namespace") is { } ns)
        {
            var id = LinkQueries.NamespaceIds([ns])[0];
            logs = logs.Where(l => l.Namespace == id);
        }

        if (GetString(ctx, "tag") is not null)
        {
            logs = logs.Where(l => false);
        }

        if (GetTimestamp(ctx, "start") is { } start)
        {
            logs = older ? logs.Where(l => l.Timestamp <= start) : logs.Where(l => l.Timestamp >= start);
        }

        if (GetTimestamp(ctx, "end") is { } end)
        {
            logs = older ? logs.Where(l => l.Timestamp >= end) : logs.Where(l => l.Timestamp <= end);
        }

        if (GetString(ctx, "continue") is { } continuation)
        {
            var (at, from) = TimeContinuation(ctx, continuation);
            logs = older ? logs.Where(l => l.Timestamp < at || (l.Timestamp == at && l.Id <= from)) : logs.Where(l => l.Timestamp > at || (l.Timestamp == at && l.Id >= from));
        }

        logs = older ? logs.OrderByDescending(l => l.Timestamp).ThenByDescending(l => l.Id) : logs.OrderBy(l => l.Timestamp).ThenBy(l => l.Id);
        var rows = await logs.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = Timestamps.Mw(next.Timestamp) + "|" + next.Id.ToString(CultureInfo.InvariantCulture);
            rows.RemoveAt(limit);
        }

        // pageid is the page's id now (0 when it is gone), logpage the one it had when the entry was made.
        var current = new Dictionary<(int, string), int>();
        if (props.Contains("ids"))
        {
            foreach (var group in rows.GroupBy(l => l.Namespace))
            {
                var keys = group.Select(l => l.Title).Distinct().ToList();
                var ns2 = group.Key;
                foreach (var page in await db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == ns2 && keys.Contains(p.DbKey)).Select(p => new { p.DbKey, p.Id }).ToListAsync(ctx.Aborted))
                {
                    current[(ns2, page.DbKey)] = page.Id;
                }
            }
        }

        var r = ctx.Result;
        state.Query[Name] = new JsonArray([.. rows.Select(l =>
        {
            var o = new JsonObject();
            if (props.Contains("ids"))
            {
                o["logid"] = l.Id;
            }

            if (props.Contains("title"))
            {
                o["ns"] = l.Namespace;
                o["title"] = Title.Create(ctx.Wiki.Namespaces, l.Namespace, l.Title).PrefixedText;
            }

            if (props.Contains("ids"))
            {
                o["pageid"] = current.GetValueOrDefault((l.Namespace, l.Title));
                o["logpage"] = l.PageId;
            }

            if (props.Contains("details"))
            {
                o["params"] = JsonNode.Parse(l.Params);
            }

            if (props.Contains("type"))
            {
                o["type"] = l.Type;
                o["action"] = l.Action;
            }

            if (props.Contains("user"))
            {
                o["user"] = l.UserText;
            }

            if (props.Contains("userid"))
            {
                o["userid"] = l.UserId;
            }

            if ((props.Contains("user") || props.Contains("userid")) && l.UserId == 0)
            {
                o["anon"] = r.FormatVersion == 2 ? true : "";
            }

            if (props.Contains("timestamp"))
            {
                o["timestamp"] = Timestamps.Iso(l.Timestamp);
            }

            if (props.Contains("comment"))
            {
                o["comment"] = l.Comment;
            }

            if (props.Contains("parsedcomment"))
            {
                o["parsedcomment"] = HtmlEscaper.Text(l.Comment);
            }

            if (props.Contains("tags"))
            {
                o["tags"] = new JsonArray();
            }

            return (JsonNode)o;
        })]);
    }
}
