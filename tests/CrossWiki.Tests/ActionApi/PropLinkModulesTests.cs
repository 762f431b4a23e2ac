using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>prop=images, extlinks, linkshere, transcludedin, fileusage, redirects, categoryinfo, pageprops and contributors, from the link tables and revisions.</summary>
public sealed class PropLinkModulesTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _run;

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task ImagesAndExtlinks_PageOfTheSet_ItsFilesAndUrlsWithContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var title = $"Pl files {n}";
        var id = (await Farm.EditPagesAsync((title, $"[[File:Pl b {n}.png|thumb]] [[File:Pl a {n}.jpg]] [https://example.org/x{n} X] and http://other.example/y{n} and [mailto:a{n}@example.org mail]")))[title];

        Assert.Equal(
            $$$"""{"continue":{"imcontinue":"{{{id}}}|Pl_b_{{{n}}}.png","continue":"||"},"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","images":[{"ns":6,"title":"File:Pl a {{{n}}}.jpg"}]}]}}""",
            await Farm.QueryAsync(("prop", "images"), ("titles", title), ("imlimit", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","images":[{"ns":6,"title":"File:Pl b {{{n}}}.png"}]}]}}""",
            await Farm.QueryAsync(("prop", "images"), ("titles", title), ("imlimit", "1"), ("imcontinue", $"{id}|Pl_b_{n}.png"), ("continue", "||")));
        Assert.Equal(
            $$$"""{"continue":{"elcontinue":2,"continue":"||"},"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","extlinks":[{"url":"https://example.org/x{{{n}}}"},{"url":"http://other.example/y{{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "extlinks"), ("titles", title), ("ellimit", "2")));
        Assert.Equal(
            $$"""{"batchcomplete":"","query":{"pages":{"{{id}}":{"pageid":{{id}},"ns":0,"title":"{{title}}","extlinks":[{"*":"mailto:a{{n}}@example.org"}]""" + "}}}}",
            await Farm.QueryAsync(("prop", "extlinks"), ("titles", title), ("ellimit", "2"), ("elcontinue", "2"), ("continue", "||"), ("formatversion", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","extlinks":[{"url":"http://other.example/y{{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "extlinks"), ("titles", title), ("elquery", "other.example/")));
    }

    [Fact]
    public async Task LinksHere_TwoTargets_SortedByTargetThenLinkingPageWithContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var (a, b) = ($"Plh a {n}", $"Plh b {n}");
        var ids = await Farm.EditPagesAsync(
            (a, "A."),
            ($"Plh one {n}", $"[[{a}]] [[{b}]]"),
            ($"Talk:Plh two {n}", $"[[{a}]]"),
            ($"Plh redirect {n}", $"#REDIRECT [[{a}#Part]]"));
        string Id(string t) => ids[t].ToString(System.Globalization.CultureInfo.InvariantCulture);

        var first = await Farm.QueryAsync(("prop", "linkshere"), ("titles", $"{a}|{b}"), ("lhlimit", "2"));
        var rest = await Farm.QueryAsync(("prop", "linkshere"), ("titles", $"{a}|{b}"), ("lhlimit", "2"), ("lhcontinue", $"Plh_a_{n}|{Id($"Plh redirect {n}")}"), ("continue", "||"));

        // The missing page b comes first (ApiPageSet's order), then a.
        Assert.Equal(
            $$$"""{"continue":{"lhcontinue":"Plh_a_{{{n}}}|{{{Id($"Plh redirect {n}")}}}","continue":"||"},"query":{"pages":[{"ns":0,"title":"{{{b}}}","missing":true},{"pageid":{{{Id(a)}}},"ns":0,"title":"{{{a}}}","linkshere":[{"pageid":{{{Id($"Plh one {n}")}}},"ns":0,"title":"Plh one {{{n}}}","redirect":false},{"pageid":{{{Id($"Talk:Plh two {n}")}}},"ns":1,"title":"Talk:Plh two {{{n}}}","redirect":false}]}]}}""",
            first);
        Assert.Equal(
            $$$"""{"continue":{"lhcontinue":"Plh_b_{{{n}}}|{{{Id($"Plh one {n}")}}}","continue":"||"},"query":{"pages":[{"ns":0,"title":"{{{b}}}","missing":true},{"pageid":{{{Id(a)}}},"ns":0,"title":"{{{a}}}","linkshere":[{"pageid":{{{Id($"Plh redirect {n}")}}},"ns":0,"title":"Plh redirect {{{n}}}","redirect":true}]}]}}""",
            await Farm.QueryAsync(("prop", "linkshere"), ("titles", $"{a}|{b}"), ("lhlimit", "1"), ("lhcontinue", $"Plh_a_{n}|{Id($"Plh redirect {n}")}"), ("continue", "||")));
        Assert.Contains($$$"""{"ns":0,"title":"{{{b}}}","missing":true,"linkshere":[{"pageid":{{{Id($"Plh one {n}")}}}""", rest, StringComparison.Ordinal);
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{Id(a)}}},"ns":0,"title":"{{{a}}}","linkshere":[{"pageid":{{{Id($"Talk:Plh two {n}")}}}}]}]}}""",
            await Farm.QueryAsync(("prop", "linkshere"), ("titles", a), ("lhprop", "pageid"), ("lhnamespace", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{Id(a)}}},"ns":0,"title":"{{{a}}}","redirects":[{"pageid":{{{Id($"Plh redirect {n}")}}},"ns":0,"title":"Plh redirect {{{n}}}","fragment":"Part"}]}]}}""",
            await Farm.QueryAsync(("prop", "redirects"), ("titles", a), ("rdprop", "pageid|title|fragment")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{Id(a)}}},"ns":0,"title":"{{{a}}}"}]}}""",
            await Farm.QueryAsync(("prop", "redirects"), ("titles", a), ("rdshow", "!fragment")));
    }

    [Fact]
    public async Task LinksHereAsGenerator_LinkingPages_AreTheSet()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Plg target {n}", "T."), ($"Plg one {n}", $"[[Plg target {n}]]"), ($"Plg file user {n}", $"[[File:Plg {n}.png]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[$"Plg one {n}"]}}},"ns":0,"title":"Plg one {{{n}}}"}]}}""",
            await Farm.QueryAsync(("generator", "linkshere"), ("titles", $"Plg target {n}")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"ns":6,"title":"File:Plg {{{n}}}.png","missing":true,"fileusage":[{"pageid":{{{ids[$"Plg file user {n}"]}}},"ns":0,"title":"Plg file user {{{n}}}","redirect":false}]}]}}""",
            await Farm.QueryAsync(("prop", "fileusage"), ("titles", $"File:Plg {n}.png")));
    }

    [Fact]
    public async Task CategoryInfo_CategoryWithMembers_CountsByType()
    {
        var n = Interlocked.Increment(ref _run);
        var cat = $"Category:Pci {n}";
        await Farm.EditPagesAsync(($"Pci a {n}", $"[[{cat}]]"), ($"Pci b {n}", $"[[{cat}]]"), ($"Category:Pci sub {n}", $"[[{cat}]]"), ($"File:Pci {n}.png", $"[[{cat}]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"ns":14,"title":"{{{cat}}}","missing":true,"categoryinfo":{"size":4,"pages":2,"files":1,"subcats":1,"hidden":false}},{"ns":14,"title":"Category:Pci empty {{{n}}}","missing":true}]}}""",
            await Farm.QueryAsync(("prop", "categoryinfo"), ("titles", $"{cat}|Category:Pci empty {n}")));
    }

    [Fact]
    public async Task PageProps_BehaviourSwitches_ListedByNameInBothFormatVersionsAndFiltered()
    {
        var n = Interlocked.Increment(ref _run);
        var (a, b) = ($"Ppp a {n}", $"Ppp b {n}");
        var ids = await Farm.EditPagesAsync(
            (a, "__NOTOC__ Text __noeditsection__ and __NOTOC__ again; <nowiki>__NOGALLERY__</nowiki> __hiddencat__ __FOO__"),
            (b, "No switches."));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[a]}}},"ns":0,"title":"{{{a}}}","pageprops":{"noeditsection":"","notoc":""}},{"pageid":{{{ids[b]}}},"ns":0,"title":"{{{b}}}"}]}}""",
            await Farm.QueryAsync(("prop", "pageprops"), ("titles", $"{a}|{b}")));
        Assert.Equal(
            $$"""{"batchcomplete":"","query":{"pages":{"{{ids[a]}}":{"pageid":{{ids[a]}},"ns":0,"title":"{{a}}","pageprops":{"notoc":""}""" + "}}}}",
            await Farm.QueryAsync(("prop", "pageprops"), ("titles", a), ("ppprop", "notoc|nogallery"), ("formatversion", "1")));

        // The pages with a property, by page id, and the names in use.
        var c = ids[$"Ppp c {n}"] = (await Farm.EditPagesAsync(($"Ppp c {n}", "__NOEDITSECTION__")))[$"Ppp c {n}"];
        var first = await Farm.QueryAsync(("list", "pageswithprop"), ("pwppropname", "noeditsection"), ("pwpprop", "ids|title|value"), ("pwplimit", "1"), ("pwpcontinue", ids[a].ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"pwpcontinue":"{{{c}}}","continue":"-||"},"query":{"pageswithprop":[{"pageid":{{{ids[a]}}},"ns":0,"title":"{{{a}}}","value":""}]}}""",
            first);
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pageswithprop":[{"pageid":{{{c}}},"ns":0,"title":"Ppp c {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "pageswithprop"), ("pwppropname", "noeditsection"), ("pwpcontinue", c.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continue", "-||")));
        var generated = await Farm.QueryAsync(("generator", "pageswithprop"), ("gpwppropname", "noeditsection"), ("gpwpdir", "descending"), ("gpwplimit", "1"));
        Assert.Equal($$$"""{"batchcomplete":true,"continue":{"gpwpcontinue":"{{{ids[a]}}}","continue":"gpwpcontinue||"},"query":{"pages":[{"pageid":{{{c}}},"ns":0,"title":"Ppp c {{{n}}}"}]}}""", generated);
        Assert.Contains("""{"propname":"noeditsection"},{"propname":"notoc"}""", await Farm.QueryAsync(("list", "pagepropnames"), ("ppnlimit", "500")), StringComparison.Ordinal);
        Assert.Contains("""{"code":"missingparam","info":"The \"pwppropname\" parameter must be set.""", await Farm.QueryAsync(("list", "pageswithprop")), StringComparison.Ordinal);

        // The switches are gone from the HTML; what is not a switch (or is in nowiki) stays.
        using var client = Farm.Client();
        var html = (await client.GetAsync(("action", "parse"), ("page", a), ("prop", "text"), ("format", "json"))).Body;
        Assert.DoesNotContain("NOTOC", html, StringComparison.Ordinal);
        Assert.Contains("__NOGALLERY__", html, StringComparison.Ordinal);
        Assert.Contains("__hiddencat__", html, StringComparison.Ordinal);
        Assert.Contains("__FOO__", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Categories_HiddenCategory_FlaggedFilteredAndLeftOutOfTheCategoryBox()
    {
        var n = Interlocked.Increment(ref _run);
        var (hidden, shown, member) = ($"Phc hidden {n}", $"Phc shown {n}", $"Phc member {n}");
        var ids = await Farm.EditPagesAsync(($"Category:{hidden}", "__HIDDENCAT__ Maintenance."), (member, $"[[Category:{hidden}]] [[Category:{shown}]]"));
        var cats = $$$"""{"ns":14,"title":"Category:{{{hidden}}}","hidden":true},{"ns":14,"title":"Category:{{{shown}}}","hidden":false}""";

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[member]}}},"ns":0,"title":"{{{member}}}","categories":[{{{cats}}}]}]}}""",
            await Farm.QueryAsync(("prop", "categories"), ("titles", member), ("clprop", "hidden")));
        Assert.Contains($$$""","categories":[{"ns":14,"title":"Category:{{{hidden}}}"}]""", await Farm.QueryAsync(("prop", "categories"), ("titles", member), ("clshow", "hidden")), StringComparison.Ordinal);
        Assert.Contains($$$""","categories":[{"ns":14,"title":"Category:{{{shown}}}"}]""", await Farm.QueryAsync(("prop", "categories"), ("titles", member), ("clshow", "!hidden")), StringComparison.Ordinal);
        Assert.Contains("""{"error":{"code":"show","info":"Incorrect parameter - mutually exclusive values may not be supplied.""", await Farm.QueryAsync(("prop", "categories"), ("titles", member), ("clshow", "hidden|!hidden")), StringComparison.Ordinal);
        Assert.Contains(""","categoryinfo":{"size":1,"pages":1,"files":0,"subcats":0,"hidden":true}""", await Farm.QueryAsync(("prop", "categoryinfo"), ("titles", $"Category:{hidden}")), StringComparison.Ordinal);
        Assert.Contains($$$"""{"category":"{{{hidden}}}","hidden":true}""", await Farm.QueryAsync(("list", "allcategories"), ("acprefix", hidden), ("acprop", "hidden")), StringComparison.Ordinal);

        using var client = Farm.Client();
        var page = await client.Http.GetStringAsync($"{Farm.AlphaServer}/wiki/{Uri.EscapeDataString(member.Replace(' ', '_'))}");
        Assert.Contains(shown, page, StringComparison.Ordinal);
        Assert.DoesNotContain(hidden, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contributors_RegisteredAndAnonymousEditors_ByUserIdAndCounted()
    {
        var n = Interlocked.Increment(ref _run);
        var title = $"Pco {n}";
        var id = (await Farm.EditPagesAsync((title, "One.")))[title];
        using (var bot = Farm.Client())
        {
            await bot.LoginAsync(FarmFixture.BotName, FarmFixture.BotPassword);
            await bot.PostAsync(("action", "edit"), ("title", title), ("appendtext", " Two."), ("token", await bot.CsrfTokenAsync()), ("format", "json"));
        }

        using (var anon = Farm.Client())
        {
            await anon.PostAsync(("action", "edit"), ("title", title), ("appendtext", " Three."), ("token", "+\\"), ("format", "json"));
        }

        var users = System.Text.Json.Nodes.JsonNode.Parse(await Farm.QueryAsync(("list", "users"), ("ususers", $"{FarmFixture.UserName}|{FarmFixture.BotName}")))!["query"]!["users"]!.AsArray();
        var (alice, robot) = (users[0]!["userid"]!.GetValue<int>(), users[1]!["userid"]!.GetValue<int>());

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","anoncontributors":1,"contributors":[{"userid":{{{alice}}},"name":"Alice"},{"userid":{{{robot}}},"name":"Robot"}]}]}}""",
            await Farm.QueryAsync(("prop", "contributors"), ("titles", title)));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","contributors":[{"userid":{{{robot}}},"name":"Robot"}]}]}}""",
            await Farm.QueryAsync(("prop", "contributors"), ("titles", title), ("pcgroup", "bot")));
        Assert.Equal(
            $$$"""{"continue":{"pccontinue":"{{{id}}}|{{{robot}}}","continue":"||"},"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","anoncontributors":1,"contributors":[{"userid":{{{alice}}},"name":"Alice"}]}]}}""",
            await Farm.QueryAsync(("prop", "contributors"), ("titles", title), ("pclimit", "1")));
    }

    [Theory]
    [InlineData("prop=linkshere&titles=A&lhshow=redirect|!redirect", "show")]
    [InlineData("prop=linkshere&titles=A&lhcontinue=x", "badcontinue")]
    [InlineData("prop=redirects&titles=A&rdshow=fragment|!fragment", "show")]
    [InlineData("prop=extlinks&titles=A&elprotocol=gopherx", "badvalue")]
    [InlineData("prop=contributors&titles=A&pccontinue=1", "badcontinue")]
    [InlineData("prop=images&titles=Main Page&imcontinue=1|2|3", "badcontinue")]
    public async Task PropModules_BadParameters_MediaWikisErrors(string parameters, string code)
    {
        using var client = Farm.Client();
        var pairs = parameters.Split('&').Select(p => p.Split('=', 2)).Select(p => (p[0], p[1])).ToArray();

        var answer = await client.GetAsync([("action", "query"), .. pairs, ("format", "json")]);

        Assert.Equal(code, answer.Json["error"]!["code"]!.GetValue<string>());
    }
}
