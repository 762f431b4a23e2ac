using System.Net;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Rest;

/// <summary>rest.php routes against a real farm (spec §6.7), and the REST matrix of spec §6.6.</summary>
public sealed class RestApiTests
{
    private const string Allowed = "https://allowed.example.com";
    private const string Evil = "https://evil.example";

    private static Task<TestFarm> FarmAsync(bool allowCrossOrigin = true, bool cookieAuth = true) =>
        TestFarm.StartAsync(s =>
        {
            s["Farm:Wikis:alpha:CrossSiteAJAXdomains:1"] = "allowed.example.com";
            s["Farm:Wikis:alpha:CrossSiteAJAXdomains:2"] = "*.trusted.example";
            s["Farm:Wikis:alpha:AllowCrossOrigin"] = allowCrossOrigin ? "true" : "false";
            s["Farm:Wikis:alpha:RestAllowCrossOriginCookieAuth"] = cookieAuth ? "true" : "false";
        });

    private static async Task<ApiClient.Answer> SendAsync(ApiClient client, HttpMethod method, string url, string? origin = null, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>The CORS-related headers of an answer, sorted, for exact comparison.</summary>
    private static string Cors(ApiClient.Answer a) =>
        string.Join(" | ", CorsHeaderNames.Where(h => a.Header(h) is not null).Select(h => h + ": " + a.Header(h)));

    private static readonly string[] CorsHeaderNames =
    [
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
        "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Timing-Allow-Origin", "Vary",
    ];

    private static string Rest(TestFarm farm, string path) => farm.AlphaServer + "/w/rest.php" + path;

    [Fact]
    public async Task PageSource_ExistingPage_GivesMediaWikisShape()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Main_Page"));

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        var json = a.Json.AsObject();
        Assert.Equal(["id", "key", "title", "latest", "content_model", "license", "source"], json.Select(p => p.Key));
        Assert.Equal("Main_Page", json["key"]!.GetValue<string>());
        Assert.Equal("Main Page", json["title"]!.GetValue<string>());
        Assert.StartsWith("'''Alpha Wiki'''", json["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageBare_ExistingPage_LinksToHtml()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Main_Page/bare"));

        Assert.Equal(farm.AlphaServer + "/w/rest.php/v1/page/Main_Page/html", a.Json["html_url"]!.GetValue<string>());
        Assert.False(a.Json.AsObject().ContainsKey("source"));
    }

