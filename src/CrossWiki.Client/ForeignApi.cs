namespace CrossWiki.Client;

/// <summary>
/// The api.php of another wiki, called as a page of the local wiki calls it with <c>mw.ForeignApi</c> (and
/// CentralAuth's version of it). Every request claims <see cref="Origin"/> with the <c>origin</c> parameter (in
/// the URL too for POST) and the <c>Origin</c> header, so the foreign wiki applies its CORS rules
/// (<c>CrossSiteAJAXdomains</c>) as it would for a browser; <see cref="WikiApiOptions.Anonymous"/> sends
/// <c>origin=*</c> instead. With a <see cref="LocalApi"/> session, every request (every retry included) first
/// gets a new single-use <c>centralauthtoken</c> from the local wiki and sends it along, so the foreign wiki
/// runs it as the user logged in locally; CSRF tokens of the foreign wiki stay valid across such requests, and
/// are cached as usual. Without one, this instance's own cookies are the session.
/// Create one with <see cref="WikiClientFactory.CreateForeignApi"/>.
/// </summary>
public sealed class ForeignApi : WikiApi
{
    internal ForeignApi(IHttpClientFactory httpClientFactory, string httpClientName, Uri url, string? origin, WikiApi? localApi, WikiApiOptions? options)
        : base(httpClientFactory, httpClientName, url, options)
    {
        LocalApi = localApi;
        Origin = ForeignOrigin.Resolve(origin, localApi?.Url);
    }

    /// <summary>The origin claimed, e.g. <c>https://www.example.org</c>; null when none is sent.</summary>
    public string? Origin { get; }

    /// <summary>The local wiki whose session lends its user through <c>centralauthtoken</c>, or null.</summary>
    public WikiApi? LocalApi { get; }

    private protected override string? OriginParameter => Options.Anonymous ? "*" : Origin;

    private protected override string? OriginHeader => Origin;

    /// <summary>
    /// A fresh token for each attempt, as CentralAuth's ForeignApi does (spec §3.5): none when anonymous;
    /// when the local wiki refuses one (not logged in there, no CentralAuth, …) the request goes on without,
    /// relying on this instance's cookies, exactly as the browser client carries on.
    /// </summary>
    private protected override async ValueTask<string?> CentralAuthTokenForAttemptAsync(CancellationToken cancellationToken)
    {
        if (LocalApi is null || Options.Anonymous)
        {
            return null;
        }

        try
        {
            return await LocalApi.GetCentralAuthTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WikiApiException)
        {
            return null;
        }
    }
}

/// <summary>The origin a foreign client claims.</summary>
internal static class ForeignOrigin
{
    /// <summary>The given origin (checked to be scheme://host[:port]), else the local wiki's, else none.</summary>
    public static string? Resolve(string? origin, Uri? localUrl)
    {
        if (origin is not null)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || parsed.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                throw new ArgumentException($"'{origin}' is not an origin (scheme://host[:port]).", nameof(origin));
            }

            return origin.TrimEnd('/');
        }

        return localUrl?.GetLeftPart(UriPartial.Authority);
    }
}
