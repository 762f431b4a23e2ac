namespace CrossWiki.Client;

/// <summary>
/// Settings of the HTTP pipeline registered by <c>AddCrossWikiClient</c>, shared by every client it creates.
/// </summary>
public sealed class CrossWikiClientOptions
{
    /// <summary>
    /// How many times a request is sent again after a <c>maxlag</c> error (any method: the wiki refused it
    /// before running it) or, for GET and HEAD only, after a transient failure (a network error, HTTP 408,
    /// 429 or 5xx). Default 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The delay before the first retry when the answer has no <c>Retry-After</c> header; later retries
    /// wait exponentially longer, with jitter. A <c>Retry-After</c> header always wins. Default 2 seconds.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
