using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>
/// The lines of the HTML change feeds (Special:RecentChanges, Watchlist, Log) from their rows, in MediaWiki's
/// words: the log actions as LogFormatter writes them in English, titles red where the page is gone.
/// </summary>
internal static class FeedLines
{
    /// <summary>The log names of MediaWiki's <c>log-name-*</c> messages, in Special:Log's selector order.</summary>
    public static readonly IReadOnlyList<(string Type, string Name)> LogNames =
    [
        ("block", "Block log"), ("delete", "Deletion log"), ("move", "Move log"), ("create", "Page creation log"),
        ("protect", "Protection log"), ("upload", "Upload log"), ("newusers", "User creation log"),
    ];

    public static string LogName(string type) => LogNames.FirstOrDefault(l => l.Type == type).Name ?? type + " log";

    /// <summary>MediaWiki's time of day in change lists (<c>12:34</c>) and date heading (<c>4 December 2026</c>).</summary>
    public static string Time(DateTime t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTime t) => t.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static UserLinks User(Wiki wiki, string name)
    {
        var key = name.Replace(' ', '_');
        return new UserLinks(name, wiki.ArticleUrl("User:" + key), wiki.ArticleUrl("User_talk:" + key), wiki.ArticleUrl("Special:Contributions/" + key));
    }

    /// <summary>Recent changes (newest first) as lines under their days, with the log entries' parameters and the titles' existence read in two queries.</summary>
    public static async Task<List<ChangeDay>> DaysAsync(WikiDbContext db, Wiki wiki, IReadOnlyList<RecentChange> rows, CancellationToken ct)
    {
        var logIds = rows.Where(c => c.Type == ChangeFeed.Log).Select(c => c.LogId).ToList();
        var parameters = logIds.Count == 0 ? [] : await db.Logs.AsNoTracking().Where(l => logIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Params, ct);
        var link = await LinkerAsync(db, wiki, [.. rows.Select(c => (c.Namespace, c.Title, parameters.GetValueOrDefault(c.LogId)))], ct);
        return [.. rows.GroupBy(c => Day(c.Timestamp)).Select(day => new ChangeDay(day.Key, [.. day.Select(c => Line(wiki, c, parameters.GetValueOrDefault(c.LogId), link))]))];
    }

    /// <summary>Log entries as Special:Log's lines.</summary>
    public static async Task<List<LogLine>> LogLinesAsync(WikiDbContext db, Wiki wiki, IReadOnlyList<LogEntry> rows, CancellationToken ct)
    {
        var link = await LinkerAsync(db, wiki, [.. rows.Select(l => (l.Namespace, l.Title, (string?)l.Params))], ct);
        return [.. rows.Select(l =>
        {
            var title = Title.Create(wiki.Namespaces, l.Namespace, l.Title);
            var newUser = l.Type == "newusers";
            return new LogLine(l.Id, l.Type + "/" + l.Action, WikiWeb.ListDate(l.Timestamp), newUser ? "User account " : null, User(wiki, l.UserText), Describe(wiki, l.Type, l.Action, title, l.Params, link), l.Comment);
        })];
    }

    private static ChangeLine Line(Wiki wiki, RecentChange c, string? logParams, Func<Title, LinePart> link)
    {
        var title = Title.Create(wiki.Namespaces, c.Namespace, c.Title);
        var user = User(wiki, c.UserText);
        if (c.Type == ChangeFeed.Log)
        {
            var logName = new LinePart(LogName(c.LogType ?? ""), wiki.ArticleUrl("Special:Log/" + c.LogType), Tooltip: "Special:Log/" + c.LogType);
            return new ChangeLine($"mw-changeslist-log mw-changeslist-log-{c.LogType}", c.RevisionId, Time(c.Timestamp), link(title), null, null, false, false, c.Bot, 0, 0,
                user, logName, Describe(wiki, c.LogType ?? "", c.LogAction ?? "", title, logParams, link), c.Comment);
        }

        var revision = c.RevisionId.ToString(CultureInfo.InvariantCulture);
        var diff = c.Type == ChangeFeed.New ? null : WikiListings.Index(wiki, title, ("diff", revision), ("oldid", c.ParentId.ToString(CultureInfo.InvariantCulture)));
        var kind = c.Type == ChangeFeed.New ? "mw-changeslist-src-mw-new" : "mw-changeslist-src-mw-edit";
        return new ChangeLine($"mw-changeslist-edit {kind} mw-changeslist-ns{c.Namespace}-{c.Title}", c.RevisionId, Time(c.Timestamp),
            link(title) with { Class = "mw-changeslist-title" }, diff, WikiListings.Index(wiki, title, ("action", "history")),
            c.Type == ChangeFeed.New, c.Minor, c.Bot, c.NewLength - c.OldLength, c.NewLength, user, null, null, c.Comment);
    }

