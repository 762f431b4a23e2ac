using System.Globalization;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>The HTML change feeds: Special:RecentChanges, Special:Watchlist, Special:Contributions and Special:Log.</summary>
internal sealed partial class WikiWeb
{
    private static readonly IReadOnlyList<int> RecentChangesDays = [1, 3, 7, 14, 30];

    private static readonly IReadOnlyList<int> WatchlistDays = [1, 3, 7];

    /// <summary>Special:Contributions' check boxes, which stand for list=usercontribs' <c>top</c>, <c>new</c> and <c>!minor</c>.</summary>
    private static readonly string[] ContributionFlags = ["topOnly", "newOnly", "hideMinor"];

    /// <summary>The intro of each log's page (MediaWiki's <c>*logpagetext</c> messages).</summary>
    private static readonly Dictionary<string, string> LogIntros = new(StringComparer.Ordinal)
    {
        [""] = "Combined display of all available logs. You can narrow down the view by selecting a log type, the username (case-sensitive), or the affected page (also case-sensitive).",
        ["block"] = "This is a log of user blocking and unblocking actions.",
        ["delete"] = "Below is a list of the most recent deletions.",
        ["move"] = "Below is a list of all page moves.",
        ["create"] = "Below is a list of the most recent page creations.",
        ["protect"] = "Below is a list of protection changes.",
        ["upload"] = "Below is a list of the most recent file uploads.",
        ["newusers"] = "This is a log of user creations.",
    };

    /// <summary>Special:RecentChanges: the wiki's changes of the last <c>days</c>, filtered by <see cref="ChangesOptions"/>.</summary>
    private async Task RecentChangesAsync(WebRequest r)
    {
        var options = ChangesOptions.Parse(r.Http.Request.Query, ChangesOptions.RecentChanges);
        var ct = r.Http.RequestAborted;
        var wikiId = r.Wiki.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await options.Apply(db.RecentChanges.AsNoTracking().Where(c => c.WikiId == wikiId), db, wikiId, r.User.Name, time.GetUtcNow().UtcDateTime).ToListAsync(ct);
        var days = await FeedLines.DaysAsync(db, r.Wiki, [.. rows.Take(options.Limit)], ct);
        await RenderAsync<ChangesPage>(r.Http, Changes(r, "RecentChanges", "Recent changes", "Track the most recent changes to the wiki on this page.", "Recent changes options",
            options, ChangesOptions.RecentChanges, "rc", ChangesOptions.Limits, RecentChangesDays, days));
    }

    /// <summary>MediaWiki's notice to anonymous users on Special:Watchlist and Special:EditWatchlist, with the login link back to the page.</summary>
    private Task NotLoggedInAsync(WebRequest r, string page) =>
        RenderAsync<MessagePage>(r.Http, new MessageModel(Chrome(r), "Not logged in", "Please log in to view or edit items on your watchlist.", 200)
        {
            Parts = [new("Please "), new("log in", r.Wiki.ArticleUrl("Special:UserLogin") + "?returnto=Special:" + page, Class: "mw-watchlist-login"), new(" to view or edit items on your watchlist.")],
        });

