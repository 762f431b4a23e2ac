using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=edit with undo and undoafter: the undone change taken back out of the current text.</summary>
public sealed class UndoTests
{
    [Fact]
    public void Apply_LaterEditElsewhere_MergedAroundIt() =>
        Assert.Equal("a\nb\nc\nD", Undo.Apply(current: "A\nb\nc\nD", undone: "A\nb\nc\nd", before: "a\nb\nc\nd"));

    [Fact]
    public void Apply_LaterEditOnTheSameLine_Conflict() => Assert.Null(Undo.Apply(current: "x\nthird", undone: "x\nsecond", before: "x\nfirst"));

    private static async Task<JsonNode> EditAsync(ApiClient client, string token, params (string, string)[] parameters) =>
        (await client.PostAsync([("action", "edit"), ("format", "json"), ("formatversion", "2"), .. parameters, ("token", token)])).Json;

    private static async Task<string> TextAsync(ApiClient client, string title) =>
        (await client.GetAsync(("action", "query"), ("prop", "revisions"), ("rvprop", "content|comment"), ("rvslots", "main"), ("titles", title), ("format", "json"), ("formatversion", "2")))
            .Json["query"]!["pages"]![0]!["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>();

    [Fact]
    public async Task Undo_LatestAndEarlierEdits_TextRestoredAndRefusalsWithMediaWikisCodes()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, user) = await TestUsers.LoggedInAsync(farm, "Undoer");
        using var _ = client;
        var token = await client.CsrfTokenAsync();
        await EditAsync(client, token, ("title", "Undone"), ("text", "top\nmiddle\nbottom"));
        var second = (await EditAsync(client, token, ("title", "Undone"), ("text", "TOP\nmiddle\nbottom")))["edit"]!["newrevid"]!.GetValue<int>();
        var third = (await EditAsync(client, token, ("title", "Undone"), ("text", "TOP\nmiddle\nBOTTOM")))["edit"]!["newrevid"]!.GetValue<int>();

        // The latest edit.
        var latest = await EditAsync(client, token, ("title", "Undone"), ("undo", third.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("Success", latest["edit"]!["result"]!.GetValue<string>());
        Assert.Equal("TOP\nmiddle\nbottom", await TextAsync(client, "Undone"));
        var comment = (await client.GetAsync(("action", "query"), ("prop", "revisions"), ("rvprop", "comment"), ("titles", "Undone"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.Equal($"Undo revision {third} by [[Special:Contributions/{user}|{user}]] ([[User talk:{user}|talk]])", comment["query"]!["pages"]![0]!["revisions"]![0]!["comment"]!.GetValue<string>());

        // An earlier edit, with a later one elsewhere in the page kept.
        await EditAsync(client, token, ("title", "Undone"), ("text", "TOP\nmiddle\nbottom\nend"));
        await EditAsync(client, token, ("title", "Undone"), ("undo", second.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("top\nmiddle\nbottom\nend", await TextAsync(client, "Undone"));

        // Refusals.
        await EditAsync(client, token, ("title", "Other page"), ("text", "x"));
        Assert.Equal("revwrongpage", (await EditAsync(client, token, ("title", "Other page"), ("undo", second.ToString(CultureInfo.InvariantCulture))))["error"]!["code"]!.GetValue<string>());
        Assert.Equal("nosuchrevid", (await EditAsync(client, token, ("title", "Undone"), ("undo", "999999")))["error"]!["code"]!.GetValue<string>());
        // The first line was changed again since: undoing the edit that changed it conflicts.
        await EditAsync(client, token, ("title", "Undone"), ("text", "tip\nmiddle\nbottom\nend"));
        Assert.Equal("undofailure", (await EditAsync(client, token, ("title", "Undone"), ("undo", second.ToString(CultureInfo.InvariantCulture))))["error"]!["code"]!.GetValue<string>());
        Assert.Equal("tip\nmiddle\nbottom\nend", await TextAsync(client, "Undone"));
    }
}
