using System.Net;
using System.Net.Http.Headers;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Farm;

public sealed class ClientScriptTests
{
    [Fact]
    public async Task CrossWikiJs_EachWiki_ServesTheScriptWithCachingHeaders()
    {
        await using var farm = await TestFarm.StartAsync();
        using var http = new HttpClient();

        foreach (var server in new[] { farm.AlphaServer, farm.BetaServer })
        {
            var url = server + "/w/resources/crosswiki.js";
            using var response = await http.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
            var etag = Assert.IsType<EntityTagHeaderValue>(response.Headers.ETag);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("function ForeignApi(url, options)", body, StringComparison.Ordinal);

            using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
            conditional.Headers.IfNoneMatch.Add(etag);
            using var notModified = await http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }
}
