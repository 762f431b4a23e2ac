using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>list=recentchanges, list=logevents and list=usercontribs, fed by the one save path and the uploader.</summary>
public sealed class ChangeFeedTests
{
    private static async Task EditAsync(ApiClient client, string token, string title, string text, params (string, string)[] more)
    {
        var answer = await client.PostAsync([("action", "edit"), ("title", title), ("text", text), ("format", "json"), ("formatversion", "2"), .. more, ("token", token)]);
        Assert.Equal("Success", answer.Json["edit"]?["result"]?.GetValue<string>());
    }

    private static async Task<JsonArray> ListAsync(ApiClient client, string list, params (string, string)[] parameters) =>
        (await client.GetAsync([("action", "query"), ("list", list), ("format", "json"), ("formatversion", "2"), .. parameters])).Json["query"]![list]!.AsArray();

    [Fact]
    public async Task RecentChanges_EditsAndACreation_NewestFirstWithMediaWikisFields()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, user) = await TestUsers.LoggedInAsync(farm, "Changer");
        using var _ = client;
        var token = await client.CsrfTokenAsync();
        await EditAsync(client, token, "Feed page", "first", ("summary", "made it"));
        await EditAsync(client, token, "Feed page", "second, longer", ("summary", "grew it"), ("minor", "1"));

        var changes = await ListAsync(client, "recentchanges", ("rcprop", "user|userid|comment|flags|timestamp|title|ids|sizes"), ("rctitle", "Feed page"));

        Assert.Equal(2, changes.Count);
        var edit = changes[0]!.AsObject();
        Assert.Equal(["type", "ns", "title", "pageid", "revid", "old_revid", "rcid", "user", "userid", "bot", "new", "minor", "oldlen", "newlen", "timestamp", "comment"], edit.Select(p => p.Key).ToList());
        Assert.Equal("edit", edit["type"]!.GetValue<string>());
        Assert.Equal(user, edit["user"]!.GetValue<string>());
        Assert.True(edit["minor"]!.GetValue<bool>());
        Assert.Equal((5, 14), (edit["oldlen"]!.GetValue<int>(), edit["newlen"]!.GetValue<int>()));
        Assert.Equal("grew it", edit["comment"]!.GetValue<string>());
        var created = changes[1]!.AsObject();
        Assert.Equal("new", created["type"]!.GetValue<string>());
        Assert.True(created["new"]!.GetValue<bool>());
        Assert.Equal(0, created["old_revid"]!.GetValue<int>());
        Assert.Equal(created["revid"]!.GetValue<int>(), edit["old_revid"]!.GetValue<int>());

        // Filters and continuation.
        Assert.Single(await ListAsync(client, "recentchanges", ("rctitle", "Feed page"), ("rcshow", "minor")));
        Assert.Single(await ListAsync(client, "recentchanges", ("rctitle", "Feed page"), ("rctype", "new")));
        Assert.Empty(await ListAsync(client, "recentchanges", ("rcuser", "Somebody else")));
        var first = await client.GetAsync(("action", "query"), ("list", "recentchanges"), ("rclimit", "1"), ("rctitle", "Feed page"), ("format", "json"), ("formatversion", "2"));
        var next = first.Json["continue"]!["rccontinue"]!.GetValue<string>();
        var rest = await ListAsync(client, "recentchanges", ("rclimit", "1"), ("rctitle", "Feed page"), ("rccontinue", next));
        Assert.Equal(created["rcid"]!.GetValue<long>(), rest[0]!["rcid"]!.GetValue<long>());
        var refused = await client.GetAsync(("action", "query"), ("list", "recentchanges"), ("rcshow", "minor|!minor"), ("format", "json"));
        Assert.Equal("show", refused.Json["error"]!["code"]!.GetValue<string>());
        var patrol = await client.GetAsync(("action", "query"), ("list", "recentchanges"), ("rcprop", "patrolled"), ("format", "json"));
        Assert.Equal("permissiondenied", patrol.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task RecentChanges_BotFlag_OnlyForBotsThatAskAndFormatVersionOneFlags()
    {
        await using var farm = await TestFarm.StartAsync();
        var (bot, _) = await TestUsers.LoggedInAsync(farm, "Robot", null, "bot");
        using var _1 = bot;
        var (person, _) = await TestUsers.LoggedInAsync(farm, "Person");
        using var _2 = person;
        await EditAsync(bot, await bot.CsrfTokenAsync(), "Bot page", "by a bot", ("bot", "1"));
        await EditAsync(person, await person.CsrfTokenAsync(), "Person page", "by a person", ("bot", "1"));

        Assert.Equal(["Bot page"], (await ListAsync(person, "recentchanges", ("rcshow", "bot"))).Select(c => c!["title"]!.GetValue<string>()).ToList());
        var v1 = (await person.GetAsync(("action", "query"), ("list", "recentchanges"), ("rcprop", "flags|title"), ("rctitle", "Bot page"), ("format", "json"))).Json["query"]!["recentchanges"]![0]!.AsObject();
        Assert.Equal("", v1["bot"]!.GetValue<string>());
        Assert.Equal("", v1["new"]!.GetValue<string>());
        Assert.False(v1.ContainsKey("minor"));
    }

    [Fact]
    public async Task LogEvents_CreationAndUpload_LoggedWithParamsAndInRecentChanges()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, user) = await TestUsers.LoggedInAsync(farm, "Logger");
        using var _ = client;
        var token = await client.CsrfTokenAsync();
        await EditAsync(client, token, "Logged page", "text", ("summary", "new page"));
        var png = TestImages.Png(4, 3, seed: 9);
        await client.PostFileAsync("file", "Logged.png", png, ("action", "upload"), ("filename", "Logged.png"), ("comment", "a picture"), ("format", "json"), ("token", token));

        var logs = await ListAsync(client, "logevents", ("leprop", "ids|title|type|user|timestamp|comment|details"));
        var upload = logs[0]!.AsObject();
        Assert.Equal(["logid", "ns", "title", "pageid", "logpage", "params", "type", "action", "user", "timestamp", "comment"], upload.Select(p => p.Key).ToList());
        Assert.Equal(("upload", "upload", "File:Logged.png", user, "a picture"), (upload["type"]!.GetValue<string>(), upload["action"]!.GetValue<string>(),
            upload["title"]!.GetValue<string>(), upload["user"]!.GetValue<string>(), upload["comment"]!.GetValue<string>()));
        Assert.Equal(40, upload["params"]!["img_sha1"]!.GetValue<string>().Length);
        Assert.True(upload["pageid"]!.GetValue<int>() > 0);
        var creation = logs.Single(l => l!["title"]!.GetValue<string>() == "Logged page")!;
        Assert.Equal("create", creation["type"]!.GetValue<string>());
        Assert.Single(await ListAsync(client, "logevents", ("letype", "upload")));
        Assert.Single(await ListAsync(client, "logevents", ("leaction", "create/create"), ("letitle", "Logged page")));

        // The upload is in recent changes as a log entry; its File page's creation is not there on its own.
        var changes = await ListAsync(client, "recentchanges", ("rcprop", "title|loginfo"), ("rcnamespace", "6"));
        var change = Assert.Single(changes)!;
        Assert.Equal(("log", "upload", "upload"), (change["type"]!.GetValue<string>(), change["logtype"]!.GetValue<string>(), change["logaction"]!.GetValue<string>()));
        Assert.Equal(upload["logid"]!.GetValue<long>(), change["logid"]!.GetValue<long>());
    }

    [Fact]
    public async Task UserContribs_OneUser_TheirRevisionsWithTopNewAndSizeDiff()
    {
        await using var farm = await TestFarm.StartAsync();
        var (ann, annName) = await TestUsers.LoggedInAsync(farm, "Ann");
        using var _1 = ann;
        var (bob, _) = await TestUsers.LoggedInAsync(farm, "Bob");
        using var _2 = bob;
        var annToken = await ann.CsrfTokenAsync();
        await EditAsync(ann, annToken, "Contrib page", "abc");
        await EditAsync(bob, await bob.CsrfTokenAsync(), "Contrib page", "abcdef");
        await EditAsync(ann, annToken, "Other contrib", "x");

        var contribs = await ListAsync(ann, "usercontribs", ("ucuser", annName), ("ucprop", "ids|title|timestamp|comment|size|sizediff|flags"));

        Assert.Equal(["Other contrib", "Contrib page"], contribs.Select(c => c!["title"]!.GetValue<string>()).ToList());
        var older = contribs[1]!.AsObject();
        Assert.Equal(["userid", "user", "pageid", "revid", "parentid", "ns", "title", "timestamp", "new", "minor", "top", "comment", "size", "sizediff"], older.Select(p => p.Key).ToList());
        Assert.True(older["new"]!.GetValue<bool>());
        Assert.False(older["top"]!.GetValue<bool>());
        Assert.Equal(3, older["sizediff"]!.GetValue<int>());
        Assert.Single(await ListAsync(ann, "usercontribs", ("ucuser", annName), ("ucshow", "top"), ("ucnamespace", "0"), ("uclimit", "1")));
        var missing = await ann.GetAsync(("action", "query"), ("list", "usercontribs"), ("format", "json"));
        Assert.Equal("missingparam", missing.Json["error"]!["code"]!.GetValue<string>());
    }
}
