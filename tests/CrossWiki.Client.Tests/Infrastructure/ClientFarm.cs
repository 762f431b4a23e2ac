using CrossWiki.Server.Accounts;
using CrossWiki.Testing;

namespace CrossWiki.Client.Tests.Infrastructure;

/// <summary>
/// A real farm shared by a test class: two wikis with CentralAuth ("alpha" and "beta", each allowing the other
/// cross-origin, beta's rest.php with CORS) on real Kestrel on loopback ports, SQLite in a fresh folder
/// (<see cref="InProcessFarm"/>).
/// Tests use fresh users from <see cref="CreateUserAsync"/>, so none sees another's edits or preferences.
/// </summary>
public sealed class ClientFarm : IAsyncLifetime
{
    public const string Password = "client-test-password-1";

    private static int _nextUser;
    private InProcessFarm _farm = null!;

    public string AlphaServer => $"http://127.0.0.1:{_farm.Ports[0]}";

    public string BetaServer => $"http://127.0.0.1:{_farm.Ports[1]}";

    public Uri AlphaApi => new(AlphaServer + "/w/api.php");

    public Uri BetaApi => new(BetaServer + "/w/api.php");

    public Uri BetaRest => new(BetaServer + "/w/rest.php");

    public async Task InitializeAsync()
    {
        _farm = await InProcessFarm.StartAsync("crosswiki-client-tests", 2, (data, ports) => new Dictionary<string, string?>
        {
            ["Farm:DataDirectory"] = data,
            ["Farm:Wikis:alpha:Sitename"] = "Alpha Wiki",
            ["Farm:Wikis:alpha:Server"] = $"http://127.0.0.1:{ports[0]}",
            ["Farm:Wikis:alpha:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{ports[1]}",
            ["Farm:Wikis:alpha:CentralAuth"] = "true",
            ["Farm:Wikis:beta:Sitename"] = "Beta Wiki",
            ["Farm:Wikis:beta:Server"] = $"http://127.0.0.1:{ports[1]}",
            ["Farm:Wikis:beta:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{ports[0]}",
            ["Farm:Wikis:beta:CentralAuth"] = "true",
            ["Farm:Wikis:beta:AllowCrossOrigin"] = "true",
        });
    }

    /// <summary>Creates a farm-wide account with a unique name starting with <paramref name="prefix"/>, password <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string prefix)
    {
        var name = prefix + Interlocked.Increment(ref _nextUser);
        await _farm.Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, Password, [], CancellationToken.None);
        return name;
    }

    public async Task DisposeAsync() => await _farm.DisposeAsync();
}
