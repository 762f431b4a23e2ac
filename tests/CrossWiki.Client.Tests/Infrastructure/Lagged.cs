using System.Net;
using System.Text;

namespace CrossWiki.Client.Tests.Infrastructure;

/// <summary>
/// Answers the requests <paramref name="lag"/> picks as a lagged MediaWiki does (ApiMain::checkMaxLag: HTTP 200,
/// the maxlag error, <c>MediaWiki-API-Error</c>, <c>Retry-After</c>, <c>X-Database-Lag</c>); the farm, with one
/// database, never lags.
/// </summary>
internal sealed class Lagged(Func<HttpRequestMessage, bool> lag) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!lag(request))
        {
            return base.SendAsync(request, cancellationToken);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent("""{"error":{"code":"maxlag","info":"Waiting for a database server: 7 seconds lagged.","host":"db1","lag":7,"type":"db"}}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("MediaWiki-API-Error", "maxlag");
        response.Headers.TryAddWithoutValidation("Retry-After", "1");
        response.Headers.TryAddWithoutValidation("X-Database-Lag", "7");
        return Task.FromResult(response);
    }
}
