using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=query's page set and prop=revisions (messages.md §5; api-clients.md "prop=revisions").</summary>
public sealed class QueryRevisionsTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private const string RvSlotsWarning =
        "Because \\\"rvslots\\\" was not specified, a legacy format has been used for the output. This format is deprecated, and in the future the new format will always be used.";

    private static int _page;

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    private static string NewTitle(string what) => $"Query test {what} {Interlocked.Increment(ref _page)}";

    /// <summary>Creates <paramref name="title"/> with the given revisions; returns page id and revision ids, oldest first.</summary>
    private async Task<(int PageId, List<int> Revisions)> CreateAsync(string title, params string[] texts)
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        var revisions = new List<int>();
        var pageId = 0;
        foreach (var text in texts)
        {
            var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("summary", "s " + text), ("token", token), ("format", "json"));
            pageId = answer.Json["edit"]!["pageid"]!.GetValue<int>();
            revisions.Add(answer.Json["edit"]!["newrevid"]!.GetValue<int>());
        }

        return (pageId, revisions);
    }

    private async Task<ApiClient.Answer> QueryAsync(params (string Key, string Value)[] parameters)
    {
        using var client = Farm.Client();
        return await client.GetAsync([("action", "query"), .. parameters, ("format", "json")]);
    }

    [Theory]
    [InlineData("2", "main", """{"batchcomplete":true,"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"Hello ü"}}}]}]}}""")]
    [InlineData("1", "main", """{"batchcomplete":"","query":{"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T","revisions":[{"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","*":"Hello \u00fc"}}}]}}}}""")]
    [InlineData("1", null, """{"batchcomplete":"","warnings":{"main":{"*":"$ML"},"revisions":{"*":"$RVW"}},"query":{"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T","revisions":[{"contentformat":"text/x-wiki","contentmodel":"wikitext","*":"Hello \u00fc"}]}}}}""")]
    [InlineData("2", null, """{"batchcomplete":true,"warnings":{"main":{"warnings":"$ML"},"revisions":{"warnings":"$RVW"}},"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"contentformat":"text/x-wiki","contentmodel":"wikitext","content":"Hello ü"}]}]}}""")]
    public async Task Revisions_Content_EachLayout(string formatVersion, string? slots, string expected)
    {
        var title = NewTitle("layout");
        var (pageId, _) = await CreateAsync(title, "Hello ü");
        var parameters = new List<(string, string)> { ("prop", "revisions"), ("titles", title), ("rvprop", "content"), ("formatversion", formatVersion) };
        if (slots is not null)
        {
            parameters.Add(("rvslots", slots));
        }

        var answer = await QueryAsync([.. parameters]);
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title), ("ML", Expect.MailingList), ("RVW", RvSlotsWarning)), answer.Body);
    }

    [Fact]
    public async Task Revisions_AllUsualProps_InMediaWikisKeyOrder()
    {
        var title = NewTitle("props");
        var (pageId, revs) = await CreateAsync(title, "One", "Two");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title), ("rvprop", "ids|timestamp|flags|comment|user|size|content"), ("rvslots", "main"), ("formatversion", "2"));
        var ts = answer.Json["query"]!["pages"]![0]!["revisions"]![0]!["timestamp"]!.GetValue<string>();
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":true,"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R2,"parentid":$R1,"minor":false,"user":"Alice","timestamp":"$TS","size":3,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"Two"}},"comment":"s Two"}]}]}}""",
                ("P", pageId), ("T", title), ("R1", revs[0]), ("R2", revs[1]), ("TS", ts)),
            answer.Body);
    }

    [Theory]
    [InlineData("1", """{"batchcomplete":"","query":{"normalized":[{"from":"$U","to":"$T"},{"from":"$L","to":"$T"}],"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T"}}}}""")]
    [InlineData("2", """{"batchcomplete":true,"query":{"normalized":[{"fromencoded":false,"from":"$U","to":"$T"},{"fromencoded":false,"from":"$L","to":"$T"}],"pages":[{"pageid":$P,"ns":0,"title":"$T"}]}}""")]
    public async Task Titles_UnderscoresAndLowercase_AreNormalized(string formatVersion, string expected)
    {
        var title = NewTitle("norm");
        var (pageId, _) = await CreateAsync(title, "x");
        var underscored = title.Replace(' ', '_');
        var lower = char.ToLowerInvariant(title[0]) + title[1..];
        var answer = await QueryAsync(("titles", underscored + "|" + lower), ("formatversion", formatVersion));
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title), ("U", underscored), ("L", lower)), answer.Body);
    }

    /// <summary>
    /// Invalid and special titles get negative ids in request order, missing ones after them; the output lists
    /// missing, invalid, special, then existing pages (ApiQuery::outputGeneralPageInfo).
    /// </summary>
    [Theory]
    [InlineData("1", """{"batchcomplete":"","query":{"pages":{"-3":{"ns":0,"title":"$M","missing":""},"-1":{"title":"Foo[bar]","invalidreason":"The requested page title contains invalid characters: \"[\".","invalid":""},"-2":{"ns":-1,"title":"Special:Nothing here","special":"","missing":""},"$P":{"pageid":$P,"ns":0,"title":"$T"}}}}""")]
    [InlineData("2", """{"batchcomplete":true,"query":{"pages":[{"ns":0,"title":"$M","missing":true},{"title":"Foo[bar]","invalidreason":"The requested page title contains invalid characters: \"[\".","invalid":true},{"ns":-1,"title":"Special:Nothing here","special":true,"missing":true},{"pageid":$P,"ns":0,"title":"$T"}]}}""")]
    public async Task Titles_MissingInvalidSpecialAndExisting_MediaWikisOrderAndKeys(string formatVersion, string expected)
    {
        var title = NewTitle("mix");
        var missing = NewTitle("missing");
        var (pageId, _) = await CreateAsync(title, "x");
        var answer = await QueryAsync(("titles", $"{title}|{missing}|Foo[bar]|Special:Nothing here"), ("formatversion", formatVersion));
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title), ("M", missing)), answer.Body);
    }

    [Theory]
    [InlineData("1", """{"batchcomplete":"","query":{"pages":{"987654":{"pageid":987654,"missing":""},"$P":{"pageid":$P,"ns":0,"title":"$T"}}}}""")]
    [InlineData("2", """{"batchcomplete":true,"query":{"pages":[{"pageid":987654,"missing":true},{"pageid":$P,"ns":0,"title":"$T"}]}}""")]
    public async Task PageIds_ExistingAndMissing(string formatVersion, string expected)
    {
        var title = NewTitle("pageids");
        var (pageId, _) = await CreateAsync(title, "x");
        var answer = await QueryAsync(("pageids", $"{pageId}|987654"), ("formatversion", formatVersion));
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title)), answer.Body);
    }

    [Theory]
    [InlineData("1", """{"batchcomplete":"","query":{"badrevids":{"987654":{"revid":987654,"missing":""}},"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R1,"parentid":0}]}}}}""")]
    [InlineData("2", """{"batchcomplete":true,"query":{"badrevids":{"987654":{"revid":987654,"missing":true}},"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R1,"parentid":0}]}]}}""")]
    public async Task RevIds_GoodAndBad(string formatVersion, string expected)
    {
        var title = NewTitle("revids");
        var (pageId, revs) = await CreateAsync(title, "one", "two");
        var answer = await QueryAsync(("prop", "revisions"), ("revids", $"{revs[0]}|987654"), ("rvprop", "ids"), ("formatversion", formatVersion));
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title), ("R1", revs[0])), answer.Body);
    }

    [Fact]
    public async Task Revisions_NewerWithLimit_ContinuesWithoutBatchComplete()
    {
        var title = NewTitle("continue");
        var (pageId, revs) = await CreateAsync(title, "r1", "r2", "r3", "r4", "r5");
        var pages = new List<string>();
        string? cont = null;
        var seen = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var parameters = new List<(string, string)> { ("prop", "revisions"), ("titles", title), ("rvprop", "ids"), ("rvlimit", "2"), ("rvdir", "newer"), ("formatversion", "2") };
            if (cont is not null)
            {
                parameters.Add(("rvcontinue", cont));
                parameters.Add(("continue", "||"));
            }

            var answer = await QueryAsync([.. parameters]);
            pages.Add(answer.Body);
            seen.AddRange(answer.Json["query"]!["pages"]![0]!["revisions"]!.AsArray().Select(r => r!["revid"]!.GetValue<int>()));
            cont = answer.Json["continue"]?["rvcontinue"]?.GetValue<string>();
            if (cont is null)
            {
                break;
            }
        }

        Assert.Equal(revs, seen);
        Assert.Equal(3, pages.Count);
        var firstContinue = JsonNode.Parse(pages[0])!["continue"]!["rvcontinue"]!.GetValue<string>();
        Assert.Matches("^\\d{14}\\|" + revs[2] + "$", firstContinue);
        Assert.Equal(
            Expect.Fill("""{"continue":{"rvcontinue":"$C","continue":"||"},"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R1,"parentid":0},{"revid":$R2,"parentid":$R1}]}]}}""",
                ("C", firstContinue), ("P", pageId), ("T", title), ("R1", revs[0]), ("R2", revs[1])),
            pages[0]);
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":true,"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R5,"parentid":$R4}]}]}}""",
                ("P", pageId), ("T", title), ("R4", revs[3]), ("R5", revs[4])),
            pages[2]);
    }

    [Fact]
    public async Task Revisions_OlderByDefault_NewestFirst()
    {
        var title = NewTitle("older");
        var (_, revs) = await CreateAsync(title, "a", "b", "c");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title), ("rvprop", "ids"), ("rvlimit", "2"), ("formatversion", "2"));
        var ids = answer.Json["query"]!["pages"]![0]!["revisions"]!.AsArray().Select(r => r!["revid"]!.GetValue<int>());
        Assert.Equal([revs[2], revs[1]], ids);
        Assert.EndsWith("|" + revs[0], answer.Json["continue"]!["rvcontinue"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revisions_StartId_EnumeratesFromThere()
    {
        var title = NewTitle("startid");
        var (_, revs) = await CreateAsync(title, "a", "b", "c", "d");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title), ("rvprop", "ids"), ("rvstartid", revs[1].ToString(CultureInfo.InvariantCulture)), ("rvdir", "newer"), ("formatversion", "2"));
        var ids = answer.Json["query"]!["pages"]![0]!["revisions"]!.AsArray().Select(r => r!["revid"]!.GetValue<int>());
        Assert.Equal(revs[1..], ids);
        Assert.True(answer.Json["batchcomplete"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Revisions_UnknownStartId_BadIdRvStartId()
    {
        var title = NewTitle("badstart");
        await CreateAsync(title, "a");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title), ("rvstartid", "98765432"));
        Assert.Equal(Expect.Error(Api, "badid_rvstartid", "No revision was found for parameter \"rvstartid\"."), answer.Body);
    }

    [Fact]
    public async Task Revisions_LimitWithTwoPages_InvalidParamMix()
    {
        var first = NewTitle("two a");
        var second = NewTitle("two b");
        await CreateAsync(first, "a");
        await CreateAsync(second, "b");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", first + "|" + second), ("rvlimit", "5"));
        Assert.Equal(
            Expect.Error(Api, "invalidparammix", "\"titles\", \"pageids\" or a generator was used to supply multiple pages, but the \"rvlimit\", \"rvstartid\", \"rvendid\", \"rvdir=newer\", \"rvuser\", \"rvexcludeuser\", \"rvstart\", and \"rvend\" parameters may only be used on a single page."),
            answer.Body);
    }

    [Fact]
    public async Task Revisions_LimitWithOnePageAndAMissingOne_Enumerates()
    {
        var title = NewTitle("one and missing");
        var (_, revs) = await CreateAsync(title, "a");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title + "|" + NewTitle("not there")), ("rvlimit", "5"), ("rvprop", "ids"), ("formatversion", "2"));
        Assert.Equal(revs[0], answer.Json["query"]!["pages"]![1]!["revisions"]![0]!["revid"]!.GetValue<int>());
    }

    [Fact]
    public async Task Revisions_RevIdsWithLimit_InvalidParamMix()
    {
        var title = NewTitle("revids limit");
        var (_, revs) = await CreateAsync(title, "a");
        var answer = await QueryAsync(("prop", "revisions"), ("revids", revs[0].ToString(CultureInfo.InvariantCulture)), ("rvlimit", "5"));
        Assert.Equal(
            Expect.Error(Api, "invalidparammix", "The \"revids\" parameter may not be used with the list options (\"rvlimit\", \"rvstartid\", \"rvendid\", \"rvdir=newer\", \"rvuser\", \"rvexcludeuser\", \"rvstart\", and \"rvend\")."),
            answer.Body);
    }

    [Fact]
    public async Task Revisions_OnlyMissingPages_NoRvSlotsWarning()
    {
        var title = NewTitle("nothing");
        var answer = await QueryAsync(("prop", "revisions"), ("titles", title), ("rvprop", "content"));
        Assert.Equal(Expect.Fill("""{"batchcomplete":"","query":{"pages":{"-1":{"ns":0,"title":"$T","missing":""}}}}""", ("T", title)), answer.Body);
    }

    [Fact]
    public async Task Query_PagesComeBeforeMetaOutput()
    {
        var title = NewTitle("with meta");
        var (pageId, _) = await CreateAsync(title, "x");
        var answer = await QueryAsync(("meta", "userinfo"), ("titles", title));
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":"","query":{"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T"}},"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}}""", ("P", pageId), ("T", title)),
            answer.Body);
    }
}
