using System.Text.Json.Nodes;
using CrossWiki.Server.Storage;
using CrossWiki.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Tests.ActionApi;

/// <summary>list=categorymembers, list=backlinks, prop=categories and prop=links, read from the link tables the save path keeps.</summary>
public sealed class LinkQueryTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _run;

    private TestFarm Farm => fixture.Farm;

    private static string Hex(string s) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task CategoryMembers_PagesSubcatsAndFiles_ByTypeThenSortKeyWithContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var cat = $"Category:Lq drinks {n}";
        var ids = await Farm.EditPagesAsync(
            ($"Tea {n}", $"[[{cat}|Zz tea]]"),
            ($"Apple {n}", $"[[{cat}]]"),
            ($"Category:Lq hot {n}", $"[[{cat}]]"),
            ($"File:Lq cup {n}.png", $"[[{cat}]]"),
            ($"Banana {n}", $"[[Category:Lq other {n}]]"));

        var first = await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmlimit", "2"), ("cmprop", "ids|title|sortkeyprefix|type"));
        var second = await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmlimit", "2"), ("cmprop", "ids|title|sortkeyprefix|type"),
            ("cmcontinue", $"subcat|{Hex($"LQ HOT {n}")}|{ids[$"Category:Lq hot {n}"]}"), ("continue", "-||"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"cmcontinue":"subcat|{{{Hex($"LQ HOT {n}")}}}|{{{ids[$"Category:Lq hot {n}"]}}}","continue":"-||"},"query":{"categorymembers":[{"pageid":{{{ids[$"Apple {n}"]}}},"ns":0,"title":"Apple {{{n}}}","sortkeyprefix":"","type":"page"},{"pageid":{{{ids[$"Tea {n}"]}}},"ns":0,"title":"Tea {{{n}}}","sortkeyprefix":"Zz tea","type":"page"}]}}""",
            first);
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"categorymembers":[{"pageid":{{{ids[$"Category:Lq hot {n}"]}}},"ns":14,"title":"Category:Lq hot {{{n}}}","sortkeyprefix":"","type":"subcat"},{"pageid":{{{ids[$"File:Lq cup {n}.png"]}}},"ns":6,"title":"File:Lq cup {{{n}}}.png","sortkeyprefix":"","type":"file"}]}}""",
            second);
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"categorymembers":[{"ns":14,"title":"Category:Lq hot {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmtype", "subcat"), ("cmprop", "title")));
    }

    [Theory]
    [InlineData("cmtitle=Main Page", "invalidcategory")]
    [InlineData("cmlimit=5", "missingparam")]
    [InlineData("cmtitle=Category:X&cmpageid=1", "invalidparammix")]
    [InlineData("cmtitle=Category:X&cmcontinue=page|zz|1", "badcontinue")]
    [InlineData("cmtitle=Category:X&cmcontinue=nope", "badcontinue")]
    [InlineData("cmtitle=Category:X&cmlimit=x", "badinteger")]
    public async Task CategoryMembers_BadParameters_MediaWikisErrors(string parameters, string code)
    {
        using var client = Farm.Client();
        var pairs = parameters.Split('&').Select(p => p.Split('=', 2)).Select(p => (p[0], p[1])).ToArray();

        var answer = await client.GetAsync([("action", "query"), ("list", "categorymembers"), .. pairs, ("format", "json")]);

        Assert.Equal(code, answer.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Backlinks_LinkingPagesAndRedirects_ByPageIdWithContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var target = $"Lq target {n}";
        var ids = await Farm.EditPagesAsync(
            (target, "The target."),
            ($"Lq one {n}", $"See [[{target}]]."),
            ($"Talk:Lq two {n}", $"See [[{target}|it]] and [[{target}#Part]]."),
            ($"Lq redirect {n}", $"#REDIRECT [[{target}]]"),
            ($"Lq other {n}", "See [[Main Page]]."));

        var first = await Farm.QueryAsync(("list", "backlinks"), ("bltitle", target), ("bllimit", "2"));
        var rest = await Farm.QueryAsync(("list", "backlinks"), ("bltitle", target), ("bllimit", "2"), ("blcontinue", $"0|Lq_target_{n}|{ids[$"Lq redirect {n}"]}"), ("continue", "-||"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"blcontinue":"0|Lq_target_{{{n}}}|{{{ids[$"Lq redirect {n}"]}}}","continue":"-||"},"query":{"backlinks":[{"pageid":{{{ids[$"Lq one {n}"]}}},"ns":0,"title":"Lq one {{{n}}}"},{"pageid":{{{ids[$"Talk:Lq two {n}"]}}},"ns":1,"title":"Talk:Lq two {{{n}}}"}]}}""",
            first);
        Assert.Equal($$$"""{"batchcomplete":true,"query":{"backlinks":[{"pageid":{{{ids[$"Lq redirect {n}"]}}},"ns":0,"title":"Lq redirect {{{n}}}","redirect":true}]}}""", rest);
        Assert.Equal($$$"""{"batchcomplete":true,"query":{"backlinks":[{"pageid":{{{ids[$"Talk:Lq two {n}"]}}},"ns":1,"title":"Talk:Lq two {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "backlinks"), ("bltitle", target), ("blnamespace", "1")));
        Assert.Equal($$$"""{"batchcomplete":true,"query":{"backlinks":[{"pageid":{{{ids[$"Lq redirect {n}"]}}},"ns":0,"title":"Lq redirect {{{n}}}","redirect":true}]}}""",
            await Farm.QueryAsync(("list", "backlinks"), ("blpageid", ids[target].ToString(System.Globalization.CultureInfo.InvariantCulture)), ("blfilterredir", "redirects")));
    }

    [Fact]
    public async Task PropCategoriesAndLinks_PageOfTheSet_ItsRowsWithPropContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var title = $"Lq page {n}";
        var ids = await Farm.EditPagesAsync((title, $"[[Lq b {n}]] [[Talk:Lq a {n}]] [[Lq a {n}]] [[Category:Lq cat b {n}]] [[Category:Lq cat a {n}|key]]"));
        var id = ids[title];

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","categories":[{"ns":14,"title":"Category:Lq cat a {{{n}}}","sortkey":"{{{Hex($"KEY\nLQ PAGE {n}")}}}","sortkeyprefix":"key"},{"ns":14,"title":"Category:Lq cat b {{{n}}}","sortkey":"{{{Hex($"LQ PAGE {n}")}}}","sortkeyprefix":""}]}]}}""",
            await Farm.QueryAsync(("prop", "categories"), ("titles", title), ("clprop", "sortkey")));
        Assert.Equal(
            $$$"""{"continue":{"plcontinue":"{{{id}}}|1|Lq_a_{{{n}}}","continue":"||"},"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","links":[{"ns":0,"title":"Lq a {{{n}}}"},{"ns":0,"title":"Lq b {{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "links"), ("titles", title), ("pllimit", "2")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","links":[{"ns":1,"title":"Talk:Lq a {{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "links"), ("titles", title), ("pllimit", "2"), ("plcontinue", $"{id}|1|Lq_a_{n}"), ("continue", "||")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{id}}},"ns":0,"title":"{{{title}}}","links":[{"ns":0,"title":"Lq b {{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "links"), ("titles", title), ("pltitles", $"Lq b {n}|Nothing")));
    }

    [Fact]
    public async Task InfoAndAllPages_RedirectPage_FlaggedAndFiltered()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lqr target {n}", "Text."), ($"Lqr redirect {n}", $"#REDIRECT [[Lqr target {n}]]"));

        var pages = JsonNode.Parse(await Farm.QueryAsync(("prop", "info"), ("titles", $"Lqr target {n}|Lqr redirect {n}")))!["query"]!["pages"]!.AsArray();
        var redirect = pages.Single(p => p!["pageid"]!.GetValue<int>() == ids[$"Lqr redirect {n}"])!.AsObject();
        var target = pages.Single(p => p!["pageid"]!.GetValue<int>() == ids[$"Lqr target {n}"])!.AsObject();

        // ApiQueryInfo: "redirect" right after "length", before "new".
        Assert.Equal(["length", "redirect", "new"], redirect.Select(p => p.Key).SkipWhile(k => k != "length"));
        Assert.False(target.ContainsKey("redirect"));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"allpages":[{"pageid":{{{ids[$"Lqr redirect {n}"]}}},"ns":0,"title":"Lqr redirect {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "allpages"), ("apprefix", $"Lqr "), ("apfilterredir", "redirects"), ("apfrom", $"Lqr redirect {n}"), ("apto", $"Lqr target {n}")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"allpages":[{"pageid":{{{ids[$"Lqr target {n}"]}}},"ns":0,"title":"Lqr target {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "allpages"), ("apprefix", $"Lqr "), ("apfilterredir", "nonredirects"), ("apfrom", $"Lqr redirect {n}"), ("apto", $"Lqr target {n}")));
    }

    [Fact]
    public async Task Generator_CategoryMembers_PagesOfTheCategoryWithGeneratorContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        var cat = $"Category:Lqg {n}";
        var ids = await Farm.EditPagesAsync(($"Lqg b {n}", $"[[{cat}]]"), ($"Lqg a {n}", $"[[{cat}]] [[Lqg target {n}]]"));

        var first = await Farm.QueryAsync(("generator", "categorymembers"), ("gcmtitle", cat), ("gcmlimit", "1"), ("prop", "info"), ("inprop", "url"));
        var second = await Farm.QueryAsync(("generator", "categorymembers"), ("gcmtitle", cat), ("gcmlimit", "1"), ("gcmcontinue", $"page|{Hex($"LQG B {n}")}|{ids[$"Lqg b {n}"]}"), ("continue", "gcmcontinue||"));

        var page = JsonNode.Parse(first)!;
        Assert.Equal($"page|{Hex($"LQG B {n}")}|{ids[$"Lqg b {n}"]}", page["continue"]!["gcmcontinue"]!.GetValue<string>());
        Assert.Equal("gcmcontinue||", page["continue"]!["continue"]!.GetValue<string>());
        Assert.True(page["batchcomplete"]!.GetValue<bool>());
        Assert.Equal($"Lqg a {n}", page["query"]!["pages"]![0]!["title"]!.GetValue<string>());
        Assert.StartsWith("http", page["query"]!["pages"]![0]!["fullurl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(page["query"]!["categorymembers"]);
        Assert.Equal($$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[$"Lqg b {n}"]}}},"ns":0,"title":"Lqg b {{{n}}}"}]}}""", second);
    }

    [Fact]
    public async Task Generator_LinksAndCategories_ThePagesTheInputPageLinksTo()
    {
        var n = Interlocked.Increment(ref _run);
        var title = $"Lqg source {n}";
        var ids = await Farm.EditPagesAsync(($"Lqg there {n}", "Here."), (title, $"[[Lqg there {n}]] [[Lqg missing {n}]] [[Category:Lqg cat {n}]]"));

        var links = JsonNode.Parse(await Farm.QueryAsync(("generator", "links"), ("titles", title)))!["query"]!["pages"]!.AsArray();
        var categories = await Farm.QueryAsync(("generator", "categories"), ("titles", title));

        Assert.Equal(
            [$"{ids[$"Lqg there {n}"]}:Lqg there {n}", $"missing:Lqg missing {n}"],
            links.Select(p => (p!["missing"] is null ? p["pageid"]!.ToString() : "missing") + ":" + p["title"]!.GetValue<string>()).OrderBy(s => s.StartsWith("missing", StringComparison.Ordinal)));
        Assert.Equal($$$"""{"batchcomplete":true,"query":{"pages":[{"ns":14,"title":"Category:Lqg cat {{{n}}}","missing":true}]}}""", categories);
    }

    [Fact]
    public async Task Generator_PropModuleNotDone_SameGeneratorBatchComesAgain()
    {
        var n = Interlocked.Increment(ref _run);
        var cat = $"Category:Lqp {n}";
        var ids = await Farm.EditPagesAsync(($"Lqp a {n}", $"[[{cat}]] [[X1 {n}]] [[X2 {n}]]"));

        var answer = JsonNode.Parse(await Farm.QueryAsync(("generator", "categorymembers"), ("gcmtitle", cat), ("prop", "links"), ("pllimit", "1")))!;

        Assert.Null(answer["batchcomplete"]);
        Assert.Equal($"{ids[$"Lqp a {n}"]}|0|X2_{n}", answer["continue"]!["plcontinue"]!.GetValue<string>());
        Assert.Equal("||", answer["continue"]!["continue"]!.GetValue<string>());
        Assert.Null(answer["continue"]!["gcmcontinue"]);
    }

    [Fact]
    public async Task ImageUsage_PagesThatUseTheFile_AndANonFileTitleIsRefused()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lqi user {n}", $"[[File:Lqi {n}.png|thumb]]"), ($"Lqi linker {n}", $"[[:File:Lqi {n}.png]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"imageusage":[{"pageid":{{{ids[$"Lqi user {n}"]}}},"ns":0,"title":"Lqi user {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "imageusage"), ("iutitle", $"File:Lqi {n}.png")));
        Assert.Contains("\"code\":\"bad_image_title\"", await Farm.QueryAsync(("list", "imageusage"), ("iutitle", $"Lqi user {n}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplatesAndEmbeddedIn_TemplateLinkRows_ReadBothWays()
    {
        // Templates are not expanded yet (issue 16), so the rows a transclusion will write are put in directly.
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lqt page {n}", "Text."));
        await using (var db = Farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>().CreateDbContext())
        {
            db.TemplateLinks.Add(new TemplateLink { WikiId = "alpha", FromId = ids[$"Lqt page {n}"], Namespace = 10, Title = $"Lqt_box_{n}" });
            await db.SaveChangesAsync();
        }

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[$"Lqt page {n}"]}}},"ns":0,"title":"Lqt page {{{n}}}","templates":[{"ns":10,"title":"Template:Lqt box {{{n}}}"}]}]}}""",
            await Farm.QueryAsync(("prop", "templates"), ("titles", $"Lqt page {n}")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"embeddedin":[{"pageid":{{{ids[$"Lqt page {n}"]}}},"ns":0,"title":"Lqt page {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "embeddedin"), ("eititle", $"Template:Lqt box {n}")));
    }

    [Fact]
    public async Task CategoryMembers_ByTimestamp_InTheOrderTheyWereAddedBothWays()
    {
        var n = Interlocked.Increment(ref _run);
        var cat = $"Category:Lqs {n}";
        var ids = await Farm.EditPagesAsync(($"Lqs z {n}", $"[[{cat}]]"), ($"Lqs y {n}", $"[[{cat}]]"), ($"Lqs x {n}", $"[[{cat}]]"));

        var first = JsonNode.Parse(await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmsort", "timestamp"), ("cmlimit", "2"), ("cmprop", "ids|timestamp")))!;
        var next = first["continue"]!["cmcontinue"]!.GetValue<string>();
        var rest = JsonNode.Parse(await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmsort", "timestamp"), ("cmlimit", "2"), ("cmcontinue", next), ("continue", "-||")))!;
        var older = JsonNode.Parse(await Farm.QueryAsync(("list", "categorymembers"), ("cmtitle", cat), ("cmsort", "timestamp"), ("cmdir", "older")))!;

        static IEnumerable<int> Ids(JsonNode answer) => answer["query"]!["categorymembers"]!.AsArray().Select(m => m!["pageid"]!.GetValue<int>());
        int[] added = [ids[$"Lqs z {n}"], ids[$"Lqs y {n}"], ids[$"Lqs x {n}"]];
        Assert.Equal(added[..2], Ids(first));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|" + added[2] + "$", next);
        Assert.Equal(added[2..], Ids(rest));
        Assert.Equal(added.Reverse(), Ids(older));
        Assert.NotNull(first["query"]!["categorymembers"]![0]!["timestamp"]);
    }

    [Fact]
    public async Task Redirects_TitlesAndGenerator_ReplacedByTheirTargetsHopByHop()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(
            ($"Lqs target {n}", "Text."),
            ($"Lqs hop {n}", $"#REDIRECT [[Lqs target {n}#Part]]"),
            ($"Lqs first {n}", $"#REDIRECT [[Lqs hop {n}]]"),
            ($"Lqs away {n}", $"#REDIRECT [[Lqs nowhere {n}]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"redirects":[{"from":"Lqs first {{{n}}}","to":"Lqs hop {{{n}}}"},{"from":"Lqs away {{{n}}}","to":"Lqs nowhere {{{n}}}"},{"from":"Lqs hop {{{n}}}","to":"Lqs target {{{n}}}","tofragment":"Part"}],"pages":[{"ns":0,"title":"Lqs nowhere {{{n}}}","missing":true},{"pageid":{{{ids[$"Lqs target {n}"]}}},"ns":0,"title":"Lqs target {{{n}}}"}]}}""",
            await Farm.QueryAsync(("titles", $"Lqs first {n}|Lqs away {n}"), ("redirects", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"redirects":[{"from":"Lqs hop {{{n}}}","to":"Lqs target {{{n}}}","tofragment":"Part"}],"pages":[{"pageid":{{{ids[$"Lqs target {n}"]}}},"ns":0,"title":"Lqs target {{{n}}}"}]}}""",
            await Farm.QueryAsync(("generator", "allpages"), ("gapprefix", $"Lqs hop {n}"), ("redirects", "1")));
    }
}
