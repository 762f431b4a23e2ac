namespace CrossWiki.Tests.Cors;

/// <summary>
/// api.php over real HTTP against the example rules of spec §0: the exact CORS-related headers and
/// status of every row of spec §2.4 (A11 as CrossWiki fixes it) and §3 (P1-P11), the 403 and OPTIONS
/// bodies, who the request runs as, and the Vary/Cache-Control rules of §2.5.
/// </summary>
public sealed class ActionApiCorsMatrixTests(CorsFarmFixture fixture) : IClassFixture<CorsFarmFixture>
{
    private const string Allowed = "https://allowed.example.com";
    private const string Evil = "https://evil.example";
    private const string UserInfo = "action=query&meta=userinfo&format=json";
    private const string SiteInfo = "action=query&meta=siteinfo&format=json";

    private const string Expose = "Access-Control-Expose-Headers: MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed";
    private const string Suppressed = "MediaWiki-Login-Suppressed: true";
    private const string Private0 = "Cache-Control: private, must-revalidate, max-age=0";
    private const string NoCache = "Cache-Control: no-cache";
    private const string Mismatch = "MediaWiki-CORS-Rejection: Origin mismatch";
    private const string Unsupported = "MediaWiki-CORS-Rejection: Unsupported header requested in preflight";
    private const string Methods = "Access-Control-Allow-Methods: POST, GET, HEAD";
    private const string MaxAge = "Access-Control-Max-Age: 600";

    private const string VaryOrigin = "Accept-Encoding, Origin, Treat-as-Untrusted, Cookie";
    private const string VaryNoOrigin = "Accept-Encoding, Treat-as-Untrusted, Cookie";

    private static readonly string[] Star = ["Access-Control-Allow-Origin: *", "Access-Control-Allow-Credentials: false"];

    private static string[] Credentialed(string origin) =>
        [$"Access-Control-Allow-Origin: {origin}", "Access-Control-Allow-Credentials: true", $"Timing-Allow-Origin: {origin}"];

    public enum RunsAs
    {
        /// <summary>Nothing ran: a 403 with the text body, or an empty OPTIONS answer.</summary>
        Nothing,
        Alice,
        Anonymous,
    }

    /// <summary>One request and its expected answer; <c>Query</c> and <c>Form</c> are sent exactly as written.</summary>
    public sealed record Row(
        string Method,
        string Query,
        string? Origin,
        int Status,
        string[] Expected,
        RunsAs RunsAs,
        bool Cookies = true,
        string? Form = null,
        (string Name, string Value)[]? Headers = null);

    private static (string, string)[] Preflight(string method = "POST", string? requestHeaders = null) =>
        requestHeaders is null
            ? [("Access-Control-Request-Method", method)]
            : [("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", requestHeaders)];

