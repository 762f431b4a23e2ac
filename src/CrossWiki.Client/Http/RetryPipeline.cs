using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CrossWiki.Client.Http;

/// <summary>
/// The retry strategy of the client's resilience handler (Microsoft.Extensions.Http.Resilience).
/// </summary>
internal static class RetryPipeline
{
    /// <summary>
    /// Retries a <c>maxlag</c> answer whatever the method, because the wiki refuses it before running the
    /// module (ApiMain::checkMaxLag), so a write is never done twice; retries transient failures only for
    /// GET and HEAD. The delay is the answer's <c>Retry-After</c> (<see cref="HttpRetryStrategyOptions.ShouldRetryAfterHeader"/>),
    /// else exponential backoff with jitter.
    /// </summary>
    public static HttpRetryStrategyOptions Options(CrossWikiClientOptions options) => new()
    {
        MaxRetryAttempts = options.MaxRetries,
        Delay = options.RetryDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldRetryAfterHeader = true,
        ShouldHandle = args =>
        {
            if (args.Outcome.Result is { } response && IsMaxLag(response.Headers))
            {
                return ValueTask.FromResult(true);
            }

            var method = args.Context.GetRequestMessage()?.Method;
            var safe = method == HttpMethod.Get || method == HttpMethod.Head;
            return ValueTask.FromResult(safe && HttpClientResiliencePredicates.IsTransient(args.Outcome));
        },
    };

    /// <summary>
    /// MediaWiki answers a lagged request with HTTP 200, the JSON error <c>maxlag</c>, the header
    /// <c>MediaWiki-API-Error: maxlag</c> and <c>Retry-After</c> plus <c>X-Database-Lag</c>; the headers
    /// are enough to tell, so the body is not read here. Older wikis without the error header still send
    /// <c>X-Database-Lag</c> with <c>Retry-After</c>.
    /// </summary>
    public static bool IsMaxLag(HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("MediaWiki-API-Error", out var codes)
            && codes.Any(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains("maxlag", StringComparer.Ordinal)))
        {
            return true;
        }

        return headers.Contains("X-Database-Lag") && headers.RetryAfter is not null;
    }
}
