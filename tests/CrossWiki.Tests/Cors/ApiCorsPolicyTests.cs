using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;

namespace CrossWiki.Tests.Cors;

/// <summary>The Action API decision against spec §2.2-§3 (example configuration of spec §0).</summary>
public sealed class ApiCorsPolicyTests
{
    private const string Allowed = "https://allowed.example.com";

    private static readonly ApiCorsPolicy Policy = new(
        new OriginRules(["allowed.example.com", "*.trusted.example", "port.example:8443"], ["bad.trusted.example"]),
        FarmValidator.DefaultAllowedCorsHeaders,
        600);

    private static ApiCorsDecision Decide(
        string method = "GET",
        string? origin = null,
        string[]? header = null,
        bool requestMethod = false,
        string? requestHeaders = null) =>
        Policy.Decide(new ApiCorsRequest(method, origin, OriginHeader.Parse(header ?? []), requestMethod, requestHeaders));

    private static string Headers(ApiCorsDecision d) => string.Join(" | ", d.Headers.Select(h => h.Key + ": " + h.Value));

    [Theory]
    [InlineData("GET", null, false, false, "None")]
    [InlineData("GET", Allowed, false, false, "None")]
    [InlineData("GET", "*", false, false, "AnonymousCors")]
    [InlineData("OPTIONS", "*", false, false, "AnonymousCors")]
    [InlineData("GET", null, true, false, "Jsonp")]
    [InlineData("GET", "*", true, false, "Jsonp")]
    [InlineData("GET", null, false, true, "TreatAsUntrusted")]
    [InlineData("GET", "https://evil.example", false, true, "TreatAsUntrusted")]
    public void Decide_Inputs_SayWhetherAndWhyTheRequestRunsAnonymously(string method, string? origin, bool callback, bool untrusted, string reason)
    {
        var expected = Enum.Parse<AnonymousReason>(reason);
        var d = Policy.Decide(new ApiCorsRequest(method, origin, OriginHeader.Parse(origin is null or "*" ? [] : [origin]), false, null, callback, untrusted));

        Assert.Equal(expected, d.Anonymous);
        Assert.Equal(expected != AnonymousReason.None, d.LacksSameOriginSecurity);
    }

    [Fact]
    public void Decide_OriginMismatchWithOriginStarElsewhere_ForbidsAndStillSaysAnonymous()
    {
        var d = Policy.Decide(new ApiCorsRequest("GET", Allowed, OriginHeader.Parse(["https://evil.example"]), false, null, HasCallback: true));

        Assert.Equal(CorsAction.Forbid, d.Action);
        Assert.Equal(AnonymousReason.Jsonp, d.Anonymous);
    }

