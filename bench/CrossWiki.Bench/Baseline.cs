using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CrossWiki.Bench;

/// <summary>
/// The baseline: a bare ASP.NET Core endpoint (Kestrel, no middleware) that answers every request on a
/// port with the bytes and headers CrossWiki sent for that port's row. Its cost is what any ASP.NET
/// Core server pays for the same exchange; CrossWiki's cost above it is CrossWiki's own.
/// </summary>
internal sealed class Baseline : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, Captured> _byPort;

    private Baseline(WebApplication app, ConcurrentDictionary<int, Captured> byPort, IReadOnlyList<int> ports)
    {
        _app = app;
        _byPort = byPort;
        Ports = ports;
    }

    /// <summary>The loopback ports, one per row; Kestrel chose them (port 0), so none was taken by another process first.</summary>
    public IReadOnlyList<int> Ports { get; }

    public static async Task<Baseline> StartAsync(int ports)
    {
        var listens = new List<ListenOptions>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            for (var i = 0; i < ports; i++)
            {
                k.Listen(IPAddress.Loopback, 0, listens.Add);
            }
        });
        var app = builder.Build();
        var byPort = new ConcurrentDictionary<int, Captured>();
        app.Run(ctx =>
        {
            var captured = byPort[ctx.Connection.LocalPort];
            var response = ctx.Response;
            response.StatusCode = captured.Status;
            foreach (var (name, values) in captured.Headers)
            {
                response.Headers[name] = values;
            }

            response.ContentLength = captured.Body.Length;
            return captured.Body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(captured.Body, 0, captured.Body.Length);
        });
        await app.StartAsync();

        // Kestrel writes the endpoint it bound, with the port it got, back into each ListenOptions.
        return new Baseline(app, byPort, [.. listens.Select(l => l.IPEndPoint!.Port)]);
    }

    /// <summary>What the port answers from now on.</summary>
    public void Serve(int port, Captured response) => _byPort[port] = response;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The baseline of a file row: Kestrel with ASP.NET Core's own static file middleware (UseStaticFiles, with
/// its ETag, Last-Modified and Range handling) serving the same bytes from disk at the same path, so that a
/// file served by CrossWiki is compared with the cheapest way ASP.NET Core serves a file.
/// </summary>
internal sealed class StaticFilesBaseline : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticFilesBaseline(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    public string Origin { get; }

    /// <summary>Serves <paramref name="file"/> at <paramref name="path"/> from a folder under <paramref name="work"/>.</summary>
    public static async Task<StaticFilesBaseline> StartAsync(string work, string path, string file)
    {
        var root = Path.Combine(work, "static");
        var target = Path.Combine(root, Uri.UnescapeDataString(path).TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
        ListenOptions? listen = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, l => listen = l);
        });
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root) });
        await app.StartAsync();
        return new StaticFilesBaseline(app, $"http://127.0.0.1:{listen!.IPEndPoint!.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
