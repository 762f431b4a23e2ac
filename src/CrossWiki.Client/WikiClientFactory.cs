namespace CrossWiki.Client;

/// <summary>
/// Creates the clients. Registered as a singleton by <c>services.AddCrossWikiClient()</c>; every client it makes
/// sends through the named HttpClient <see cref="HttpClientName"/> and its resilience pipeline.
/// </summary>
public sealed class WikiClientFactory
{
    /// <summary>The name of the HttpClient registered by <c>AddCrossWikiClient</c>.</summary>
    public const string HttpClientName = "CrossWiki.Client";

    private readonly IHttpClientFactory _httpClientFactory;

    /// <summary>Creates the factory over <paramref name="httpClientFactory"/>, which must know <see cref="HttpClientName"/>.</summary>
    public WikiClientFactory(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _httpClientFactory = httpClientFactory;
    }

    /// <summary>A client for the wiki whose api.php is <paramref name="apiUrl"/>, with a session of its own.</summary>
    /// <param name="apiUrl">The api.php URL, e.g. <c>https://en.example.org/w/api.php</c>.</param>
    /// <param name="options">Settings; defaults when null.</param>
    public WikiApi CreateApi(Uri apiUrl, WikiApiOptions? options = null) =>
        new(_httpClientFactory, HttpClientName, apiUrl, options);

    /// <summary>A client for another wiki's api.php, called as a page of the local wiki would call it.</summary>
    /// <param name="apiUrl">The foreign api.php URL.</param>
    /// <param name="origin">The origin to claim (the local wiki's, e.g. <c>https://www.example.org</c>); when null,
    /// the origin of <paramref name="localApi"/>'s URL, or none.</param>
    /// <param name="localApi">A session on the local wiki to get a <c>centralauthtoken</c> from for every request;
    /// null to use this client's own cookies.</param>
    /// <param name="options">Settings; defaults when null.</param>
    public ForeignApi CreateForeignApi(Uri apiUrl, string? origin = null, WikiApi? localApi = null, WikiApiOptions? options = null) =>
        new(_httpClientFactory, HttpClientName, apiUrl, origin, localApi, options);

    /// <summary>A client for a wiki's rest.php, with central tokens from <paramref name="localApi"/> when given.</summary>
    /// <param name="restUrl">The rest.php URL, e.g. <c>https://en.example.org/w/rest.php</c>.</param>
    /// <param name="origin">The origin sent as the <c>Origin</c> header; when null, that of <paramref name="localApi"/>, or none.</param>
    /// <param name="localApi">A session on the local wiki to get a <c>centralauthtoken</c> from for every request; null
    /// to use this client's own cookies.</param>
    /// <param name="options">Settings; defaults when null.</param>
    public ForeignRest CreateForeignRest(Uri restUrl, string? origin = null, WikiApi? localApi = null, WikiApiOptions? options = null) =>
        new(_httpClientFactory, HttpClientName, restUrl, origin, localApi, options);
}
