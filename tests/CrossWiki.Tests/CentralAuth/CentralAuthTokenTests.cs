using System.Net;
using CrossWiki.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.CentralAuth;

/// <summary>centralauthtoken issue and consumption over real HTTP (spec foreignapi-centralauth.md §3).</summary>
public sealed class CentralAuthTokenTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private TestFarm _farm = null!;

    public async Task InitializeAsync()
    {
        _farm = await TestFarm.StartAsync(
            s =>
            {
                s["Farm:Wikis:alpha:CentralAuth"] = "true";
                s["Farm:Wikis:beta:CentralAuth"] = "true";
                s["Farm:Wikis:beta:AllowCrossOrigin"] = "true";
            },
            services => services.AddSingleton<TimeProvider>(_clock));
        await _farm.CreateUserAsync("Alice", "alice-password");
        await _farm.CreateUserAsync("Bob", "bob-password");
    }

    public async Task DisposeAsync() => await _farm.DisposeAsync();

    private async Task<ApiClient> LoggedInAsync(string name, string? api = null)
    {
        var client = _farm.Client(api);
        await client.LoginAsync(name, name.ToLowerInvariant() + "-password");
        return client;
    }

    private static async Task<string> TokenAsync(ApiClient local)
    {
        var answer = await local.GetAsync(("action", "centralauthtoken"), ("format", "json"));
        return answer.Json["centralauthtoken"]!["centralauthtoken"]!.GetValue<string>();
    }

    private static string UserName(ApiClient.Answer answer) => answer.Json["query"]!["userinfo"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Issue_LoggedIn_GivesASingleTokenInMediaWikisShape()
    {
        using var alice = await LoggedInAsync("Alice");

        var fv1 = await alice.GetAsync(("action", "centralauthtoken"), ("format", "json"));
        var fv2 = await alice.GetAsync(("action", "centralauthtoken"), ("format", "json"), ("formatversion", "2"));

        Assert.Matches("""^\{"centralauthtoken":\{"centralauthtoken":"[0-9a-f]{33,}"\}\}$""", fv1.Body);
        Assert.Matches("""^\{"centralauthtoken":\{"centralauthtoken":"[0-9a-f]{33,}"\}\}$""", fv2.Body);
        Assert.NotEqual(fv1.Body, fv2.Body);
    }

    [Fact]
    public async Task Issue_Anonymous_IsNotLoggedIn()
    {
        using var anon = _farm.Client();

        var answer = await anon.GetAsync(("action", "centralauthtoken"), ("format", "json"));

        Assert.Equal("notloggedin", answer.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Anonymous users cannot obtain a centralauthtoken.", answer.Json["error"]!["info"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("callback", "cb")]
    [InlineData("origin", "*")]
    public async Task Issue_WithoutSameOriginSecurity_IsRefused(string name, string value)
    {
        using var alice = await LoggedInAsync("Alice");

        var answer = await alice.GetAsync(("action", "centralauthtoken"), ("format", "json"), (name, value));

        Assert.Contains("\"code\":\"hascallback\"", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"centralauthtoken\":\"", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Use_OnTheForeignWiki_RunsAsTheUserIgnoringItsCookiesAndSettingNone()
    {
        using var alice = await LoggedInAsync("Alice");
        using var bobOnBeta = await LoggedInAsync("Bob", _farm.BetaApi);

        var answer = await bobOnBeta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));

        Assert.Equal("Alice", UserName(answer));
        Assert.Null(answer.Header("Set-Cookie"));
        var stillBob = await bobOnBeta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal("Bob", UserName(stillBob));
    }

    [Fact]
    public async Task Use_SameUser_HasTheSameIdOnEveryWiki()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);

        var local = await alice.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        var foreign = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));

        Assert.Equal(local.Json["query"]!["userinfo"]!.ToJsonString(), foreign.Json["query"]!["userinfo"]!.ToJsonString());
    }

    [Fact]
    public async Task Use_Twice_SecondUseIsBadToken()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);
        var token = await TokenAsync(alice);

        await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token));
        var replay = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token));

        Assert.Equal("badtoken", replay.Header("MediaWiki-API-Error"));
        Assert.Equal("The centralauthtoken is not valid.", replay.Json["error"]!["info"]!.GetValue<string>());
    }

    [Fact]
    public async Task Use_ManyAtOnce_ExactlyOneWins()
    {
        using var alice = await LoggedInAsync("Alice");
        var token = await TokenAsync(alice);
        var clients = Enumerable.Range(0, 12).Select(_ => _farm.Client(_farm.BetaApi)).ToList();

        var answers = await Task.WhenAll(clients.Select(c => c.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token))));

        Assert.Equal(1, answers.Count(a => a.Header("MediaWiki-API-Error") is null));
        Assert.Equal(11, answers.Count(a => a.Header("MediaWiki-API-Error") == "badtoken"));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Use_AfterTheLifetime_IsBadTokenByTheInjectedClock()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);
        var late = await TokenAsync(alice);
        var inTime = await TokenAsync(alice);

        _clock.Advance(TimeSpan.FromSeconds(59));
        var ok = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", inTime));
        _clock.Advance(TimeSpan.FromSeconds(2));
        var expired = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", late));

        Assert.Equal("Alice", UserName(ok));
        Assert.Equal("badtoken", expired.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task Preflight_WithTheTokenInTheUrl_DoesNotSpendIt()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);
        var token = await TokenAsync(alice);
        var url = $"{_farm.BetaApi}?action=query&meta=userinfo&format=json&origin={Uri.EscapeDataString(_farm.AlphaServer)}&centralauthtoken={token}";
        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", _farm.AlphaServer);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var options = await beta.SendAsync(preflight);
        using var real = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([]) };
        real.Headers.Add("Origin", _farm.AlphaServer);
        var answer = await beta.SendAsync(real);

        Assert.Equal(HttpStatusCode.OK, options.Response.StatusCode);
        Assert.Equal("Alice", UserName(answer));
    }

    [Fact]
    public async Task BadToken_FromAnAllowedOrigin_CarriesTheCorsHeaders()
    {
        using var beta = _farm.Client(_farm.BetaApi);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{_farm.BetaApi}?action=query&meta=userinfo&format=json&origin={Uri.EscapeDataString(_farm.AlphaServer)}&centralauthtoken=0123456789abcdef0123456789abcdef1");
        request.Headers.Add("Origin", _farm.AlphaServer);

        var answer = await beta.SendAsync(request);

        Assert.Equal("badtoken", answer.Header("MediaWiki-API-Error"));
        Assert.Equal(_farm.AlphaServer, answer.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", answer.Header("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Token_AfterTheIssuerLoggedOut_IsNotValid()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);
        var token = await TokenAsync(alice);

        await alice.PostAsync(("action", "logout"), ("format", "json"), ("token", await alice.CsrfTokenAsync()));
        var answer = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token));

        Assert.Equal("badtoken", answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task CsrfToken_FromOneTokenSession_StaysValidWithTheNextToken()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);

        var tokens = await beta.GetAsync(("action", "query"), ("meta", "tokens"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));
        var csrf = tokens.Json["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();
        var saved = await beta.PostAsync(("action", "options"), ("optionname", "userjs-ca"), ("optionvalue", "from alpha"), ("format", "json"),
            ("centralauthtoken", await TokenAsync(alice)), ("token", csrf));
        var read = await beta.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));
        var onAlpha = await alice.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"));

        Assert.Equal("""{"options":"success"}""", saved.Body);
        Assert.Equal("from alpha", read.Json["query"]!["userinfo"]!["options"]!["userjs-ca"]!.GetValue<string>());
        Assert.False(onAlpha.Json["query"]!["userinfo"]!["options"]!.AsObject().ContainsKey("userjs-ca"));
    }

    [Fact]
    public async Task TokenSession_LoginLogoutAndNewTokens_AreRefused()
    {
        using var alice = await LoggedInAsync("Alice");
        using var beta = _farm.Client(_farm.BetaApi);

        var login = await beta.PostAsync(("action", "login"), ("lgname", "Bob"), ("lgpassword", "bob-password"), ("lgtoken", "x"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));
        var csrf = (await beta.GetAsync(("action", "query"), ("meta", "tokens"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice))))
            .Json["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();
        var logout = await beta.PostAsync(("action", "logout"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)), ("token", csrf));
        var again = await beta.GetAsync(("action", "centralauthtoken"), ("format", "json"), ("centralauthtoken", await TokenAsync(alice)));

        Assert.Equal("Aborted", login.Json["login"]!["result"]!.GetValue<string>());
        Assert.Equal("cannotlogout", logout.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal("badsession", again.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rest_AuthorizationHeader_ReadsAndWritesAsTheUserWithoutCsrfToken()
    {
        using var alice = await LoggedInAsync("Alice");
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, _farm.BetaServer + "/w/rest.php/v1/page/Central_Rest")
        {
            Content = new StringContent("""{"source":"by token","comment":"ca"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.TryAddWithoutValidation("Authorization", "centralauthtoken " + await TokenAsync(alice));
        put.Headers.Add("Origin", _farm.AlphaServer);

        using var response = await http.SendAsync(put);
        using var beta = _farm.Client(_farm.BetaApi);
        var history = await beta.GetAsync(("action", "query"), ("titles", "Central_Rest"), ("prop", "revisions"), ("rvprop", "user"), ("format", "json"), ("formatversion", "2"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Alice", history.Json["query"]!["pages"]![0]!["revisions"]![0]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rest_InvalidToken_Is403WithCorsHeaders()
    {
        using var http = new HttpClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, _farm.BetaServer + "/w/rest.php/v1/page/Main_Page");
        get.Headers.TryAddWithoutValidation("Authorization", "CentralAuthToken 0123456789abcdef0123456789abcdef1");
        get.Headers.Add("Origin", _farm.AlphaServer);

        using var response = await http.SendAsync(get);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"messageTranslations":{"en":"The centralauthtoken is not valid."},"httpCode":403,"httpReason":"Forbidden"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
    }
}