    /// <summary>Spec §2.4 (plus the §2.1 body-wins cases and §5 JSONP), with Alice's cookies unless said.</summary>
    private static readonly Dictionary<string, Row> ActualRows = new()
    {
        ["A1"] = new("GET", UserInfo, Allowed, 200, [Private0], RunsAs.Alice),
        ["A2"] = new("GET", UserInfo + "&origin=*", null, 200, [Suppressed, .. Star, Expose, Private0], RunsAs.Anonymous, Cookies: false),
        ["A2b"] = new("GET", UserInfo + "&origin=*", null, 200, [Suppressed, .. Star, Expose, Private0], RunsAs.Anonymous),
        ["A15"] = new("GET", UserInfo + "&origin=*", Evil, 200, [Suppressed, .. Star, Expose, Private0], RunsAs.Anonymous),
        ["A3"] = new("GET", UserInfo + "&origin=" + Allowed, Allowed, 200, [.. Credentialed(Allowed), Expose, Private0], RunsAs.Alice),
        ["A3c"] = new("GET", UserInfo + "&origin=https%3A%2F%2Fallowed%2Eexample%2Ecom", Allowed, 200, [.. Credentialed(Allowed), Expose, Private0], RunsAs.Alice),
        ["A18"] = new("GET", UserInfo + "&origin=" + Allowed, "  " + Allowed + "  ", 200, [.. Credentialed(Allowed), Expose, Private0], RunsAs.Alice),
        ["A4"] = new("GET", UserInfo + "&origin=" + Allowed, null, 403, [NoCache], RunsAs.Nothing),
        ["A5"] = new("GET", UserInfo + "&origin=" + Allowed, "https://other.example", 403, [NoCache], RunsAs.Nothing),
        ["A5b"] = new("GET", UserInfo + "&origin=https://Allowed.example.com", Allowed, 403, [NoCache], RunsAs.Nothing),
        ["A5c"] = new("GET", UserInfo + "&origin=" + Allowed + "&callback=f", "https://other.example", 403, [NoCache, Suppressed], RunsAs.Nothing),
        ["A17"] = new("GET", UserInfo + "&origin=", Allowed, 403, [NoCache], RunsAs.Nothing),
        ["A6"] = new("GET", UserInfo + "&origin=" + Evil, Evil, 200, [Mismatch, Private0], RunsAs.Alice),
        ["A7"] = new("GET", UserInfo + "&origin=https://bad.trusted.example", "https://bad.trusted.example", 200, [Mismatch, Private0], RunsAs.Alice),
        ["A8"] = new("GET", UserInfo + "&origin=https://x.trusted.example", "https://x.trusted.example", 200, [.. Credentialed("https://x.trusted.example"), Expose, Private0], RunsAs.Alice),
        ["A9"] = new("GET", UserInfo + "&origin=https://port.example:8443", "https://port.example:8443", 200, [.. Credentialed("https://port.example:8443"), Expose, Private0], RunsAs.Alice),
        ["A9b"] = new("GET", UserInfo + "&origin=https://port.example", "https://port.example", 200, [Mismatch, Private0], RunsAs.Alice),
        ["A10"] = new("GET", UserInfo + "&origin=http://allowed.example.com", "http://allowed.example.com", 200, [.. Credentialed("http://allowed.example.com"), Expose, Private0], RunsAs.Alice),

        // CrossWiki's fix: several origins are "not matched" and the request runs (MediaWiki 1.39: HTTP 500).
        ["A11"] = new("GET", UserInfo + "&origin=" + Allowed, Allowed + " https://x.trusted.example", 200, [Mismatch, Private0], RunsAs.Alice),
        ["A11b"] = new("GET", UserInfo + "&origin=https://x.trusted.example", Allowed + " https://x.trusted.example", 200, [Mismatch, Private0], RunsAs.Alice),
        ["A11c"] = new("GET", UserInfo + "&origin=" + Allowed, Allowed + " " + Allowed, 200, [Mismatch, Private0], RunsAs.Alice),
        ["A12"] = new("GET", UserInfo + "&origin=null", "null", 200, [Mismatch, Private0], RunsAs.Alice),
        ["A13"] = new("POST", "", Allowed, 200, [.. Credentialed(Allowed), Expose, Private0], RunsAs.Alice, Form: UserInfo + "&origin=https%3A%2F%2Fallowed.example.com"),
        ["A13b"] = new("POST", "origin=*", Allowed, 200, [.. Credentialed(Allowed), Expose, Private0], RunsAs.Alice, Form: UserInfo + "&origin=https%3A%2F%2Fallowed.example.com"),
        ["A13c"] = new("POST", "origin=" + Allowed, Allowed, 200, [Suppressed, .. Star, Expose, Private0], RunsAs.Anonymous, Form: UserInfo + "&origin=*"),
        ["A16"] = new("GET", UserInfo, null, 200, [Suppressed, Private0], RunsAs.Anonymous, Headers: [("Treat-as-Untrusted", "1")]),
        ["A16b"] = new("GET", UserInfo, null, 200, [Suppressed, Private0], RunsAs.Anonymous, Headers: [("Treat-as-Untrusted", "")]),
        ["A16c"] = new("GET", UserInfo + "&origin=" + Allowed, Allowed, 200, [Suppressed, .. Credentialed(Allowed), Expose, Private0], RunsAs.Anonymous, Headers: [("Treat-as-Untrusted", "0")]),
        ["J1"] = new("GET", UserInfo + "&origin=*&callback=f", Evil, 200, [Suppressed, .. Star, Expose, Private0], RunsAs.Anonymous),
        ["J2"] = new("GET", UserInfo + "&origin=" + Allowed + "&callback=f", Allowed, 200, [Suppressed, .. Credentialed(Allowed), Expose, Private0], RunsAs.Anonymous),
    };

