using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Client.Http;

namespace CrossWiki.Client;

/// <summary>
/// The REST API (<c>rest.php</c>) of a wiki, called as <c>mw.ForeignRest</c> with CentralAuth calls it: with a
/// <see cref="LocalApi"/> session, every request (every retry included) carries
/// <c>Authorization: CentralAuthToken &lt;a new token from the local wiki&gt;</c> and no cookies (T391180);
/// without one, or when the local wiki gives no token, this instance's own cookies are sent (none when
/// <see cref="WikiApiOptions.Anonymous"/>). <see cref="Origin"/>, when set, is sent as the <c>Origin</c> header.
/// Paths are appended to <see cref="Url"/> as given (<c>/v1/page/Main_Page</c>): encode titles yourself.
/// Create one with <see cref="WikiClientFactory.CreateForeignRest"/>.
/// </summary>
public sealed class ForeignRest
{
    private readonly HttpSender _http;

    internal ForeignRest(IHttpClientFactory httpClientFactory, string httpClientName, Uri url, string? origin, WikiApi? localApi, WikiApiOptions? options)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("The rest.php URL must be absolute.", nameof(url));
        }

        _http = new HttpSender(httpClientFactory, httpClientName);
        Url = url;
        Options = options ?? new WikiApiOptions();
        Cookies = Options.Cookies ?? new CookieContainer();
        LocalApi = localApi;
        Origin = ForeignOrigin.Resolve(origin, localApi?.Url);
    }

    /// <summary>The rest.php URL, e.g. <c>https://en.example.org/w/rest.php</c>.</summary>
    public Uri Url { get; }

    /// <summary>This instance's settings (<see cref="WikiApiOptions.FormatVersion"/>, <see cref="WikiApiOptions.MaxLag"/> and <see cref="WikiApiOptions.Parameters"/> do not apply to REST).</summary>
    public WikiApiOptions Options { get; }

    /// <summary>The cookie jar used when no central token is sent.</summary>
    public CookieContainer Cookies { get; }

    /// <summary>The origin sent as the <c>Origin</c> header, or null.</summary>
    public string? Origin { get; }

    /// <summary>The local wiki whose session lends its user through <c>centralauthtoken</c>, or null.</summary>
    public WikiApi? LocalApi { get; }

    /// <summary>GET <paramref name="path"/>, with <paramref name="query"/> serialized as for api.php.</summary>
    /// <returns>The JSON answer; a body that is not JSON (e.g. <c>/html</c>) comes back as a JSON string.</returns>
    /// <exception cref="WikiApiException">The answer is not a 2xx.</exception>
    public Task<JsonNode?> GetAsync(string path, IEnumerable<KeyValuePair<string, object?>>? query = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, query, null, cancellationToken);

    /// <summary>POST <paramref name="body"/> (JSON; an empty object when null) to <paramref name="path"/>.</summary>
    /// <exception cref="WikiApiException">The answer is not a 2xx.</exception>
    public Task<JsonNode?> PostAsync(string path, JsonNode? body = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, null, body ?? new JsonObject(), cancellationToken);

    /// <summary>PUT <paramref name="body"/> (JSON) to <paramref name="path"/>.</summary>
    /// <exception cref="WikiApiException">The answer is not a 2xx.</exception>
    public Task<JsonNode?> PutAsync(string path, JsonNode body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, null, body ?? throw new ArgumentNullException(nameof(body)), cancellationToken);

    /// <summary>DELETE <paramref name="path"/>, with an optional JSON body.</summary>
    /// <exception cref="WikiApiException">The answer is not a 2xx.</exception>
    public Task<JsonNode?> DeleteAsync(string path, JsonNode? body = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, path, null, body, cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, object?>>? query, JsonNode? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var url = new Uri(Url.OriginalString + path, UriKind.Absolute);
        if (query is not null)
        {
            url = ApiParameters.Append(url, ApiParameters.Encode(ApiParameters.Serialize(null, query)));
        }

        using var request = new HttpRequestMessage(method, url);
        var (response, text) = await _http.SendAsync(request, new RestCall(this, body?.ToJsonString()), Options.Timeout, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return Read(response, text);
        }
    }

    /// <summary>A 2xx body as JSON; anything else as <see cref="WikiApiException"/> with MediaWiki's REST error fields.</summary>
    private static JsonNode? Read(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        JsonNode? json = null;
        var isJson = response.Content.Headers.ContentType?.MediaType is { } type
            && (type == MediaTypeNames.Application.Json || type.EndsWith("+json", StringComparison.Ordinal));
        if (text.Length > 0 && isJson)
        {
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                // The status says enough.
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return isJson || text.Length == 0 ? json : JsonValue.Create(text);
        }

        var code = WikiApi.Text(json?["errorKey"]) ?? WikiApi.Text(json?["error"]) ?? "http-" + status.ToString(CultureInfo.InvariantCulture);
        var info = WikiApi.Text(json?["messageTranslations"]?["en"])
            ?? (json?["messageTranslations"] as JsonObject)?.Select(t => WikiApi.Text(t.Value)).FirstOrDefault(t => t is not null)
            ?? WikiApi.Text(json?["message"])
            ?? WikiApi.Text(json?["httpReason"])
            ?? WikiApi.HttpInfo(response, json is null ? text : string.Empty);
        throw new WikiApiException(code, info, json, status);
    }

    /// <summary>One REST call: a fresh central token and the cookies, for every attempt.</summary>
    private sealed class RestCall(ForeignRest rest, string? body) : IRequestAttempt
    {
        private bool _cookies;

        public async ValueTask PrepareAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var options = rest.Options;
            var agent = options.UserAgent ?? WikiApiOptions.DefaultUserAgent;
            var headers = request.Headers;
            headers.Remove("User-Agent");
            headers.TryAddWithoutValidation("User-Agent", agent);
            headers.Remove("Api-User-Agent");
            headers.TryAddWithoutValidation("Api-User-Agent", agent);
            headers.Remove("Origin");
            if (rest.Origin is not null)
            {
                headers.TryAddWithoutValidation("Origin", rest.Origin);
            }

            string? token = null;
            if (rest.LocalApi is not null && !options.Anonymous)
            {
                try
                {
                    token = await rest.LocalApi.GetCentralAuthTokenAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (WikiApiException)
                {
                    // As CentralAuth's ForeignRest: without a token the request goes with the default credentials.
                }
            }

            headers.Authorization = token is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("CentralAuthToken", token);
            _cookies = token is null && !options.Anonymous;
            headers.Remove("Cookie");
            if (_cookies)
            {
                CookieJar.Apply(rest.Cookies, request);
            }

            if (body is not null)
            {
                request.Content?.Dispose();
                request.Content = new StringContent(body, Encoding.UTF8, MediaTypeNames.Application.Json);
            }
        }

        public void Complete(HttpRequestMessage request, HttpResponseMessage response)
        {
            if (_cookies)
            {
                CookieJar.Store(rest.Cookies, request, response);
            }
        }
    }
}