    [Fact]
    public void Decide_NoOriginParameter_SendsNothing()
    {
        var d = Decide(header: [Allowed]);

        Assert.Equal(CorsAction.Continue, d.Action);
        Assert.Empty(d.Headers);
        Assert.False(d.VaryOrigin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example")]
    public void Decide_OriginStar_IgnoresTheHeaderAndAllowsWithoutCredentials(string? header)
    {
        var d = Decide(origin: "*", header: header is null ? [] : [header]);

        Assert.Equal("Access-Control-Allow-Origin: * | Access-Control-Allow-Credentials: false | Access-Control-Expose-Headers: MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed", Headers(d));
        Assert.False(d.VaryOrigin);
    }

    [Fact]
    public void Decide_AllowedOrigin_EchoesWithCredentialsAndTiming()
    {
        var d = Decide(origin: Allowed, header: [Allowed]);

        Assert.Equal(CorsAction.Continue, d.Action);
        Assert.Equal($"Access-Control-Allow-Origin: {Allowed} | Access-Control-Allow-Credentials: true | Timing-Allow-Origin: {Allowed} | Access-Control-Expose-Headers: MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed", Headers(d));
        Assert.True(d.VaryOrigin);
        Assert.Equal("allowed.example.com", d.Match.AllowRule);
    }

    [Fact]
    public void Decide_HeaderWithSpaces_EchoesTheTrimmedHeader()
    {
        var d = Decide(origin: Allowed, header: ["  " + Allowed + "  "]);

        Assert.Equal(Allowed, d.Headers.Single(h => h.Key == "Access-Control-Allow-Origin").Value);
    }

    [Theory]
    [InlineData(Allowed, null)]
    [InlineData(Allowed, "https://other.example")]
    [InlineData("https://Allowed.example.com", Allowed)]
    [InlineData("", Allowed)]
    public void Decide_ParameterNotInOriginHeader_Forbids(string origin, string? header)
    {
        var d = Decide(origin: origin, header: header is null ? [] : [header]);

        Assert.Equal(CorsAction.Forbid, d.Action);
        Assert.Equal("Cache-Control: no-cache", Headers(d));
        Assert.Equal(CorsRefusal.OriginParameterMismatch, d.Refusal);
    }

    [Theory]
    [InlineData("https://evil.example", nameof(CorsRefusal.OriginNotAllowed))]
    [InlineData("https://bad.trusted.example", nameof(CorsRefusal.OriginException))]
    [InlineData("https://port.example", nameof(CorsRefusal.OriginNotAllowed))]
    [InlineData("null", nameof(CorsRefusal.NullOrigin))]
    public void Decide_OriginNotAllowed_RunsWithRejectionHeaderOnly(string origin, string refusal)
    {
        var d = Decide(origin: origin, header: [origin]);

        Assert.Equal(CorsAction.Continue, d.Action);
        Assert.Equal("MediaWiki-CORS-Rejection: Origin mismatch", Headers(d));
        Assert.Equal(refusal, d.Refusal.ToString());
        Assert.True(d.VaryOrigin);
    }

    [Theory]
    [InlineData("https://x.trusted.example")]
    [InlineData("https://port.example:8443")]
    [InlineData("http://allowed.example.com")]
    public void Decide_AllowedByRule_Allows(string origin)
    {
        var d = Decide(origin: origin, header: [origin]);

        Assert.Contains(new KeyValuePair<string, string>("Access-Control-Allow-Credentials", "true"), d.Headers);
    }

    [Fact]
    public void Decide_SeveralOriginsInTheHeader_IsNotMatchedInsteadOfAServerError()
    {
        var d = Decide(origin: Allowed, header: [Allowed + " https://x.trusted.example"]);

        Assert.Equal(CorsAction.Continue, d.Action);
        Assert.Equal("MediaWiki-CORS-Rejection: Origin mismatch", Headers(d));
        Assert.Equal(CorsRefusal.MultipleOrigins, d.Refusal);
    }

    [Theory]
    [InlineData("https://\u00fc.trusted.example")]
    [InlineData("https://allowed.example.com\u000b")]
    [InlineData("https://a\u007f.trusted.example")]
    [InlineData("\u3000https://allowed.example.com")]
    public void Decide_OriginWithControlOrNonAsciiCharacters_IsNotMatched(string header)
    {
        var d = Decide(origin: header.Trim(), header: [header]);

        Assert.Equal(CorsAction.Continue, d.Action);
        Assert.Equal("MediaWiki-CORS-Rejection: Origin mismatch", Headers(d));
        Assert.Equal(CorsRefusal.MalformedOrigin, d.Refusal);
    }

    [Fact]
    public void Decide_PreflightAllowedHeaders_EchoesThemWithMethodsAndMaxAge()
    {
        var d = Decide("OPTIONS", Allowed, [Allowed], requestMethod: true, requestHeaders: "content-type, api-user-agent");

        Assert.Equal(CorsAction.AnswerOptions, d.Action);
        Assert.Equal($"Access-Control-Allow-Headers: content-type, api-user-agent | Access-Control-Allow-Methods: POST, GET, HEAD | Access-Control-Allow-Origin: {Allowed} | Access-Control-Allow-Credentials: true | Timing-Allow-Origin: {Allowed} | Access-Control-Max-Age: 600", Headers(d));
    }

    [Fact]
    public void Decide_PreflightUnsupportedHeader_SendsOnlyTheRejection()
    {
        var d = Decide("OPTIONS", Allowed, [Allowed], requestMethod: true, requestHeaders: "x-requested-with");

        Assert.Equal(CorsAction.AnswerOptions, d.Action);
        Assert.Equal("MediaWiki-CORS-Rejection: Unsupported header requested in preflight", Headers(d));
        Assert.Equal(CorsRefusal.UnsupportedHeader, d.Refusal);
    }

    [Fact]
    public void Decide_PreflightAnyRequestMethod_IsAccepted()
    {
        var d = Decide("OPTIONS", Allowed, [Allowed], requestMethod: true);

        Assert.Equal($"Access-Control-Allow-Methods: POST, GET, HEAD | Access-Control-Allow-Origin: {Allowed} | Access-Control-Allow-Credentials: true | Timing-Allow-Origin: {Allowed} | Access-Control-Max-Age: 600", Headers(d));
    }

    [Fact]
    public void Decide_PreflightOriginStar_AllowsWithoutCredentials()
    {
        var d = Decide("OPTIONS", "*", ["https://evil.example"], requestMethod: true, requestHeaders: "Api-User-Agent");

        Assert.Equal("Access-Control-Allow-Headers: Api-User-Agent | Access-Control-Allow-Methods: POST, GET, HEAD | Access-Control-Allow-Origin: * | Access-Control-Allow-Credentials: false | Access-Control-Max-Age: 600", Headers(d));
    }

    [Fact]
    public void Decide_OptionsWithoutRequestMethod_IsNotAPreflight()
    {
        var d = Decide("OPTIONS", Allowed, [Allowed]);

        Assert.Equal(CorsAction.AnswerOptions, d.Action);
        Assert.Contains(d.Headers, h => h.Key == "Access-Control-Expose-Headers");
        Assert.DoesNotContain(d.Headers, h => h.Key == "Access-Control-Allow-Methods");
    }

    [Fact]
    public void Decide_OptionsWithoutOrigin_AnswersEmpty()
    {
        var d = Decide("OPTIONS");

        Assert.Equal(CorsAction.AnswerOptions, d.Action);
        Assert.Empty(d.Headers);
    }

    [Fact]
    public void Decide_PreflightEmptyRequestHeaders_EchoesAnEmptyValue()
    {
        var d = Decide("OPTIONS", Allowed, [Allowed], requestMethod: true, requestHeaders: "");

        Assert.Equal("Access-Control-Allow-Headers: ", Headers(d)[..("Access-Control-Allow-Headers: ".Length)]);
        Assert.Equal("", d.Headers[0].Value);
    }

    [Theory]
    [InlineData("Accept", true)]
    [InlineData("accept, content-type", true)]
    [InlineData("Api-User-Agent", true)]
    [InlineData("Content-Type , Authorization", true)]
    [InlineData("AUTHORIZATION,Accept-Language", true)]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("api-user-agent,x-requested-with", false)]
    [InlineData("X-Requested-With", false)]
    [InlineData("content-type,", false)]
    [InlineData(",", false)]
    [InlineData("Promise-Non-Write-API-Action", false)]
    [InlineData("Treat-as-Untrusted", false)]
    [InlineData("If-None-Match", false)]
    [InlineData("Content-Type;", false)]
    [InlineData("Content-Type\tAccept", false)]
    public void RequestedHeadersAllowed_DefaultList_AsMediaWiki(string requested, bool expected) =>
        Assert.Equal(expected, Policy.RequestedHeadersAllowed(requested));

    /// <summary>They would be echoed in Access-Control-Allow-Headers, which cannot carry them.</summary>
    [Theory]
    [InlineData("Accept,\u00a0Origin")]
    [InlineData("Accept,\u000bOrigin")]
    [InlineData("\u000b")]
    [InlineData("\u00a0")]
    [InlineData("Accept\u0001")]
    public void RequestedHeadersAllowed_ControlOrNonAsciiCharacters_AreRefused(string requested) =>
        Assert.False(Policy.RequestedHeadersAllowed(requested));

    [Theory]
    [InlineData("Accept", true)]
    [InlineData("Accept,Origin", true)]
    [InlineData("accEpt, oRIGIN", true)]
    [InlineData("Accept,Foo", false)]
    [InlineData("Accept, fOO", false)]
    public void RequestedHeadersAllowed_ApiMainTestList_AsMediaWiki(string requested, bool expected)
    {
        var policy = new ApiCorsPolicy(OriginRules.None, ["Accept", "Origin", "User-Agent"], 0);

        Assert.Equal(expected, policy.RequestedHeadersAllowed(requested));
    }
}
