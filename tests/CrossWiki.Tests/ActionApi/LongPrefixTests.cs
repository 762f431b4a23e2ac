using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>
/// Prefix, from and to parameters longer than any title or user name: MediaWiki's answer (a bad title, or
/// nothing found), never a pattern the database refuses (SQLite's "LIKE or GLOB pattern too complex").
/// </summary>
public sealed class LongPrefixTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static readonly string Long = new('a', 60_000);

    [Theory]
    [InlineData("allpages", "apprefix")]
    [InlineData("allpages", "apfrom")]
    [InlineData("allcategories", "acprefix")]
    [InlineData("alllinks", "alprefix")]
    [InlineData("allimages", "aiprefix")]
    public async Task TitlePrefix_LongerThanATitle_IsABadTitle(string list, string parameter)
    {
        using var client = fixture.Farm.Client();

        var answer = await client.PostAsync(("action", "query"), ("list", list), (parameter, Long), ("format", "json"));

        Assert.Equal("invalidtitle", answer.Json["error"]?["code"]?.GetValue<string>());
        Assert.StartsWith("Bad title \"aaaa", answer.Json["error"]!["info"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allusers", "auprefix")]
    [InlineData("usercontribs", "ucuserprefix")]
    public async Task UserPrefix_LongerThanAName_FindsNothing(string list, string parameter)
    {
        using var client = fixture.Farm.Client();

        var answer = await client.PostAsync(("action", "query"), ("list", list), (parameter, Long), ("format", "json"), ("formatversion", "2"));

        Assert.Null(answer.Json["error"]);
        Assert.Empty(answer.Json["query"]![list]!.AsArray());
    }
}
