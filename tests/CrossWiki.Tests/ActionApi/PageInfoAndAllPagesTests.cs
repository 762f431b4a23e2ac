using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>prop=info with inprop=protection (what mwclient reads before every page action) and list=allpages.</summary>
public sealed class PageInfoAndAllPagesTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _page;

    private TestFarm Farm => fixture.Farm;

    private async Task<(int PageId, int RevId)> CreateAsync(string title, params string[] texts)
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        (int, int) last = default;
        foreach (var text in texts)
        {
            var edit = (await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"))).Json["edit"]!;
            last = (edit["pageid"]!.GetValue<int>(), edit["newrevid"]!.GetValue<int>());
        }

        return last;
    }

    private async Task<ApiClient.Answer> QueryAsync(params (string Key, string Value)[] parameters)
    {
        using var client = Farm.Client();
        return await client.GetAsync([("action", "query"), .. parameters, ("format", "json")]);
    }

    [Theory]
    [InlineData("1", """{"batchcomplete":"","query":{"pages":{"-1":{"ns":0,"title":"$M","missing":"","contentmodel":"wikitext","pagelanguage":"en","pagelanguagehtmlcode":"en","pagelanguagedir":"ltr","protection":[],"restrictiontypes":["create"]},"$P":{"pageid":$P,"ns":0,"title":"$T","contentmodel":"wikitext","pagelanguage":"en","pagelanguagehtmlcode":"en","pagelanguagedir":"ltr","touched":"$TS","lastrevid":$R,"length":5,"new":"","protection":[],"restrictiontypes":["edit","move"]}}}}""")]
    [InlineData("2", """{"batchcomplete":true,"query":{"pages":[{"ns":0,"title":"$M","missing":true,"contentmodel":"wikitext","pagelanguage":"en","pagelanguagehtmlcode":"en","pagelanguagedir":"ltr","protection":[],"restrictiontypes":["create"]},{"pageid":$P,"ns":0,"title":"$T","contentmodel":"wikitext","pagelanguage":"en","pagelanguagehtmlcode":"en","pagelanguagedir":"ltr","touched":"$TS","lastrevid":$R,"length":5,"new":true,"protection":[],"restrictiontypes":["edit","move"]}]}}""")]
    public async Task Info_Protection_ExistingAndMissingPage(string formatVersion, string expected)
    {
        var title = $"Info test {Interlocked.Increment(ref _page)}";
        var missing = $"Info test missing {Interlocked.Increment(ref _page)}";
        var (pageId, revId) = await CreateAsync(title, "Hello");
        var answer = await QueryAsync(("prop", "info"), ("inprop", "protection"), ("titles", title + "|" + missing), ("formatversion", formatVersion));
        var pages = answer.Json["query"]!["pages"]!;
        var touched = (formatVersion == "1" ? pages[pageId.ToString(System.Globalization.CultureInfo.InvariantCulture)] : pages[1])!["touched"]!.GetValue<string>();
        Expect.IsTimestamp(touched);
        Assert.Equal(Expect.Fill(expected, ("P", pageId), ("T", title), ("M", missing), ("R", revId), ("TS", touched)), answer.Body);
    }

    [Fact]
    public async Task Info_PageWithTwoRevisions_IsNotNew()
    {
        var title = $"Info test two {Interlocked.Increment(ref _page)}";
        var (pageId, revId) = await CreateAsync(title, "One", "Two!");
        var answer = await QueryAsync(("prop", "info"), ("titles", title), ("formatversion", "2"));
        var touched = answer.Json["query"]!["pages"]![0]!["touched"]!.GetValue<string>();
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":true,"query":{"pages":[{"pageid":$P,"ns":0,"title":"$T","contentmodel":"wikitext","pagelanguage":"en","pagelanguagehtmlcode":"en","pagelanguagedir":"ltr","touched":"$TS","lastrevid":$R,"length":4}]}}""",
                ("P", pageId), ("T", title), ("R", revId), ("TS", touched)),
            answer.Body);
    }

    [Fact]
    public async Task Info_SpecialPage_GetsNoPageInformation()
    {
        var answer = await QueryAsync(("prop", "info"), ("inprop", "protection"), ("titles", "Special:Nothing here"), ("formatversion", "2"));
        Assert.Equal("""{"batchcomplete":true,"query":{"pages":[{"ns":-1,"title":"Special:Nothing here","special":true,"missing":true}]}}""", answer.Body);
    }

    [Fact]
    public async Task AllPages_WithPrefixAndLimit_ContinuesThenCompletes()
    {
        var prefix = $"Allpages test {Interlocked.Increment(ref _page)}";
        var a = (await CreateAsync(prefix + " a", "x")).PageId;
        var b = (await CreateAsync(prefix + " b", "x")).PageId;
        var c = (await CreateAsync(prefix + " c", "x")).PageId;
        var first = await QueryAsync(("list", "allpages"), ("apprefix", prefix), ("aplimit", "2"));
        var key = prefix.Replace(' ', '_');
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":"","continue":{"apcontinue":"$K_c","continue":"-||"},"query":{"allpages":[{"pageid":$A,"ns":0,"title":"$X a"},{"pageid":$B,"ns":0,"title":"$X b"}]}}""",
                ("K", key), ("X", prefix), ("A", a), ("B", b)),
            first.Body);
        var second = await QueryAsync(("list", "allpages"), ("apprefix", prefix), ("aplimit", "2"), ("apcontinue", key + "_c"), ("continue", "-||"), ("formatversion", "2"));
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":true,"query":{"allpages":[{"pageid":$C,"ns":0,"title":"$X c"}]}}""", ("X", prefix), ("C", c)),
            second.Body);
    }

    [Fact]
    public async Task AllPages_HugeLimit_ClampedWithWarning()
    {
        var prefix = $"Allpages none {Interlocked.Increment(ref _page)}";
        var answer = await QueryAsync(("list", "allpages"), ("apprefix", prefix), ("aplimit", "10000"));
        Assert.Equal(
            """{"batchcomplete":"","warnings":{"allpages":{"*":"The value \"10000\" for parameter \"aplimit\" must be between 1 and 500."}},"query":{"allpages":[]}}""",
            answer.Body);
    }
}