    /// <summary>Spec §3, without cookies (a browser sends none on a preflight); CrossWiki adds Max-Age.</summary>
    private static readonly Dictionary<string, Row> PreflightRows = new()
    {
        ["P1"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200,
            ["Access-Control-Allow-Headers: content-type, api-user-agent", Methods, .. Credentialed(Allowed), MaxAge], RunsAs.Nothing, false, Headers: Preflight("POST", "content-type, api-user-agent")),
        ["P2"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [Unsupported], RunsAs.Nothing, false, Headers: Preflight("POST", "x-requested-with")),
        ["P3"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [Methods, .. Credentialed(Allowed), MaxAge], RunsAs.Nothing, false, Headers: Preflight("PUT")),
        ["P3b"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [Methods, .. Credentialed(Allowed), MaxAge], RunsAs.Nothing, false, Headers: Preflight("get")),
        ["P4"] = new("OPTIONS", UserInfo + "&origin=*", Evil, 200,
            [Suppressed, "Access-Control-Allow-Headers: Api-User-Agent", Methods, .. Star, MaxAge], RunsAs.Nothing, false, Headers: Preflight("GET", "Api-User-Agent")),
        ["P4b"] = new("OPTIONS", UserInfo + "&origin=*", Evil, 200, [Suppressed, Unsupported], RunsAs.Nothing, false, Headers: Preflight("GET", "X-Foo")),
        ["P5"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [.. Credentialed(Allowed), Expose], RunsAs.Nothing, false),
        ["P6"] = new("OPTIONS", UserInfo, Allowed, 200, [], RunsAs.Nothing, false, Headers: Preflight()),
        ["P7"] = new("OPTIONS", UserInfo + "&origin=" + Evil, Evil, 200, [Mismatch], RunsAs.Nothing, false, Headers: Preflight()),
        ["P8"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, "https://other.example", 403, [NoCache], RunsAs.Nothing, false, Headers: Preflight()),
        ["P9"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200,
            ["Access-Control-Allow-Headers: ", Methods, .. Credentialed(Allowed), MaxAge], RunsAs.Nothing, false, Headers: Preflight("POST", "")),
        ["P10"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200,
            ["Access-Control-Allow-Headers: AUTHORIZATION,Accept-Language", Methods, .. Credentialed(Allowed), MaxAge], RunsAs.Nothing, false, Headers: Preflight("POST", "AUTHORIZATION,Accept-Language")),
        ["P11"] = new("OPTIONS", "", null, 200, [], RunsAs.Nothing, false),

        // Requested header names that could not be echoed back (a control or non-ASCII character) are unsupported.
        ["P12"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [Unsupported], RunsAs.Nothing, false, Headers: Preflight("POST", "Accept,\u00a0Origin")),
        ["P13"] = new("OPTIONS", UserInfo + "&origin=" + Allowed, Allowed, 200, [Unsupported], RunsAs.Nothing, false, Headers: Preflight("POST", "Accept,\u000bOrigin")),
        ["P14"] = new("OPTIONS", UserInfo + "&origin=*", Allowed, 200, [Suppressed, Unsupported], RunsAs.Nothing, false, Headers: Preflight("POST", "Accept\u0001")),
    };

    public static TheoryData<string> ActualRowIds() => [.. ActualRows.Keys];

    public static TheoryData<string> PreflightRowIds() => [.. PreflightRows.Keys];

    private CorsHttp Http => fixture.Http;

    [Theory]
    [MemberData(nameof(ActualRowIds))]
    public async Task Api_Section24Row_HasExactCorsHeadersAndRunsAsExpected(string id) => await CheckAsync(id, ActualRows[id]);

    [Theory]
    [MemberData(nameof(PreflightRowIds))]
    public async Task Options_Section3Row_HasExactCorsHeadersAndAnEmptyBody(string id) => await CheckAsync(id, PreflightRows[id]);

    private async Task CheckAsync(string id, Row row)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (row.Origin is not null)
        {
            headers.Add(new("Origin", row.Origin));
        }

