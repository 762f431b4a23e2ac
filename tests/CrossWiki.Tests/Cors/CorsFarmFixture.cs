using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Cors;

/// <summary>
/// A farm whose wiki "alpha" has the example rules of spec §0 (next to the test farm's own rule for
/// beta's origin), with Alice logged in: her session cookie and real tokens, for requests that must
/// (or must not) run as her.
/// </summary>
public sealed class CorsFarmFixture : IAsyncLifetime
{
    public const string UserName = "Alice";
    public const string Password = "alice-password-1";

    internal TestFarm Farm { get; private set; } = null!;

    /// <summary>Alice's <c>Cookie</c> header on alpha.</summary>
    internal string AliceCookie { get; private set; } = "";

    /// <summary>Alice's real csrf token for that session.</summary>
    internal string AliceCsrfToken { get; private set; } = "";

    internal CorsHttp Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Farm = await TestFarm.StartAsync(settings =>
        {
            settings["Farm:Wikis:alpha:CrossSiteAJAXdomains:1"] = "allowed.example.com";
            settings["Farm:Wikis:alpha:CrossSiteAJAXdomains:2"] = "*.trusted.example";
            settings["Farm:Wikis:alpha:CrossSiteAJAXdomains:3"] = "port.example:8443";
            settings["Farm:Wikis:alpha:CrossSiteAJAXdomainExceptions:0"] = "bad.trusted.example";
        });
        await Farm.CreateUserAsync(UserName, Password);
        using var client = Farm.Client();
        await client.LoginAsync(UserName, Password);
        AliceCsrfToken = await client.CsrfTokenAsync();
        AliceCookie = client.Cookies.GetCookieHeader(new Uri(Farm.AlphaApi));
        Http = new CorsHttp(Farm);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        await Farm.DisposeAsync();
    }
}

/// <summary>
/// Raw api.php requests for CORS tests: no cookie jar (cookies are sent explicitly), header values
/// sent as given (UTF-8 for non-ASCII), and the CORS-related response headers as one comparable list.
/// </summary>
internal sealed class CorsHttp : IDisposable
{
    /// <summary>Response headers the CORS tests compare exactly, besides every <c>Access-Control-*</c>.</summary>
    private static readonly string[] Tracked =
        ["Timing-Allow-Origin", "MediaWiki-CORS-Rejection", "MediaWiki-Login-Suppressed", "Vary", "Cache-Control"];

    private readonly TestFarm _farm;
    private readonly HttpClient _http;

    public CorsHttp(TestFarm farm)
    {
        _farm = farm;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        });
    }

    public string Api => _farm.AlphaApi;

    public sealed record Answer(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
    {
        /// <summary>Every value of a response header (a header sent twice gives two values).</summary>
        public IReadOnlyList<string> All(string name) =>
            [.. Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

        public string? Header(string name) => All(name) is { Count: > 0 } v ? string.Join(", ", v) : null;

        /// <summary>The CORS-related headers, <c>Name: value</c>, sorted by name, one per line.</summary>
        public string Cors => string.Join("\n", Headers
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || Tracked.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .Select(h => h.Key + ": " + h.Value)
            .Order(StringComparer.OrdinalIgnoreCase));

        public JsonNode Json => JsonNode.Parse(JsonText)!;

        /// <summary>The JSON of the body, without a JSONP wrapper <c>/**/cb(...)</c>.</summary>
        public string JsonText
        {
            get
            {
                if (!Body.StartsWith("/**/", StringComparison.Ordinal))
                {
                    return Body;
                }

                var open = Body.IndexOf('(', StringComparison.Ordinal);
                return Body[(open + 1)..^1];
            }
        }
    }

    public static string Sorted(params string[] headers) => string.Join("\n", headers.Order(StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// Sends <paramref name="method"/> to api.php with the raw query string <paramref name="query"/> (as
    /// given, not re-encoded) and, when <paramref name="form"/> is set, that urlencoded body.
    /// </summary>
    public async Task<Answer> SendAsync(
        string method,
        string query,
        string? form = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? cookie = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), query.Length == 0 ? Api : Api + "?" + query);
        foreach (var (name, value) in headers ?? [])
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"HttpClient refused header {name}");
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await _http.SendAsync(request);
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            list.AddRange(values.Select(v => KeyValuePair.Create(name, v)));
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            list.AddRange(values.Select(v => KeyValuePair.Create(name, v)));
        }

        return new Answer((int)response.StatusCode, list, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Writes one HTTP/1.1 request by hand on a socket: for what HttpClient cannot send, such as two
    /// <c>Origin</c> header fields or raw bytes in a value.
    /// </summary>
    public async Task<Answer> SendRawAsync(string method, string query, IEnumerable<KeyValuePair<string, byte[]>> headers, string? cookie = null, byte[]? body = null)
    {
        var uri = new Uri(Api);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        await using var stream = tcp.GetStream();
        var head = new MemoryStream();
        void Line(string s) => head.Write(Encoding.ASCII.GetBytes(s + "\r\n"));
        Line($"{method} {uri.AbsolutePath}{(query.Length == 0 ? "" : "?" + query)} HTTP/1.1");
        Line($"Host: {uri.Authority}");
        Line("Connection: close");
        if (cookie is not null)
        {
            Line("Cookie: " + cookie);
        }

        foreach (var (name, value) in headers)
        {
            head.Write(Encoding.ASCII.GetBytes(name + ": "));
            head.Write(value);
            head.Write("\r\n"u8);
        }

        Line("");
        head.Write(body ?? []);
        await stream.WriteAsync(head.ToArray());
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);
        return ParseRaw(read.ToArray());
    }

    private static Answer ParseRaw(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "No HTTP response head: " + Encoding.UTF8.GetString(bytes));
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(KeyValuePair.Create(line[..colon], line[(colon + 1)..].Trim()));
        }

        var body = bytes.AsSpan(end + 4);
        if (headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value == "chunked"))
        {
            var content = new MemoryStream();
            while (true)
            {
                var eol = body.IndexOf("\r\n"u8);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..eol]), 16);
                if (size == 0)
                {
                    break;
                }

                content.Write(body.Slice(eol + 2, size));
                body = body[(eol + 2 + size + 2)..];
            }

            return new Answer(status, headers, Encoding.UTF8.GetString(content.ToArray()));
        }

        return new Answer(status, headers, Encoding.UTF8.GetString(body));
    }

    public void Dispose() => _http.Dispose();
}
