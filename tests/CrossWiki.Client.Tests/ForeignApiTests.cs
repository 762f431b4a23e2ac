using System.Text.Json.Nodes;
using CrossWiki.Client.Tests.Infrastructure;

namespace CrossWiki.Client.Tests;

/// <summary>ForeignApi and ForeignRest: cross-wiki calls, with central tokens from a local session.</summary>
public sealed class ForeignApiTests(ClientFarm farm) : IClassFixture<ClientFarm>
{
    private static Dictionary<string, object?> Params(params (string Key, object? Value)[] parameters) =>
        parameters.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task ForeignApi_LoggedInOnlyLocally_WritesOnTheForeignWikiAsTheUser()
    {
        var name = await farm.CreateUserAsync("Central");
        using var clients = new Clients();
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local);
        var title = "Central edit " + name;

        var info = await foreign.GetUserInfoAsync();
        await foreign.SaveOptionAsync("userjs-central", "from alpha");
        var edit = await foreign.EditAsync(title, "Written from alpha");

        Assert.Equal(name, info.Name);
        Assert.Equal("Success", edit.Result);
        // Checked on beta by a session of beta's own: the option and the edit belong to the user.
        var beta = await clients.LoggedInAsync(farm.BetaApi, name);
        Assert.Equal("from alpha", (await beta.GetUserInfoAsync(includeOptions: true)).Options?["userjs-central"]?.GetValue<string>());
        var read = await beta.GetAsync(Params(("prop", "revisions"), ("titles", title), ("rvprop", new List<string> { "user", "content" }), ("rvslots", "main")));
        var revision = read["query"]?["pages"]?[0]?["revisions"]?[0];
        Assert.Equal(name, revision?["user"]?.GetValue<string>());
        Assert.Equal("Written from alpha", revision?["slots"]?["main"]?["content"]?.GetValue<string>());
        // The option was saved on beta only: preferences are per wiki.
        Assert.Null((await local.GetUserInfoAsync(includeOptions: true)).Options?.GetValueOrDefault("userjs-central"));
    }

    [Fact]
    public async Task ForeignApi_LocalSession_FreshTokenForEveryRequestInTheUrlOfAPost()
    {
        var name = await farm.CreateUserAsync("Fresh");
        using var clients = new Clients();
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local);
        clients.Log.Clear();

        await foreign.SaveOptionAsync("userjs-fresh", "1");

        var sent = clients.Sent;
        var toBeta = sent.Where(s => s.Url.Port == farm.BetaApi.Port).ToList();
        var toAlpha = sent.Where(s => s.Url.Port == farm.AlphaApi.Port).ToList();
        Assert.Equal(2, toBeta.Count);
        Assert.Equal(2, toAlpha.Count);
        Assert.All(toAlpha, s => Assert.Contains("action=centralauthtoken", s.Query, StringComparison.Ordinal));
        var tokens = toBeta.Select(s => s.Query.Split("centralauthtoken=")[1].Split('&')[0]).ToList();
        Assert.Equal(2, tokens.Distinct().Count());
        var post = toBeta[1];
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Contains("origin=" + Uri.EscapeDataString(farm.AlphaServer), post.Url.Query, StringComparison.Ordinal);
        Assert.Contains("centralauthtoken=", post.Url.Query, StringComparison.Ordinal);
        Assert.Contains("centralauthtoken=", post.Body, StringComparison.Ordinal);
        Assert.All(toBeta, s =>
        {
            Assert.Equal(farm.AlphaServer, s.Headers["Origin"]);
            Assert.Equal(farm.AlphaServer, s.ResponseHeaders["Access-Control-Allow-Origin"]);
        });
    }

    [Fact]
    public async Task ForeignApi_MaxLagRetry_SpendsANewCentralToken()
    {
        var name = await farm.CreateUserAsync("LagCentral");
        var armed = 0;
        var betaPort = farm.BetaApi.Port;
        using var clients = new Clients(http: b => b.AddHttpMessageHandler(() => new Lagged(r => r.RequestUri!.Port == betaPort && Interlocked.Exchange(ref armed, 0) == 1)));
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local, options: new WikiApiOptions { MaxLag = 5 });
        Interlocked.Exchange(ref armed, 1);
        clients.Log.Clear();

        var info = await foreign.GetUserInfoAsync();

        Assert.Equal(name, info.Name);
        var toBeta = clients.Sent.Where(s => s.Url.Port == betaPort).ToList();
        Assert.Equal(2, toBeta.Count);
        Assert.Equal("maxlag", toBeta[0].ResponseHeaders["MediaWiki-API-Error"]);
        Assert.NotEqual(toBeta[0].Query.Split("centralauthtoken=")[1].Split('&')[0], toBeta[1].Query.Split("centralauthtoken=")[1].Split('&')[0]);
    }

    [Fact]
    public async Task ForeignApi_WithoutLocalSession_UsesItsOwnCookies()
    {
        var name = await farm.CreateUserAsync("OwnCookies");
        using var clients = new Clients();
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, origin: farm.AlphaServer);

        var before = await foreign.GetUserInfoAsync();
        await foreign.LoginAsync(name, ClientFarm.Password);
        var after = await foreign.GetUserInfoAsync();

        Assert.True(before.IsAnonymous);
        Assert.Equal(name, after.Name);
        Assert.DoesNotContain(clients.Sent, s => s.Has("centralauthtoken="));
    }

    [Fact]
    public async Task ForeignApi_Anonymous_NoTokenAndNotTheUser()
    {
        var name = await farm.CreateUserAsync("ForeignAnon");
        using var clients = new Clients();
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local, options: new WikiApiOptions { Anonymous = true });
        clients.Log.Clear();

        var info = await foreign.GetUserInfoAsync();

        Assert.True(info.IsAnonymous);
        var sent = Assert.Single(clients.Sent);
        Assert.Contains("origin=*", sent.Query, StringComparison.Ordinal);
        Assert.Equal("*", sent.ResponseHeaders["Access-Control-Allow-Origin"]);
    }

    [Fact]
    public async Task ForeignApi_LocalSessionLoggedOut_GoesOnWithoutAToken()
    {
        using var clients = new Clients();
        var local = clients.Factory.CreateApi(farm.AlphaApi);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local);

        var info = await foreign.GetUserInfoAsync();

        Assert.True(info.IsAnonymous);
        Assert.Contains(clients.Sent, s => s.Query.Contains("action=centralauthtoken", StringComparison.Ordinal));
        Assert.DoesNotContain(clients.Sent, s => s.Url.Port == farm.BetaApi.Port && s.Has("centralauthtoken="));
    }

    [Fact]
    public async Task ForeignApi_LoginInATokenSession_ThrowsAborted()
    {
        var name = await farm.CreateUserAsync("TokenLogin");
        using var clients = new Clients();
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var foreign = clients.Factory.CreateForeignApi(farm.BetaApi, localApi: local);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => foreign.LoginAsync(name, ClientFarm.Password));

        Assert.Equal("Aborted", error.Code);
    }

    [Fact]
    public void CreateForeignApi_OriginWithAPath_Throws()
    {
        using var clients = new Clients();

        Assert.Throws<ArgumentException>(() => clients.Factory.CreateForeignApi(farm.BetaApi, origin: farm.AlphaServer + "/wiki"));
    }

    [Fact]
    public async Task ForeignRest_LoggedInOnlyLocally_PutsThePageAsTheUserWithoutCookies()
    {
        var name = await farm.CreateUserAsync("Rest");
        using var clients = new Clients();
        var local = await clients.LoggedInAsync(farm.AlphaApi, name);
        var rest = clients.Factory.CreateForeignRest(farm.BetaRest, localApi: local);
        var title = "Rest_page_" + name;
        clients.Log.Clear();

        var created = await rest.PutAsync("/v1/page/" + title, new JsonObject { ["source"] = "Via REST", ["comment"] = "rest" });
        var read = await rest.GetAsync("/v1/page/" + title);

        Assert.Equal("Via REST", created?["source"]?.GetValue<string>());
        Assert.Equal("Via REST", read?["source"]?.GetValue<string>());
        var toBeta = clients.Sent.Where(s => s.Url.Port == farm.BetaApi.Port).ToList();
        Assert.Equal(2, toBeta.Count);
        Assert.All(toBeta, s =>
        {
            Assert.StartsWith("CentralAuthToken ", s.Headers["Authorization"], StringComparison.Ordinal);
            Assert.False(s.Headers.ContainsKey("Cookie"));
            Assert.Equal(farm.AlphaServer, s.Headers["Origin"]);
        });
        var beta = await clients.LoggedInAsync(farm.BetaApi, name);
        var revision = (await beta.GetAsync(Params(("prop", "revisions"), ("titles", title.Replace('_', ' ')), ("rvprop", "user"))))["query"]?["pages"]?[0]?["revisions"]?[0];
        Assert.Equal(name, revision?["user"]?.GetValue<string>());
    }

    [Fact]
    public async Task ForeignRest_MissingPage_ThrowsWithTheRestErrorAndStatus()
    {
        using var clients = new Clients();
        var rest = clients.Factory.CreateForeignRest(farm.BetaRest, origin: farm.AlphaServer);

        var error = await Assert.ThrowsAsync<WikiApiException>(() => rest.GetAsync("/v1/page/No_such_page_at_all"));

        Assert.Equal(404, error.StatusCode);
        Assert.NotNull(error.Result);
        Assert.False(string.IsNullOrEmpty(error.Info));
    }

    [Fact]
    public async Task ForeignRest_AnonymousWriteFromAnOriginNotAllowed_ThrowsTheErrorKey()
    {
        using var clients = new Clients();
        var rest = clients.Factory.CreateForeignRest(farm.BetaRest, origin: "http://elsewhere.example");

        var error = await Assert.ThrowsAsync<WikiApiException>(() => rest.PutAsync("/v1/page/Anon_write", new JsonObject { ["source"] = "x" }));

        Assert.Equal("rest-cross-origin-anon-write", error.Code);
        Assert.Equal(403, error.StatusCode);
    }
}
