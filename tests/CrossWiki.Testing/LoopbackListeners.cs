using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CrossWiki.Testing;

/// <summary>
/// Loopback sockets bound to port 0 and already listening before a farm's settings are written, so that
/// each wiki's <c>Server</c> can name its real port; Kestrel then serves on these very sockets instead of
/// binding again. Picking a free port and closing it before Kestrel binds it (a "FreePort" helper) leaves a
/// window in which a test class running in parallel, or any other process, takes the same port.
/// </summary>
internal sealed class LoopbackListeners : IDisposable
{
    private readonly Socket[] _sockets;

    private LoopbackListeners(Socket[] sockets)
    {
        _sockets = sockets;
        Ports = [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
    }

    /// <summary>The ports the sockets got, in order.</summary>
    public IReadOnlyList<int> Ports { get; }

    public static LoopbackListeners Bind(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                socket.Listen();
            }
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        return new LoopbackListeners([.. sockets]);
    }

    /// <summary>
    /// Makes Kestrel listen on these sockets and nowhere else (for <c>FarmHost.Build</c>'s listen hook).
    /// Kestrel's socket transport asks <see cref="Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateBoundListenSocket"/>
    /// for each endpoint's socket; it gets the one bound here, and closes it when the server stops.
    /// </summary>
    public void HandTo(IWebHostBuilder web, Action<ListenOptions>? configure = null)
    {
        var byEndPoint = _sockets.ToDictionary(s => (IPEndPoint)s.LocalEndPoint!);
        web.UseSockets(o =>
        {
            var bind = o.CreateBoundListenSocket;
            o.CreateBoundListenSocket = endPoint =>
                endPoint is IPEndPoint ip && byEndPoint.TryGetValue(ip, out var socket) ? socket : bind(endPoint);
        });
        web.ConfigureKestrel(k =>
        {
            foreach (var endPoint in byEndPoint.Keys)
            {
                k.Listen(endPoint, listen => configure?.Invoke(listen));
            }
        });
    }

    /// <summary>Closes the sockets (a no-op for those Kestrel already closed).</summary>
    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
