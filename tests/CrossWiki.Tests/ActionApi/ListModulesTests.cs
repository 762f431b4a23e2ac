using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>list=allcategories, alllinks, allredirects, prefixsearch, random, users, allusers and meta=allmessages.</summary>
public sealed class ListModulesTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _run;

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task AllCategories_CategoriesWithMembers_InKeyOrderWithSizesAndContinuation()
    {
        var n = Interlocked.Increment(ref _run);
        await Farm.EditPagesAsync(($"Lac a {n}", $"[[Category:Lac b {n}]] [[Category:Lac a {n}]]"), ($"Category:Lac c {n}", $"[[Category:Lac b {n}]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"accontinue":"Lac_b_{{{n}}}","continue":"-||"},"query":{"allcategories":[{"category":"Lac a {{{n}}}","size":1,"pages":1,"files":0,"subcats":0}]}}""",
            await Farm.QueryAsync(("list", "allcategories"), ("acprefix", $"Lac "), ("acfrom", $"Lac a {n}"), ("aclimit", "1"), ("acprop", "size")));
        Assert.Equal(
            $$$"""{"batchcomplete":"","query":{"allcategories":[{"*":"Lac b {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "allcategories"), ("acprefix", $"Lac b {n}"), ("acmin", "2"), ("formatversion", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"allcategories":[]}}""",
            await Farm.QueryAsync(("list", "allcategories"), ("acprefix", $"Lac b {n}"), ("acmax", "1")));
    }

    [Fact]
    public async Task AllLinksAndAllRedirects_Targets_UniqueOrWithLinkingPages()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lal one {n}", $"[[Lal x {n}]] [[Lal y {n}]]"), ($"Lal two {n}", $"[[Lal x {n}]]"), ($"Lal redirect {n}", $"#REDIRECT [[Lal x {n}#S]]"));
        var (one, two, redirect) = (ids[$"Lal one {n}"], ids[$"Lal two {n}"], ids[$"Lal redirect {n}"]);

        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"alcontinue":"Lal_x_{{{n}}}|{{{two}}}","continue":"-||"},"query":{"alllinks":[{"fromid":{{{one}}},"ns":0,"title":"Lal x {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "alllinks"), ("alprefix", $"Lal x {n}"), ("alprop", "ids|title"), ("allimit", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"alllinks":[{"fromid":{{{two}}},"ns":0,"title":"Lal x {{{n}}}"},{"fromid":{{{redirect}}},"ns":0,"title":"Lal x {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "alllinks"), ("alprefix", $"Lal x {n}"), ("alprop", "ids|title"), ("allimit", "2"), ("alcontinue", $"Lal_x_{n}|{two}"), ("continue", "-||")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"alllinks":[{"ns":0,"title":"Lal x {{{n}}}"},{"ns":0,"title":"Lal y {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "alllinks"), ("alprefix", $"Lal "), ("alfrom", $"Lal x {n}"), ("alto", $"Lal y {n}"), ("alunique", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"allredirects":[{"fromid":{{{redirect}}},"ns":0,"title":"Lal x {{{n}}}","fragment":"S"}]}}""",
            await Farm.QueryAsync(("list", "allredirects"), ("arprefix", $"Lal x {n}"), ("arprop", "ids|title|fragment")));
        Assert.Equal(
            "invalidparammix",
            JsonNode.Parse(await Farm.QueryAsync(("list", "alllinks"), ("alunique", "1"), ("alprop", "ids")))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllLinksAsGenerator_Unique_TheTargetPages()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lag target {n}", "T."), ($"Lag from {n}", $"[[Lag target {n}]] [[Lag missing {n}]]"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"ns":0,"title":"Lag missing {{{n}}}","missing":true},{"pageid":{{{ids[$"Lag target {n}"]}}},"ns":0,"title":"Lag target {{{n}}}"}]}}""",
            await Farm.QueryAsync(("generator", "alllinks"), ("galprefix", $"Lag "), ("galunique", "1")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[$"Lag from {n}"]}}},"ns":0,"title":"Lag from {{{n}}}"}]}}""",
            await Farm.QueryAsync(("generator", "alllinks"), ("galprefix", $"Lag ")));
    }

    [Fact]
    public async Task PrefixSearch_TitleBeginnings_InKeyOrderInTheNamedNamespaceWithOffset()
    {
        var n = Interlocked.Increment(ref _run);
        var ids = await Farm.EditPagesAsync(($"Lps {n}", "A."), ($"Lps {n} b", "B."), ($"Lps {n} a", "C."), ($"Talk:Lps {n}", "D."));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"psoffset":2,"continue":"-||"},"query":{"prefixsearch":[{"ns":0,"title":"Lps {{{n}}}","pageid":{{{ids[$"Lps {n}"]}}}},{"ns":0,"title":"Lps {{{n}}} a","pageid":{{{ids[$"Lps {n} a"]}}}}]}}""",
            await Farm.QueryAsync(("list", "prefixsearch"), ("pssearch", $"lps {n}"), ("pslimit", "2")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"prefixsearch":[{"ns":0,"title":"Lps {{{n}}} b","pageid":{{{ids[$"Lps {n} b"]}}}}]}}""",
            await Farm.QueryAsync(("list", "prefixsearch"), ("pssearch", $"lps {n}"), ("pslimit", "2"), ("psoffset", "2")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"prefixsearch":[{"ns":1,"title":"Talk:Lps {{{n}}}","pageid":{{{ids[$"Talk:Lps {n}"]}}}}]}}""",
            await Farm.QueryAsync(("list", "prefixsearch"), ("pssearch", $"Talk:lps {n}")));
        Assert.Equal(
            """{"batchcomplete":true,"query":{"prefixsearch":[]}}""",
            await Farm.QueryAsync(("list", "prefixsearch"), ("pssearch", "[[")));
        Assert.Equal(
            "missingparam",
            JsonNode.Parse(await Farm.QueryAsync(("list", "prefixsearch")))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Random_ContinuedToTheEnd_EveryPageOfTheNamespaceOnce()
    {
        var n = Interlocked.Increment(ref _run);
        await Farm.EditPagesAsync(($"Project:Lrn a {n}", "A."), ($"Project:Lrn b {n}", "B."), ($"Project:Lrn c {n}", "C."));
        var expected = JsonNode.Parse(await Farm.QueryAsync(("list", "allpages"), ("apnamespace", "4"), ("aplimit", "max")))!["query"]!["allpages"]!
            .AsArray().Select(p => p!["title"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

        var seen = new List<string>();
        string? cont = null;
        for (var i = 0; i < 100; i++)
        {
            var answer = JsonNode.Parse(await Farm.QueryAsync([("list", "random"), ("rnnamespace", "4"), ("rnlimit", "2"), .. cont is null ? [] : new[] { ("rncontinue", cont), ("continue", "-||") }]))!;
            seen.AddRange(answer["query"]!["random"]!.AsArray().Select(p => p!["title"]!.GetValue<string>()));
            cont = answer["continue"]?["rncontinue"]?.GetValue<string>();
            if (cont is null)
            {
                break;
            }
        }

        Assert.Equal(expected, seen.Order(StringComparer.Ordinal));
        Assert.Equal(
            "badcontinue",
            JsonNode.Parse(await Farm.QueryAsync(("list", "random"), ("rncontinue", "2|0.5|1")))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UsersAndAllUsers_Accounts_GroupsEditCountsAndMissingNames()
    {
        await Farm.EditPagesAsync(($"Lus {Interlocked.Increment(ref _run)}", "Counted."));
        var robot = JsonNode.Parse(await Farm.QueryAsync(("list", "users"), ("ususers", FarmFixture.BotName)))!["query"]!["users"]![0]!["userid"]!.GetValue<int>();
        var alice = JsonNode.Parse(await Farm.QueryAsync(("list", "users"), ("ususers", "alice"), ("usprop", "editcount|groups|implicitgroups|groupmemberships")))!["query"]!["users"]![0]!;

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"users":[{"name":"Nobody here","missing":true},{"userid":{{{robot}}},"name":"Robot","groups":["bot","*","user","autoconfirmed"],"groupmemberships":[{"group":"bot","expiry":"infinity"}]},{"name":"A#b","invalid":true},{"userid":99999,"missing":true}]}}""",
            await Farm.QueryAsync(("list", "users"), ("ususers", "Nobody_here|robot|A#b"), ("ususerids", $"{robot}|99999"), ("usprop", "groups|groupmemberships")));
        Assert.True(alice["editcount"]!.GetValue<int>() >= 1);
        Assert.Equal("""["*","user","autoconfirmed"]""", alice["groups"]!.ToJsonString());
        Assert.Equal("""[]""", alice["groupmemberships"]!.ToJsonString());
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"allusers":[{"userid":{{{robot}}},"name":"Robot"}]}}""",
            await Farm.QueryAsync(("list", "allusers"), ("augroup", "bot")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"continue":{"aufrom":"Robot","continue":"-||"},"query":{"allusers":[{"userid":{{{alice["userid"]}}},"name":"Alice"}]}}""",
            await Farm.QueryAsync(("list", "allusers"), ("aufrom", "Alice"), ("auexcludegroup", "sysop"), ("augroup", "bot|user"), ("auto", "Robot"), ("aulimit", "1"), ("auprefix", "")));
    }

    [Fact]
    public async Task AllMessages_DefaultsAndTheWikisOwn_WithArgumentsAndParser()
    {
        var (admin, _) = await TestUsers.LoggedInAsync(Farm, "Message admin ", null, "sysop");
        using (admin)
        {
            await admin.PostAsync(("action", "edit"), ("title", "MediaWiki:Tagline"), ("text", "Tagline of {{SITENAME}} for $1"), ("token", await admin.CsrfTokenAsync()), ("format", "json"));
        }

        Assert.Equal(
            """{"batchcomplete":true,"query":{"allmessages":[{"name":"mainpage","normalizedname":"mainpage","content":"Main Page"},{"name":"Tagline","normalizedname":"tagline","content":"Tagline of Alpha Wiki for you","default":"From {{SITENAME}}"},{"name":"no-such-message","normalizedname":"no-such-message","missing":true}]}}""",
            await Farm.QueryAsync(("meta", "allmessages"), ("ammessages", "mainpage|Tagline|no-such-message"), ("amprop", "default"), ("amargs", "you"), ("amenableparser", "1")));
        Assert.Equal(
            """{"batchcomplete":"","query":{"allmessages":[{"name":"tagline","normalizedname":"tagline","customised":"","*":"Tagline of {{SITENAME}} for $1"}]}}""",
            await Farm.QueryAsync(("meta", "allmessages"), ("amcustomised", "modified"), ("amprefix", "tag"), ("formatversion", "1")));
        Assert.Equal(
            """{"batchcomplete":true,"query":{"allmessages":[{"name":"pagecategories","normalizedname":"pagecategories","content":"Category"}]}}""",
            await Farm.QueryAsync(("meta", "allmessages"), ("ammessages", "pagecategories"), ("amargs", "1"), ("amenableparser", "1")));
    }

    [Fact]
    public async Task Search_WordsOfTextAndTitles_HitsWithSnippetsTotalAndOffset()
    {
        var n = Interlocked.Increment(ref _run);
        var word = $"zebrafinch{n}";
        var ids = await Farm.EditPagesAsync(($"Lsr {word}", "About birds."), ($"Lsr other {n}", $"Text that names the {word} once."), ($"Talk:Lsr {n}", $"{word} in talk."));
        var found = JsonNode.Parse(await Farm.QueryAsync(("list", "search"), ("srsearch", word), ("srlimit", "1")))!;
        var hit = found["query"]!["search"]![0]!;

        // The title match ranks first; the talk page is in another namespace.
        Assert.Equal("""{"totalhits":2}""", found["query"]!["searchinfo"]!.ToJsonString());
        Assert.Equal("""{"sroffset":1,"continue":"-||"}""", found["continue"]!.ToJsonString());
        Assert.Equal($"Lsr {word}", hit["title"]!.GetValue<string>());
        Assert.Equal(["ns", "title", "pageid", "size", "wordcount", "snippet", "timestamp"], hit.AsObject().Select(p => p.Key));
        Assert.Equal(2, hit["wordcount"]!.GetValue<int>());
        Assert.Equal(
            $$$"""{"batchcomplete":"","query":{"searchinfo":{"totalhits":2},"search":[{"ns":0,"title":"Lsr other {{{n}}}","pageid":{{{ids[$"Lsr other {n}"]}}},"snippet":"Text that names the <span class=\"searchmatch\">{{{word}}}</span> once.","titlesnippet":"Lsr other {{{n}}}"}]}}""",
            await Farm.QueryAsync(("list", "search"), ("srsearch", word), ("sroffset", "1"), ("srprop", "snippet|titlesnippet"), ("formatversion", "1")));
        Assert.Equal(
            """{"batchcomplete":true,"query":{"searchinfo":{"totalhits":2},"search":[]}}""",
            await Farm.QueryAsync(("list", "search"), ("srsearch", word), ("sroffset", "5")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"search":[{"ns":1,"title":"Talk:Lsr {{{n}}}","pageid":{{{ids[$"Talk:Lsr {n}"]}}}}]}}""",
            await Farm.QueryAsync(("list", "search"), ("srsearch", word), ("srnamespace", "1"), ("srprop", ""), ("srinfo", "")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"search":[{"ns":0,"title":"Lsr {{{word}}}","pageid":{{{ids[$"Lsr {word}"]}}}}]}}""",
            await Farm.QueryAsync(("list", "search"), ("srsearch", $"lsr {word}"), ("srwhat", "nearmatch"), ("srprop", ""), ("srinfo", "")));
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"pages":[{"pageid":{{{ids[$"Lsr {word}"]}}},"ns":0,"title":"Lsr {{{word}}}"}]}}""",
            await Farm.QueryAsync(("generator", "search"), ("gsrsearch", word), ("gsrwhat", "title")));
        Assert.Equal(
            "missingparam",
            JsonNode.Parse(await Farm.QueryAsync(("list", "search"), ("srsearch", "")))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenSearchAndRestSearch_TitlesAndText_TheirOwnShapes()
    {
        var n = Interlocked.Increment(ref _run);
        var word = $"wombat{n}";
        var ids = await Farm.EditPagesAsync(($"Los {word} a", "First."), ($"Los {word} b", $"#REDIRECT [[Los {word} a]]"), ($"Los text {n}", $"A {word} & <friends>."));
        using var client = Farm.Client();

        Assert.Equal(
            $$$"""["los {{{word}}}",["Los {{{word}}} a","Los {{{word}}} b"],["",""],["{{{Farm.AlphaServer}}}/wiki/Los_{{{word}}}_a","{{{Farm.AlphaServer}}}/wiki/Los_{{{word}}}_b"]]""",
            (await client.GetAsync(("action", "opensearch"), ("search", $"los {word}"), ("format", "json"))).Body);
        Assert.Equal(
            $$$"""["los {{{word}}}",["Los {{{word}}} a"],[""],["{{{Farm.AlphaServer}}}/wiki/Los_{{{word}}}_a"]]""",
            (await client.GetAsync(("action", "opensearch"), ("search", $"los {word}"), ("redirects", "resolve"), ("format", "json"))).Body);
        Assert.Equal(
            $$$"""{"pages":[{"id":{{{ids[$"Los text {n}"]}}},"key":"Los_text_{{{n}}}","title":"Los text {{{n}}}","excerpt":"A <span class=\"searchmatch\">{{{word}}}</span> &amp; &lt;<span class=\"searchmatch\">friends</span>&gt;.","matched_title":null,"description":null,"thumbnail":null}]}""",
            await client.Http.GetStringAsync(Farm.AlphaServer + $"/w/rest.php/v1/search/page?q={word}+friends"));
        Assert.Equal(
            $$$"""{"pages":[{"id":{{{ids[$"Los {word} a"]}}},"key":"Los_{{{word}}}_a","title":"Los {{{word}}} a","excerpt":"Los {{{word}}} a","matched_title":null,"description":null,"thumbnail":null}]}""",
            await client.Http.GetStringAsync(Farm.AlphaServer + $"/w/rest.php/v1/search/title?q=los+{word}&limit=1"));
        var missing = await client.Http.GetAsync(Farm.AlphaServer + "/w/rest.php/v1/search/page");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