        headers.AddRange((row.Headers ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value)));
        var answer = await Http.SendAsync(row.Method, row.Query, row.Form, headers, row.Cookies ? fixture.AliceCookie : null);

        Assert.True(row.Status == answer.Status, $"{id}: status {answer.Status}, body {answer.Body}");
        Assert.Equal(CorsHttp.Sorted(row.Expected), answer.Cors);
        if (answer.Status == 403)
        {
            // Spec §2.2 step 4.2: PHP's default content type, MediaWiki's one-line text, nothing of the API.
            Assert.Equal("'origin' parameter does not match Origin header\n", answer.Body);
            Assert.Equal("text/html; charset=UTF-8", answer.Header("Content-Type"));
            Assert.Null(answer.Header("MediaWiki-API-Error"));
            Assert.Null(answer.Header("X-Frame-Options"));
            Assert.Null(answer.Header("Set-Cookie"));
            return;
        }

        switch (row.RunsAs)
        {
            case RunsAs.Nothing:
                // Spec §2.2 step 7: every OPTIONS is answered 200 with an empty body and nothing else.
                Assert.Equal("OPTIONS", row.Method);
                Assert.Equal("", answer.Body);
                Assert.Null(answer.Header("Content-Type"));
                Assert.Null(answer.Header("X-Frame-Options"));
                Assert.Null(answer.Header("Set-Cookie"));
                return;
            case RunsAs.Alice:
                Assert.Equal(CorsFarmFixture.UserName, answer.Json["query"]!["userinfo"]!["name"]!.GetValue<string>());
                break;
            case RunsAs.Anonymous:
                var userinfo = answer.Json["query"]!["userinfo"]!;
                Assert.Equal(0, userinfo["id"]!.GetValue<int>());
                Assert.Equal("127.0.0.1", userinfo["name"]!.GetValue<string>());
                break;
        }

        if (row.Query.Contains("callback=f", StringComparison.Ordinal))
        {
            // Spec §5: the JSONP body and type.
            Assert.StartsWith("/**/f({", answer.Body, StringComparison.Ordinal);
            Assert.Equal("text/javascript; charset=utf-8", answer.Header("Content-Type"));
        }
        else
        {
            Assert.Equal("application/json; charset=utf-8", answer.Header("Content-Type"));
        }
    }

    /// <summary>Spec §2.5: Vary only in the public cache modes, with Origin for a specific origin; Cache-Control.</summary>
    public static TheoryData<string, string, string?, string?, string> CacheVectors => new()
    {
        { "siteinfo-allowed", SiteInfo + "&origin=" + Allowed, Allowed, VaryOrigin, "private, must-revalidate, max-age=0" },
        { "siteinfo-rejected", SiteInfo + "&origin=" + Evil, Evil, VaryOrigin, "private, must-revalidate, max-age=0" },
        { "siteinfo-star", SiteInfo + "&origin=*", Allowed, VaryNoOrigin, "private, must-revalidate, max-age=0" },
        { "siteinfo-no-origin", SiteInfo, Allowed, VaryNoOrigin, "private, must-revalidate, max-age=0" },
        { "siteinfo-star-maxage", SiteInfo + "&origin=*&maxage=60&smaxage=60", null, VaryNoOrigin, "s-maxage=60, max-age=60, public" },
        { "siteinfo-allowed-maxage", SiteInfo + "&origin=" + Allowed + "&maxage=30&smaxage=60", Allowed, VaryOrigin, "s-maxage=60, max-age=30, public" },
        { "userinfo-allowed", UserInfo + "&origin=" + Allowed, Allowed, null, "private, must-revalidate, max-age=0" },
        { "userinfo-star-maxage", UserInfo + "&origin=*&maxage=60", null, null, "private, must-revalidate, max-age=60" },
        { "siteinfo-and-userinfo-allowed", "action=query&meta=siteinfo|userinfo&format=json&origin=" + Allowed, Allowed, null, "private, must-revalidate, max-age=0" },
        { "siteinfo-error-star-maxage", SiteInfo + "&assert=user&origin=*&maxage=60&smaxage=60", null, null, "private, must-revalidate, max-age=0" },
    };

    [Theory]
    [MemberData(nameof(CacheVectors))]
    public async Task Api_CacheModeAndOrigin_VaryAndCacheControlAsMediaWiki(string name, string query, string? origin, string? vary, string cacheControl)
    {
        var answer = await Http.SendAsync("GET", query, headers: origin is null ? [] : [new("Origin", origin)]);

        Assert.True(answer.Status is 200 or 400, name);
        Assert.Equal(vary, answer.Header("Vary"));
        Assert.Equal(cacheControl, answer.Header("Cache-Control"));
        Assert.Single(answer.All("Cache-Control"));
        Assert.True(answer.All("Vary").Count <= 1, name);
    }

    [Fact]
    public async Task Api_PublicModeWithMaxAge_SendsExpiresAtTheShorterAge()
    {
        var before = DateTimeOffset.UtcNow;
        var answer = await Http.SendAsync("GET", SiteInfo + "&origin=*&maxage=30&smaxage=60");
        var after = DateTimeOffset.UtcNow;

        // Spec §2.5: public mode with maxage/smaxage adds Expires, min(s-maxage, max-age) from now (RFC 1123).
        Assert.Equal("s-maxage=60, max-age=30, public", answer.Header("Cache-Control"));
        var expires = DateTimeOffset.ParseExact(answer.Header("Expires")!, "r", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddSeconds(29), after.AddSeconds(31));
    }

    [Fact]
    public async Task Api_PrivateMode_SendsNoExpires()
    {
        var answer = await Http.SendAsync("GET", UserInfo + "&origin=*&maxage=60");

        Assert.Null(answer.Header("Expires"));
    }
}
