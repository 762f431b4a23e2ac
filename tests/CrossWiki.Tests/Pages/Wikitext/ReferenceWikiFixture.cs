using System.Diagnostics;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// One farm for the MediaWiki reference runners: every page the cases need (pages.json) saved on the first wiki
/// as Alice, the user the reference wiki parsed as, and a client logged in as her for the parses.
/// </summary>
public sealed class ReferenceWikiFixture : IAsyncLifetime
{
    internal TestFarm Farm { get; private set; } = null!;

    private ApiClient _client = null!;

    /// <summary>The wiki's host and port as its URLs contain them (MediaWiki's were 127.0.0.1:8089).</summary>
    internal string HostPort => new Uri(Farm.AlphaServer).Authority;

    public async Task InitializeAsync()
    {
        // MediaWiki's installer fills its default interwiki table; the cases use one prefix of it.
        Farm = await TestFarm.StartAsync(configure: s => s["Farm:Interwiki:wikipedia"] = "https://en.wikipedia.org/wiki/$1");
        await Farm.CreateUserAsync(FarmFixture.UserName, FarmFixture.Password);
        await Farm.EditPagesAsync([.. ReferenceData.Pages()]);
        _client = Farm.Client();
        _client.Http.Timeout = TimeSpan.FromMinutes(5);
        await _client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await Farm.DisposeAsync();
    }

    /// <summary>action=parse (or expandtemplates) with the parameters the generator sent to MediaWiki (POST, formatversion 2).</summary>
    internal async Task<(int Status, string Body, TimeSpan Elapsed)> ParseAsync(ReferenceCase c)
    {
        var main = c.Action == "expandtemplates" ? "wikitext" : "text";
        var props = c.Props.Where(p => p != main).Prepend(main);
        var parameters = new List<(string, string)>
        {
            ("action", c.Action), ("title", c.Title), ("text", ReferenceData.Expand(c.Text)), ("prop", string.Join('|', props)),
        };
        if (c.Action == "parse")
        {
            parameters.Add(("disablelimitreport", "1"));
            parameters.Add(("contentmodel", "wikitext"));
        }

        parameters.AddRange(c.Params.Select(p => (p.Key, p.Value)));
        parameters.Add(("format", "json"));
        parameters.Add(("formatversion", "2"));
        var watch = Stopwatch.StartNew();
        var answer = await _client.PostAsync([.. parameters]);
        return ((int)answer.Response.StatusCode, answer.Body, watch.Elapsed);
    }
}

[CollectionDefinition(Name)]
public sealed class ReferenceWikiGroup : ICollectionFixture<ReferenceWikiFixture>
{
    public const string Name = "MediaWiki reference";
}
