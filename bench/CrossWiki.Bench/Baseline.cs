using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

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

    private Baseline(WebApplication app, ConcurrentDictionary<int, Captured> byPort)
    {
        _app = app;
        _byPort = byPort;
    }

    public static async Task<Baseline> StartAsync(IReadOnlyList<int> ports)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            foreach (var port in ports)
            {
                k.Listen(IPAddress.Loopback, port);
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
        return new Baseline(app, byPort);
    }

    /// <summary>What the port answers from now on.</summary>
    public void Serve(int port, Captured response) => _byPort[port] = response;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
