using System.Collections.Concurrent;

namespace CrossWiki.Client.Tests.Infrastructure;

/// <summary>
/// The client library as an application gets it: a service provider with <c>AddCrossWikiClient</c>, plus a
/// recorder that sees every attempt on the wire.
/// </summary>
internal sealed class Clients : IDisposable
{
    private readonly ServiceProvider _services;

    public Clients(Action<CrossWikiClientOptions>? configure = null, Action<IHttpClientBuilder>? http = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddCrossWikiClient(configure);
        builder.AddHttpMessageHandler(() => new Recorder(Log));
        http?.Invoke(builder);
        _services = services.BuildServiceProvider();
        Factory = _services.GetRequiredService<WikiClientFactory>();
    }

    public WikiClientFactory Factory { get; }

    /// <summary>Every attempt sent, in order.</summary>
    public ConcurrentQueue<Sent> Log { get; } = new();

    public IReadOnlyList<Sent> Sent => [.. Log];

    public async Task<WikiApi> LoggedInAsync(Uri api, string name, WikiApiOptions? options = null)
    {
        var client = Factory.CreateApi(api, options);
        await client.LoginAsync(name, ClientFarm.Password);
        return client;
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>One attempt as sent, and the answer's status and headers.</summary>
internal sealed record Sent(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? Body, int Status, IReadOnlyDictionary<string, string> ResponseHeaders)
{
    public string Query => Uri.UnescapeDataString(Url.Query);

    public bool Has(string parameter) =>
        (Url.Query.TrimStart('?') + "&" + Body).Split('&').Any(p => Uri.UnescapeDataString(p).StartsWith(parameter, StringComparison.Ordinal));
}

internal sealed class Recorder(ConcurrentQueue<Sent> log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.NonValidated.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var response = await base.SendAsync(request, cancellationToken);
        var responseHeaders = response.Headers.NonValidated.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        log.Enqueue(new Sent(request.Method, request.RequestUri!, headers, body, (int)response.StatusCode, responseHeaders));
        return response;
    }
}

/// <summary>A handler that only passes requests on; a test counts how often the factory builds one.</summary>
internal sealed class PassThrough : DelegatingHandler;
