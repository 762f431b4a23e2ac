using System.Net;

namespace CrossWiki.Client.Http;

/// <summary>
/// Cookies kept by the client itself rather than by the primary handler.
/// IHttpClientFactory pools primary handlers and replaces them every couple of minutes, and one handler
/// serves every client of the named HttpClient: a <see cref="CookieContainer"/> on the handler would be
/// shared by all sessions and lost at rotation. So the handler runs with <c>UseCookies = false</c>, and
/// each WikiApi owns a container whose cookies it writes into the request and reads back from the answer.
/// </summary>
internal static class CookieJar
{
    public static void Apply(CookieContainer jar, HttpRequestMessage request)
    {
        request.Headers.Remove("Cookie");
        var header = jar.GetCookieHeader(request.RequestUri!);
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", header);
        }
    }

    public static void Store(CookieContainer jar, HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            try
            {
                jar.SetCookies(request.RequestUri!, value);
            }
            catch (CookieException)
            {
                // A browser ignores a cookie it cannot parse; so does this jar.
            }
        }
    }
}
