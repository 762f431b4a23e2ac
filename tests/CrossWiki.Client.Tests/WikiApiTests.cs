using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CrossWiki.Client.Tests.Infrastructure;

namespace CrossWiki.Client.Tests;

/// <summary>WikiApi against a real farm: sessions, reads, edits, preferences, tokens, errors.</summary>
public sealed class WikiApiTests(ClientFarm farm) : IClassFixture<ClientFarm>
{
    private static Dictionary<string, object?> Params(params (string Key, object? Value)[] parameters) =>
        parameters.ToDictionary(p => p.Key, p => p.Value);

    private static string? PageText(JsonNode answer) =>
        answer["query"]?["pages"]?[0]?["revisions"]?[0]?["slots"]?["main"]?["content"]?.GetValue<string>();

    private static Dictionary<string, object?> Read(string title) =>
        Params(("action", "query"), ("prop", "revisions"), ("rvprop", new List<string> { "content", "user" }), ("rvslots", "main"), ("titles", title));

    [Fact]
    public async Task Login_RightPassword_SessionIsTheUser()
    {
        var name = await farm.CreateUserAsync("Login");
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        var loggedInAs = await api.LoginAsync(name, ClientFarm.Password);
        var info = await api.GetUserInfoAsync();

        Assert.Equal(name, loggedInAs);
        Assert.Equal(name, api.UserName);
        Assert.False(info.IsAnonymous);
        Assert.Equal(name, info.Name);
        Assert.True(info.Id > 0);
        Assert.Contains("user", info.Groups);
        Assert.Contains("editmyoptions", info.Rights);
        Assert.Null(info.Options);
    }

    [Fact]
    public async Task Login_WrongPassword_ThrowsTheLoginResult()
    {
        var name = await farm.CreateUserAsync("WrongPassword");
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.LoginAsync(name, "not-the-password"));

