using CrossWiki.Server.Web;
using CrossWiki.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CrossWiki.Tests.Web;

/// <summary>The options of the HTML change lists, read from the URL, and the days filter with the server's clock moved on.</summary>
public sealed class ChangesOptionsTests(FakeClockFarmFixture fixture) : IClassFixture<FakeClockFarmFixture>
{
    private static QueryCollection Query(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => new StringValues(v.Value)));

    [Fact]
    public void Parse_NothingGiven_IsMediaWikisDefaults()
    {
        var options = ChangesOptions.Parse(Query(), ChangesOptions.RecentChanges);

        Assert.Equal(ChangesOptions.RecentChanges, options);
        Assert.Equal(["!bot"], options.Show());
        Assert.Empty(options.Parameters(ChangesOptions.RecentChanges));
        Assert.Null(options.Namespaces());
    }

    [Fact]
    public void Parse_FiltersAndBounds_AreReadAndWrittenBackInMediaWikisOrder()
    {
        var options = ChangesOptions.Parse(Query(("hidebots", "0"), ("hideminor", "1"), ("hideliu", "yes"), ("limit", "100000"), ("days", "-3"),
            ("namespace", "3"), ("associated", "1"), ("invert", "0")), ChangesOptions.RecentChanges);

        Assert.Equal(new ChangesOptions(3, false, true, false, true, false, false, true, ChangesOptions.MaxLimit, 7), options);
        Assert.Equal(["!minor", "anon"], options.Show().Order(StringComparer.Ordinal));
        Assert.Equal([2, 3], options.Namespaces());
        Assert.Equal([("hidebots", "0"), ("hideminor", "1"), ("hideliu", "1"), ("limit", "500"), ("namespace", "3"), ("associated", "1")], options.Parameters(ChangesOptions.RecentChanges));
    }

    [Fact]
    public void Parse_NamespaceAll_IsNoNamespaceFilter()
    {
        var options = ChangesOptions.Parse(Query(("namespace", "all"), ("invert", "1")), ChangesOptions.Watchlist);

        Assert.Null(options.Namespaces());
        Assert.Empty(options.Parameters(ChangesOptions.Watchlist));
    }

    [Fact]
    public async Task RecentChanges_Days_LeavesOutOlderChangesUntilTheDaysReachThem()
    {
        var n = Guid.NewGuid().ToString("N")[..6];
        await fixture.Farm.EditPagesAsync(($"Days old {n}", "Old."));
        fixture.Clock.Advance(TimeSpan.FromDays(10));
        await fixture.Farm.EditPagesAsync(($"Days new {n}", "New."));
        using var client = fixture.Farm.Client();

        var week = await client.Http.GetStringAsync(fixture.Farm.AlphaServer + "/wiki/Special:RecentChanges?limit=500");
        var month = await client.Http.GetStringAsync(fixture.Farm.AlphaServer + "/wiki/Special:RecentChanges?days=30&limit=500");

        Assert.Contains($">Days new {n}</a>", week, StringComparison.Ordinal);
        Assert.DoesNotContain($">Days old {n}</a>", week, StringComparison.Ordinal);
        Assert.Contains($">Days old {n}</a>", month, StringComparison.Ordinal);
        Assert.Contains("<strong><a href=\"/w/index.php?title=Special:RecentChanges&amp;limit=500&amp;days=30\">30</a></strong>", month, StringComparison.Ordinal);
    }
}
