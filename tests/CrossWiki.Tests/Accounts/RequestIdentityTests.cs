using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using CrossWiki.Server.Accounts;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Accounts;

/// <summary>
/// The one identity step: which requests work out who the user is, and what they get. A middleware in
/// front of the farm records, after each request, the identity the request ended with.
/// </summary>
public sealed class RequestIdentityTests
{
    private const string Allowed = "https://allowed.example.com";

    private sealed class Recorder : IStartupFilter
    {
        public ConcurrentQueue<(string Path, string Method, RequestIdentity? Identity)> Seen { get; } = new();

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, inner) =>
            {
                await inner(http);
                Seen.Enqueue((http.Request.Path.Value ?? "", http.Request.Method, http.Features.Get<RequestIdentity>()));
            });
            next(app);
        };

        public RequestIdentity? Last(string method, string pathEnd) =>
            Seen.Last(s => s.Method == method && s.Path.EndsWith(pathEnd, StringComparison.Ordinal)).Identity;
    }

    private static async Task<(TestFarm Farm, Recorder Recorder)> FarmAsync()
    {
        var recorder = new Recorder();
        var farm = await TestFarm.StartAsync(
            s =>
            {
                s["Farm:Wikis:alpha:CrossSiteAJAXdomains:1"] = "allowed.example.com";
                s["Farm:Wikis:alpha:AllowCrossOrigin"] = "true";
                s["Farm:Wikis:alpha:RestAllowCrossOriginCookieAuth"] = "true";
            },
            services => services.AddSingleton<IStartupFilter>(recorder));
        return (farm, recorder);
    }

    private static async Task<HttpStatusCode> SendAsync(ApiClient client, HttpMethod method, string url, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "PUT");
        }

        var answer = await client.SendAsync(request);
        return answer.Response.StatusCode;
    }

    [Fact]
    public async Task RestPhp_NotFoundAndPreflight_NeverLookUpTheUser()
    {
        var (farm, recorder) = await FarmAsync();
        await using var _ = farm;
        var (client, _) = await TestUsers.LoggedInAsync(farm, "RestIdentity");
        using var __ = client;

        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(client, HttpMethod.Get, farm.AlphaServer + "/w/rest.php/v1/nothing/here", Allowed));
        Assert.Null(recorder.Last("GET", "/nothing/here"));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(client, HttpMethod.Options, farm.AlphaServer + "/w/rest.php/v1/page/Main_Page", Allowed));
        Assert.Null(recorder.Last("OPTIONS", "/v1/page/Main_Page"));
    }

    [Fact]
    public async Task RestPhp_ReadWithoutOrigin_NeedsNoUser_ButCookieAuthCorsDoes()
    {
        var (farm, recorder) = await FarmAsync();
        await using var _ = farm;
        var (client, name) = await TestUsers.LoggedInAsync(farm, "RestIdentity");
        using var __ = client;

        // Without an Origin the answer is the same for everyone.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, HttpMethod.Get, farm.AlphaServer + "/w/rest.php/v1/page/Main_Page"));
        Assert.Null(recorder.Last("GET", "/v1/page/Main_Page"));

        // From an allowed origin on a cookie-auth wiki, the origin is echoed only to registered users.
        using var request = new HttpRequestMessage(HttpMethod.Get, farm.AlphaServer + "/w/rest.php/v1/page/Main_Page");
        request.Headers.TryAddWithoutValidation("Origin", Allowed);
        var answer = await client.SendAsync(request);
        Assert.Equal(Allowed, answer.Header("Access-Control-Allow-Origin"));
        Assert.Equal(name, recorder.Last("GET", "/v1/page/Main_Page")?.User.Name);
    }

    [Theory]
    [InlineData("origin", "*")]
    [InlineData("callback", "cb")]
    public async Task ApiPhp_RequestLackingSameOriginSecurity_RunsAnonymouslyInAnEmptySession(string key, string value)
    {
        var (farm, recorder) = await FarmAsync();
        await using var _ = farm;
        var (client, _) = await TestUsers.LoggedInAsync(farm, "ApiIdentity");
        using var __ = client;

        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), (key, value));

        Assert.Equal("true", answer.Header("MediaWiki-Login-Suppressed"));
        var identity = recorder.Last("GET", "/w/api.php");
        Assert.NotNull(identity);
        Assert.True(identity.User.IsAnonymous);
        Assert.Null(identity.Session.Data);
        Assert.False(identity.Session.CookieDirty);
    }

    [Fact]
    public async Task HtmlPage_LoggedInUser_IsTheSessionsUser()
    {
        var (farm, recorder) = await FarmAsync();
        await using var _ = farm;
        var (client, name) = await TestUsers.LoggedInAsync(farm, "WebIdentity");
        using var __ = client;

        var response = await client.Http.GetAsync(farm.AlphaServer + "/wiki/Main_Page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, recorder.Last("GET", "/wiki/Main_Page")?.User.Name);
    }
}
