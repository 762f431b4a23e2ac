using CrossWiki.Client.Tests.Infrastructure;

namespace CrossWiki.Client.Tests;

/// <summary>The README's example, line for line, against the test farm instead of the demo farm.</summary>
public sealed class ReadmeExampleTests(ClientFarm farm) : IClassFixture<ClientFarm>
{
    [Fact]
    public async Task Readme_Example_LogsInReadsEditsAndSavesAnOptionHereAndOnTheOtherWiki()
    {
        var user = await farm.CreateUserAsync("Readme");
        var password = ClientFarm.Password;

        var services = new ServiceCollection();
        services.AddCrossWikiClient(o => o.MaxRetries = 3);
        using var provider = services.BuildServiceProvider();
        var wikis = provider.GetRequiredService<WikiClientFactory>();
        var api = wikis.CreateApi(farm.AlphaApi, new WikiApiOptions { UserAgent = "MyBot/1.0 (me@example.org)", MaxLag = 5 });
        await api.LoginAsync(user, password);
        var read = await api.GetAsync(new Dictionary<string, object?> { ["prop"] = "revisions", ["titles"] = "Main Page", ["rvprop"] = "content", ["rvslots"] = "main" });
        var content = read["query"]!["pages"]![0]!["revisions"]![0]!["slots"]!["main"]!["content"];
        var edit = await api.EditAsync("Sandbox " + user, "Hello from .NET", summary: "test");
        await api.SaveOptionAsync("gender", "female");

        var meta = wikis.CreateForeignApi(farm.BetaApi, localApi: api);
        await meta.SaveOptionAsync("gender", "male");
        var rest = wikis.CreateForeignRest(farm.BetaRest, localApi: api);
        var page = await rest.GetAsync("/v1/page/Main_Page");

        Assert.False(string.IsNullOrEmpty(content?.GetValue<string>()));
        Assert.Equal("Success", edit.Result);
        Assert.Equal("female", (await api.GetUserInfoAsync(includeOptions: true)).Options?["gender"]?.GetValue<string>());
        Assert.Equal("male", (await meta.GetUserInfoAsync(includeOptions: true)).Options?["gender"]?.GetValue<string>());
        Assert.Equal("Main Page", page?["title"]?.GetValue<string>());
    }
}
