using CrossWiki.Server.Farm;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Farm;

/// <summary>The farm's wikis are interwiki prefixes of each other; the farm file adds its own.</summary>
public sealed class InterwikiTests
{
    [Fact]
    public async Task Interwiki_FarmWikisAndConfiguredPrefixes_LinkedListedAndKeptOutOfPages()
    {
        await using var farm = await TestFarm.StartAsync(s => s["Farm:Interwiki:Wikipedia"] = "https://en.wikipedia.org/wiki/$1");
        using var client = farm.Client();

        var map = await client.GetAsync(("action", "query"), ("meta", "siteinfo"), ("siprop", "interwikimap"), ("format", "json"), ("formatversion", "2"));
        var parsed = await client.GetAsync(("action", "parse"), ("text", "[[beta:Main Page#Top|the other wiki]] [[wikipedia:Cross-origin resource sharing]] [[:Beta:x]]"),
            ("contentmodel", "wikitext"), ("prop", "text|links"), ("format", "json"), ("formatversion", "2"));
        var titles = await client.GetAsync(("action", "query"), ("titles", "Beta:Main_Page|Main Page"), ("iwurl", "1"), ("format", "json"), ("formatversion", "2"));

        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"interwikimap":[{"prefix":"beta","local":true,"url":"{{{farm.BetaServer}}}/wiki/$1","protorel":false,"wikiid":"beta","api":"{{{farm.BetaApi}}}"},{"prefix":"wikipedia","url":"https://en.wikipedia.org/wiki/$1","protorel":false}]}}""",
            map.Body);
        var html = parsed.Json["parse"]!["text"]!.GetValue<string>();
        Assert.Contains($"<a href=\"{farm.BetaServer}/wiki/Main_Page#Top\" class=\"extiw\" title=\"beta:Main Page#Top\">the other wiki</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://en.wikipedia.org/wiki/Cross-origin_resource_sharing\" class=\"extiw\" title=\"wikipedia:Cross-origin resource sharing\">wikipedia:Cross-origin resource sharing</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{farm.BetaServer}/wiki/x\" class=\"extiw\"", html, StringComparison.Ordinal);
        Assert.Equal("[]", parsed.Json["parse"]!["links"]!.ToJsonString());
        await farm.CreateUserAsync("Interwiki editor", "interwiki-password-1");
        await client.LoginAsync("Interwiki editor", "interwiki-password-1");
        var edit = await client.PostAsync(("action", "edit"), ("title", "beta:Not here"), ("text", "x"), ("token", await client.CsrfTokenAsync()), ("format", "json"));
        Assert.Equal("invalidtitle", edit.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(
            $$$"""{"batchcomplete":true,"query":{"normalized":[{"fromencoded":false,"from":"Beta:Main_Page","to":"beta:Main Page"}],"interwiki":[{"title":"beta:Main Page","iw":"beta","url":"{{{farm.BetaServer}}}/wiki/Main_Page"}],"pages":[{"pageid":1,"ns":0,"title":"Main Page"}]}}""",
            titles.Body);
    }

    [Theory]
    [InlineData("bad prefix", "https://x.example/$1")]
    [InlineData("ok", "https://x.example/wiki/")]
    [InlineData("ok", "not a url $1")]
    public void Validate_BadInterwikiEntry_IsAnError(string prefix, string url)
    {
        var options = new FarmOptions
        {
            Wikis = { ["a"] = new WikiOptions { Server = "http://127.0.0.1:8080" } },
            Interwiki = { [prefix] = url },
        };

        var result = FarmValidator.Validate(options);

        Assert.Contains(result.Errors, e => e.StartsWith($"Farm:Interwiki:{prefix}:", StringComparison.Ordinal));
    }
}
