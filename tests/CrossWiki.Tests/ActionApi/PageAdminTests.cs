using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=move, delete, undelete, protect, rollback, block and unblock: what they change, log, and refuse.</summary>
public sealed class PageAdminTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private readonly TestFarm _farm = fixture.Farm;

    private static string Code(JsonNode answer) => answer["error"]?["code"]?.GetValue<string>() ?? "(no error: " + answer.ToJsonString() + ")";

    private static async Task<JsonNode> EditAsync(ApiClient client, string title, string text)
    {
        var answer = (await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("format", "json"), ("formatversion", "2"), ("token", await client.CsrfTokenAsync()))).Json;
        return answer;
    }

    private static async Task<JsonNode> ActAsync(ApiClient client, params (string, string)[] parameters) =>
        (await client.PostAsync([.. parameters, ("format", "json"), ("formatversion", "2"), ("token", await client.CsrfTokenAsync())])).Json;

    private static async Task<JsonNode> PageAsync(ApiClient client, string title, string prop = "info") =>
        (await client.GetAsync(("action", "query"), ("prop", prop), ("titles", title), ("inprop", "protection"), ("rvprop", "content|comment|user"), ("rvslots", "main"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!;

    [Fact]
    public async Task Move_WithTalkAndSubpages_PageKeepsItsHistoryAndARedirectIsLeft()
    {
        var (sysop, name) = await TestUsers.LoggedInAsync(_farm, "Mover", null, "sysop");
        using var _1 = sysop;
        var id = Guid.NewGuid().ToString("N")[..8];
        await EditAsync(sysop, $"Help:Old {id}", "first");
        await EditAsync(sysop, $"Help:Old {id}", "second [[Category:Moved]]");
        await EditAsync(sysop, $"Help talk:Old {id}", "talk");
        await EditAsync(sysop, $"Help:Old {id}/Sub", "sub");
        await ActAsync(sysop, ("action", "watch"), ("titles", $"Help:Old {id}"));

        var answer = await ActAsync(sysop, ("action", "move"), ("from", $"Help:Old {id}"), ("to", $"Help:New {id}"), ("reason", "better name"), ("movetalk", "1"), ("movesubpages", "1"));
        var move = answer["move"] ?? throw new Xunit.Sdk.XunitException(answer.ToJsonString());

        Assert.Equal($"Help:New {id}", move["to"]!.GetValue<string>());
        Assert.True(move["redirectcreated"]!.GetValue<bool>());
        Assert.Equal($"Help talk:New {id}", move["talkto"]!.GetValue<string>());
        Assert.Equal($"Help:New {id}/Sub", move["subpages"]![0]!["to"]!.GetValue<string>());
        var moved = await PageAsync(sysop, $"Help:New {id}", "revisions");
        Assert.Equal("second [[Category:Moved]]", moved["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        Assert.Equal($"{name} moved page [[Help:Old {id}]] to [[Help:New {id}]]: better name", moved["revisions"]![0]!["comment"]!.GetValue<string>());
        var history = (await sysop.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", $"Help:New {id}"), ("rvlimit", "max"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.Equal(3, history["query"]!["pages"]![0]!["revisions"]!.AsArray().Count);
        var old = await PageAsync(sysop, $"Help:Old {id}", "revisions");
        Assert.Equal($"#REDIRECT [[Help:New {id}]]", old["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        var members = (await sysop.GetAsync(("action", "query"), ("list", "categorymembers"), ("cmtitle", "Category:Moved"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.Contains(members["query"]!["categorymembers"]!.AsArray(), m => m!["title"]!.GetValue<string>() == $"Help:New {id}");
        var watched = (await sysop.GetAsync(("action", "query"), ("prop", "info"), ("inprop", "watched"), ("titles", $"Help:New {id}"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.True(watched["query"]!["pages"]![0]!["watched"]!.GetValue<bool>());
        var log = (await sysop.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "move"), ("letitle", $"Help:Old {id}"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]![0]!;
        Assert.Equal($"Help:New {id}", log["params"]!["target_title"]!.GetValue<string>());

        // Moving back goes over the redirect left behind.
        var back = (await ActAsync(sysop, ("action", "move"), ("from", $"Help:New {id}"), ("to", $"Help:Old {id}")))["move"]!;
        Assert.True(back["moveoverredirect"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Move_RightRevokedFromTheUsersGroup_Cantmove()
    {
        // $wgRevokePermissions: bots may not move, whatever the user group grants them.
        await using var farm = await TestFarm.StartAsync(s => s["Farm:RevokePermissions:bot:0"] = "move");
        var (bot, _) = await TestUsers.LoggedInAsync(farm, "NoMoveBot", null, "bot");
        var (user, _) = await TestUsers.LoggedInAsync(farm, "MayMove");
        using var _1 = bot;
        using var _2 = user;
        await EditAsync(user, "Movable", "text");

        Assert.Equal("cantmove", Code(await ActAsync(bot, ("action", "move"), ("from", "Movable"), ("to", "Moved by bot"))));
        var rights = (await bot.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "rights"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["userinfo"]!["rights"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.DoesNotContain("move", rights);
        Assert.Contains("bot", rights);
        Assert.Equal("Moved by user", (await ActAsync(user, ("action", "move"), ("from", "Movable"), ("to", "Moved by user")))["move"]!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task Move_Refusals_HaveMediaWikisCodes()
    {
        var (user, _) = await TestUsers.LoggedInAsync(_farm, "MoveUser");
        using var _1 = user;
        using var anon = _farm.Client();
        var id = Guid.NewGuid().ToString("N")[..8];
        await EditAsync(user, $"M {id}", "text");
        await EditAsync(user, $"Taken {id}", "other");

        Assert.Equal("articleexists", Code(await ActAsync(user, ("action", "move"), ("from", $"M {id}"), ("to", $"Taken {id}"))));
        Assert.Equal("selfmove", Code(await ActAsync(user, ("action", "move"), ("from", $"M {id}"), ("to", $"M {id}"))));
        Assert.Equal("missingtitle", Code(await ActAsync(user, ("action", "move"), ("from", $"Nothing {id}"), ("to", $"X {id}"))));
        Assert.Equal("invalidtitle", Code(await ActAsync(user, ("action", "move"), ("from", $"M {id}"), ("to", "a[b"))));
        Assert.Equal("cantmove-anon", Code(await ActAsync(anon, ("action", "move"), ("from", $"M {id}"), ("to", $"Y {id}"))));
        Assert.Equal("nonfile-cannot-move-to-file", Code(await ActAsync(user, ("action", "move"), ("from", $"M {id}"), ("to", $"File:M {id}.png"))));
        Assert.Equal("immobile-target-namespace", Code(await ActAsync(user, ("action", "move"), ("from", $"M {id}"), ("to", $"Special:M {id}"))));
        await EditAsync(user, $"File:Moved {id}.png", "a description page");
        Assert.Equal("cantmovefile", Code(await ActAsync(user, ("action", "move"), ("from", $"File:Moved {id}.png"), ("to", $"File:Other {id}.png"))));
    }

    [Fact]
    public async Task DeleteAndUndelete_RevisionsArchivedThenRestoredWithTheirIds_OnlyForSysops()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Deleter", null, "sysop");
        var (user, author) = await TestUsers.LoggedInAsync(_farm, "Plain");
        using var _1 = sysop;
        using var _2 = user;
        var id = Guid.NewGuid().ToString("N")[..8];
        var first = (await EditAsync(user, $"Doomed {id}", "one"))["edit"]!["newrevid"]!.GetValue<int>();
        var second = (await EditAsync(user, $"Doomed {id}", "two"))["edit"]!["newrevid"]!.GetValue<int>();

        Assert.Equal("permissiondenied", Code(await ActAsync(user, ("action", "delete"), ("title", $"Doomed {id}"))));
        var deleted = (await ActAsync(sysop, ("action", "delete"), ("title", $"Doomed {id}"), ("reason", "spam")))["delete"]!;

        Assert.Equal("spam", deleted["reason"]!.GetValue<string>());
        Assert.True(deleted["logid"]!.GetValue<long>() > 0);
        Assert.True((await PageAsync(user, $"Doomed {id}"))["missing"]!.GetValue<bool>());
        var rc = (await user.GetAsync(("action", "query"), ("list", "recentchanges"), ("rctitle", $"Doomed {id}"), ("rcprop", "title|loginfo"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["recentchanges"]!.AsArray();
        Assert.Equal("log", Assert.Single(rc)!["type"]!.GetValue<string>());
        Assert.Equal("missingtitle", Code(await ActAsync(sysop, ("action", "delete"), ("title", $"Doomed {id}"))));
        static async Task<JsonNode> DeletedAsync(ApiClient client, string title, params (string, string)[] more) =>
            (await client.GetAsync([("action", "query"), ("prop", "deletedrevisions"), ("titles", title), ("drvprop", "ids|user|content"), ("drvslots", "main"), ("format", "json"), ("formatversion", "2"), .. more])).Json;
        Assert.Equal("permissiondenied", Code(await DeletedAsync(user, $"Doomed {id}")));
        var firstPage = await DeletedAsync(sysop, $"Doomed {id}", ("drvlimit", "1"));
        var archived = firstPage["query"]!["pages"]![0]!["deletedrevisions"]!.AsArray();
        Assert.Equal(second, Assert.Single(archived)!["revid"]!.GetValue<int>());
        Assert.Equal("two", archived[0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        var nextPage = await DeletedAsync(sysop, $"Doomed {id}", ("drvlimit", "1"), ("drvcontinue", firstPage["continue"]!["drvcontinue"]!.GetValue<string>()));
        Assert.Equal(first, Assert.Single(nextPage["query"]!["pages"]![0]!["deletedrevisions"]!.AsArray())!["revid"]!.GetValue<int>());
        Assert.Equal("permissiondenied", Code(await ActAsync(user, ("action", "undelete"), ("title", $"Doomed {id}"))));

        var restored = (await ActAsync(sysop, ("action", "undelete"), ("title", $"Doomed {id}"), ("reason", "not spam")))["undelete"]!;

        Assert.Equal(2, restored["revisions"]!.GetValue<int>());
        var history = (await user.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", $"Doomed {id}"), ("rvlimit", "max"), ("rvprop", "ids|content"), ("rvslots", "main"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!["revisions"]!.AsArray();
        Assert.Equal([second, first], history.Select(r => r!["revid"]!.GetValue<int>()));
        Assert.Equal("two", history[0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        Assert.Equal("cantundelete", Code(await ActAsync(sysop, ("action", "undelete"), ("title", $"Doomed {id}"))));
        var log = (await user.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "delete"), ("letitle", $"Doomed {id}"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]!.AsArray();
        Assert.Equal(["restore", "delete"], log.Select(l => l!["action"]!.GetValue<string>()));

        // Without a reason, MediaWiki's automatic one: the text and its only author.
        var again = (await ActAsync(sysop, ("action", "delete"), ("title", $"Doomed {id}")))["delete"]!;
        Assert.Equal($"content was: \"two\", and the only contributor was \"[[Special:Contributions/{author}|{author}]]\" ([[User talk:{author}|talk]])", again["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Protect_EditAndMoveBySysop_RefusesOthersEditsAndMovesAndListsTheProtection()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Protector", null, "sysop");
        var (user, _) = await TestUsers.LoggedInAsync(_farm, "Editor");
        using var _1 = sysop;
        using var _2 = user;
        var id = Guid.NewGuid().ToString("N")[..8];
        await EditAsync(user, $"Guarded {id}", "text");

        Assert.Equal("permissiondenied", Code(await ActAsync(user, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=sysop"))));
        var protect = (await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=sysop|move=sysop"), ("expiry", "infinite|1 week"), ("reason", "vandalism")))["protect"]!;

        Assert.Equal("sysop", protect["protections"]![0]!["edit"]!.GetValue<string>());
        Assert.Equal("infinite", protect["protections"]![0]!["expiry"]!.GetValue<string>());
        Assert.EndsWith("Z", protect["protections"]![1]!["expiry"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("protectedpage", Code(await EditAsync(user, $"Guarded {id}", "vandalised")));
        Assert.Equal("protectedpage", Code(await ActAsync(user, ("action", "move"), ("from", $"Guarded {id}"), ("to", $"Elsewhere {id}"))));
        Assert.Equal("Success", (await EditAsync(sysop, $"Guarded {id}", "fixed"))["edit"]!["result"]!.GetValue<string>());
        var info = await PageAsync(user, $"Guarded {id}");
        Assert.Equal("edit", info["protection"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("infinity", info["protection"]![0]!["expiry"]!.GetValue<string>());
        Assert.Equal("move", info["protection"]![1]!["type"]!.GetValue<string>());

        Assert.Equal("protect-invalidlevel", Code(await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=owner"))));
        Assert.Equal("protect-invalidaction", Code(await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "read=sysop"))));
        Assert.Equal("create-titleexists", Code(await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "create=sysop"))));
        Assert.Equal("toofewexpiries", Code(await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=sysop|move=sysop|upload=sysop"), ("expiry", "1 day|2 days"))));

        // Protecting again changes the level in place; the move protection stays as it was.
        await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=autoconfirmed"));
        var modified = (await PageAsync(user, $"Guarded {id}"))["protection"]!.AsArray();
        Assert.Equal(["edit=autoconfirmed", "move=sysop"], modified.Select(p => p!["type"]!.GetValue<string>() + "=" + p["level"]!.GetValue<string>()));
        Assert.Equal("Success", (await EditAsync(user, $"Guarded {id}", "an autoconfirmed edit"))["edit"]!["result"]!.GetValue<string>());

        await ActAsync(sysop, ("action", "protect"), ("title", $"Guarded {id}"), ("protections", "edit=all|move=all"));
        Assert.Equal("Success", (await EditAsync(user, $"Guarded {id}", "open again"))["edit"]!["result"]!.GetValue<string>());
        var actions = (await user.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "protect"), ("letitle", $"Guarded {id}"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]!.AsArray();
        Assert.Equal(["unprotect", "modify", "protect"], actions.Select(l => l!["action"]!.GetValue<string>()));

        await ActAsync(sysop, ("action", "protect"), ("title", $"Unwritten {id}"), ("protections", "create=sysop"));
        Assert.Equal("protectedtitle", Code(await EditAsync(user, $"Unwritten {id}", "first!")));
    }

    [Fact]
    public async Task Rollback_LastUsersEdits_RestoresTheOtherAuthorsTextAndRefusesWhenAlreadyRolled()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Roller", null, "sysop");
        var (author, authorName) = await TestUsers.LoggedInAsync(_farm, "Author");
        var (vandal, vandalName) = await TestUsers.LoggedInAsync(_farm, "Vandal");
        using var _1 = sysop;
        using var _2 = author;
        using var _3 = vandal;
        var id = Guid.NewGuid().ToString("N")[..8];
        var good = (await EditAsync(author, $"Rolled {id}", "good"))["edit"]!["newrevid"]!.GetValue<int>();
        await EditAsync(vandal, $"Rolled {id}", "bad");
        var worse = (await EditAsync(vandal, $"Rolled {id}", "worse"))["edit"]!["newrevid"]!.GetValue<int>();
        static async Task<JsonNode> RollbackAsync(ApiClient client, string title, string user)
        {
            var token = (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "rollback"), ("format", "json"))).Json["query"]!["tokens"]!["rollbacktoken"]!.GetValue<string>();
            return (await client.PostAsync(("action", "rollback"), ("title", title), ("user", user), ("format", "json"), ("formatversion", "2"), ("token", token))).Json;
        }

        Assert.Equal("permissiondenied", Code(await RollbackAsync(author, $"Rolled {id}", vandalName)));
        var done = (await RollbackAsync(sysop, $"Rolled {id}", vandalName))["rollback"]!;

        Assert.Equal(worse, done["old_revid"]!.GetValue<int>());
        Assert.Equal(good, done["last_revid"]!.GetValue<int>());
        Assert.StartsWith($"Reverted edits by [[Special:Contributions/{vandalName}|{vandalName}]]", done["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("good", (await PageAsync(author, $"Rolled {id}", "revisions"))["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        Assert.Equal("alreadyrolled", Code(await RollbackAsync(sysop, $"Rolled {id}", vandalName)));

        await EditAsync(author, $"Solo {id}", "mine");
        Assert.Equal("onlyauthor", Code(await RollbackAsync(sysop, $"Solo {id}", authorName)));
    }

    [Fact]
    public async Task Block_User_CanWriteNothingUntilUnblocked()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Blocker", null, "sysop");
        var (user, userName) = await TestUsers.LoggedInAsync(_farm, "Blocked");
        using var _1 = sysop;
        using var _2 = user;
        var id = Guid.NewGuid().ToString("N")[..8];
        await EditAsync(user, $"Before {id}", "fine");

        Assert.Equal("permissiondenied", Code(await ActAsync(user, ("action", "block"), ("user", "Someone"))));
        var block = (await ActAsync(sysop, ("action", "block"), ("user", userName), ("reason", "testing"), ("nocreate", "1")))["block"]!;

        Assert.Equal(userName, block["user"]!.GetValue<string>());
        Assert.Equal("infinite", block["expiry"]!.GetValue<string>());
        Assert.True(block["nocreate"]!.GetValue<bool>());
        var refused = await EditAsync(user, $"Before {id}", "now blocked");
        Assert.Equal("blocked", Code(refused));
        Assert.Equal("testing", refused["error"]!["blockinfo"]!["blockreason"]!.GetValue<string>());
        Assert.Equal("blocked", Code(await EditAsync(user, $"New page {id}", "x")));
        var listed = (await sysop.GetAsync(("action", "query"), ("list", "users"), ("ususers", userName), ("usprop", "blockinfo"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["users"]![0]!;
        Assert.Equal(block["id"]!.GetValue<long>(), listed["blockid"]!.GetValue<long>());
        Assert.True(listed["blocknocreate"]!.GetValue<bool>());
        Assert.Equal("alreadyblocked", Code(await ActAsync(sysop, ("action", "block"), ("user", userName))));
        Assert.Equal("nosuchuser", Code(await ActAsync(sysop, ("action", "block"), ("user", "No such user " + id))));
        Assert.Equal("invalidexpiry", Code(await ActAsync(sysop, ("action", "block"), ("user", userName), ("reblock", "1"), ("expiry", "whenever"))));

        // rest.php and the edit form refuse too.
        var rest = await user.Http.PutAsync(_farm.AlphaServer + "/w/rest.php/v1/page/" + Uri.EscapeDataString($"Before_{id}"),
            new StringContent(new JsonObject { ["source"] = "via rest", ["comment"] = "", ["latest"] = new JsonObject { ["id"] = 0 }, ["token"] = await user.CsrfTokenAsync() }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, rest.StatusCode);
        var form = await user.Http.PostAsync(_farm.AlphaServer + "/w/index.php?title=" + Uri.EscapeDataString($"Before {id}") + "&action=submit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["wpTextbox1"] = "via form", ["wpSummary"] = "", ["wpEditToken"] = await user.CsrfTokenAsync() }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, form.StatusCode);
        var upload = (await user.PostFileAsync("file", $"Blocked{id}.png", TestImages.Png(4, 4),
            ("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", $"Blocked{id}.png"), ("token", await user.CsrfTokenAsync()))).Json;
        Assert.Equal("blocked", Code(upload));
        Assert.True((await PageAsync(sysop, $"File:Blocked{id}.png"))["missing"]!.GetValue<bool>());
        Assert.Equal("blocked", Code(await ActAsync(user, ("action", "move"), ("from", $"Before {id}"), ("to", $"After {id}"))));
        Assert.Equal("fine", (await PageAsync(sysop, $"Before {id}", "revisions"))["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());

        var unblock = (await ActAsync(sysop, ("action", "unblock"), ("user", userName)))["unblock"]!;
        Assert.Equal(block["id"]!.GetValue<long>(), unblock["id"]!.GetValue<long>());
        Assert.Equal("Success", (await EditAsync(user, $"Before {id}", "free again"))["edit"]!["result"]!.GetValue<string>());
        Assert.Equal("cantunblock", Code(await ActAsync(sysop, ("action", "unblock"), ("user", userName))));
        var log = (await sysop.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "block"), ("letitle", "User:" + userName), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]!.AsArray();
        Assert.Equal(["unblock", "block"], log.Select(l => l!["action"]!.GetValue<string>()));
    }
}
