using CrossWiki.Server.Farm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CrossWiki.Testing;

/// <summary>
/// The one farm bootstrap of the in-process tests: the real server (<see cref="FarmHost"/>) on real Kestrel on
/// loopback ports, SQLite in a fresh temporary folder. The ports are bound first (<see cref="LoopbackListeners"/>);
/// the settings are made from them, so each wiki's <c>Server</c> names the port it is really served on.
/// </summary>
internal sealed class InProcessFarm : IAsyncDisposable
{
    private readonly int _portCount;
    private readonly Func<string, IReadOnlyList<int>, IReadOnlyDictionary<string, string?>> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<ListenOptions>? _listen;
    private WebApplication? _app;
    private LoopbackListeners? _listeners;

    private InProcessFarm(
        string dataDirectory,
        int portCount,
        Func<string, IReadOnlyList<int>, IReadOnlyDictionary<string, string?>> settings,
        Action<IServiceCollection>? services,
        Action<ListenOptions>? listen)
    {
        DataDirectory = dataDirectory;
        _portCount = portCount;
        _settings = settings;
        _services = services;
        _listen = listen;
    }

    public string DataDirectory { get; }

    /// <summary>The loopback ports of this start, in the order the settings got them.</summary>
    public IReadOnlyList<int> Ports => _listeners!.Ports;

    public IServiceProvider Services => _app!.Services;

    /// <summary>
    /// Starts a farm on <paramref name="portCount"/> fresh loopback ports. <paramref name="settings"/> gets the
    /// data folder and the ports and returns the farm's configuration keys; <paramref name="services"/> changes the
    /// server's services (a fake clock); <paramref name="listen"/> configures each endpoint (HTTPS).
    /// </summary>
    public static async Task<InProcessFarm> StartAsync(
        string name,
        int portCount,
        Func<string, IReadOnlyList<int>, IReadOnlyDictionary<string, string?>> settings,
        Action<IServiceCollection>? services = null,
        Action<ListenOptions>? listen = null)
    {
        var data = Directory.CreateTempSubdirectory(name + "-").FullName;
        var farm = new InProcessFarm(data, portCount, settings, services, listen);
        try
        {
            await farm.StartAppAsync();
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }

        return farm;
    }

    /// <summary>
    /// Stops the server and starts a new one on the same data folder; sessions, kept in memory, are gone.
    /// The new server gets new ports: taking the old ones back after Kestrel closed them would race like
    /// a FreePort helper does.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        _listeners = LoopbackListeners.Bind(_portCount);
        var listeners = _listeners;
        _app = FarmHost.Build([], null, _settings(DataDirectory, listeners.Ports), _services, web => listeners.HandTo(web, _listen));
        await FarmHost.InitializeAsync(_app, TextWriter.Null, CancellationToken.None);
        await _app.StartAsync();
    }

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        _listeners?.Dispose();
        _listeners = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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
}
