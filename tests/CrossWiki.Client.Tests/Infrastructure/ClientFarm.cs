using System.Net;
using System.Net.Sockets;
using System.Threading;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using Microsoft.AspNetCore.Builder;

namespace CrossWiki.Client.Tests.Infrastructure;

/// <summary>
/// A real farm shared by a test class: two wikis with CentralAuth ("alpha" and "beta", each allowing the other
/// cross-origin, beta's rest.php with CORS) on real Kestrel on loopback ports, SQLite in a fresh folder.
/// Tests use fresh users from <see cref="CreateUserAsync"/>, so none sees another's edits or preferences.
/// </summary>
public sealed class ClientFarm : IAsyncLifetime
{
    public const string Password = "client-test-password-1";

    private static int _nextUser;
    private WebApplication _app = null!;
    private string _data = null!;
    private int[] _ports = null!;

    public string AlphaServer => $"http://127.0.0.1:{_ports[0]}";

    public string BetaServer => $"http://127.0.0.1:{_ports[1]}";

    public Uri AlphaApi => new(AlphaServer + "/w/api.php");

    public Uri BetaApi => new(BetaServer + "/w/api.php");

    public Uri BetaRest => new(BetaServer + "/w/rest.php");

    public async Task InitializeAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "crosswiki-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_data);
        _ports = [FreePort(), FreePort()];
        var settings = new Dictionary<string, string?>
        {
            ["Farm:DataDirectory"] = _data,
            ["Farm:Wikis:alpha:Sitename"] = "Alpha Wiki",
            ["Farm:Wikis:alpha:Server"] = AlphaServer,
            ["Farm:Wikis:alpha:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{_ports[1]}",
            ["Farm:Wikis:alpha:CentralAuth"] = "true",
            ["Farm:Wikis:beta:Sitename"] = "Beta Wiki",
            ["Farm:Wikis:beta:Server"] = BetaServer,
            ["Farm:Wikis:beta:CrossSiteAJAXdomains:0"] = $"127.0.0.1:{_ports[0]}",
            ["Farm:Wikis:beta:CentralAuth"] = "true",
            ["Farm:Wikis:beta:AllowCrossOrigin"] = "true",
            ["urls"] = $"{AlphaServer};{BetaServer}",
        };
        _app = FarmHost.Build([], null, settings);
        await FarmHost.InitializeAsync(_app, TextWriter.Null, CancellationToken.None);
        await _app.StartAsync();
    }

    /// <summary>Creates a farm-wide account with a unique name starting with <paramref name="prefix"/>, password <see cref="Password"/>.</summary>
    public async Task<string> CreateUserAsync(string prefix)
    {
        var name = prefix + Interlocked.Increment(ref _nextUser);
        await _app.Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, Password, [], CancellationToken.None);
        return name;
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the temp cleaner.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
