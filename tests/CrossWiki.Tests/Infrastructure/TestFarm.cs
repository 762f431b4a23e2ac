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

    public ValueTask DisposeAsync() => _farm.DisposeAsync();
}
