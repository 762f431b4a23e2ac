using System.Net;
using System.Text.RegularExpressions;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Web;

/// <summary>Special:RecentChanges, Contributions, Log, Watchlist, ?action=info, SpecialPages and Version over real HTTP.</summary>
public sealed partial class ChangeFeedPagesTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _run;

    private TestFarm Farm => fixture.Farm;

    [GeneratedRegex(@">\s*\n\s*<")]
    private static partial Regex BetweenTags();

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(ApiClient client, string url)
    {
        using var response = await client.Http.GetAsync(url);
        // Compared without the layout's line breaks between elements (the spaces inside a line stay).
        return (response.StatusCode, BetweenTags().Replace(await response.Content.ReadAsStringAsync(), "><"));
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var client = Farm.Client();
        return await GetAsync(client, Farm.AlphaServer + path);
    }

    private async Task<ApiClient> LoggedInAsync(string name, string password)
    {
        var client = Farm.Client();
        await client.LoginAsync(name, password);
        return client;
    }

    private static async Task<int> EditAsync(ApiClient client, string title, string text, string summary = "", params (string, string)[] extra)
    {
        var answer = await client.PostAsync([("action", "edit"), ("title", title), ("text", text), ("summary", summary), ("token", await client.CsrfTokenAsync()), ("format", "json"), .. extra]);
        return answer.Json["edit"]?["newrevid"]?.GetValue<int>() ?? throw new InvalidOperationException(answer.Body);
    }

    private static async Task MoveAsync(ApiClient client, string from, string to, string reason)
    {
        var moved = await client.PostAsync(("action", "move"), ("from", from), ("to", to), ("reason", reason), ("token", await client.CsrfTokenAsync()), ("format", "json"));
        Assert.Contains("\"move\"", moved.Body, StringComparison.Ordinal);
    }

    /// <summary>The <c>li</c> of a change list that links the title, or null.</summary>
    private static string? LineOf(string body, string title) => LinesOf(body, title).FirstOrDefault();

    private static List<string> LinesOf(string body, string title) =>
        [.. Regex.Matches(body, "<li[^>]*>.*?</li>").Select(m => m.Value).Where(li => li.Contains($">{title}</a>", StringComparison.Ordinal))];

    [Fact]
    public async Task RecentChanges_Edits_ShowMediaWikisLinesWithFlagsSizesUserLinksAndEscapedComments()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        var first = await EditAsync(alice, $"Rc page {n}", "Hello", "<script>alert(1)</script> made");
        var second = await EditAsync(alice, $"Rc page {n}", "Hello world", "minor fix", ("minor", "1"));

        var page = await GetAsync("/wiki/Special:RecentChanges?limit=500");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<h1 id=\"firstHeading\">Recent changes</h1>", page.Body, StringComparison.Ordinal);
        Assert.Matches(@"<h4>\d{1,2} [A-Z][a-z]+ \d{4}</h4><ul class=""special"">", page.Body);
        var created = Regex.Matches(page.Body, "<li[^>]*>.*?</li>").Select(m => m.Value).Single(li => li.Contains($"data-mw-revid=\"{first}\"", StringComparison.Ordinal));
        var minor = LineOf(page.Body, $"Rc page {n}")!;
        Assert.Contains($"data-mw-revid=\"{second}\"", minor, StringComparison.Ordinal);
        Assert.Matches("class=\"mw-line-(odd|even) mw-changeslist-edit", minor);
        Assert.Contains($"<span class=\"mw-changeslist-links\">(<span><a href=\"/w/index.php?title=Rc_page_{n}&amp;diff={second}&amp;oldid={first}\" class=\"mw-changeslist-diff\">diff</a></span> | <span><a href=\"/w/index.php?title=Rc_page_{n}&amp;action=history\" class=\"mw-changeslist-history\">hist</a></span>)</span> <span class=\"mw-changeslist-separator\">. .</span>", minor, StringComparison.Ordinal);
        Assert.Contains("<abbr class=\"minoredit\" title=\"This is a minor edit\">m</abbr>", minor, StringComparison.Ordinal);
        Assert.Contains("(<span dir=\"ltr\" class=\"mw-plusminus-pos mw-diff-bytes\" title=\"11 bytes after change\">&#x2B;6</span>)", minor, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/wiki/User:Alice\" class=\"mw-userlink\" title=\"User:Alice\"><bdi>Alice</bdi></a> <span class=\"mw-usertoollinks mw-changeslist-links\">(<span><a href=\"/wiki/User_talk:Alice\" class=\"mw-usertoollinks-talk\" title=\"User talk:Alice\">talk</a></span> | <span><a href=\"/wiki/Special:Contributions/Alice\" class=\"mw-usertoollinks-contribs\"", minor, StringComparison.Ordinal);
        Assert.Contains("<span class=\"comment\">(minor fix)</span>", minor, StringComparison.Ordinal);
        Assert.Contains("(<span>diff</span> | <span><a", created, StringComparison.Ordinal);
        Assert.Contains("<abbr class=\"newpage\" title=\"This edit created a new page\">N</abbr>", created, StringComparison.Ordinal);
        Assert.Contains("<span class=\"comment\">(&lt;script&gt;alert(1)&lt;/script&gt; made)</span>", created, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_Hidebots_HidesTheBotEditByDefaultAndZeroShowsIt()
    {
        var n = Interlocked.Increment(ref _run);
        using var robot = await LoggedInAsync(FarmFixture.BotName, FarmFixture.BotPassword);
        await EditAsync(robot, $"Rc bot page {n}", "Beep", "bot run", ("bot", "1"));

        var hidden = await GetAsync("/wiki/Special:RecentChanges?limit=500");
        var shown = await GetAsync("/w/index.php?title=Special:RecentChanges&hidebots=0&limit=500");

        Assert.Null(LineOf(hidden.Body, $"Rc bot page {n}"));
        Assert.Contains("<span class=\"rcshowhidebots\"><a href=\"/w/index.php?title=Special:RecentChanges&amp;hidebots=0&amp;limit=500\">Show</a> bots</span>", hidden.Body, StringComparison.Ordinal);
        Assert.Contains("<abbr class=\"botedit\" title=\"This edit was performed by a bot\">b</abbr>", LineOf(shown.Body, $"Rc bot page {n}"), StringComparison.Ordinal);
        Assert.Contains("<span class=\"rcshowhidebots\"><a href=\"/w/index.php?title=Special:RecentChanges&amp;limit=500\">Hide</a> bots</span>", shown.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_NamespaceHideminorAndLimit_FilterTheLines()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        await EditAsync(alice, $"Rc ns {n}", "Main.");
        await EditAsync(alice, $"Talk:Rc ns {n}", "Talk.");
        await EditAsync(alice, $"Help:Rc ns {n}", "Help.");
        await EditAsync(alice, $"Help:Rc ns {n}", "Help, minor.", "", ("minor", "1"));

        var talk = await GetAsync("/w/index.php?title=Special:RecentChanges&namespace=1&limit=500");
        var associated = await GetAsync("/w/index.php?title=Special:RecentChanges&namespace=1&associated=1&limit=500");
        var inverted = await GetAsync("/w/index.php?title=Special:RecentChanges&namespace=1&invert=1&limit=500");
        var noMinor = await GetAsync("/w/index.php?title=Special:RecentChanges&hideminor=1&limit=500");
        var one = await GetAsync("/w/index.php?title=Special:RecentChanges&limit=1");

        Assert.NotNull(LineOf(talk.Body, $"Talk:Rc ns {n}"));
        Assert.Null(LineOf(talk.Body, $"Rc ns {n}"));
        Assert.Contains("<option value=\"1\" selected>Talk</option>", talk.Body, StringComparison.Ordinal);
        Assert.NotNull(LineOf(associated.Body, $"Rc ns {n}"));
        Assert.Null(LineOf(associated.Body, $"Help:Rc ns {n}"));
        Assert.Null(LineOf(inverted.Body, $"Talk:Rc ns {n}"));
        Assert.NotNull(LineOf(inverted.Body, $"Help:Rc ns {n}"));
        Assert.Equal(2, LinesOf(inverted.Body, $"Help:Rc ns {n}").Count);
        Assert.DoesNotContain("minoredit", Assert.Single(LinesOf(noMinor.Body, $"Help:Rc ns {n}")), StringComparison.Ordinal);
        Assert.NotNull(LineOf(noMinor.Body, $"Rc ns {n}"));
        Assert.Single(Regex.Matches(one.Body, "<li[^>]*class=\"mw-line-"));
        Assert.Contains("<strong><a href=\"/w/index.php?title=Special:RecentChanges&amp;limit=1\"", one.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_LogEntries_AreShownAsLogLines()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        await EditAsync(alice, $"Rc move {n}", "To move.");
        await MoveAsync(alice, $"Rc move {n}", $"Rc moved {n}", "<b>better</b>");

        var page = await GetAsync("/wiki/Special:RecentChanges?limit=500");

        var line = Regex.Matches(page.Body, "<li[^>]*mw-changeslist-log-move[^>]*>.*?</li>").Select(m => m.Value).Single(li => li.Contains($"Rc moved {n}", StringComparison.Ordinal));
        Assert.Contains("(<a href=\"/wiki/Special:Log/move\" title=\"Special:Log/move\">Move log</a>); <span class=\"mw-changeslist-date\">", line, StringComparison.Ordinal);
        Assert.Contains($"</span> moved page <a href=\"/wiki/Rc_move_{n}\" title=\"Rc move {n}\">Rc move {n}</a> to <a href=\"/wiki/Rc_moved_{n}\" title=\"Rc moved {n}\">Rc moved {n}</a> <span class=\"comment\">(&lt;b&gt;better&lt;/b&gt;)</span>", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contributions_User_ListsEditsNewestFirstWithPagingAndNamespaceFilter()
    {
        var n = Interlocked.Increment(ref _run);
        var name = $"Contributor{n}";
        await Farm.CreateUserAsync(name, "contributor-password");
        using var user = await LoggedInAsync(name, "contributor-password");
        var one = await EditAsync(user, $"Uc one {n}", "1");
        var two = await EditAsync(user, $"Uc two {n}", "22");
        var three = await EditAsync(user, $"Talk:Uc three {n}", "333");

        var first = await GetAsync($"/wiki/Special:Contributions/{name}?limit=2");
        var olderUrl = WebUtility.HtmlDecode(Regex.Match(first.Body, "<a href=\"([^\"]*)\" class=\"mw-nextlink\">older 2</a>").Groups[1].Value);
        var second = await GetAsync(olderUrl);
        var newerUrl = WebUtility.HtmlDecode(Regex.Match(second.Body, "<a href=\"([^\"]*)\" class=\"mw-prevlink\">newer 2</a>").Groups[1].Value);
        var back = await GetAsync(newerUrl);
        var talkOnly = await GetAsync($"/w/index.php?title=Special:Contributions&target={name}&namespace=1");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains($"<div id=\"contentSub\">For <a href=\"/wiki/User:{name}\" class=\"mw-userlink\"", first.Body, StringComparison.Ordinal);
        Assert.Equal([three, two], Regex.Matches(first.Body, "<li data-mw-revid=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"<li data-mw-revid=\"{three}\" class=\"mw-contributions-current\">", first.Body, StringComparison.Ordinal);
        Assert.Contains("<abbr class=\"newpage\" title=\"This edit created a new page\">N</abbr>", first.Body, StringComparison.Ordinal);
        Assert.Contains("<span class=\"mw-uctop\">current</span>", first.Body, StringComparison.Ordinal);
        Assert.Contains("(newest | <a href=", first.Body, StringComparison.Ordinal);
        Assert.Equal([one], Regex.Matches(second.Body, "<li data-mw-revid=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("older 2)", second.Body, StringComparison.Ordinal);
        Assert.Equal([three, two], Regex.Matches(back.Body, "<li data-mw-revid=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([three], Regex.Matches(talkOnly.Body, "<li data-mw-revid=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Contributions_UnknownUser_Is404WithMediaWikisNotice()
    {
        var page = await GetAsync("/w/index.php?title=Special:Contributions&target=Nobody+%3Cb%3Ehere%3C/b%3E");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("User account &quot;Nobody &lt;b&gt;here&lt;/b&gt;&quot; is not registered.", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_TypeUserAndPage_FilterTheLogLines()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        await EditAsync(alice, $"Log page {n}", "Text.");
        await MoveAsync(alice, $"Log page {n}", $"Log page moved {n}", "tidy");

        var all = await GetAsync("/wiki/Special:Log?limit=500");
        var moves = await GetAsync("/wiki/Special:Log/move?limit=500");
        var creations = await GetAsync($"/w/index.php?title=Special:Log&type=create&user=Alice&page=Log+page+{n}");
        var nobody = await GetAsync($"/w/index.php?title=Special:Log&user=Robot&page=Log+page+{n}");

        Assert.Contains("<h1 id=\"firstHeading\">Logs</h1>", all.Body, StringComparison.Ordinal);
        Assert.Contains($"created page <a href=\"/wiki/Log_page_{n}\"", all.Body, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"firstHeading\">Move log</h1>", moves.Body, StringComparison.Ordinal);
        Assert.Contains("<option value=\"move\" selected>Move log</option>", moves.Body, StringComparison.Ordinal);
        Assert.Matches($"<li data-mw-logid=\"\\d+\" data-mw-logaction=\"move/move\" class=\"mw-logline-move\"><span class=\"mw-changeslist-date\">\\d\\d:\\d\\d, [^<]+</span> <a href=\"/wiki/User:Alice\" class=\"mw-userlink\"[^>]*><bdi>Alice</bdi></a> <span class=\"mw-usertoollinks mw-changeslist-links\">.*?</span> moved page <a href=\"/wiki/Log_page_{n}\" title=\"Log page {n}\">Log page {n}</a> to <a href=\"/wiki/Log_page_moved_{n}\" title=\"Log page moved {n}\">Log page moved {n}</a> <span class=\"comment\">\\(tidy\\)</span></li>", moves.Body);
        Assert.DoesNotContain("created page", moves.Body, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(creations.Body, "<li data-mw-logid="));
        Assert.Contains("No matching items in log.", nobody.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchlist_AnonymousGetsTheLoginNoticeAndAUserSeesWatchedPages()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        await EditAsync(alice, $"Wl watched {n}", "Watched.");
        using (var robot = await LoggedInAsync(FarmFixture.BotName, FarmFixture.BotPassword))
        {
            // Not Alice's creation, so not on her watchlist (watchcreations).
            await EditAsync(robot, $"Wl other {n}", "Not watched.");
        }

        var token = (await alice.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "watch"), ("format", "json"))).Json["query"]!["tokens"]!["watchtoken"]!.GetValue<string>();
        await alice.PostAsync(("action", "watch"), ("titles", $"Wl watched {n}"), ("token", token), ("format", "json"));
        await EditAsync(alice, $"Talk:Wl watched {n}", "Its talk page.");

        var anonymous = await GetAsync("/wiki/Special:Watchlist");
        var mine = await GetAsync(alice, Farm.AlphaServer + "/wiki/Special:Watchlist");

        Assert.Contains("<h1 id=\"firstHeading\">Not logged in</h1>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("Please <a href=\"/wiki/Special:UserLogin?returnto=Special:Watchlist\" class=\"mw-watchlist-login\">log in</a> to view or edit items on your watchlist.", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"firstHeading\">Watchlist</h1>", mine.Body, StringComparison.Ordinal);
        Assert.NotNull(LineOf(mine.Body, $"Wl watched {n}"));
        Assert.NotNull(LineOf(mine.Body, $"Talk:Wl watched {n}"));
        Assert.Null(LineOf(mine.Body, $"Wl other {n}"));
        Assert.Contains("id=\"pt-watchlist\" href=\"/wiki/Special:Watchlist\"", mine.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"pt-mycontris\" href=\"/wiki/Special:Contributions/Alice\"", mine.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditWatchlist_RemoveTitles_UnwatchesThePagesWithTheirTalkPagesAndNeedsTheToken()
    {
        var n = Interlocked.Increment(ref _run);
        var name = $"Watcher{n}";
        await Farm.CreateUserAsync(name, "watcher-password");
        using var user = await LoggedInAsync(name, "watcher-password");
        await EditAsync(user, $"Ew kept {n}", "Kept.");
        await EditAsync(user, $"Help:Ew gone {n}", "Gone.");

        var before = await GetAsync(user, Farm.AlphaServer + "/wiki/Special:EditWatchlist");
        var token = WebUtility.HtmlDecode(Regex.Match(before.Body, "name=\"wpEditToken\" value=\"([^\"]*)\"").Groups[1].Value);
        using var refused = await user.Http.PostAsync(Farm.AlphaServer + "/w/index.php?title=Special:EditWatchlist",
            new FormUrlEncodedContent([new("wpEditToken", "+\\"), new("wpTitles", $"Ew kept {n}")]));
        using var removed = await user.Http.PostAsync(Farm.AlphaServer + "/w/index.php?title=Special:EditWatchlist",
            new FormUrlEncodedContent([new("wpEditToken", token), new("wpTitles", $"Help:Ew gone {n}")]));
        var after = BetweenTags().Replace(await removed.Content.ReadAsStringAsync(), "><");
        var raw = (await user.GetAsync(("action", "query"), ("list", "watchlistraw"), ("wrlimit", "500"), ("format", "json"), ("formatversion", "2"))).Body;

        Assert.Contains("<h1 id=\"firstHeading\">Edit watchlist</h1>", before.Body, StringComparison.Ordinal);
        Assert.Contains("Your watchlist contains 2 titles (plus talk pages).", before.Body, StringComparison.Ordinal);
        Assert.Contains($"<legend>Help</legend><div><label><input type=\"checkbox\" name=\"wpTitles\" value=\"Help:Ew gone {n}\" /> <a href=\"/wiki/Help:Ew_gone_{n}\">Help:Ew gone {n}</a></label></div>", before.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains($"A single title was removed from your watchlist:</p><ul><li><a href=\"/wiki/Help:Ew_gone_{n}\">Help:Ew gone {n}</a></li></ul>", after, StringComparison.Ordinal);
        Assert.Contains("Your watchlist contains 1 title (plus talk pages).", after, StringComparison.Ordinal);
        Assert.Contains($"Ew kept {n}", raw, StringComparison.Ordinal);
        Assert.DoesNotContain($"Ew gone {n}", raw, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/wiki/Special:EditWatchlist\">View and edit watchlist</a>", (await GetAsync(user, Farm.AlphaServer + "/wiki/Special:Watchlist")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_PageAndProtectedPage_ShowLengthIdModelRedirectsProtectionEditHistoryAndTheProtectionLog()
    {
        var n = Interlocked.Increment(ref _run);
        using var alice = await LoggedInAsync(FarmFixture.UserName, FarmFixture.Password);
        var first = await EditAsync(alice, $"Info page {n}", "Hello");
        using var robot = await LoggedInAsync(FarmFixture.BotName, FarmFixture.BotPassword);
        var latest = await EditAsync(robot, $"Info page {n}", "Hello there __NOTOC__");
        await EditAsync(alice, $"Info redirect {n}", $"#REDIRECT [[Info page {n}]]");
        var ids = await Farm.QueryAsync(("titles", $"Info page {n}"));
        var pageId = System.Text.Json.Nodes.JsonNode.Parse(ids)!["query"]!["pages"]![0]!["pageid"]!.GetValue<int>();

        var anonymous = await GetAsync($"/w/index.php?title=Info_page_{n}&action=info");
        await Farm.CreateUserAsync($"InfoSysop{n}", "info-sysop-password", "sysop");
        using var sysop = await LoggedInAsync($"InfoSysop{n}", "info-sysop-password");
        await EditAsync(sysop, $"Info protected {n}", "Guarded.");
        var protectedPage = await sysop.PostAsync(("action", "protect"), ("title", $"Info protected {n}"), ("protections", "edit=sysop|move=autoconfirmed"),
            ("reason", "vandal <magnet>"), ("token", await sysop.CsrfTokenAsync()), ("format", "json"));
        Assert.Contains("\"protections\"", protectedPage.Body, StringComparison.Ordinal);
        var watcher = await GetAsync(sysop, Farm.AlphaServer + $"/w/index.php?title=Info_page_{n}&action=info");
        var guarded = await GetAsync($"/w/index.php?title=Info_protected_{n}&action=info");
        var log = await GetAsync($"/w/index.php?title=Special:Log&type=protect&page=Info+protected+{n}");

        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        Assert.Contains($"<h1 id=\"firstHeading\">Information for &quot;Info page {n}&quot;</h1>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"mw-pageinfo-display-title\"><td>Display title</td><td>Info page {n}</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-length\"><td>Page length (in bytes)</td><td>21</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"mw-pageinfo-article-id\"><td>Page ID</td><td>{pageId}</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-content-model\"><td>Page content model</td><td>wikitext</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"mw-pageinfo-redirects\"><td>Number of redirects to this page</td><td><a href=\"/w/index.php?title=Special:WhatLinksHere&amp;target=Info_page_{n}\">1</a></td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-restriction-edit\"><td>Edit</td><td>Allow all users (infinite)</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-restriction-move\"><td>Move</td><td>Allow all users (infinite)</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-firstuser\"><td>Page creator</td><td><a href=\"/wiki/User:Alice\" class=\"mw-userlink\">Alice</a>", anonymous.Body, StringComparison.Ordinal);
        Assert.Matches($"<tr id=\"mw-pageinfo-firsttime\"><td>Date of page creation</td><td><a href=\"/w/index.php\\?title=Info_page_{n}&amp;oldid={first}\">", anonymous.Body);
        Assert.Contains("<tr id=\"mw-pageinfo-lastuser\"><td>Latest editor</td><td><a href=\"/wiki/User:Robot\" class=\"mw-userlink\">Robot</a>", anonymous.Body, StringComparison.Ordinal);
        Assert.Matches($"<tr id=\"mw-pageinfo-lasttime\"><td>Date of latest edit</td><td><a href=\"/w/index.php\\?title=Info_page_{n}&amp;oldid={latest}\">", anonymous.Body);
        Assert.Contains("<tr id=\"mw-pageinfo-edits\"><td>Total number of edits</td><td>2</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-authors\"><td>Total number of distinct authors</td><td>2</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-recent-edits\"><td>Recent number of edits (within past 90 days)</td><td>2</td></tr>", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-prop-notoc\"><td>notoc</td>", anonymous.Body, StringComparison.Ordinal);
        // Watchers only for users with unwatchedpages (sysops; $wgUnwatchedPageThreshold off): Alice watches the page she created.
        Assert.DoesNotContain("mw-pageinfo-watchers", anonymous.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-pageinfo-watchers\"><td>Number of page watchers</td><td>1</td></tr>", watcher.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-restriction-edit\"><td>Edit</td><td>Allow only administrators (infinite)</td></tr>", guarded.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-restriction-move\"><td>Move</td><td>Allow only autoconfirmed users (infinite)</td></tr>", guarded.Body, StringComparison.Ordinal);
        Assert.Contains($"</span> protected <a href=\"/wiki/Info_protected_{n}\" title=\"Info protected {n}\">Info protected {n}</a> [Edit=Allow only administrators] (indefinite) [Move=Allow only autoconfirmed users] (indefinite) <span class=\"comment\">(vandal &lt;magnet&gt;)</span>", log.Body, StringComparison.Ordinal);
        Assert.Contains($"<li id=\"t-info\"><a href=\"/w/index.php?title=Info_page_{n}&amp;action=info\">Page information</a></li>", anonymous.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecialPages_ListsGroupsAndEveryListedPageAnswers()
    {
        var page = await GetAsync("/wiki/Special:SpecialPages");

        Assert.Contains("<h2 id=\"mw-specialpagesgroup-changes\">Recent changes and logs</h2><div class=\"mw-specialpages-list\"><ul><li><a href=\"/wiki/Special:Log\" title=\"Logs\">Logs</a></li><li><a href=\"/wiki/Special:RecentChanges\"", page.Body, StringComparison.Ordinal);
        var links = Regex.Matches(page.Body, "<li><a href=\"(/wiki/Special:[A-Za-z]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/wiki/Special:Version", links);
        foreach (var link in links)
        {
            Assert.NotEqual(HttpStatusCode.NotFound, (await GetAsync(link)).Status);
        }

        Assert.Contains("<li id=\"n-recentchanges\"><a href=\"/wiki/Special:RecentChanges\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("<li id=\"t-specialpages\"><a href=\"/wiki/Special:SpecialPages\">Special pages</a></li>", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_ShowsSoftwareExtensionsAndEntryPoints()
    {
        var page = await GetAsync("/wiki/Special:Version");

        Assert.Contains("<tr id=\"mw-version-software-crosswiki\"><td>CrossWiki</td>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-version-software-dotnet\"><td>.NET</td><td>.NET 10", page.Body, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"mw-version-ext-centralauth\"><td>CentralAuth (token layer)</td>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"mw-version-entrypoints-api-php\"><td>api.php</td><td><code><a href=\"{Farm.AlphaServer}/w/api.php\">/w/api.php</a></code></td></tr>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"mw-version-entrypoints-articlepath\"><td>Article path</td><td><code><a href=\"{Farm.AlphaServer}/wiki/$1\">/wiki/$1</a></code></td></tr>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{Farm.AlphaServer}/w/rest.php\">/w/rest.php</a>", page.Body, StringComparison.Ordinal);
    }
}
