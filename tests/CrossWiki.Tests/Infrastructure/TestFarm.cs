using System.Net;
using System.Net.Sockets;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>
/// A real farm for a test: two wikis on real Kestrel on loopback ports, SQLite in a fresh folder.
/// Dispose stops it; <see cref="RestartAsync"/> starts a new server on the same data.
/// </summary>
internal sealed class TestFarm : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication _app;

    private TestFarm(Dictionary<string, string?> settings, Action<IServiceCollection>? services, WebApplication app, string dataDirectory, int[] ports)
    {
        _settings = settings;
        _services = services;
        _app = app;
        DataDirectory = dataDirectory;
        Ports = ports;
    }

    public string DataDirectory { get; }

    public int[] Ports { get; }

    /// <summary>The first wiki ("alpha"), e.g. http://127.0.0.1:PORT.</summary>
    public string AlphaServer => $"http://127.0.0.1:{Ports[0]}";

    /// <summary>The second wiki ("beta").</summary>
    public string BetaServer => $"http://127.0.0.1:{Ports[1]}";

    public string AlphaApi => AlphaServer + "/w/api.php";

    public string BetaApi => BetaServer + "/w/api.php";

    public IServiceProvider Services => _app.Services;

    public static async Task<TestFarm> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "crosswiki-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var ports = new[] { FreePort(), FreePort() };
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

        // Listen on the two loopback ports only, whatever other wikis a test adds.
        settings["urls"] = $"http://127.0.0.1:{ports[0]};http://127.0.0.1:{ports[1]}";
        var app = await StartAppAsync(settings, services);
        return new TestFarm(settings, services, app, data, ports);
    }

    private static async Task<WebApplication> StartAppAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        var app = FarmHost.Build([], null, settings, services);
        await FarmHost.InitializeAsync(app, TextWriter.Null, CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    /// <summary>Stops the server and starts a new one on the same data folder (sessions, kept in memory, are gone).</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = await StartAppAsync(_settings, _services);
    }

    public async Task CreateUserAsync(string name, string password, params string[] groups) =>
        await Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, password, groups, CancellationToken.None);

    public ApiClient Client(string? api = null) => new(api ?? AlphaApi);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
