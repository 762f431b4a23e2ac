using System.Globalization;
using System.Reflection;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>?action=info (MediaWiki's InfoAction), Special:SpecialPages and Special:Version.</summary>
internal sealed partial class WikiWeb
{
    /// <summary>"Recent" in the info page's recent edits, as MediaWiki's <c>$wgRCMaxAge</c>.</summary>
    private const int RecentDays = 90;

    /// <summary>
    /// The special pages the dispatcher answers that MediaWiki lists, in Special:SpecialPages' groups and order
    /// (<c>specialpages-group-*</c>); Special:UserLogout and Special:Random's alias are not listed, as in MediaWiki.
    /// </summary>
    internal static readonly IReadOnlyList<(string Id, string Heading, (string Name, string Text)[] Pages)> SpecialPageGroups =
    [
        ("pages", "Lists of pages", [("AllPages", "All pages"), ("PrefixIndex", "All pages with prefix"), ("Categories", "Categories"), ("Search", "Search")]),
        ("login", "Login / create account", [("UserLogin", "Log in"), ("CreateAccount", "Create account")]),
        ("users", "Users and rights", [("Preferences", "Preferences"), ("Contributions", "User contributions"), ("EditWatchlist", "Edit watchlist")]),
        ("changes", "Recent changes and logs", [("Log", "Logs"), ("RecentChanges", "Recent changes"), ("Watchlist", "Watchlist")]),
        ("media", "Media reports and uploads", [("ListFiles", "File list"), ("Upload", "Upload file"), ("UploadStash", "Upload stash")]),
        ("wiki", "Wiki data and tools", [("SpecialPages", "Special pages"), ("Version", "Version")]),
        ("redirects", "Redirecting special pages", [("Random", "Random page")]),
        ("pagetools", "Page tools", [("WhatLinksHere", "What links here")]),
        ("other", "Other special pages", [("CrossWikiDemo", "Cross-wiki demo")]),
    ];

    /// <summary>
    /// ?action=info: basic information, protection, edit history and page properties, with MediaWiki's row ids. The
    /// watchers row follows InfoAction with <c>$wgUnwatchedPageThreshold</c> off (as InfoModule): only users with
    /// <c>unwatchedpages</c> see it.
    /// </summary>
    private async Task InfoAsync(WebRequest r)
    {
        var ct = r.Http.RequestAborted;
        var wikiId = r.Wiki.Id;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = r.Title.Namespace < 0 ? null : await PageReads.PageByTitleAsync(db, wikiId, r.Title.Namespace, r.Title.DbKey, ct);
        if (page is null)
        {
            await MessageAsync(r, $"Information for \"{r.Title.PrefixedText}\"", "There is currently no text in this page.", 404);
            return;
        }

        var (ns, key, pageId) = (r.Title.Namespace, r.Title.DbKey, page.Id);
        var revisions = db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && v.PageId == pageId);
        var first = await revisions.OrderBy(v => v.Id).Select(v => new { v.Id, v.UserText, v.Timestamp }).FirstAsync(ct);
        var latest = await revisions.Where(v => v.Id == page.LatestRevisionId).Select(v => new { v.Id, v.UserText, v.Timestamp }).FirstAsync(ct);
        var edits = await revisions.CountAsync(ct);
        var authors = await revisions.Select(v => v.UserText).Distinct().CountAsync(ct);
        var since = now.AddDays(-RecentDays);
        var recentEdits = await revisions.CountAsync(v => v.Timestamp >= since, ct);
        var recentAuthors = await revisions.Where(v => v.Timestamp >= since).Select(v => v.UserText).Distinct().CountAsync(ct);
        var redirects = await db.Redirects.AsNoTracking().CountAsync(d => d.WikiId == wikiId && d.Namespace == ns && d.Title == key, ct);
        var properties = await db.PageProps.AsNoTracking().Where(p => p.WikiId == wikiId && p.PageId == pageId).OrderBy(p => p.Name).ToListAsync(ct);
        var protections = await Protection.ActiveAsync(db, wikiId, pageId, now, ct);
        int? watchers = r.User.HasRight("unwatchedpages") ? (await Watchlist.WatchersAsync(db, wikiId, [key], now, ct)).GetValueOrDefault((ns, key)) : null;

        static List<LinePart> Text(string text) => [new(text)];
        static string Number(int n) => n.ToString("#,##0", CultureInfo.InvariantCulture);
        List<LinePart> UserParts(string name)
        {
            var user = FeedLines.User(r.Wiki, name);
            return [new(name, user.UserUrl, Class: "mw-userlink"), new(" ("), new("talk", user.TalkUrl, Class: "mw-usertoollinks-talk"), new(" | "),
                new("contribs", user.ContribsUrl, Class: "mw-usertoollinks-contribs"), new(")")];
        }

        var property = properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var model = ContentModel.For(r.Title).Name;
        var whatLinksHere = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "WhatLinksHere");
        List<InfoRow> basic =
        [
            new("mw-pageinfo-display-title", "Display title", Text(property.GetValueOrDefault("displaytitle") ?? r.Title.PrefixedText)),
            new("mw-pageinfo-default-sort", "Default sort key", Text(property.GetValueOrDefault("defaultsort") ?? r.Title.Text)),
            new("mw-pageinfo-length", "Page length (in bytes)", Text(Number(page.Length))),
            new("mw-pageinfo-article-id", "Page ID", Text(page.Id.ToString(CultureInfo.InvariantCulture))),
            new("mw-pageinfo-language", "Page content language", Text("en - English")),
            new("mw-pageinfo-content-model", "Page content model", Text(model)),
            new("mw-pageinfo-robot-policy", "Indexing by robots", Text(property.ContainsKey("noindex") ? "Disallowed" : "Allowed")),
            .. watchers is { } count ? [new InfoRow("mw-pageinfo-watchers", "Number of page watchers", Text(Number(count)))] : Array.Empty<InfoRow>(),
            new("mw-pageinfo-redirects", "Number of redirects to this page",
                [new(Number(redirects), WikiListings.Index(r.Wiki, whatLinksHere, ("target", r.Title.PrefixedDbKey)))]),
        ];
        List<InfoRow> protection =
        [
            .. Protection.TypesFor(r.Title, exists: true).Select(type =>
            {
                var row = protections.FirstOrDefault(p => p.Type == type);
                var level = row is null ? "Allow all users" : Protection.LevelName(row.Level);
                var expiry = row?.Expiry is { } at ? ListDate(at) : "infinite";
                return new InfoRow("mw-restriction-" + type, char.ToUpperInvariant(type[0]) + type[1..], Text($"{level} ({expiry})"));
            }),
            new("mw-pageinfo-protect-log", "", [new("View the protection log for this page.",
                WikiListings.Index(r.Wiki, Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "Log"), ("type", "protect"), ("page", r.Title.PrefixedText)))]),
        ];
        List<InfoRow> history =
        [
            new("mw-pageinfo-firstuser", "Page creator", UserParts(first.UserText)),
            new("mw-pageinfo-firsttime", "Date of page creation", [new(ListDate(first.Timestamp), RevisionUrl(r, r.Title, first.Id))]),
            new("mw-pageinfo-lastuser", "Latest editor", UserParts(latest.UserText)),
            new("mw-pageinfo-lasttime", "Date of latest edit", [new(ListDate(latest.Timestamp), RevisionUrl(r, r.Title, latest.Id))]),
            new("mw-pageinfo-edits", "Total number of edits", Text(Number(edits))),
            new("mw-pageinfo-authors", "Total number of distinct authors", Text(Number(authors))),
            new("mw-pageinfo-recent-edits", $"Recent number of edits (within past {RecentDays} days)", Text(Number(recentEdits))),
            new("mw-pageinfo-recent-authors", "Recent number of distinct authors", Text(Number(recentAuthors))),
        ];
        List<InfoRow> props = [.. properties.Select(p => new InfoRow("mw-pageinfo-prop-" + p.Name, p.Name, Text(p.Value)))];
        await RenderAsync<InfoPage>(r.Http, new InfoModel(Chrome(r), r.Title.PrefixedText,
        [
            new("mw-pageinfo-header-basic", "Basic information", basic),
            new("mw-pageinfo-header-restrictions", "Page protection", protection),
            new("mw-pageinfo-header-edits", "Edit history", history),
            .. props.Count > 0 ? [new InfoSection("mw-pageinfo-header-properties", "Page properties", props)] : Array.Empty<InfoSection>(),
        ]));
    }

    /// <summary>Special:SpecialPages: <see cref="SpecialPageGroups"/>, each group's pages in the order of their names.</summary>
    private Task SpecialPagesAsync(WebRequest r) =>
        RenderAsync<SpecialPagesPage>(r.Http, new SpecialPagesModel(Chrome(r), [.. SpecialPageGroups.Select(g => new SpecialPageGroup(g.Id, g.Heading,
            [.. g.Pages.OrderBy(p => p.Text, StringComparer.Ordinal).Select(p => new ListedPage(p.Text, r.Wiki.ArticleUrl("Special:" + p.Name)))]))]));

    /// <summary>Special:Version: what runs (CrossWiki, .NET, the database), the one extension-like part, and the wiki's entry points.</summary>
    private async Task VersionAsync(WebRequest r)
    {
        var version = typeof(WikiWeb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        await using var db = await dbFactory.CreateDbContextAsync(r.Http.RequestAborted);
        var provider = db.Database.ProviderName ?? "";
        static List<LinePart> Text(string text) => [new(text)];
        List<LinePart> Url(string path) => [new(path, r.Wiki.Server + path)];
        await RenderAsync<VersionPage>(r.Http, new VersionModel(Chrome(r),
        [
            new("mw-version-software-crosswiki", "CrossWiki", Text(version.Split('+')[0])),
            new("mw-version-software-mediawiki", "MediaWiki (API compatibility)", Text(ActionApi.Modules.SiteInfoModule.Generator["MediaWiki ".Length..])),
            new("mw-version-software-dotnet", ".NET", Text(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription)),
            new("mw-version-software-database", provider.Contains("Npgsql", StringComparison.Ordinal) ? "PostgreSQL" : "SQLite", Text(provider)),
        ],
        [
            new("mw-version-ext-centralauth", "CentralAuth (token layer)", Text(
                "Cross-wiki tokens as CentralAuth gives them: action=centralauthtoken and the centralauthtoken parameter of api.php and rest.php, for the farm's accounts. "
                + (r.Wiki.CentralAuth ? "Enabled on this wiki." : "Not enabled on this wiki."))),
        ],
        [
            new("mw-version-entrypoints-articlepath", "Article path", Url(r.Wiki.ArticlePath)),
            new("mw-version-entrypoints-scriptpath", "Script path", Url(r.Wiki.ScriptPath)),
            new("mw-version-entrypoints-index-php", "index.php", Url(r.Wiki.ScriptPath + "/index.php")),
            new("mw-version-entrypoints-api-php", "api.php", Url(r.Wiki.ApiPath)),
            new("mw-version-entrypoints-rest-php", "rest.php", Url(r.Wiki.RestPath)),
        ]));
    }
}
