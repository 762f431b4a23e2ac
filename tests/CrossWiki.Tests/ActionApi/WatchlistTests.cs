using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=watch, list=watchlistraw, list=watchlist, inprop=watched and the watchlist parameter of action=edit.</summary>
public sealed class WatchlistTests
{
    private static async Task<string> WatchTokenAsync(ApiClient client) =>
        (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "watch"), ("format", "json"))).Json["query"]!["tokens"]!["watchtoken"]!.GetValue<string>();

    private static async Task<JsonNode> RawAsync(ApiClient client, params (string, string)[] more) =>
        (await client.GetAsync([("action", "query"), ("list", "watchlistraw"), ("format", "json"), ("formatversion", "2"), .. more])).Json;

    [Fact]
    public async Task Watch_PagesWithExpiryThenUnwatch_ListedRawWithTalkPagesAndInInfo()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Watcher");
        using var _1 = client;
        var csrf = await client.CsrfTokenAsync();
        await client.PostAsync(("action", "edit"), ("title", "Watched page"), ("text", "x"), ("watchlist", "nochange"), ("format", "json"), ("token", csrf));
        var token = await WatchTokenAsync(client);

        var answer = await client.PostAsync(("action", "watch"), ("titles", "Watched page|Not yet written"), ("expiry", "1 week"), ("format", "json"), ("formatversion", "2"), ("token", token));
        var watched = answer.Json;
        Assert.True(watched["watch"] is not null, answer.Body);

        var items = watched["watch"]!.AsArray();
        Assert.Equal(["Not yet written", "Watched page"], items.Select(i => i!["title"]!.GetValue<string>()).ToList());
        Assert.True(items[0]!["missing"]!.GetValue<bool>());
        Assert.True(items[1]!["watched"]!.GetValue<bool>());
        var expiry = DateTime.Parse(items[1]!["expiry"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.InRange(expiry, DateTime.UtcNow.AddDays(6.9), DateTime.UtcNow.AddDays(7.1));

        var raw = (await RawAsync(client))["watchlistraw"]!.AsArray();
        Assert.Equal(["Not yet written", "Watched page", "Talk:Not yet written", "Talk:Watched page"], raw.Select(i => i!["title"]!.GetValue<string>()).ToList());
        var paged = await RawAsync(client, ("wrlimit", "3"));
        var rest = await RawAsync(client, ("wrlimit", "3"), ("wrcontinue", paged["continue"]!["wrcontinue"]!.GetValue<string>()));
        Assert.Equal("Talk:Watched page", rest["watchlistraw"]![0]!["title"]!.GetValue<string>());

        var info = (await client.GetAsync(("action", "query"), ("prop", "info"), ("inprop", "watched"), ("titles", "Watched page"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!;
        Assert.True(info["watched"]!.GetValue<bool>());
        Assert.NotNull(info["watchlistexpiry"]);

        var unwatched = (await client.PostAsync(("action", "watch"), ("titles", "Talk:Watched page"), ("unwatch", "1"), ("format", "json"), ("formatversion", "2"), ("token", token))).Json;
        Assert.True(unwatched["watch"]![0]!["unwatched"]!.GetValue<bool>());
        Assert.Equal(["Not yet written", "Talk:Not yet written"], (await RawAsync(client))["watchlistraw"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList());
    }

    [Fact]
    public async Task Watch_RefusedInputs_MediaWikisErrors()
    {
        await using var farm = await TestFarm.StartAsync();
        using var anonymous = farm.Client();
        var anonToken = (await anonymous.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "watch"), ("format", "json"))).Json["query"]!["tokens"]!["watchtoken"]!.GetValue<string>();
        var anon = (await anonymous.PostAsync(("action", "watch"), ("titles", "X"), ("format", "json"), ("token", anonToken))).Json;
        Assert.Equal("notloggedin", anon["error"]!["code"]!.GetValue<string>());
        Assert.Equal("notloggedin", (await RawAsync(anonymous))["error"]!["code"]!.GetValue<string>());

        var (client, _) = await TestUsers.LoggedInAsync(farm, "Refused");
        using var _1 = client;
        var token = await WatchTokenAsync(client);
        var past = (await client.PostAsync(("action", "watch"), ("titles", "X"), ("expiry", "2001-01-01T00:00:00Z"), ("format", "json"), ("token", token))).Json;
        Assert.Equal("badexpiry-past", past["error"]!["code"]!.GetValue<string>());
        var bad = (await client.PostAsync(("action", "watch"), ("titles", "X"), ("expiry", "whenever"), ("format", "json"), ("token", token))).Json;
        Assert.Equal("badexpiry", bad["error"]!["code"]!.GetValue<string>());
        var noToken = (await client.PostAsync(("action", "watch"), ("titles", "X"), ("format", "json"), ("token", "bad+\\"))).Json;
        Assert.Equal("badtoken", noToken["error"]!["code"]!.GetValue<string>());
        var owner = (await RawAsync(client, ("wrowner", "Nobody at all"), ("wrtoken", "abc")))["error"]!["code"]!.GetValue<string>();
        Assert.Equal("bad_wlowner", owner);
    }

    [Fact]
    public async Task Watchlist_EditsToWatchedPages_LatestChangeOfEachUnlessAllRev()
    {
        await using var farm = await TestFarm.StartAsync();
        var (watcher, _) = await TestUsers.LoggedInAsync(farm, "Reader");
        using var _1 = watcher;
        var (editor, editorName) = await TestUsers.LoggedInAsync(farm, "Writer");
        using var _2 = editor;
        var csrf = await editor.CsrfTokenAsync();
        foreach (var (title, text) in new[] { ("Followed", "one"), ("Followed", "two"), ("Ignored", "x") })
        {
            await editor.PostAsync(("action", "edit"), ("title", title), ("text", text), ("format", "json"), ("token", csrf));
        }

        await watcher.PostAsync(("action", "watch"), ("titles", "Followed"), ("format", "json"), ("token", await WatchTokenAsync(watcher)));

        var latest = (await watcher.GetAsync(("action", "query"), ("list", "watchlist"), ("wlprop", "ids|title|flags|user|sizes|timestamp|comment|expiry"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["watchlist"]!.AsArray();
        var all = (await watcher.GetAsync(("action", "query"), ("list", "watchlist"), ("wlallrev", "1"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["watchlist"]!.AsArray();

        var change = Assert.Single(latest)!.AsObject();
        Assert.Equal(["type", "ns", "title", "pageid", "revid", "old_revid", "user", "bot", "new", "minor", "oldlen", "newlen", "timestamp", "comment", "expiry"], change.Select(p => p.Key).ToList());
        Assert.Equal(("Followed", editorName), (change["title"]!.GetValue<string>(), change["user"]!.GetValue<string>()));
        Assert.False(change["expiry"]!.GetValue<bool>());
        Assert.Equal(2, all.Count);
        Assert.All(all, c => Assert.Equal("Followed", c!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Edit_WatchlistParameter_WatchesByPreferenceAndUnwatches()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Editor");
        using var _1 = client;
        var csrf = await client.CsrfTokenAsync();

        var created = (await client.PostAsync(("action", "edit"), ("title", "Mine"), ("text", "a"), ("format", "json"), ("formatversion", "2"), ("token", csrf))).Json;
        Assert.True(created["edit"]!["watched"]!.GetValue<bool>());
        Assert.Contains("Mine", (await RawAsync(client))["watchlistraw"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));

        var unwatched = (await client.PostAsync(("action", "edit"), ("title", "Mine"), ("text", "b"), ("watchlist", "unwatch"), ("format", "json"), ("formatversion", "2"), ("token", csrf))).Json;
        Assert.False(unwatched["edit"]!.AsObject().ContainsKey("watched"));
        Assert.Empty((await RawAsync(client))["watchlistraw"]!.AsArray());

        var temporary = (await client.PostAsync(("action", "edit"), ("title", "Mine"), ("text", "c"), ("watchlist", "watch"), ("watchlistexpiry", "1 day"), ("format", "json"), ("formatversion", "2"), ("token", csrf))).Json;
        Assert.NotNull(temporary["edit"]!["watchlistexpiry"]);
    }

    [Fact]
    public async Task NotificationTimestamp_OthersEditAWatchedPage_UnreadUntilViewedOrMarkedSeen()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var (watcher, _) = await TestUsers.LoggedInAsync(farm, "Reader");
        var (editor, _) = await TestUsers.LoggedInAsync(farm, "Writer");
        using var _1 = watcher;
        using var _2 = editor;
        async Task EditAsync(ApiClient client, string title, string text) =>
            await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("format", "json"), ("token", await client.CsrfTokenAsync()));
        async Task<string> StampAsync(string title)
        {
            var page = (await watcher.GetAsync(("action", "query"), ("prop", "info"), ("inprop", "notificationtimestamp"), ("titles", title), ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!;
            return page["notificationtimestamp"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException(page.ToJsonString());
        }
        async Task<List<string>> UnreadAsync() =>
            [.. (await watcher.GetAsync(("action", "query"), ("list", "watchlist"), ("wlshow", "unread"), ("wlprop", "title|notificationtimestamp"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["watchlist"]!.AsArray().Select(i => i!["title"]!.GetValue<string>())];
        await EditAsync(watcher, "Followed", "one");
        await EditAsync(watcher, "Also followed", "one");
        foreach (var title in new[] { "Followed", "Also followed" })
        {
            await watcher.PostAsync(("action", "watch"), ("titles", title), ("format", "json"), ("token", await WatchTokenAsync(watcher)));
        }

        // The watcher's own edit leaves the page seen; someone else's makes it unread, at that first change.
        await EditAsync(watcher, "Followed", "two");
        Assert.Equal("", await StampAsync("Followed"));
        await EditAsync(editor, "Followed", "three");
        var first = await StampAsync("Followed");
        Assert.NotEqual("", first);
        clock.Advance(TimeSpan.FromSeconds(5));
        await EditAsync(editor, "Followed", "four");
        Assert.Equal(first, await StampAsync("Followed"));
        await EditAsync(editor, "Also followed", "two");
        Assert.Equal(["Also followed", "Followed"], (await UnreadAsync()).Order(StringComparer.Ordinal));
        var changed = (await RawAsync(watcher, ("wrshow", "changed")))["watchlistraw"]!.AsArray().Select(i => i!["title"]!.GetValue<string>());
        Assert.Equal(["Also followed", "Followed"], changed.Order(StringComparer.Ordinal));

        // Viewing the page marks it seen; setnotificationtimestamp marks the rest.
        using (var view = await watcher.Http.GetAsync(farm.AlphaServer + "/wiki/Followed"))
        {
            Assert.True(view.IsSuccessStatusCode);
        }

        Assert.Equal("", await StampAsync("Followed"));
        Assert.Equal(["Also followed"], await UnreadAsync());
        var marked = (await watcher.PostAsync(("action", "setnotificationtimestamp"), ("titles", "Also followed|Not watched"), ("format", "json"), ("formatversion", "2"), ("token", await watcher.CsrfTokenAsync()))).Json["setnotificationtimestamp"]!.AsArray();
        JsonNode Marked(string title) => marked.Single(m => m!["title"]!.GetValue<string>() == title)!;
        Assert.Equal("", Marked("Also followed")["notificationtimestamp"]!.GetValue<string>());
        Assert.True(Marked("Not watched")["notwatched"]!.GetValue<bool>());
        Assert.True(Marked("Not watched")["missing"]!.GetValue<bool>());
        Assert.Empty(await UnreadAsync());

        // And back: the whole watchlist unread from a time.
        var all = (await watcher.PostAsync(("action", "setnotificationtimestamp"), ("entirewatchlist", "1"), ("timestamp", "2026-01-01T00:00:00Z"), ("format", "json"), ("formatversion", "2"), ("token", await watcher.CsrfTokenAsync()))).Json;
        Assert.Equal("2026-01-01T00:00:00Z", all["setnotificationtimestamp"]!["notificationtimestamp"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:00:00Z", await StampAsync("Also followed"));
    }
}