    [Theory]
    [InlineData("/v1/page/Main_Page/html")]
    [InlineData("/page/Main_Page/html")]
    public async Task PageHtml_ExistingPage_IsHtmlWithCacheHeadersAndConditionalGet(string path)
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Get, Rest(farm, path));

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", a.Header("Content-Type"));
        Assert.Equal("max-age=5", a.Header("Cache-Control"));
        Assert.Contains("<b>Alpha Wiki</b>", a.Body, StringComparison.Ordinal);
        var etag = a.Response.Headers.ETag!.Tag;
        Assert.Matches("^\"[0-9]+/[0-9a-f]+/view/html\"$", etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Rest(farm, path));
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        conditional.Headers.TryAddWithoutValidation("Origin", Allowed);
        var b = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, b.Response.StatusCode);
        Assert.Equal("*", b.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PageSource_MissingPage_Gives404ErrorBody()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/No_Such_Page"));

        Assert.Equal(HttpStatusCode.NotFound, a.Response.StatusCode);
        Assert.Equal("""{"messageTranslations":{"en":"The specified title (No_Such_Page) does not exist"},"httpCode":404,"httpReason":"Not Found"}""", a.Body);
        Assert.Equal("application/json", a.Header("Content-Type"));
    }

    [Fact]
    public async Task WrongMethod_KnownPath_Gives405WithAllow()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Delete, Rest(farm, "/v1/page/Main_Page/html"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, a.Response.StatusCode);
        Assert.Equal("HEAD, GET", a.Response.Content.Headers.Allow.Count > 0 ? string.Join(", ", a.Response.Content.Headers.Allow) : a.Header("Allow"));
        Assert.Equal("""{"messageTranslations":{"en":"The request method (DELETE) was not one of the allowed methods for this path (HEAD, GET)"},"httpCode":405,"httpReason":"Method Not Allowed"}""", a.Body);
    }

    [Fact]
    public async Task Head_GetRoute_AnswersLikeGetWithoutABody()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Head, Rest(farm, "/v1/page/Main_Page/html"));

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        Assert.Equal("", a.Body);
    }

    [Fact]
    public async Task Trace_GetOnlyRoute_Is405WithAllow()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Trace, Rest(farm, "/v1/page/Main_Page/html"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, a.Response.StatusCode);
        Assert.Equal("Method Not Allowed", a.Json["httpReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_CookieSession_CreatesThenUpdatesWithLatestAndDetectsConflicts()
    {
        await using var farm = await FarmAsync();
        await farm.CreateUserAsync("Writer", "writer-password");
        using var client = farm.Client();
        await client.LoginAsync("Writer", "writer-password");
        var token = await client.CsrfTokenAsync();
        var tokenJson = System.Text.Json.JsonSerializer.Serialize(token);

        var created = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Rest_Page"), json: $$"""{"source":"first","comment":"c1","token":{{tokenJson}}}""");
        Assert.Equal(HttpStatusCode.Created, created.Response.StatusCode);
        var firstId = created.Json["latest"]!["id"]!.GetValue<int>();

        var updated = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Rest_Page"), json: $$"""{"source":"second","comment":"c2","latest":{"id":{{firstId}}},"token":{{tokenJson}}}""");
        Assert.Equal(HttpStatusCode.OK, updated.Response.StatusCode);
        Assert.Equal("second", updated.Json["source"]!.GetValue<string>());

        // Another user's edit on the first revision conflicts with the second (the same user's would not).
        await farm.CreateUserAsync("Other", "other-password");
        using var other = farm.Client();
        await other.LoginAsync("Other", "other-password");
        var otherToken = System.Text.Json.JsonSerializer.Serialize(await other.CsrfTokenAsync());
        var stale = await SendAsync(other, HttpMethod.Put, Rest(farm, "/v1/page/Rest_Page"), json: $$"""{"source":"third","comment":"c3","latest":{"id":{{firstId}}},"token":{{otherToken}}}""");
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Equal("""{"messageTranslations":{"en":"Edit conflict."},"httpCode":409,"httpReason":"Conflict"}""", stale.Body);

        var read = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Rest_Page"));
        Assert.Equal("second", read.Json["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task PageHtml_AfterEditsAndTargetCreation_ShowsTheNewRevisionAndTurnsRedLinksBlue()
    {
        await using var farm = await FarmAsync();
        await farm.CreateUserAsync("Writer", "writer-password");
        using var client = farm.Client();
        await client.LoginAsync("Writer", "writer-password");
        var token = System.Text.Json.JsonSerializer.Serialize(await client.CsrfTokenAsync());

        var created = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Linking_Page"), json: $$"""{"source":"See [[Target Page]].","comment":"c","token":{{token}}}""");
        var first = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Linking_Page/html"));
        Assert.Contains("class=\"new\"", first.Body, StringComparison.Ordinal);
        Assert.Equal(first.Body, (await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Linking_Page/html"))).Body);

        // Rendered HTML is kept by revision: creating the link target must still turn the link blue.
        await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Target_Page"), json: $$"""{"source":"here","comment":"c","token":{{token}}}""");
        var afterTarget = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Linking_Page/html"));
        Assert.DoesNotContain("class=\"new\"", afterTarget.Body, StringComparison.Ordinal);
        Assert.Contains("title=\"Target Page\"", afterTarget.Body, StringComparison.Ordinal);

        // A new revision is rendered anew.
        var latest = created.Json["latest"]!["id"]!.GetValue<int>();
        await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Linking_Page"), json: $$"""{"source":"Now '''bold'''.","comment":"c","latest":{"id":{{latest}}},"token":{{token}}}""");
        var edited = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Linking_Page/html"));
        Assert.Contains("<b>bold</b>", edited.Body, StringComparison.Ordinal);
        Assert.NotEqual(afterTarget.Response.Headers.ETag, edited.Response.Headers.ETag);
    }

    [Fact]
    public async Task Put_AnotherContentModel_Gives403AndKeepsThePage()
    {
        await using var farm = await FarmAsync();
        await farm.CreateUserAsync("Writer", "writer-password");
        using var client = farm.Client();
        await client.LoginAsync("Writer", "writer-password");
        var token = System.Text.Json.JsonSerializer.Serialize(await client.CsrfTokenAsync());

        var json = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Model_Page"), json: $$"""{"source":"{}","comment":"c","content_model":"json","token":{{token}}}""");
        var own = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Model_Page"), json: $$"""{"source":"text","comment":"c","content_model":"wikitext","token":{{token}}}""");

        Assert.Equal("""{"actionModuleErrorCode":"cantchangecontentmodel","messageTranslations":{"en":"You don't have permission to change the content model of a page."},"httpCode":403,"httpReason":"Forbidden"}""", json.Body);
        Assert.Equal(HttpStatusCode.Created, own.Response.StatusCode);
        Assert.Equal("wikitext", own.Json["content_model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_CookieSessionWithoutToken_Gives400MissingParam()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Foo"), json: """{"source":"x","comment":"c"}""");

        Assert.Equal(HttpStatusCode.BadRequest, a.Response.StatusCode);
        Assert.Equal("""{"actionModuleErrorCode":"missingparam","messageTranslations":{"en":"The \"token\" parameter must be set."},"httpCode":400,"httpReason":"Bad Request"}""", a.Body);
    }

    [Fact]
    public async Task Put_BadToken_Gives403()
    {
        await using var farm = await FarmAsync();
        await farm.CreateUserAsync("Writer", "writer-password");
        using var client = farm.Client();
        await client.LoginAsync("Writer", "writer-password");

        var a = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Foo"), json: """{"source":"x","comment":"c","token":"+\\"}""");

        Assert.Equal(HttpStatusCode.Forbidden, a.Response.StatusCode);
        Assert.Equal("""{"messageTranslations":{"en":"Invalid CSRF token."},"httpCode":403,"httpReason":"Forbidden"}""", a.Body);
    }

    [Fact]
    public async Task Put_MalformedJson_Gives400NotA500()
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Foo"), json: "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, a.Response.StatusCode);
    }

    public static TheoryData<string, bool, bool, bool, string, string?, int, string> Matrix => new()
    {
        // row, AO, CK, logged in, method, Origin, status, CORS headers (spec §6.6)
        { "R1", false, false, false, "GET", Allowed, 200, "" },
        { "R2", true, false, false, "GET", Allowed, 200, "Access-Control-Allow-Origin: *" },
        { "R2b", true, false, false, "GET", null, 200, "Access-Control-Allow-Origin: *" },
        { "R3", true, true, false, "GET", Allowed, 200, "Access-Control-Allow-Origin: * | Vary: Origin" },
        { "R4", true, true, true, "GET", Allowed, 200, $"Access-Control-Allow-Origin: {Allowed} | Access-Control-Allow-Credentials: true | Vary: Origin" },
        { "R4b", true, true, true, "GET", "CANONICAL", 200, "Access-Control-Allow-Origin: CANONICAL | Access-Control-Allow-Credentials: true | Vary: Origin" },
        { "R5", true, true, true, "GET", Evil, 200, "Access-Control-Allow-Origin: * | Vary: Origin" },
        { "R5b", true, false, true, "GET", Allowed, 200, "Access-Control-Allow-Origin: *" },
        { "R6", true, true, false, "OPTIONS", Allowed, 204, $"Access-Control-Allow-Origin: {Allowed} | Access-Control-Allow-Credentials: true | Access-Control-Allow-Methods: HEAD, GET | Access-Control-Allow-Headers: HEADERS | Access-Control-Max-Age: 600 | Vary: Origin" },
        { "R6b", true, true, false, "OPTIONS", Evil, 204, "Access-Control-Allow-Origin: * | Access-Control-Allow-Methods: HEAD, GET | Access-Control-Allow-Headers: HEADERS | Access-Control-Max-Age: 600 | Vary: Origin" },
        { "R7", true, false, false, "OPTIONS", Allowed, 204, "Access-Control-Allow-Origin: * | Access-Control-Allow-Methods: HEAD, GET | Access-Control-Allow-Headers: HEADERS | Access-Control-Max-Age: 600" },
        { "R10", false, false, false, "OPTIONS", Allowed, 204, "Access-Control-Allow-Methods: HEAD, GET | Access-Control-Allow-Headers: HEADERS | Access-Control-Max-Age: 600" },
        { "R13", true, true, true, "GET", Allowed + " https://x.trusted.example", 200, "Access-Control-Allow-Origin: * | Vary: Origin" },
        { "R13b", true, true, false, "GET", Allowed + " https://x.trusted.example", 200, "Access-Control-Allow-Origin: * | Vary: Origin" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task PageHtml_Section66Row_HasExactCorsHeaders(string row, bool allowCrossOrigin, bool cookieAuth, bool loggedIn, string method, string? origin, int status, string expected)
    {
        await using var farm = await FarmAsync(allowCrossOrigin, cookieAuth);
        using var client = farm.Client();
        if (loggedIn)
        {
            await farm.CreateUserAsync("Alice", "alice-password");
            await client.LoginAsync("Alice", "alice-password");
        }

        origin = origin == "CANONICAL" ? farm.AlphaServer : origin;
        var a = await SendAsync(client, new HttpMethod(method), Rest(farm, "/v1/page/Main_Page/html"), origin);

        Assert.True((int)a.Response.StatusCode == status, $"{row}: status {(int)a.Response.StatusCode}");
        var headers = "Accept, Accept-Language, Content-Language, Content-Type, Accept-Encoding, DNT, Origin, User-Agent, Api-User-Agent, Access-Control-Max-Age, Authorization, If-Mach, If-None-Match, If-Modified-Since";
        Assert.Equal(expected.Replace("CANONICAL", farm.AlphaServer, StringComparison.Ordinal).Replace("HEADERS", headers, StringComparison.Ordinal), Cors(a));
    }

    [Theory]
    [InlineData("/v1/page/Main_Page", "HEAD, GET, PUT")]
    [InlineData("/v1/page", "POST")]
    [InlineData("/v1/nope", "")]
    public async Task Preflight_Path_ListsTheMethodsOfItsRoutes(string path, string methods)
    {
        await using var farm = await FarmAsync(cookieAuth: false);
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Options, Rest(farm, path), Allowed);

        Assert.Equal(HttpStatusCode.NoContent, a.Response.StatusCode);
        Assert.Equal(methods, a.Header("Access-Control-Allow-Methods") ?? "");
        Assert.Equal("", a.Body);
    }

    [Fact]
    public async Task Put_AnonymousFromForeignOrigin_IsRefusedWithCorsHeaders()
    {
        await using var farm = await FarmAsync(cookieAuth: false);
        using var client = farm.Client();

        var a = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Foo"), Evil, """{"source":"x","comment":"c","token":"+\\"}""");

        Assert.Equal(HttpStatusCode.Forbidden, a.Response.StatusCode);
        Assert.Equal("""{"error":"rest-cross-origin-anon-write","httpCode":403,"httpReason":"Forbidden"}""", a.Body);
        Assert.Equal("Access-Control-Allow-Origin: *", Cors(a));
        var missing = await SendAsync(client, HttpMethod.Get, Rest(farm, "/v1/page/Foo"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ALPHA")]
    [InlineData(Allowed)]
    public async Task Put_AnonymousFromAllowedOrNoOrigin_Saves(string? origin)
    {
        await using var farm = await FarmAsync();
        using var client = farm.Client();
        origin = origin == "ALPHA" ? farm.AlphaServer : origin;

        var a = await SendAsync(client, HttpMethod.Put, Rest(farm, "/v1/page/Anon_Page"), origin, """{"source":"by ip","comment":"c","token":"+\\"}""");

        Assert.Equal(HttpStatusCode.Created, a.Response.StatusCode);
    }
}
