using CrossWiki.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=purge: the pages' renderings dropped and their touched time moved on.</summary>
public sealed class PurgeTests
{
    [Fact]
    public async Task Purge_ExistingMissingAndInvalid_ListedAsMediaWikiDoesAndTouchedMovesOn()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Purger");
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        await client.PostAsync(("action", "edit"), ("title", "Purged"), ("text", "[[Linked]]"), ("format", "json"), ("token", token));
        static async Task<string> TouchedAsync(ApiClient c) =>
            (await c.GetAsync(("action", "query"), ("prop", "info"), ("titles", "Purged"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!["touched"]!.GetValue<string>();
        var before = await TouchedAsync(client);
        clock.Advance(TimeSpan.FromSeconds(5));

        var answer = (await client.PostAsync(("action", "purge"), ("titles", "Purged|Never written|a[b"), ("forcelinkupdate", "1"), ("format", "json"), ("formatversion", "2"))).Json;

        var items = answer["purge"]!.AsArray();
        Assert.Equal(3, items.Count);
        var purged = items.Single(i => i!["title"]?.GetValue<string>() == "Purged")!;
        Assert.True(purged["purged"]!.GetValue<bool>());
        Assert.True(purged["linkupdate"]!.GetValue<bool>());
        Assert.True(items.Single(i => i!["title"]?.GetValue<string>() == "Never written")!["missing"]!.GetValue<bool>());
        Assert.True(items.Single(i => i!["title"]?.GetValue<string>() == "a[b")!["invalid"]!.GetValue<bool>());
        Assert.NotEqual(before, await TouchedAsync(client));
        var links = (await client.GetAsync(("action", "query"), ("prop", "links"), ("titles", "Purged"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.Equal("Linked", links["query"]!["pages"]![0]!["links"]![0]!["title"]!.GetValue<string>());

        var get = (await client.GetAsync(("action", "purge"), ("titles", "Purged"), ("format", "json"))).Json;
        Assert.Equal("mustbeposted", get["error"]!["code"]!.GetValue<string>());
    }
}
