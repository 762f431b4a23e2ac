using CrossWiki.Server.Accounts;
using CrossWiki.Testing;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>
/// A real farm for a test: two wikis on real Kestrel on loopback ports, SQLite in a fresh folder
/// (<see cref="InProcessFarm"/>). Dispose stops it; <see cref="RestartAsync"/> starts a new server on the same data.
/// </summary>
internal sealed class TestFarm : IAsyncDisposable
{
    private readonly InProcessFarm _farm;

    private TestFarm(InProcessFarm farm)
    {
        _farm = farm;
    }

    public string DataDirectory => _farm.DataDirectory;

    public IReadOnlyList<int> Ports => _farm.Ports;

    /// <summary>The first wiki ("alpha"), e.g. http://127.0.0.1:PORT.</summary>
    public string AlphaServer => $"http://127.0.0.1:{Ports[0]}";

    /// <summary>The second wiki ("beta").</summary>
    public string BetaServer => $"http://127.0.0.1:{Ports[1]}";

    public string AlphaApi => AlphaServer + "/w/api.php";

    public string BetaApi => BetaServer + "/w/api.php";

    public IServiceProvider Services => _farm.Services;

    public static async Task<TestFarm> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var farm = await InProcessFarm.StartAsync("crosswiki-tests", 2, (data, ports) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Farm:DataDirectory"] = data,
                ["Farm:Wikis:alpha:Sitename"] = "Alpha Wiki",
                ["Farm:Wikis:alpha:Server"] = $"http://127.0.0.1:{ports[0]}",
                ["Farm:Wikis:alpha:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{ports[1]}",
                ["Farm:Wikis:beta:Sitename"] = "Beta Wiki",
                ["Farm:Wikis:beta:Server"] = $"http://127.0.0.1:{ports[1]}",
                ["Farm:Wikis:beta:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{ports[0]}",

                // Every test's requests come from 127.0.0.1: the throttles are off unless a test turns them on (ThrottleTests).
                ["Farm:PasswordAttemptThrottle:0:Count"] = "0",
                ["Farm:PasswordAttemptThrottle:0:Seconds"] = "1",
                ["Farm:AccountCreationThrottle:0:Count"] = "0",
                ["Farm:AccountCreationThrottle:0:Seconds"] = "1",
            };
            configure?.Invoke(settings);
            return settings;
        }, services);
        return new TestFarm(farm);
    }

    /// <summary>Stops the server and starts a new one on the same data folder, on new ports (sessions, kept in memory, are gone).</summary>
    public Task RestartAsync() => _farm.RestartAsync();

    public async Task CreateUserAsync(string name, string password, params string[] groups) =>
        await Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, password, groups, CancellationToken.None);

    public ApiClient Client(string? api = null) => new(api ?? AlphaApi);

    /// <summary>Saves pages on the first wiki as the fixture's user (<see cref="FarmFixture.UserName"/>); their page ids by title.</summary>
    public async Task<Dictionary<string, int>> EditPagesAsync(params (string Title, string Text)[] pages)
    {
        using var client = Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        var ids = new Dictionary<string, int>();
        foreach (var (title, text) in pages)
        {
            var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"));
            ids[title] = answer.Json["edit"]?["pageid"]?.GetValue<int>() ?? throw new InvalidOperationException(answer.Body);
        }

        return ids;
    }

    /// <summary>An anonymous action=query on the first wiki, in JSON formatversion 2 (unless the parameters say otherwise); the body.</summary>
    public async Task<string> QueryAsync(params (string Key, string Value)[] parameters)
    {
        using var client = Client();
        var fv = parameters.Any(p => p.Key == "formatversion") ? [] : new[] { ("formatversion", "2") };
        return (await client.GetAsync([("action", "query"), .. parameters, ("format", "json"), .. fv])).Body;
    }

    public ValueTask DisposeAsync() => _farm.DisposeAsync();
}
