using CrossWiki.Server.Cors;

namespace CrossWiki.Tests.Cors;

/// <summary>REST CORS decisions: spec §6.2-§6.4 and the CorsUtilsTest vectors of §8.2.</summary>
public sealed class RestCorsPolicyTests
{
    private static RestCorsPolicy Policy(bool allowCrossOrigin = false, bool cookieAuth = false, string[]? domains = null, string[]? allowedHeaders = null) =>
        new(allowCrossOrigin, cookieAuth, "example.com", domains ?? [], [], allowedHeaders ?? [], 600);

    private static RestCorsRequest Request(string method = "GET", string? origin = null, bool registered = false) =>
        new(method, OriginHeader.Parse(origin is null ? [] : [origin]), registered);

    private static string Headers(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join(" | ", headers.Select(h => h.Key + ": " + h.Value));

    [Theory]
    [InlineData(true, "https://example.com")]
    [InlineData(false, null)]
    [InlineData(false, "https://example.com")]
    [InlineData(false, "https://www.mediawiki.org")]
    public void IsAnonymousWriteRefused_AllowedCases_AreNotRefused(bool registered, string? origin)
    {
        var policy = Policy(domains: ["www.mediawiki.org"]);

        Assert.False(policy.IsAnonymousWriteRefused(Request("PUT", origin, registered)));
    }

    [Theory]
    [InlineData("https://evil.org", false, true)]
    [InlineData("https://example.com", false, false)]
    [InlineData("http://example.com", false, false)]
    [InlineData("https://www.mediawiki.org", false, true)]
    [InlineData(null, false, false)]
    [InlineData("null", false, true)]
    [InlineData("", false, true)]
    [InlineData("https://evil.org", true, false)]
    public void IsAnonymousWriteRefused_Section64Table_AsMediaWiki(string? origin, bool registered, bool refused)
    {
        // Default configuration of CorsUtilsTest: no domains, canonical server https://example.com.
        Assert.Equal(refused, Policy().IsAnonymousWriteRefused(Request("PUT", origin, registered)));
    }

    [Fact]
    public void ResponseHeaders_AllowCrossOriginOff_AddsNothing() =>
        Assert.Empty(Policy().ResponseHeaders(Request(origin: "https://example.com", registered: true)));

    [Fact]
    public void ResponseHeaders_AllowCrossOriginOnly_IsStarWithoutVary() =>
        Assert.Equal("Access-Control-Allow-Origin: *", Headers(Policy(allowCrossOrigin: true).ResponseHeaders(Request())));

    [Theory]
    [InlineData("OPTIONS", false)]
    [InlineData("POST", true)]
    public void ResponseHeaders_TrustedOriginWithCookieAuth_EchoesWithCredentials(string method, bool registered)
    {
        var headers = Policy(true, true).ResponseHeaders(Request(method, "https://example.com", registered));

        Assert.Equal("Vary: Origin | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://example.com", Headers(headers));
    }

    [Theory]
    [InlineData(null, "GET", true)]
    [InlineData("www.mediawiki.org", "GET", true)]
    [InlineData("example.com", "POST", false)]
    [InlineData("https://example.com", "GET", false)]
    [InlineData("https://evil.org", "OPTIONS", false)]
    [InlineData("null", "GET", true)]
    [InlineData("https://example.com:443", "GET", true)]
    [InlineData("https://example.com https://www.mediawiki.org", "GET", true)]
    public void ResponseHeaders_UntrustedOrAnonymous_IsStarWithVary(string? origin, string method, bool registered)
    {
        var headers = Policy(true, true, domains: ["www.mediawiki.org"]).ResponseHeaders(Request(method, origin, registered));

        Assert.Equal("Vary: Origin | Access-Control-Allow-Origin: *", Headers(headers));
    }

    [Fact]
    public void ResponseHeaders_AnonymousFromTrustedOriginOnGet_IsStar()
    {
        var headers = Policy(true, true, domains: ["www.mediawiki.org"]).ResponseHeaders(Request("GET", "https://www.mediawiki.org", registered: false));

        Assert.Equal("Vary: Origin | Access-Control-Allow-Origin: *", Headers(headers));
    }

    [Fact]
    public void PreflightHeaders_Methods_AreListedAsGiven() =>
        Assert.Equal("POST", Policy().PreflightHeaders(["POST"]).Single(h => h.Key == "Access-Control-Allow-Methods").Value);

    [Fact]
    public void PreflightHeaders_ConfiguredHeaders_GetMediaWikisAdditionsOnce()
    {
        var policy = Policy(allowedHeaders: ["Authorization", "BlaHeader"]);

        Assert.Equal("Authorization, BlaHeader, Content-Type, If-Mach, If-None-Match, If-Modified-Since", policy.AllowHeaders);
    }
}
