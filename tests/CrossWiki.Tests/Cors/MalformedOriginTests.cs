using System.Text;

namespace CrossWiki.Tests.Cors;

/// <summary>
/// Malformed <c>Origin</c> headers against api.php (design.md, Security: bad input never gets a 500, and
/// no origin the wiki does not allow gets <c>Access-Control-Allow-Credentials: true</c>). Each header is
/// sent with <c>origin</c> equal to it (and to its first part), in the query string and in a POST body,
/// and with <c>origin=*</c>.
/// </summary>
public sealed class MalformedOriginTests(CorsFarmFixture fixture) : IClassFixture<CorsFarmFixture>
{
    private const string Allowed = "https://allowed.example.com";

    private static readonly string TenKilobytes = "https://allowed.example.com" + new string('a', 10_000);

    private static readonly string TenKilobytesOfOrigins =
        string.Join(' ', Enumerable.Repeat(Allowed, 10_240 / (Allowed.Length + 1)));

    /// <summary>Name, then the header fields (more than one: several <c>Origin</c> fields, sent by hand).</summary>
    private static readonly Dictionary<string, string[]> Cases = new()
    {
        ["empty"] = [""],
        ["null"] = ["null"],
        ["null-uppercase"] = ["NULL"],
        ["two-origins"] = [Allowed + " https://x.trusted.example"],
        ["two-origins-comma"] = [Allowed + ", https://x.trusted.example"],
        ["two-origins-tab"] = [Allowed + "\thttps://x.trusted.example"],
        ["same-origin-twice"] = [Allowed + " " + Allowed],
        ["two-fields"] = [Allowed, "https://x.trusted.example"],
        ["two-fields-same"] = [Allowed, Allowed],
        ["two-fields-null"] = ["null", "null"],
        ["ten-kilobytes"] = [TenKilobytes],
        ["ten-kilobytes-of-origins"] = [TenKilobytesOfOrigins],
        ["control-soh"] = [Allowed + "\u0001"],
        ["control-del"] = [Allowed + "\u007f"],
        ["control-esc-in-host"] = ["https://a\u001b.trusted.example"],
        ["control-vt"] = [Allowed + "\u000b"],
        ["control-ff-inside"] = [Allowed + "\u000chttps://x.trusted.example"],
        ["control-tab-inside"] = ["https://a\t.trusted.example"],
        ["non-ascii-host"] = ["https://\u00fc.trusted.example"],
        ["non-ascii-idn"] = ["https://b\u00fccher.trusted.example"],
        ["non-ascii-nbsp"] = [Allowed + "\u00a0"],
        ["non-ascii-nbsp-between"] = [Allowed + "\u00a0https://x.trusted.example"],
        ["non-ascii-ideographic-space"] = ["\u3000" + Allowed],
        ["non-ascii-line-separator"] = [Allowed + "\u2028"],
        ["trailing-slash"] = [Allowed + "/"],
        ["path"] = [Allowed + "/w/api.php"],
        ["upper-case"] = ["HTTPS://ALLOWED.EXAMPLE.COM"],
        ["upper-case-host"] = ["https://Allowed.example.com"],
        ["upper-case-scheme"] = ["Https://x.trusted.example"],
        ["no-scheme"] = ["allowed.example.com"],
        ["userinfo"] = ["https://user@allowed.example.com"],
        ["exception-with-port"] = ["https://bad.trusted.example:443"],
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    private CorsHttp Http => fixture.Http;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Api_MalformedOriginWithMatchingParameter_NeverFailsOrAllowsCredentials(string name)
    {
        var fields = Cases[name];
        var parameters = new[] { fields[0], fields[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "" }.Distinct();
        foreach (var origin in parameters)
        {
            foreach (var post in new[] { false, true })
            {
                var answer = await SendAsync(fields, origin, post);
                var context = $"case {name}, origin={Escape(origin)}, {(post ? "POST" : "GET")}: {answer.Status} {answer.Cors}";
                Assert.True(answer.Status < 500, context + "\n" + answer.Body);
                Assert.True(answer.All("Access-Control-Allow-Credentials").Count == 0, context);
                Assert.True(answer.All("Access-Control-Allow-Origin").Count == 0, context);
                if (answer.Status == 200)
                {
                    // Not matched: the request ran, and the page is told why it may not read it.
                    Assert.True(answer.Header("MediaWiki-CORS-Rejection") == "Origin mismatch", context);
                    Assert.Equal(CorsFarmFixture.UserName, answer.Json["query"]!["userinfo"]!["name"]!.GetValue<string>());
                }
                else
                {
                    Assert.True(answer.Status is 403 or 414, context);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Api_MalformedOriginWithOriginStar_IsAnonymousWithoutCredentials(string name)
    {
        foreach (var post in new[] { false, true })
        {
            var answer = await SendAsync(Cases[name], "*", post);
            var context = $"case {name}, origin=*, {(post ? "POST" : "GET")}: {answer.Status} {answer.Cors}";
            Assert.True(answer.Status == 200, context + "\n" + answer.Body);
            Assert.Equal(
                CorsHttp.Sorted(
                    "Access-Control-Allow-Origin: *",
                    "Access-Control-Allow-Credentials: false",
                    "Access-Control-Expose-Headers: MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed",
                    "MediaWiki-Login-Suppressed: true",
                    "Cache-Control: private, must-revalidate, max-age=0"),
                answer.Cors);
            Assert.Equal(0, answer.Json["query"]!["userinfo"]!["id"]!.GetValue<int>());
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Preflight_MalformedOrigin_NeverFailsOrAllowsCredentials(string name)
    {
        var fields = Cases[name];
        var answer = await SendAsync(fields, fields[0], post: false, method: "OPTIONS");
        var context = $"case {name}, OPTIONS: {answer.Status} {answer.Cors}";
        Assert.True(answer.Status is 200 or 403 or 414, context + "\n" + answer.Body);
        Assert.True(answer.All("Access-Control-Allow-Credentials").Count == 0, context);
        Assert.True(answer.All("Access-Control-Allow-Methods").Count == 0, context);
    }

    private async Task<CorsHttp.Answer> SendAsync(string[] fields, string origin, bool post, string method = "")
    {
        const string Query = "action=query&meta=userinfo&format=json";
        var param = "origin=" + Uri.EscapeDataString(origin);
        var query = post ? Query : Query + "&" + param;
        var form = post ? param : null;
        method = method.Length > 0 ? method : post ? "POST" : "GET";
        var headers = new List<KeyValuePair<string, string>>();
        if (method == "OPTIONS")
        {
            headers.Add(new("Access-Control-Request-Method", "POST"));
        }

        if (fields.Length == 1)
        {
            // HttpClient sends control characters (not CR or LF) and, with UTF-8 chosen, non-ASCII as they are.
            headers.Add(new("Origin", fields[0]));
            return await Http.SendAsync(method, query, form, headers, fixture.AliceCookie);
        }

        // Several Origin fields (HttpClient would join them into one): written by hand.
        var raw = headers.Select(h => KeyValuePair.Create(h.Key, Encoding.UTF8.GetBytes(h.Value)))
            .Concat(fields.Select(f => KeyValuePair.Create("Origin", Encoding.UTF8.GetBytes(f))))
            .ToList();
        if (form is not null)
        {
            var body = Encoding.UTF8.GetBytes(form);
            raw.Add(KeyValuePair.Create("Content-Type", "application/x-www-form-urlencoded"u8.ToArray()));
            raw.Add(KeyValuePair.Create("Content-Length", Encoding.ASCII.GetBytes(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            return await Http.SendRawAsync(method, query, raw, fixture.AliceCookie, body);
        }

        return await Http.SendRawAsync(method, query, raw, fixture.AliceCookie);
    }

    private static string Escape(string s) =>
        s.Length > 80 ? $"<{s.Length} chars>" : string.Concat(s.Select(c => c < 0x20 || c >= 0x7f ? $"\\u{(int)c:x4}" : c.ToString()));
}
