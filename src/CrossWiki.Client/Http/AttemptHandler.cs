namespace CrossWiki.Client.Http;

/// <summary>What a client does to a request before each attempt and with each attempt's answer.</summary>
internal interface IRequestAttempt
{
    /// <summary>Sets what must be fresh for every attempt: the Cookie header from the jar, a new centralauthtoken.</summary>
    ValueTask PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Keeps what the answer sets (cookies), even when the answer is then retried.</summary>
    void Complete(HttpRequestMessage request, HttpResponseMessage response);
}

/// <summary>
/// Runs a request's <see cref="IRequestAttempt"/> around every attempt. It sits inside the resilience
/// handler, so a request sent again after <c>maxlag</c> gets the cookies the first answer set and a new
/// single-use <c>centralauthtoken</c> (the first one was spent by the wiki that refused the request).
/// </summary>
internal sealed class AttemptHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<IRequestAttempt> Key = new("CrossWiki.Client.Attempt");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Key, out var attempt))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        await attempt.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        attempt.Complete(request, response);
        return response;
    }
}
