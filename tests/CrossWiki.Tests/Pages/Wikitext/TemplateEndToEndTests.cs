using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Templates, parser functions and the pre-save transform through api.php and the page view, on a farm with the test's clock.</summary>
public sealed class TemplateEndToEndTests(FakeClockFarmFixture fixture) : IClassFixture<FakeClockFarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    private async Task<(ApiClient Client, string Token)> EditorAsync()
    {
        var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        return (client, await client.CsrfTokenAsync());
    }

    private static async Task<JsonNode> EditAsync(ApiClient client, string token, string title, string text)
    {
        var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"), ("formatversion", "2"));
        return answer.Json["edit"] ?? throw new InvalidOperationException(answer.Body);
    }

    private async Task<string> SavedTextAsync(string title) =>
        JsonNode.Parse(await Farm.QueryAsync(("prop", "revisions"), ("titles", title), ("rvprop", "content"), ("rvslots", "main")))!
            ["query"]!["pages"]![0]!["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>();

    [Fact]
    public async Task Parse_PageWithNestedAndMissingTemplates_ExpandedAndListed()
    {
        var (client, token) = await EditorAsync();
        using var _ = client;
        await EditAsync(client, token, "Template:E2e greet", "Hello {{{1|world}}}!");
        await EditAsync(client, token, "Template:E2e outer", "{{E2e greet|{{{who}}}}}<noinclude>doc</noinclude>");
        await EditAsync(client, token, "E2e page", "{{E2e outer|who=Ann}} {{E2e missing}} {{PAGENAME}} {{#expr:6*7}}");

        var answer = await client.GetAsync(("action", "parse"), ("page", "E2e page"), ("prop", "text|templates|links"), ("format", "json"), ("formatversion", "2"));

        var parse = answer.Json["parse"]!;
        var html = parse["text"]!.GetValue<string>();
        Assert.Contains("Hello Ann! ", html, StringComparison.Ordinal);
        Assert.Contains("E2e page 42", html, StringComparison.Ordinal);
        Assert.Contains("Template:E2e missing", html, StringComparison.Ordinal);
        Assert.Equal(
            """[{"ns":10,"title":"Template:E2e outer","exists":true},{"ns":10,"title":"Template:E2e greet","exists":true},{"ns":10,"title":"Template:E2e missing","exists":false}]""",
            parse["templates"]!.ToJsonString());

        var templates = await Farm.QueryAsync(("prop", "templates"), ("titles", "E2e page"));
        Assert.Contains("\"title\":\"Template:E2e greet\"", templates, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Template:E2e missing\"", templates, StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Template:E2e outer\"", templates, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageView_TemplateEdited_ShowsTheNewVersion()
    {
        var (client, token) = await EditorAsync();
        using var _ = client;
        await EditAsync(client, token, "Template:E2e cached", "first version");
        await EditAsync(client, token, "E2e cached page", "Box: {{E2e cached}}");

        async Task<string> ViewAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Farm.AlphaServer + "/wiki/E2e_cached_page");
            var answer = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
            return answer.Body;
        }

        Assert.Contains("Box: first version", await ViewAsync(), StringComparison.Ordinal);
        await EditAsync(client, token, "Template:E2e cached", "second version");

        Assert.Contains("Box: second version", await ViewAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_SignaturesSubstAndPipeTricks_SavedTransformed()
    {
        var (client, token) = await EditorAsync();
        using var _ = client;
        await EditAsync(client, token, "Template:E2e subst", "[{{{1}}}|{{{2|two}}}]<noinclude>doc</noinclude>");
        var now = fixture.Clock.GetUtcNow();
        var date = now.ToString("HH':'mm', '", CultureInfo.InvariantCulture) + now.Day.ToString(CultureInfo.InvariantCulture)
            + now.ToString("' 'MMMM' 'yyyy", CultureInfo.InvariantCulture) + " (UTC)";

        await EditAsync(client, token, "E2e pst",
            "Signed ~~~~ and ~~~ at ~~~~~. [[Foo (bar)|]] [[Help:Topic|]] [[Paris, France|]] {{subst:E2e subst|one}} {{E2e subst|kept}} <nowiki>~~~~</nowiki>   \n\n");

        Assert.Equal(
            $"Signed [[User:Alice|Alice]] ([[User talk:Alice|talk]]) {date} and [[User:Alice|Alice]] ([[User talk:Alice|talk]]) at {date}. "
            + "[[Foo (bar)|Foo]] [[Help:Topic|Topic]] [[Paris, France|Paris]] [one|two] {{E2e subst|kept}} <nowiki>~~~~</nowiki>",
            await SavedTextAsync("E2e pst"));
    }

    [Fact]
    public async Task Parse_OnlyPst_GivesTheTransformedText()
    {
        using var client = Farm.Client();

        var answer = await client.GetAsync(("action", "parse"), ("title", "E2e onlypst"), ("text", "[[Foo (bar)|]] x  "), ("onlypst", "1"), ("format", "json"), ("formatversion", "2"));

        Assert.Equal("[[Foo (bar)|Foo]] x", answer.Json["parse"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, """{"expandtemplates":{"wikitext":"Hi E2e expand!"}}""")]
    [InlineData(2, """{"expandtemplates":{"wikitext":"Hi E2e expand!"}}""")]
    public async Task ExpandTemplates_PropWikitext_MediaWikiShape(int formatVersion, string expected)
    {
        using var client = Farm.Client();

        var answer = await client.GetAsync(("action", "expandtemplates"), ("title", "E2e expand"), ("text", "Hi {{PAGENAME}}!<!-- c -->"), ("prop", "wikitext"),
            ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(expected, answer.Body);
    }

    [Fact]
    public async Task ExpandTemplates_NoProp_LegacyFormatWithDeprecation()
    {
        using var client = Farm.Client();

        var answer = await client.GetAsync(("action", "expandtemplates"), ("text", "{{lc:ABC}}<!-- c -->"), ("includecomments", "1"), ("format", "json"));

        Assert.Contains("\"expandtemplates\":{\"*\":\"abc<!-- c -->\"}", answer.Body, StringComparison.Ordinal);
        Assert.Contains("Because \\\"prop\\\" was not specified, a legacy format has been used", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_TemplateLoop_WarningsCategoriesAndLimitReport()
    {
        var (client, token) = await EditorAsync();
        using var _ = client;
        await EditAsync(client, token, "Template:E2e loop", "L{{E2e loop}}");

        var answer = await client.GetAsync(("action", "parse"), ("title", "E2e loop page"), ("text", "{{E2e loop}}{{DEFAULTSORT:Zed}}[[Category:E2e cat]]"),
            ("prop", "parsewarnings|categories|limitreportdata|properties"), ("format", "json"), ("formatversion", "2"));

        var parse = answer.Json["parse"]!;
        Assert.Equal(["<strong>Warning:</strong> This page calls [[:Template:E2e loop]] which causes a template loop (an infinite recursive call)."],
            parse["parsewarnings"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Contains("""{"sortkey":"Zed","category":"E2e_cat","missing":true}""", parse["categories"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("""{"sortkey":"Zed","category":"Pages_with_template_loops","missing":true}""", parse["categories"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("""{"defaultsort":"Zed"}""", parse["properties"]!.ToJsonString());
        var names = parse["limitreportdata"]!.AsArray().Select(e => e!["name"]!.GetValue<string>());
        Assert.Equal(
            ["limitreport-cputime", "limitreport-walltime", "limitreport-ppvisitednodes", "limitreport-postexpandincludesize", "limitreport-templateargumentsize",
             "limitreport-expansiondepth", "limitreport-expensivefunctioncount", "limitreport-unstrip-depth", "limitreport-unstrip-size", "limitreport-timingprofile"],
            names);
        Assert.Equal(1000000, parse["limitreportdata"]![2]!["1"]!.GetValue<int>());
    }

    [Fact]
    public async Task Parse_AMillionBracesAndDeepIfs_AnsweredWithoutServerError()
    {
        using var client = Farm.Client();
        var text = new string('{', 1_000_000) + string.Concat(Enumerable.Repeat("{{#if:x|", 200)) + "y" + string.Concat(Enumerable.Repeat("}}", 200));

        var answer = await client.PostAsync(("action", "parse"), ("title", "E2e braces"), ("text", text), ("prop", "parsewarnings"), ("format", "json"), ("formatversion", "2"));

        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Contains("Page exceeded the expansion depth", answer.Body, StringComparison.Ordinal);
    }
}
