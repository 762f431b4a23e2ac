using System.Net;
using System.Text.Json.Nodes;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>An api.php client with its own cookie jar, like a bot's.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(string api)
    {
        Api = api;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false });
    }

    public string Api { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    public sealed record Answer(HttpResponseMessage Response, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        /// <summary>A response header as sent (not re-serialized by HttpClient's parsers), values joined by ", ".</summary>
        public string? Header(string name) =>
            Response.Headers.NonValidated.TryGetValues(name, out var v) ? string.Join(", ", v) :
            Response.Content.Headers.NonValidated.TryGetValues(name, out var c) ? string.Join(", ", c) : null;
    }

    public static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    public async Task<Answer> GetAsync(params (string Key, string Value)[] parameters)
    {
        var response = await _http.GetAsync(Api + "?" + Query(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value))));
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    public async Task<Answer> PostAsync(params (string Key, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value)));
        var response = await _http.PostAsync(Api, content);
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A POST with some parameters in the query string and the others in the form body.</summary>
    public async Task<Answer> PostAsync((string Key, string Value)[] query, params (string Key, string Value)[] body)
    {
        using var content = new FormUrlEncodedContent(body.Select(p => KeyValuePair.Create(p.Key, p.Value)));
        var response = await _http.PostAsync(Api + "?" + Query(query.Select(p => KeyValuePair.Create(p.Key, p.Value))), content);
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A POST whose body is multipart/form-data, as mwn sends long values.</summary>
    public async Task<Answer> PostMultipartAsync(params (string Key, string Value)[] parameters)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (key, value) in parameters)
        {
            content.Add(new StringContent(value), key);
        }

        var response = await _http.PostAsync(Api, content);
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A multipart POST with one file part (<c>file</c> or <c>chunk</c>) beside the text parameters, as upload clients send it.</summary>
    public async Task<Answer> PostFileAsync(string part, string fileName, byte[] content, params (string Key, string Value)[] parameters)
    {
        using var body = new MultipartFormDataContent();
        foreach (var (key, value) in parameters)
        {
            body.Add(new StringContent(value), key);
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        body.Add(file, part, fileName);
        var response = await _http.PostAsync(Api, body);
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="method"/> to api.php with a raw query string and an optional raw body.</summary>
    public async Task<Answer> SendRawAsync(HttpMethod method, string query, byte[]? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, Api + "?" + query);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return await SendAsync(request);
    }

    /// <summary>The value of this wiki's session cookie in the jar, or null.</summary>
    public string? SessionCookie() =>
        Cookies.GetCookies(new Uri(Api)).FirstOrDefault(c => c.Name.EndsWith("_session", StringComparison.Ordinal))?.Value;

    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        var response = await _http.SendAsync(request);
        return new Answer(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Logs in with action=login and a token from meta=tokens, as mwn does.</summary>
    public async Task LoginAsync(string name, string password)
    {
        var token = (await GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json"))).Json["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var answer = await PostAsync(("action", "login"), ("lgname", name), ("lgpassword", password), ("lgtoken", token), ("format", "json"));
        var result = answer.Json["login"]!["result"]!.GetValue<string>();
        if (result != "Success")
        {
            throw new InvalidOperationException("Login failed: " + answer.Body);
        }
    }

    public async Task<string> CsrfTokenAsync() =>
        (await GetAsync(("action", "query"), ("meta", "tokens"), ("format", "json"))).Json["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();

    public void Dispose() => _http.Dispose();
}
