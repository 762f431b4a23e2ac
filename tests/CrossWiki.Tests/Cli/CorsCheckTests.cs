using CrossWiki.Server.Cli;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Cli;

/// <summary>cors-check against a running farm: each refusal kind of the CORS spec, with the explanation printed.</summary>
public sealed class CorsCheckTests : IAsyncLifetime
{
    private TestFarm _farm = null!;

    private string Api => _farm.AlphaApi;

    private string Beta => _farm.BetaServer;

    public async Task InitializeAsync() =>
        _farm = await TestFarm.StartAsync(s =>
        {
            s["Farm:Wikis:alpha:CrossSiteAJAXdomains:1"] = "*.trusted.test";
            s["Farm:Wikis:alpha:CrossSiteAJAXdomainExceptions:0"] = "bad.trusted.test";
        });

    public async Task DisposeAsync() => await _farm.DisposeAsync();

    private static async Task<(int Status, string[] Lines)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var status = await CorsCheckCommand.RunAsync(args, output);
        return (status, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray());
    }

    [Fact]
    public async Task CorsCheck_AllowedOriginWithCredentials_ExplainsEachHeaderAndExitsZero()
    {
        var (status, lines) = await RunAsync(Api, "--origin", Beta, "--credentials");

        Assert.Equal(0, status);
        Assert.Equal(
        [
            $"cors-check: GET {Api}?action=query&meta=userinfo&format=json&origin={Uri.EscapeDataString(Beta)}",
            $"  from a page of {Beta}, with credentials (cookies)",
            "1. Preflight: not needed (GET with CORS-safelisted headers only).",
            "2. Request: GET answered HTTP 200.",
            $"   ok  Access-Control-Allow-Origin: {Beta} is the page's origin.",
            "   ok  Access-Control-Allow-Credentials: true allows the answer to a request sent with cookies.",
            $"   The wiki's CrossSiteAJAXdomains rule: allow '127.0.0.1:{_farm.Ports[1]}'.",
            "Result: OK; a browser lets the page read the answer.",
        ], lines);
    }

    [Fact]
    public async Task CorsCheck_OriginNotListed_NamesTheMissingHeaderAndTheRejection()
    {
        var (status, lines) = await RunAsync(Api, "--origin", "https://stranger.test", "--credentials");

        Assert.Equal(1, status);
        Assert.Equal(
        [
            "2. Request: GET answered HTTP 200.",
            "   NO  Access-Control-Allow-Origin is missing, so the browser hides the answer from the page.",
            "   The wiki refused the origin: MediaWiki-CORS-Rejection: Origin mismatch (the origin is not in the wiki's CrossSiteAJAXdomains, an exception excludes it, or the Origin header is null or lists several origins).",
            "   The wiki's CrossSiteAJAXdomains rule: none.",
            "Result: REFUSED; the page cannot read the answer.",
        ], lines[3..]);
    }

    [Fact]
    public async Task CorsCheck_OriginExcepted_NamesTheAllowRuleAndTheException()
    {
        var (status, lines) = await RunAsync(Api, "--origin", "https://bad.trusted.test", "--credentials");

        Assert.Equal(1, status);
        Assert.Contains("   The wiki's CrossSiteAJAXdomains rule: allow '*.trusted.test', except 'bad.trusted.test'.", lines);
    }

    [Fact]
    public async Task CorsCheck_OriginParameterNotThePagesOrigin_Is403()
    {
        var (status, lines) = await RunAsync(Api, "--origin", Beta, "--credentials", "--origin-parameter", "https://other.test");

        Assert.Equal(1, status);
        Assert.Contains("2. Request: GET answered HTTP 403.", lines);
        Assert.Contains("   NO  Access-Control-Allow-Origin is missing, so the browser hides the answer from the page.", lines);
    }

    [Fact]
    public async Task CorsCheck_HeaderNotAllowed_IsRefusedAtThePreflight()
    {
        var (status, lines) = await RunAsync(Api, "--origin", Beta, "--credentials", "--method", "POST", "--header", "X-Requested-With");

        Assert.Equal(1, status);
        Assert.Equal(
        [
            "1. Preflight: OPTIONS answered HTTP 200.",
            "   NO  Access-Control-Allow-Origin is missing, so the browser hides the answer from the page.",
            "   The wiki refused the origin: MediaWiki-CORS-Rejection: Unsupported header requested in preflight (a requested header is not in the wiki's AllowedCorsHeaders).",
            $"   The wiki's CrossSiteAJAXdomains rule: allow '127.0.0.1:{_farm.Ports[1]}'.",
            "Result: REFUSED at the preflight; the browser does not send the request.",
        ], lines[2..]);
    }

    [Fact]
    public async Task CorsCheck_PostWithApiUserAgent_PassesThePreflight()
    {
        var (status, lines) = await RunAsync(Api, "--origin", Beta, "--credentials", "--method", "POST", "--header", "Api-User-Agent");

        Assert.Equal(0, status);
        Assert.Contains("   ok  Access-Control-Allow-Headers allows Api-User-Agent.", lines);
        Assert.Equal("Result: OK; a browser lets the page read the answer.", lines[^1]);
    }

    [Fact]
    public async Task CorsCheck_AnonymousFromAnyOrigin_IsReadable()
    {
        var (status, lines) = await RunAsync(Api, "--origin", "https://stranger.test");

        Assert.Equal(0, status);
        Assert.Contains("   ok  Access-Control-Allow-Origin: * allows any page to read an answer sent without credentials.", lines);
        Assert.Contains("   The request ran as an anonymous user (MediaWiki-Login-Suppressed: true).", lines);
    }

    [Fact]
    public async Task CorsCheck_StarWithCredentials_IsRefused()
    {
        var (status, lines) = await RunAsync(Api, "--origin", Beta, "--credentials", "--origin-parameter", "*");

        Assert.Equal(1, status);
        Assert.Contains("   NO  Access-Control-Allow-Origin is '*', which a browser refuses when the request is sent with credentials (cookies).", lines);
    }

    [Fact]
    public async Task CorsCheck_RestWithCredentialsWithoutCookieAuth_IsRefused()
    {
        var (status, lines) = await RunAsync(_farm.AlphaServer + "/w/rest.php/v1/page/Main_Page", "--origin", Beta, "--credentials");

        Assert.Equal(1, status);
        Assert.Contains("   NO  Access-Control-Allow-Origin is missing, so the browser hides the answer from the page.", lines);
    }

    [Theory]
    [InlineData]
    [InlineData("http://x/w/api.php")]
    [InlineData("--origin", "https://a.test")]
    [InlineData("notaurl", "--origin", "https://a.test")]
    public async Task CorsCheck_BadArguments_PrintsUsageAndExitsTwo(params string[] args)
    {
        var (status, lines) = await RunAsync(args);

        Assert.Equal(2, status);
        Assert.StartsWith("Usage: cors-check", lines[0], StringComparison.Ordinal);
    }
}