    /// <summary>
    /// A log entry's action in MediaWiki's English (<c>logentry-*</c>), after the user's links: "moved page [[A]] to [[B]]".
    /// Unknown actions read as LogFormatter's fallback.
    /// </summary>
    public static List<LinePart> Describe(Wiki wiki, string type, string action, Title title, string? parameters, Func<Title, LinePart> link)
    {
        var p = parameters is null ? null : JsonNode.Parse(parameters) as JsonObject;
        LinePart T(string text) => new(text);
        var page = link(title);
        return (type, action) switch
        {
            ("create", _) => [T("created page "), page],
            ("move", _) when Target(wiki, p) is { } to => [T("moved page "), page, T(" to "), link(to), .. action == "move_redir" ? [T(" over redirect")] : Array.Empty<LinePart>()],
            ("delete", "delete") => [T("deleted page "), page],
            ("delete", "restore") => [T("restored page "), page, T(RestoredCount(p))],
            ("protect", "protect") => [T("protected "), page, T(ProtectionWords(p))],
            ("protect", "modify") => [T("changed protection settings for "), page, T(ProtectionWords(p))],
            ("protect", "unprotect") => [T("removed protection from "), page],
            ("upload", "upload") => [T("uploaded "), page],
            ("upload", "overwrite") => [T("uploaded a new version of "), page],
            ("block", "block") => [T("blocked "), page with { Text = title.Text }, T(" with an expiration time of " + Duration(p))],
            ("block", "reblock") => [T("changed block settings for "), page with { Text = title.Text }, T(" with an expiration time of " + Duration(p))],
            ("block", "unblock") => [T("unblocked "), page with { Text = title.Text }],
            ("newusers", "autocreate") => [T("was created automatically")],
            ("newusers", _) => [T("was created")],
            _ => [T($"performed the action \"{action}\" of the {type} log on "), page],
        };
    }

    private static Title? Target(Wiki wiki, JsonObject? p) =>
        p?["target_title"]?.GetValue<string>() is { } text ? TitleParser.Parse(text, wiki.Namespaces).Title : null;

    private static string RestoredCount(JsonObject? p) =>
        p?["count"]?["revisions"]?.GetValue<int>() is { } n ? string.Create(CultureInfo.InvariantCulture, $" ({n} {(n == 1 ? "revision" : "revisions")})") : "";

    /// <summary>"[Edit=Allow only administrators] (indefinite)" from the entry's <c>details</c>, as the protection summary words it.</summary>
    private static string ProtectionWords(JsonObject? p) => p?["details"] is JsonArray details
        ? " " + PageAdmin.SummaryDescription(details.OfType<JsonObject>().Select(d => new ProtectionChange(
            d["type"]?.GetValue<string>() ?? "", d["level"]?.GetValue<string>() ?? "", ExpiryOf(d["expiry"]?.GetValue<string>()))))
        : "";

    private static DateTime? ExpiryOf(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string Duration(JsonObject? p) => ExpiryOf(p?["expiry"]?.GetValue<string>()) is { } at ? WikiWeb.ListDate(at) : "infinite";

    /// <summary>Links to the rows' titles and their move targets, red where the page does not exist, after one existence query.</summary>
    private static async Task<Func<Title, LinePart>> LinkerAsync(WikiDbContext db, Wiki wiki, IReadOnlyList<(int Namespace, string Title, string? Params)> rows, CancellationToken ct)
    {
        var titles = rows.Select(r => Title.Create(wiki.Namespaces, r.Namespace, r.Title))
            .Concat(rows.Select(r => Target(wiki, r.Params is null ? null : JsonNode.Parse(r.Params) as JsonObject)).OfType<Title>())
            .Select(t => (t.Namespace, t.DbKey)).Distinct().ToList();
        var exists = await LinkBatch.ExistAsync(db, wiki.Id, titles, ct);
        var existing = titles.Where((_, i) => exists[i]).ToHashSet();
        return title =>
        {
            var listed = WikiListings.Link(wiki, title, existing.Contains((title.Namespace, title.DbKey)));
            return new LinePart(listed.Text, listed.Url, listed.Exists, Tooltip: title.PrefixedText);
        };
    }
}