    /// <summary>Special:Watchlist: the latest change of each watched page (and its talk page), for logged-in users only.</summary>
    private async Task WatchlistAsync(WebRequest r)
    {
        if (r.User.IsAnonymous)
        {
            await NotLoggedInAsync(r, "Watchlist");
            return;
        }

        var options = ChangesOptions.Parse(r.Http.Request.Query, ChangesOptions.Watchlist);
        var ct = r.Http.RequestAborted;
        var wikiId = r.Wiki.Id;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var watched = Watchlist.Active(db, wikiId, r.User.Id, now);
        var count = await watched.CountAsync(w => w.Namespace % 2 == 0, ct);
        var rows = await options.Apply(ChangeFeed.OfWatched(db, wikiId, watched, latestOnly: true), db, wikiId, r.User.Name, now).ToListAsync(ct);
        var days = await FeedLines.DaysAsync(db, r.Wiki, [.. rows.Take(options.Limit)], ct);
        var intro = string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "page" : "pages")} on your watchlist (plus talk pages).");
        await RenderAsync<ChangesPage>(r.Http, Changes(r, "Watchlist", "Watchlist", intro, "Watchlist options", options, ChangesOptions.Watchlist, "wl", [], WatchlistDays, days) with
        {
            Empty = "No changes on the pages on your watchlist in the given time frame.",
            EditWatchlistUrl = r.Wiki.ArticleUrl("Special:EditWatchlist"),
        });
    }

    /// <summary>
    /// Special:EditWatchlist: the watched pages (their talk pages go with them) by namespace; a post with the csrf token
    /// and <c>wpTitles</c> unwatches those pages and lists them.
    /// </summary>
    private async Task EditWatchlistAsync(WebRequest r, bool post)
    {
        if (r.User.IsAnonymous)
        {
            await NotLoggedInAsync(r, "EditWatchlist");
            return;
        }

        var ct = r.Http.RequestAborted;
        List<ListedPage> removed = [];
        string? error = null;
        if (post)
        {
            var form = await ReadFormAsync(r);
            if (!tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
            {
                error = "Your session data was lost; nothing was removed. Please try again.";
            }
            else
            {
                foreach (var title in form["wpTitles"].Select(t => TitleParser.Parse(t ?? "", r.Wiki.Namespaces).Title).OfType<Title>())
                {
                    await Watchlist.SetAsync(dbFactory, writes, r.Wiki.Id, r.User.Id, title, watch: false, null, ct);
                    removed.Add(new ListedPage(title.PrefixedText, r.Wiki.ArticleUrl(title.PrefixedDbKey)));
                }
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var watched = await Watchlist.Active(db, r.Wiki.Id, r.User.Id, time.GetUtcNow().UtcDateTime).Where(w => w.Namespace % 2 == 0)
            .OrderBy(w => w.Namespace).ThenBy(w => w.Title).Select(w => new { w.Namespace, w.Title }).ToListAsync(ct);
        var exists = await LinkBatch.ExistAsync(db, r.Wiki.Id, [.. watched.Select(w => (w.Namespace, w.Title))], ct);
        var groups = watched.Select((w, i) => (w.Namespace, Link: WikiListings.Link(r.Wiki, Title.Create(r.Wiki.Namespaces, w.Namespace, w.Title), exists[i])))
            .GroupBy(w => w.Namespace)
            .Select(g => new WatchedGroup(g.Key == 0 ? "(Main)" : r.Wiki.Namespaces[g.Key].Name, [.. g.Select(w => w.Link)])).ToList();
        await RenderAsync<EditWatchlistPage>(r.Http, new EditWatchlistModel(Chrome(r), r.Wiki.ScriptPath + "/index.php?title=Special:EditWatchlist",
            tokens.For(r.Session, r.User, "csrf"), watched.Count, groups, removed, error), error is null ? 200 : 400);
    }

    private ChangesModel Changes(WebRequest r, string page, string heading, string intro, string legend, ChangesOptions options, ChangesOptions defaults, string prefix,
        IReadOnlyList<int> limits, IReadOnlyList<int> days, List<ChangeDay> changes)
    {
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, page);
        string Url(ChangesOptions o) => WikiListings.Index(r.Wiki, special, [.. o.Parameters(defaults)]);
        FilterToggle Toggle(string name, bool hidden, ChangesOptions flipped, string rest) => new(prefix + "showhide" + name, hidden ? "Show" : "Hide", Url(flipped), rest);
        var hidden = options.Parameters(defaults).Where(p => !IsNamespaceParameter(p)).Select(p => new FormField(p.Name, "", p.Value)).ToList();
        return new ChangesModel(Chrome(r), heading, intro, legend,
            [.. limits.Select(n => new FilterLink(n.ToString(CultureInfo.InvariantCulture), Url(options with { Limit = n }), n == options.Limit))],
            [.. days.Select(n => new FilterLink(n.ToString(CultureInfo.InvariantCulture), Url(options with { Days = n }), n == options.Days))],
            [
                Toggle("liu", options.HideLiu, options with { HideLiu = !options.HideLiu }, " registered users"),
                Toggle("anons", options.HideAnons, options with { HideAnons = !options.HideAnons }, " anonymous users"),
                Toggle("mine", options.HideMyself, options with { HideMyself = !options.HideMyself }, " my edits"),
                Toggle("bots", options.HideBots, options with { HideBots = !options.HideBots }, " bots"),
                Toggle("minor", options.HideMinor, options with { HideMinor = !options.HideMinor }, " minor edits"),
            ],
            new NamespaceForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, [], NamespaceOptions(r), options.Namespace, options.Invert, options.Associated, hidden),
            changes, "No changes during the given period match these criteria.");
    }

    /// <summary>The parameters the namespace form itself sends (the others it keeps as hidden fields).</summary>
    private static bool IsNamespaceParameter((string Name, string Value) parameter) => parameter.Name is "namespace" or "invert" or "associated";

    private static List<NamespaceOption> NamespaceOptions(WebRequest r) =>
        [.. r.Wiki.Namespaces.All.Where(n => n.Id >= 0).OrderBy(n => n.Id).Select(n => new NamespaceOption(n.Id, n.Id == 0 ? "(Main)" : n.Name))];

    /// <summary>
    /// Special:Contributions/User (or <c>target=</c>): the user's revisions newest first, paged by <see cref="FeedPager"/>,
    /// with <c>namespace</c> (<c>invert</c>, <c>associated</c>), <c>topOnly</c>, <c>newOnly</c> and <c>hideMinor</c>.
    /// </summary>
    private async Task ContributionsAsync(WebRequest r, string? subpage)
    {
        var query = r.Http.Request.Query;
        var raw = query["target"].ToString() is { Length: > 0 } t ? t : subpage ?? "";
        var name = raw.Trim().Length == 0 ? "" : UserNames.NormalizeNameOrIp(raw, out _);
        var options = ChangesOptions.Parse(query, ChangesOptions.RecentChanges);
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "Contributions");
        var flags = ContributionFlags.Where(f => query[f].ToString() is { Length: > 0 } v && v != "0").ToList();
        (string, string)[] kept = [.. options.Parameters(ChangesOptions.RecentChanges).Where(IsNamespaceParameter), .. flags.Select(f => (f, "1"))];
        var form = new NamespaceForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, [new("target", "IP address or username:", name)], NamespaceOptions(r),
            options.Namespace, options.Invert, options.Associated, [.. flags.Select(f => new FormField(f, "", "1"))]);
        var ct = r.Http.RequestAborted;
        if (name.Length == 0)
        {
            await RenderAsync<ContributionsPage>(r.Http, new ContributionsModel(Chrome(r), null, null, form, [], null, ""));
            return;
        }

        var user = FeedLines.User(r.Wiki, name);
        if (!System.Net.IPAddress.TryParse(name, out _) && await users.FindByNameAsync(name, ct) is null)
        {
            await RenderAsync<ContributionsPage>(r.Http, new ContributionsModel(Chrome(r), user, $"User account \"{name}\" is not registered.", form, [], null, ""), 404);
            return;
        }

        var pager = FeedPager.Parse(query);
        var wikiId = r.Wiki.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Contributions.Show(Contributions.Of(db, db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && v.UserText == name)),
            flags.Select(f => f switch { "topOnly" => "top", "newOnly" => "new", _ => "!minor" }), db, wikiId);
        if (options.Namespaces() is { } namespaces)
        {
            rows = options.Invert ? rows.Where(c => !namespaces.Contains(c.Namespace)) : rows.Where(c => namespaces.Contains(c.Namespace));
        }

        if (pager.At is { } at)
        {
            var id = pager.Id;
            rows = pager.Newer ? rows.Where(c => c.Timestamp > at || (c.Timestamp == at && c.Id > id)) : rows.Where(c => c.Timestamp < at || (c.Timestamp == at && c.Id < id));
        }

        rows = pager.Newer ? rows.OrderBy(c => c.Timestamp).ThenBy(c => c.Id) : rows.OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id);
        var (shown, links) = pager.Page(await rows.Take(pager.Limit + 1).ToListAsync(ct), c => (c.Timestamp, c.Id),
            parameters => WikiListings.Index(r.Wiki, Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "Contributions/" + name.Replace(' ', '_')), [.. kept, .. parameters]));
        var parents = shown.Where(c => c.ParentId > 0).Select(c => c.ParentId).ToList();
        var parentSizes = await db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && parents.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Length, ct);
        var lines = shown.Select(c =>
        {
            var title = Title.Create(r.Wiki.Namespaces, c.Namespace, c.DbKey);
            return new ContributionLine(c.Id, ListDate(c.Timestamp), RevisionUrl(r, title, c.Id), c.ParentId > 0 ? DiffUrl(r, title, c.Id, c.ParentId) : null,
                WikiListings.Index(r.Wiki, title, ("action", "history")), c.Length - parentSizes.GetValueOrDefault(c.ParentId), c.ParentId == 0, c.Minor,
                new LinePart(title.PrefixedText, r.Wiki.ArticleUrl(title.PrefixedDbKey), Class: "mw-contributions-title", Tooltip: title.PrefixedText), c.Comment, c.Latest == c.Id);
        }).ToList();
        await RenderAsync<ContributionsPage>(r.Http, new ContributionsModel(Chrome(r), user, null, form, lines, links, "No changes were found matching these criteria."));
    }

    /// <summary>Special:Log, Special:Log/type (or a user name as the subpage), <c>type=</c>, <c>user=</c>, <c>page=</c>: the log entries newest first, paged.</summary>
    private async Task LogAsync(WebRequest r, string? subpage)
    {
        var query = r.Http.Request.Query;
        var known = FeedLines.LogNames.Select(l => l.Type).ToHashSet(StringComparer.Ordinal);
        var type = query["type"].ToString() is { Length: > 0 } t ? t : subpage is { } s && known.Contains(s.ToLowerInvariant()) ? s.ToLowerInvariant() : "";
        var userText = query["user"].ToString() is { Length: > 0 } u ? u : subpage is { } s2 && !known.Contains(s2.ToLowerInvariant()) ? s2 : "";
        var user = userText.Trim().Length == 0 ? "" : UserNames.NormalizeNameOrIp(userText, out _);
        var pageText = query["page"].ToString();
        var page = pageText.Length > 0 ? TitleParser.Parse(pageText, r.Wiki.Namespaces).Title : null;
        var pager = FeedPager.Parse(query);
        var wikiId = r.Wiki.Id;
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var logs = db.Logs.AsNoTracking().Where(l => l.WikiId == wikiId);
        logs = type.Length > 0 ? logs.Where(l => l.Type == type) : logs;
        logs = user.Length > 0 ? logs.Where(l => l.UserText == user) : logs;
        if (page is not null)
        {
            logs = logs.Where(l => l.Namespace == page.Namespace && l.Title == page.DbKey);
        }
        else if (pageText.Length > 0)
        {
            logs = logs.Where(l => false);
        }

        if (pager.At is { } at)
        {
            var id = pager.Id;
            logs = pager.Newer ? logs.Where(l => l.Timestamp > at || (l.Timestamp == at && l.Id > id)) : logs.Where(l => l.Timestamp < at || (l.Timestamp == at && l.Id < id));
        }

        logs = pager.Newer ? logs.OrderBy(l => l.Timestamp).ThenBy(l => l.Id) : logs.OrderByDescending(l => l.Timestamp).ThenByDescending(l => l.Id);
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "Log");
        (string, string)[] kept = [.. new[] { ("type", type), ("user", user), ("page", page?.PrefixedText ?? pageText) }.Where(p => p.Item2.Length > 0)];
        var (shown, links) = pager.Page(await logs.Take(pager.Limit + 1).ToListAsync(ct), l => (l.Timestamp, l.Id),
            parameters => WikiListings.Index(r.Wiki, special, [.. kept, .. parameters]));
        var lines = await FeedLines.LogLinesAsync(db, r.Wiki, shown, ct);
        await RenderAsync<LogPage>(r.Http, new LogModel(Chrome(r), type.Length > 0 ? FeedLines.LogName(type) : "Logs", LogIntros.GetValueOrDefault(type),
            r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey,
            [new("", "All public logs"), .. FeedLines.LogNames.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => new SelectOption(l.Type, l.Name))],
            type, user, page?.PrefixedText ?? pageText, lines, links));
    }
}
