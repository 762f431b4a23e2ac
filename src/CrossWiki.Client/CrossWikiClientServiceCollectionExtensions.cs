using System.Net;
using CrossWiki.Client;
using CrossWiki.Client.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CrossWiki MediaWiki client.</summary>
public static class CrossWikiClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WikiClientFactory"/> and its named HttpClient <see cref="WikiClientFactory.HttpClientName"/>:
    /// a primary handler without cookies or redirects (each client keeps its own cookie jar; a redirect is
    /// reported, not followed, so no cookie reaches another host), a resilience handler that retries
    /// <c>maxlag</c> answers after their <c>Retry-After</c> and transient failures of GET/HEAD, and inside it the
    /// handler that gives every attempt its cookies and, for foreign clients, a fresh <c>centralauthtoken</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes <see cref="CrossWikiClientOptions"/>.</param>
    /// <returns>The HttpClient's builder: handlers added to it run for every attempt, innermost.</returns>
    public static IHttpClientBuilder AddCrossWikiClient(this IServiceCollection services, Action<CrossWikiClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrossWikiClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(WikiClientFactory)))
        {
            return services.AddHttpClient(WikiClientFactory.HttpClientName);
        }

        services.TryAddSingleton<WikiClientFactory>();
        services.TryAddTransient<AttemptHandler>();
        var builder = services.AddHttpClient(WikiClientFactory.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
            });
        builder.AddResilienceHandler("CrossWiki.Client", (pipeline, context) =>
            pipeline.AddRetry(RetryPipeline.Options(context.ServiceProvider.GetRequiredService<IOptions<CrossWikiClientOptions>>().Value)));
        builder.AddHttpMessageHandler<AttemptHandler>();
        return builder;
    }
}
