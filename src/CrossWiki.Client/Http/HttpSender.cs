namespace CrossWiki.Client.Http;

/// <summary>Sends a request through the named HttpClient registered by <c>AddCrossWikiClient</c>.</summary>
internal sealed class HttpSender(IHttpClientFactory httpClientFactory, string httpClientName)
{
    private static readonly HttpRequestOptionsKey<bool> Prepared = new("CrossWiki.Client.Prepared");

    /// <summary>
    /// Sends <paramref name="request"/> with <paramref name="attempt"/> run around every attempt, and reads the
    /// whole body, all within <paramref name="timeout"/>. A client is created per call, as IHttpClientFactory
    /// intends, so handler rotation takes effect; the session lives in the caller's cookie jar, not in a handler.
    /// </summary>
    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpRequestMessage request, IRequestAttempt attempt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.Options.Set(AttemptHandler.Key, new Marking(attempt));
        using var client = httpClientFactory.CreateClient(httpClientName);
        client.Timeout = timeout;
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!request.Options.TryGetValue(Prepared, out _))
            {
                throw new InvalidOperationException($"The HttpClient '{httpClientName}' lacks the client's handler; register it with services.AddCrossWikiClient().");
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private sealed class Marking(IRequestAttempt inner) : IRequestAttempt
    {
        public ValueTask PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.Set(Prepared, true);
            return inner.PrepareAsync(request, cancellationToken);
        }

        public void Complete(HttpRequestMessage request, HttpResponseMessage response) => inner.Complete(request, response);
    }
}