        Assert.Equal("Failed", error.Code);
        Assert.NotEmpty(error.Info);
        Assert.Equal("Failed", error.Result?["login"]?["result"]?.GetValue<string>());
        Assert.True((await api.GetUserInfoAsync()).IsAnonymous);
    }

    [Fact]
    public async Task Get_MainPage_ReadsItsContent()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        var answer = await api.GetAsync(Read("Main Page"));

        Assert.False(string.IsNullOrEmpty(PageText(answer)));
        var sent = Assert.Single(clients.Sent);
        Assert.Equal(HttpMethod.Get, sent.Method);
        Assert.Contains("format=json", sent.Url.Query, StringComparison.Ordinal);
        Assert.Contains("formatversion=2", sent.Url.Query, StringComparison.Ordinal);
        Assert.Contains("rvprop=content%7Cuser", sent.Url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FormatVersion1_AnswersInFormatVersion1()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi, new WikiApiOptions { FormatVersion = 1 });

        var answer = await api.GetAsync(Params(("meta", "userinfo")));

        Assert.Equal(string.Empty, answer["query"]?["userinfo"]?["anon"]?.GetValue<string>());
    }

    [Fact]
    public async Task Edit_LoggedIn_SavesTheTextAsTheUser()
    {
        var name = await farm.CreateUserAsync("Editor");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);
        var title = "Client edit " + name;

        var created = await api.EditAsync(title, "First text", "create");
        var updated = await api.EditAsync(title, "Second text", "update");
        var unchanged = await api.EditAsync(title, "Second text", "again");

        Assert.Equal("Success", created.Result);
        Assert.True(created.Created);
        Assert.True(created.NewRevisionId > 0);
        Assert.Equal(created.NewRevisionId, updated.OldRevisionId);
        Assert.False(updated.Created);
        Assert.True(unchanged.NoChange);
        Assert.Null(unchanged.NewRevisionId);
        var read = await api.GetAsync(Read(title));
        Assert.Equal("Second text", PageText(read));
        Assert.Equal(name, read["query"]?["pages"]?[0]?["revisions"]?[0]?["user"]?.GetValue<string>());
        var edit = clients.Sent.Last(s => s.Method == HttpMethod.Post);
        Assert.Matches("&token=[^&]+$", edit.Body);
        Assert.Contains("assertuser=" + Uri.EscapeDataString(name), edit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_Transform_GetsTheCurrentTextAndSavesItsResult()
    {
        var name = await farm.CreateUserAsync("Transformer");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);
        var title = "Client transform " + name;
        await api.EditAsync(title, "Line one");
        PageRevision? seen = null;

        var result = await api.EditAsync(title, current => { seen = current; return current.Content + "\nLine two"; }, "append");

        Assert.Equal("Success", result.Result);
        Assert.Equal("Line one", seen?.Content);
        Assert.Equal(title, seen?.Title);
        Assert.Equal("Line one\nLine two", PageText(await api.GetAsync(Read(title))));
        var post = clients.Sent.Last(s => s.Method == HttpMethod.Post);
        Assert.Contains("basetimestamp=", post.Body, StringComparison.Ordinal);
        Assert.Contains("starttimestamp=", post.Body, StringComparison.Ordinal);
        Assert.Contains("nocreate=1", post.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_TransformOfMissingPage_ThrowsNocreateMissing()
    {
        var name = await farm.CreateUserAsync("Missing");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.EditAsync("No such page " + name, c => c.Content + "x"));

        Assert.Equal("nocreate-missing", error.Code);
    }

    [Fact]
    public async Task SaveOption_LoggedIn_ReadsBack()
    {
        var name = await farm.CreateUserAsync("Options");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);

        await api.SaveOptionAsync("gender", "female");
        var info = await api.GetUserInfoAsync(includeOptions: true);

        Assert.Equal("female", info.Options?["gender"]?.GetValue<string>());
    }

    [Fact]
    public async Task SaveOptions_ValueWithPipe_SentAsUnitSeparatorListAndReadsBack()
    {
        var name = await farm.CreateUserAsync("Pipes");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);

        await api.SaveOptionsAsync([new("userjs-a", "x|y"), new("userjs-b", "plain")]);
        var info = await api.GetUserInfoAsync(includeOptions: true);

        Assert.Equal("x|y", info.Options?["userjs-a"]?.GetValue<string>());
        Assert.Equal("plain", info.Options?["userjs-b"]?.GetValue<string>());
        var save = Assert.Single(clients.Sent, s => s.Body?.Contains("action=options", StringComparison.Ordinal) == true);
        Assert.Contains("change=%1Fuserjs-a%3Dx%7Cy%1Fuserjs-b%3Dplain", save.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveOption_Null_ResetsToTheDefault()
    {
        var name = await farm.CreateUserAsync("Reset");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);
        await api.SaveOptionAsync("userjs-reset", "set");

        await api.SaveOptionAsync("userjs-reset", null);

        var info = await api.GetUserInfoAsync(includeOptions: true);
        Assert.NotNull(info.Options);
        Assert.False(info.Options.ContainsKey("userjs-reset"));
    }

    [Fact]
    public async Task PostWithToken_StaleCachedToken_RetriesExactlyOnce()
    {
        var name = await farm.CreateUserAsync("Stale");
        using var clients = new Clients();
        var jar = new CookieContainer();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name, new WikiApiOptions { Cookies = jar });
        await api.GetTokenAsync("csrf");
        // Another client on the same jar logs in again: the session, and so the cached token, change.
        var other = await clients.LoggedInAsync(farm.AlphaApi, name, new WikiApiOptions { Cookies = jar });
        clients.Log.Clear();

        var answer = await api.PostWithTokenAsync("csrf", Params(("action", "options"), ("change", "userjs-stale=1")));

        Assert.Equal("success", answer["options"]?.GetValue<string>());
        var sent = clients.Sent;
        Assert.Collection(
            sent,
            s => Assert.True(s.Method == HttpMethod.Post && s.ResponseHeaders["MediaWiki-API-Error"] == "badtoken"),
            s => Assert.True(s.Method == HttpMethod.Get && s.Query.Contains("meta=tokens", StringComparison.Ordinal)),
            s => Assert.True(s.Method == HttpMethod.Post && !s.ResponseHeaders.ContainsKey("MediaWiki-API-Error")));
        Assert.Equal("1", (await other.GetUserInfoAsync(includeOptions: true)).Options?["userjs-stale"]?.GetValue<string>());
    }

    [Fact]
    public async Task PostWithToken_TokenInTheParameters_ReplacedByTheFetchedOne()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        // An anonymous session's csrf token is "+\"; a wrong token in the parameters is replaced, never sent.
        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.PostWithTokenAsync("csrf", Params(("action", "options"), ("change", "x=1"), ("token", "wrong"))));

        Assert.Equal("notloggedin", error.Code);
        Assert.DoesNotContain(clients.Sent, s => s.Body?.Contains("token=wrong", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task BadToken_AfterGetToken_FetchesANewOne()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        await api.GetTokenAsync("csrf");
        await api.GetTokenAsync("edit");
        api.BadToken("csrf");
        await api.GetTokenAsync("csrf");

        Assert.Equal(2, clients.Sent.Count(s => s.Query.Contains("meta=tokens", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Anonymous_LoggedInCookieJar_NeverSeesTheUser()
    {
        var name = await farm.CreateUserAsync("Anon");
        using var clients = new Clients();
        var jar = new CookieContainer();
        var user = await clients.LoggedInAsync(farm.AlphaApi, name, new WikiApiOptions { Cookies = jar });
        var anonymous = clients.Factory.CreateApi(farm.AlphaApi, new WikiApiOptions { Anonymous = true, Cookies = jar });
        clients.Log.Clear();

        var info = await anonymous.GetUserInfoAsync();
        var token = await Assert.ThrowsAsync<WikiApiException>(() => anonymous.GetTokenAsync("csrf"));
        var edit = await Assert.ThrowsAsync<WikiApiException>(() => anonymous.EditAsync("Anonymous attempt " + name, "text"));

        Assert.True(info.IsAnonymous);
        Assert.Equal(0, info.Id);
        Assert.Equal("query-missing", token.Code);
        Assert.Equal("query-missing", edit.Code);
        Assert.All(clients.Sent, s =>
        {
            Assert.False(s.Headers.ContainsKey("Cookie"));
            Assert.Contains("origin=*", s.Query, StringComparison.Ordinal);
        });
        Assert.Equal(name, (await user.GetUserInfoAsync()).Name);
    }

    [Fact]
    public async Task Logout_LoggedIn_SessionIsAnonymousAgain()
    {
        var name = await farm.CreateUserAsync("Logout");
        using var clients = new Clients();
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);

        await api.LogoutAsync();

        Assert.True((await api.GetUserInfoAsync()).IsAnonymous);
        Assert.Null(api.UserName);
    }

    [Fact]
    public async Task Get_UnknownAction_ThrowsWikiApiExceptionWithCodeInfoAndResult()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.GetAsync(Params(("action", "nosuchaction"))));

        Assert.Equal("badvalue", error.Code);
        Assert.Contains("nosuchaction", error.Info, StringComparison.Ordinal);
        Assert.Equal("badvalue", error.Result?["error"]?["code"]?.GetValue<string>());
        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public async Task Get_OriginNotMatchingTheOriginHeader_ThrowsHttp403()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.GetAsync(Params(("meta", "userinfo"), ("origin", "https://elsewhere.example"))));

        Assert.Equal("http-403", error.Code);
        Assert.Contains("'origin' parameter does not match Origin header", error.Info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Unreachable_ThrowsHttpRequestException()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var clients = new Clients(o => o.MaxRetries = 1);
        var api = clients.Factory.CreateApi(new Uri($"http://127.0.0.1:{port}/w/api.php"));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.GetAsync(Params(("meta", "userinfo"))));
    }

    [Fact]
    public async Task Get_Cancelled_ThrowsOperationCanceled()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.GetAsync(Params(("meta", "userinfo")), cancelled.Token));
    }

    [Fact]
    public async Task UserAgent_Set_SentAsUserAgentAndApiUserAgent()
    {
        using var clients = new Clients();
        var api = clients.Factory.CreateApi(farm.AlphaApi, new WikiApiOptions { UserAgent = "ClientTests/1.0 (tests@example.org)" });

        await api.GetUserInfoAsync();

        var sent = Assert.Single(clients.Sent);
        Assert.Equal("ClientTests/1.0 (tests@example.org)", sent.Headers["User-Agent"]);
        Assert.Equal("ClientTests/1.0 (tests@example.org)", sent.Headers["Api-User-Agent"]);
    }

    [Fact]
    public async Task Parameters_Defaults_MergedUnderTheCallsOwn()
    {
        var name = await farm.CreateUserAsync("Defaults");
        using var clients = new Clients();
        var jar = new CookieContainer();
        var api = clients.Factory.CreateApi(farm.AlphaApi, new WikiApiOptions { Cookies = jar, Parameters = new Dictionary<string, object?> { ["assert"] = "user" } });

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.GetUserInfoAsync());
        await clients.LoggedInAsync(farm.AlphaApi, name, new WikiApiOptions { Cookies = jar });
        var info = await api.GetUserInfoAsync();
        var withoutAssert = await api.GetAsync(Params(("meta", "userinfo"), ("assert", null)));

        Assert.Equal("assertuserfailed", error.Code);
        Assert.Equal(name, info.Name);
        Assert.DoesNotContain("assert", clients.Sent[^1].Query, StringComparison.Ordinal);
        Assert.Equal(name, withoutAssert["query"]?["userinfo"]?["name"]?.GetValue<string>());
    }

    [Fact]
    public async Task HandlerRotation_AfterTheHandlerLifetime_SessionIsKept()
    {
        var name = await farm.CreateUserAsync("Rotation");
        var handlers = 0;
        using var clients = new Clients(http: b => b.SetHandlerLifetime(TimeSpan.FromSeconds(1)).AddHttpMessageHandler(() =>
        {
            Interlocked.Increment(ref handlers);
            return new PassThrough();
        }));
        var api = await clients.LoggedInAsync(farm.AlphaApi, name);
        var first = Volatile.Read(ref handlers);

        // IHttpClientFactory expires a handler on its own timer, which no TimeProvider reaches: call until a
        // request went through a newly built handler chain, then check it still ran as the logged-in user.
        var clock = Stopwatch.StartNew();
        UserInfo info;
        while (true)
        {
            info = await api.GetUserInfoAsync();
            if (Volatile.Read(ref handlers) > first)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The handler was not rotated within 30 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(name, info.Name);
    }

    [Fact]
    public async Task MaxLag_LaggedPostWithRetryAfter_SentAgainAfterTheDelay()
    {
        var name = await farm.CreateUserAsync("Lag");
        var armed = 0;
        using var clients = new Clients(http: b => b.AddHttpMessageHandler(() => new Lagged(_ => Interlocked.Exchange(ref armed, 0) == 1)));
        var api = await clients.LoggedInAsync(farm.AlphaApi, name, new WikiApiOptions { MaxLag = 5 });
        await api.GetTokenAsync();
        clients.Log.Clear();
        Interlocked.Exchange(ref armed, 1);
        var clock = Stopwatch.StartNew();

        var edit = await api.EditAsync("Lagged " + name, "text");

        Assert.Equal("Success", edit.Result);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited {clock.Elapsed}");
        var sent = clients.Sent;
        Assert.Equal(2, sent.Count);
        Assert.Equal("maxlag", sent[0].ResponseHeaders["MediaWiki-API-Error"]);
        Assert.All(sent, s => Assert.Equal(HttpMethod.Post, s.Method));
        Assert.All(sent, s => Assert.True(s.Has("maxlag=5")));
    }

    [Fact]
    public async Task MaxLag_LaggedEveryTime_ThrowsMaxLagAfterTheRetries()
    {
        using var clients = new Clients(o => { o.MaxRetries = 2; }, b => b.AddHttpMessageHandler(() => new Lagged(_ => true)));
        var api = clients.Factory.CreateApi(farm.AlphaApi, new WikiApiOptions { MaxLag = 1 });

        var error = await Assert.ThrowsAsync<WikiApiException>(() => api.GetUserInfoAsync());

        Assert.Equal("maxlag", error.Code);
        Assert.Equal(3, clients.Sent.Count);
    }
}
