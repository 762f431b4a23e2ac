using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=compare and prop=revisions' rvdiffto: MediaWiki's diff table rows between revisions, pages and texts.</summary>
public sealed class CompareTests
{
    private static async Task<int> EditAsync(ApiClient client, string token, string title, string text, string summary = "")
    {
        var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("summary", summary), ("format", "json"), ("formatversion", "2"), ("token", token));
        return answer.Json["edit"]!["newrevid"]!.GetValue<int>();
    }

    private static async Task<JsonNode> CompareAsync(ApiClient client, params (string, string)[] parameters) =>
        (await client.GetAsync([("action", "compare"), ("format", "json"), ("formatversion", "2"), .. parameters])).Json;

    [Fact]
    public async Task Compare_TwoRevisions_DiffRowsAndTheFieldsOfPropInMediaWikisOrder()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, user) = await TestUsers.LoggedInAsync(farm, "Comparer");
        using var _ = client;
        var token = await client.CsrfTokenAsync();
        var first = await EditAsync(client, token, "Compared", "intro\nold words here", "first");
        var second = await EditAsync(client, token, "Compared", "intro\nnew words here\nmore", "second");

        var answer = await CompareAsync(client, ("fromrev", first.ToString(CultureInfo.InvariantCulture)), ("torev", second.ToString(CultureInfo.InvariantCulture)), ("prop", "diff|ids|title|user|comment|size|rel|diffsize"));

        var compare = answer["compare"]!.AsObject();
        Assert.Equal(
            ["fromid", "fromrevid", "fromns", "fromtitle", "fromsize", "fromuser", "fromuserid", "fromcomment", "fromparsedcomment",
             "toid", "torevid", "tons", "totitle", "tosize", "touser", "touserid", "tocomment", "toparsedcomment", "diffsize", "body"],
            compare.Select(p => p.Key).ToList());
        Assert.Equal((first, second), (compare["fromrevid"]!.GetValue<int>(), compare["torevid"]!.GetValue<int>()));
        Assert.Equal(user, compare["touser"]!.GetValue<string>());
        var body = compare["body"]!.GetValue<string>();
        Assert.Contains("<del class=\"diffchange diffchange-inline\">old</del> words here", body, StringComparison.Ordinal);
        Assert.Contains("<ins class=\"diffchange diffchange-inline\">new</ins> words here", body, StringComparison.Ordinal);
        Assert.Contains("<td class=\"diff-addedline diff-side-added\"><div>more</div></td>", body, StringComparison.Ordinal);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), compare["diffsize"]!.GetValue<int>());

        // Format version 1 puts the rows in "*".
        var v1 = (await client.GetAsync(("action", "compare"), ("fromrev", first.ToString(CultureInfo.InvariantCulture)), ("torev", second.ToString(CultureInfo.InvariantCulture)), ("format", "json"))).Json;
        Assert.Equal(body, v1["compare"]!["*"]!.GetValue<string>());
    }

    [Fact]
    public async Task Compare_ToRelativeTitlesAndText_ResolvedAsMediaWikiDoes()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Relative");
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        var first = await EditAsync(client, token, "Relative page", "one");
        var second = await EditAsync(client, token, "Relative page", "two");
        var third = await EditAsync(client, token, "Relative page", "three");

        var prev = (await CompareAsync(client, ("fromrev", second.ToString(CultureInfo.InvariantCulture)), ("torelative", "prev")))["compare"]!;
        Assert.Equal((first, second), (prev["fromrevid"]!.GetValue<int>(), prev["torevid"]!.GetValue<int>()));
        var next = (await CompareAsync(client, ("fromrev", first.ToString(CultureInfo.InvariantCulture)), ("torelative", "next")))["compare"]!;
        Assert.Equal((first, second), (next["fromrevid"]!.GetValue<int>(), next["torevid"]!.GetValue<int>()));
        var cur = (await CompareAsync(client, ("fromrev", first.ToString(CultureInfo.InvariantCulture)), ("torelative", "cur")))["compare"]!;
        Assert.Equal(third, cur["torevid"]!.GetValue<int>());
        var titles = (await CompareAsync(client, ("fromtitle", "Relative page"), ("totitle", "Relative page")))["compare"]!;
        Assert.Equal("", titles["body"]!.GetValue<string>());

        // The first revision has no previous one: a warning, and the diff from an empty page.
        var creation = await CompareAsync(client, ("fromrev", first.ToString(CultureInfo.InvariantCulture)), ("torelative", "prev"));
        Assert.NotNull(creation["warnings"]!["compare"]);
        Assert.False(creation["compare"]!.AsObject().ContainsKey("fromrevid"));
        Assert.Contains("<div>one</div>", creation["compare"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);

        // A supplied text has no revision fields.
        var text = (await CompareAsync(client, ("fromrev", third.ToString(CultureInfo.InvariantCulture)), ("totext", "three\nfour")))["compare"]!.AsObject();
        Assert.False(text.ContainsKey("torevid"));
        Assert.Contains("<div>four</div>", text["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fromrev=999999&torev=1", "nosuchrevid")]
    [InlineData("fromid=999999&torev=1", "nosuchpageid")]
    [InlineData("fromtitle=No such page here&torev=1", "missingtitle")]
    [InlineData("fromtitle=a[b&torev=1", "invalidtitle")]
    [InlineData("torev=1", "missingparam")]
    [InlineData("fromrev=1", "missingparam")]
    [InlineData("fromrev=1&fromtitle=X&torev=1", "invalidparammix")]
    [InlineData("fromtext=abc&torelative=prev", "compare-relative-to-nothing")]
    public async Task Compare_BadInput_MediaWikisError(string query, string code)
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client();
        var parameters = query.Split('&').Select(p => p.Split('=', 2)).Select(p => (p[0], p[1])).ToArray();

        var answer = await CompareAsync(client, parameters);

        Assert.Equal(code, answer["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revisions_DiffTo_EachRevisionWithItsDiffAndADeprecationWarning()
    {
        await using var farm = await TestFarm.StartAsync();
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Differ");
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        var first = await EditAsync(client, token, "Diffed", "alpha");
        var second = await EditAsync(client, token, "Diffed", "beta");

        var answer = (await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", "Diffed"), ("rvdiffto", "prev"), ("format", "json"), ("formatversion", "2"))).Json;

        var diff = answer["query"]!["pages"]![0]!["revisions"]![0]!["diff"]!;
        Assert.Equal((first, second), (diff["from"]!.GetValue<int>(), diff["to"]!.GetValue<int>()));
        Assert.Contains("<ins class=\"diffchange diffchange-inline\">beta</ins>", diff["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("deprecated", answer["warnings"]!["revisions"]!["warnings"]!.GetValue<string>(), StringComparison.Ordinal);
        var text = (await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", "Diffed"), ("rvdifftotext", "beta\ngamma"), ("format", "json"))).Json;
        Assert.Contains("<div>gamma</div>", text["query"]!["pages"]!.AsObject().First().Value!["revisions"]![0]!["diff"]!["*"]!.GetValue<string>(), StringComparison.Ordinal);
        var bad = (await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", "Diffed"), ("rvdiffto", "soon"), ("format", "json"))).Json;
        Assert.Equal("diffto", bad["error"]!["code"]!.GetValue<string>());
    }
}
