using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Pages;

/// <summary>JavaScript, CSS and JSON pages: their model by title, served raw with their type, shown as code.</summary>
public sealed class ContentModelTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static readonly NamespaceTable Namespaces = NamespaceTable.Create("C");

    private TestFarm Farm => fixture.Farm;

    [Theory]
    [InlineData("MediaWiki:Common.js", "javascript")]
    [InlineData("MediaWiki:Vector.css", "css")]
    [InlineData("MediaWiki:Gadgets.json", "json")]
    [InlineData("MediaWiki:Mainpage", "wikitext")]
    [InlineData("User:Ann/common.js", "javascript")]
    [InlineData("User:Ann/data.json", "json")]
    [InlineData("User:Ann.js", "wikitext")]
    [InlineData("Project:Page.js", "wikitext")]
    [InlineData("Main.css", "wikitext")]
    public void For_Title_MediaWikisDefaultModel(string title, string model)
    {
        Assert.Equal(model, ContentModel.For(TitleParser.Parse(title, Namespaces).Title!).Name);
    }

    [Theory]
    [InlineData("User:Ann/common.js", null, "text/javascript")]
    [InlineData("User:Ann/common.js", "text/javascript", "text/javascript")]
    [InlineData("User:Ann/common.js", "text/x-wiki", "text/x-wiki")]
    [InlineData("User:Ann/common.css", "text/css", "text/css")]
    [InlineData("User:Ann/notes", "text/javascript", "text/x-wiki")]
    [InlineData("Main Page", "text/javascript", "text/x-wiki")]
    [InlineData("Main Page", "text/css", "text/x-wiki")]
    [InlineData("User:Ann/common.css", "text/javascript", "text/x-wiki")]
    [InlineData("Main Page", "text/html", "text/x-wiki")]
    [InlineData("MediaWiki:Gadgets.json", null, "application/json")]
    public void RawContentType_TitleAndCtype_ScriptOnlyFromScriptPages(string title, string? ctype, string expected)
    {
        Assert.Equal(expected, ContentModel.RawContentType(TitleParser.Parse(title, Namespaces).Title!, ctype));
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("[1, {\"a\": null}]", true)]
    [InlineData("\"text\"", true)]
    [InlineData("12.5", true)]
    [InlineData("", false)]
    [InlineData("{\"a\": 1,}", false)]
    [InlineData("// note\n{}", false)]
    [InlineData("{'a': 1}", false)]
    [InlineData("{} {}", false)]
    public void IsValid_JsonText_AsJsonDecodeReadsIt(string text, bool valid)
    {
        Assert.Equal(valid, ContentModel.Json.IsValid(text));
        Assert.True(ContentModel.Wikitext.IsValid(text));
    }

    [Fact]
    public async Task UserScriptPage_SavedAndRead_JavaScriptModelNoLinksRawAndShownAsCode()
    {
        var title = $"User:{FarmFixture.UserName}/cm{Guid.NewGuid():N}.js";
        var text = "var x = '[[Not a link]]' < 2; // {{Not a template}}";
        await Farm.EditPagesAsync((title, text));
        using var client = Farm.Client();

        var info = JsonNode.Parse(await Farm.QueryAsync(("titles", title), ("prop", "info|revisions|links|templates"), ("rvprop", "content"), ("rvslots", "main")))!["query"]!["pages"]![0]!;
        using var raw = await client.Http.GetAsync(Farm.AlphaServer + "/w/index.php?title=" + Uri.EscapeDataString(title) + "&action=raw&ctype=text/javascript");
        var view = await client.Http.GetStringAsync(Farm.AlphaServer + "/wiki/" + Uri.EscapeDataString(title.Replace(' ', '_')));

        Assert.Equal("javascript", info["contentmodel"]!.GetValue<string>());
        Assert.Equal("""{"contentmodel":"javascript","contentformat":"text/javascript","content":"var x = '[[Not a link]]' < 2; // {{Not a template}}"}""", info["revisions"]![0]!["slots"]!["main"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Null(info["links"]);
        Assert.Null(info["templates"]);
        Assert.Equal("text/javascript; charset=UTF-8", raw.Content.Headers.ContentType!.ToString());
        Assert.Equal("nosniff", raw.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(text, await raw.Content.ReadAsStringAsync());
        Assert.Contains("<pre class=\"mw-code mw-js\" dir=\"ltr\">var x = '[[Not a link]]' &lt; 2; // {{Not a template}}\n</pre>", view, StringComparison.Ordinal);
    }
}
