using CrossWiki.Server.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CrossWiki.Tests.Web;

/// <summary>The offset paging of Special:Contributions and Special:Log.</summary>
public sealed class FeedPagerTests
{
    private static readonly DateTime At = new(2026, 12, 4, 12, 34, 56, DateTimeKind.Utc);

    private static FeedPager Parse(params (string Key, string Value)[] values) =>
        FeedPager.Parse(new QueryCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value))));

    private static string Url((string Name, string Value)[] parameters) => string.Join("&", parameters.Select(p => p.Name + "=" + p.Value));

    [Fact]
    public void Parse_OffsetForms_TimestampAndIdOrABareTimestamp()
    {
        Assert.Equal(new FeedPager(At, 42, false, 50), Parse(("offset", "20261204123456|42")));
        Assert.Equal(new FeedPager(At, long.MaxValue, false, 20), Parse(("offset", "20261204123456"), ("limit", "20")));
        Assert.Equal(new FeedPager(At, 0, true, 500), Parse(("offset", "20261204123456"), ("dir", "prev"), ("limit", "9999")));
        Assert.Equal(new FeedPager(null, 0, false, 50), Parse(("offset", "<script>"), ("limit", "0")));
    }

    [Fact]
    public void Page_FirstPageWithMore_LinksOlderAndOldestOnly()
    {
        var rows = new List<(DateTime, long)> { (At, 3), (At, 2), (At.AddSeconds(-1), 1) };

        var (shown, links) = Parse(("limit", "2")).Page(rows, r => r, Url);

        Assert.Equal([(At, 3L), (At, 2L)], shown);
        Assert.Null(links.NewestUrl);
        Assert.Null(links.NewerUrl);
        Assert.Equal("limit=2&offset=20261204123456|2", links.OlderUrl);
        Assert.Equal("limit=2&dir=prev", links.OldestUrl);
        Assert.Equal(["20", "50", "100", "250", "500"], links.Limits.Select(l => l.Text));
        Assert.False(links.Limits[1].Selected);
    }

    [Fact]
    public void Page_NewerDirection_ShowsNewestFirstAndLinksBothWays()
    {
        // dir=prev reads oldest first from the offset; the page is shown newest first.
        var rows = new List<(DateTime, long)> { (At, 5), (At, 6), (At, 7) };

        var (shown, links) = Parse(("offset", "20261204123456|4"), ("dir", "prev"), ("limit", "2")).Page(rows, r => r, Url);

        Assert.Equal([(At, 6L), (At, 5L)], shown);
        Assert.Equal("limit=2&offset=20261204123456|6&dir=prev", links.NewerUrl);
        Assert.Equal("limit=2&offset=20261204123456|5", links.OlderUrl);
        Assert.Equal("limit=2", links.NewestUrl);
        Assert.Equal("limit=50&offset=20261204123456|4&dir=prev", links.Limits[1].Url);
    }
}
