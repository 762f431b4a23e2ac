using System.Text;
using System.Text.RegularExpressions;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;

namespace CrossWiki.Tests.Cors;

/// <summary>
/// Properties over generated inputs (seeded, so a failure names its seed and case): credentials only for
/// an origin MediaWiki's own matching allows (spec §2.2, §2.3), and a request without same-origin
/// security (<c>origin=*</c>, <c>callback</c>, <c>Treat-as-Untrusted</c>) never acts as the logged-in user
/// nor hands out her tokens (spec §4, §5; design.md, Security).
/// </summary>
public sealed class AnonymousModePropertyTests(CorsFarmFixture fixture) : IClassFixture<CorsFarmFixture>
{
    private const int Cases = 400;

    private static readonly string[] Labels =
        ["allowed", "example", "com", "trusted", "bad", "x", "a", "port", "evil", "wiki", "Allowed", "EXAMPLE", "\u00fc", "b\u00fccher", "xn--bcher-kva", ""];

    private static readonly string[] Schemes = ["http", "https", "https", "http", "HTTP", "HTTPS", "Https", "hTTp", "ftp", "ws", ""];

    private static readonly string[] Ports = ["", "", "", ":8443", ":443", ":80", ":", ":08443"];

    private static readonly string[] Tails = ["", "", "", "", "/", "/w", "?", "#", ".", " ", "\t"];

    private static readonly string[] Spaces = [" ", "  ", "\t", " \t ", "\u00a0", "\u000b", "\u000c", "\u3000", "\u2028", "\u0085"];

    // ---- (a) the pure decision against a reference built the way MediaWiki builds its regexes ----

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decide_RandomOriginsAndRules_CredentialsExactlyWhenMediaWikiRulesMatch(int seed)
    {
        var random = new Random(seed);
        var credentialed = 0;
        for (var n = 0; n < Cases; n++)
        {
            var allow = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomRule(random)).ToArray();
            var except = Enumerable.Range(0, random.Next(0, 3)).Select(_ => RandomRule(random)).ToArray();
            var (header, parameter) = RandomOriginHeader(random, allow);
            var policy = new ApiCorsPolicy(new OriginRules(allow, except), FarmValidator.DefaultAllowedCorsHeaders, 600);
            var decision = policy.Decide(new ApiCorsRequest("GET", parameter, OriginHeader.Parse([header]), false, null));
            var acac = decision.Headers.Where(h => h.Key == "Access-Control-Allow-Credentials").Select(h => h.Value).SingleOrDefault();
            var expected = ReferenceAllowsCredentials(parameter, header, allow, except);
            var context = $"seed {seed}, case {n}: origin={Show(parameter)}, Origin: {Show(header)}, allow [{string.Join(", ", allow.Select(Show))}], except [{string.Join(", ", except.Select(Show))}] -> {Show(string.Join(" | ", decision.Headers.Select(h => h.Key + ": " + h.Value)))}";
            Assert.True(expected == (acac == "true"), context);
            if (acac == "true")
            {
                credentialed++;
                Assert.True(decision.Headers.Single(h => h.Key == "Access-Control-Allow-Origin").Value == parameter, context);
            }
            else if (parameter == "*")
            {
                Assert.True(acac == "false", context);
            }
        }

        // The generator must reach the interesting side often enough for the property to mean something.
        Assert.True(credentialed >= Cases / 20, $"seed {seed}: only {credentialed} of {Cases} cases were credentialed");
    }

    /// <summary>
    /// MediaWiki 1.39 (spec §2.2 step 4, §2.3), written out plainly: PHP <c>trim</c>, split on PCRE's
    /// <c>\s</c>, the parameter must be in the list, then every rule becomes
    /// <c>^https?://</c> + quoted rule (<c>*</c> to <c>.*?</c>, <c>?</c> to <c>.</c>) + <c>$</c>, case-sensitive;
    /// the first allow rule that matches decides, unless an exception matches. CrossWiki's deliberate
    /// differences (README): several origins, and control or non-ASCII characters, are never matched.
    /// </summary>
    private static bool ReferenceAllowsCredentials(string? parameter, string header, string[] allow, string[] except)
    {
        if (parameter is null or "*")
        {
            return false;
        }

        var trimmed = header.Trim(' ', '\t', '\n', '\r', '\0', '\u000b');
        var list = Regex.Split(trimmed, "[ \t\n\u000b\u000c\r]+");
        if (!list.Contains(parameter) || list.Length != 1 || trimmed == "null")
        {
            return false;
        }

        if (header.Any(c => c != '\t' && (c < 0x20 || c > 0x7e)))
        {
            return false;
        }

        foreach (var rule in allow)
        {
            if (Regex.IsMatch(list[0], ToRegex(rule)))
            {
                return !except.Any(e => Regex.IsMatch(list[0], ToRegex(e)));
            }
        }

        return false;
    }

    private static string ToRegex(string rule) =>
        "^https?://" + Regex.Escape(rule).Replace("\\*", ".*?", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";

    private static string RandomRule(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return "*";
            case 1:
                return "https://" + RandomHost(random, 1, 3);
            default:
                var labels = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(5) switch
                {
                    0 => "*",
                    1 => new string('?', random.Next(1, 4)),
                    _ => Pick(random, Labels),
                });
                var rule = string.Join('.', labels);
                if (random.Next(4) == 0)
                {
                    rule = "*" + rule;
                }

                return rule + random.Next(6) switch
                {
                    0 => ":*",
                    1 => Pick(random, Ports),
                    _ => "",
                };
        }
    }

    /// <summary>An Origin header and an <c>origin</c> parameter; mostly one taken from the other, as a page would send.</summary>
    private static (string Header, string? Parameter) RandomOriginHeader(Random random, string[] allow)
    {
        string core;
        switch (random.Next(20))
        {
            case 0:
                core = "null";
                break;
            case 1:
                core = "";
                break;
            case < 11 when allow.Length > 0:
                // An origin built from an allow rule, so that matches are common.
                var rule = Pick(random, allow);
                var host = new StringBuilder();
                foreach (var c in rule)
                {
                    host.Append(c switch
                    {
                        '*' => string.Join('.', Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(random, Labels))),
                        '?' => Pick(random, ["a", "x", "1", ".", ":", "\u00fc"]),
                        _ => c.ToString(),
                    });
                }

                var scheme = random.Next(5) == 0 ? Pick(random, Schemes) : Pick(random, ["http", "https"]);
                core = scheme + "://" + host + (random.Next(5) == 0 ? Pick(random, Tails) : "");
                break;
            default:
                core = Pick(random, Schemes) + (random.Next(10) == 0 ? ":/" : "://") + RandomHost(random, 0, 4) + Pick(random, Ports) + Pick(random, Tails);
                break;
        }

        var header = core;
        if (random.Next(8) == 0)
        {
            header = header + Pick(random, Spaces) + Pick(random, Schemes) + "://" + RandomHost(random, 1, 3);
        }

        if (random.Next(4) == 0)
        {
            header = Pick(random, Spaces) + header;
        }

        if (random.Next(4) == 0)
        {
            header += Pick(random, Spaces);
        }

        var parameter = random.Next(20) switch
        {
            0 => null,
            1 => "*",
            2 => header,
            3 => header.Trim(),
            4 => Pick(random, Schemes) + "://" + RandomHost(random, 1, 3),
            _ => core,
        };
        return (header, parameter);
    }

    private static string RandomHost(Random random, int min, int max) =>
        string.Join('.', Enumerable.Range(0, random.Next(min, max)).Select(_ => Pick(random, Labels)));

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Show(string? s) =>
        s is null ? "(absent)" : "\"" + string.Concat(s.Select(c => c < 0x20 || c >= 0x7f ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";

    // ---- (b) over HTTP: Alice's cookies never make such a request hers ----

    private enum Kind
    {
        Query,
        Login,
        Options,
        Edit,
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Api_LoggedInCookiesWithoutSameOriginSecurity_NeverActAsTheUserNorGiveTokens(int seed)
    {
        var http = fixture.Http;
        var cookie = fixture.AliceCookie;
        var csrf = fixture.AliceCsrfToken;
        var loginToken = (await http.SendAsync("GET", "action=query&meta=tokens&type=login&format=json", cookie: cookie))
            .Json["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var page = $"Cors property {seed}";
        var option = $"userjs-corsprop{seed}";

        // The token is real: the same request with same-origin security sets the option.
        var control = await http.SendAsync("POST", "", Form([("action", "options"), ("optionname", option + "control"), ("optionvalue", "1"), ("token", csrf), ("format", "json")]), cookie: cookie);
        Assert.Equal("""{"options":"success"}""", control.Body);

        var random = new Random(seed);
        for (var n = 0; n < Cases / 2; n++)
        {
            var kind = (Kind)random.Next(4);
            var post = kind != Kind.Query || random.Next(2) == 0;
            var query = new List<(string, string)>();
            var body = new List<(string, string)>();
            var headers = new List<KeyValuePair<string, string>>();
            var fv2 = random.Next(2) == 0;
            var where = () => post && random.Next(2) == 0 ? body : query;

            var star = random.Next(2) == 0;
            var callback = random.Next(2) == 0;
            var untrusted = random.Next(2) == 0 || !(star || callback);
            var specific = false;
            if (star)
            {
                where().Add(("origin", "*"));
                if (random.Next(2) == 0)
                {
                    headers.Add(new("Origin", Pick(random, ["https://allowed.example.com", "https://evil.example", "null"])));
                }
            }
            else if (random.Next(3) == 0)
            {
                // A specific allowed origin: credentialed CORS, but still no same-origin security.
                specific = true;
                where().Add(("origin", "https://allowed.example.com"));
                headers.Add(new("Origin", "https://allowed.example.com"));
            }

            if (callback)
            {
                where().Add(("callback", Pick(random, ["", "f", "cb_1", "jQuery123_456", "a$b(c)<d>;e.f[0]", "alert(1)//", "\u00fc"])));
            }

            if (untrusted)
            {
                headers.Add(new("Treat-as-Untrusted", Pick(random, ["1", "", "0", "false", "yes"])));
            }

            var parameters = post ? body : query;
            parameters.Add(("format", "json"));
            if (fv2)
            {
                parameters.Add(("formatversion", "2"));
            }

            switch (kind)
            {
                case Kind.Query:
                    var meta = Pick(random, ["userinfo", "tokens", "userinfo|tokens", "tokens|userinfo"]);
                    parameters.Add(("action", "query"));
                    parameters.Add(("meta", meta));
                    if (meta.Contains("tokens", StringComparison.Ordinal) && random.Next(2) == 0)
                    {
                        parameters.Add(("type", Pick(random, ["csrf", "login", "watch|csrf", "*"])));
                    }

                    if (meta.Contains("userinfo", StringComparison.Ordinal) && random.Next(3) == 0)
                    {
                        parameters.Add(("uiprop", "preferencestoken|groups"));
                    }

                    break;
                case Kind.Login:
                    body.AddRange([("action", "login"), ("lgname", CorsFarmFixture.UserName), ("lgpassword", CorsFarmFixture.Password), ("lgtoken", loginToken)]);
                    break;
                case Kind.Options:
                    body.AddRange([("action", "options"), ("optionname", option), ("optionvalue", n.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("token", csrf)]);
                    break;
                case Kind.Edit:
                    body.AddRange([("action", "edit"), ("title", page), ("text", "case " + n), ("token", csrf)]);
                    break;
            }

            var answer = await http.SendAsync(post ? "POST" : "GET", Form(query), post ? Form(body) : null, headers, cookie);
            var context = $"seed {seed}, case {n}: {(post ? "POST" : "GET")} ?{Form(query)} body {Form(body)} headers [{string.Join(", ", headers.Select(h => h.Key + ": " + h.Value))}] -> {answer.Status} {answer.Body}";
            Assert.True(answer.Status == 200, context);
            Assert.True(answer.Header("MediaWiki-Login-Suppressed") == "true", context);
            Assert.True(specific || answer.Header("Access-Control-Allow-Credentials") != "true", context);
            Assert.False(Regex.IsMatch(answer.Body, "[0-9a-f]{32}[0-9a-f]*\\+\\\\\\\\"), "a real token was handed out: " + context);
            Assert.DoesNotContain(CorsFarmFixture.UserName, answer.Body, StringComparison.Ordinal);
            var json = answer.Json;
            switch (kind)
            {
                case Kind.Query:
                    var metaValue = parameters.Single(p => p.Item1 == "meta").Item2;
                    if (metaValue.Contains("userinfo", StringComparison.Ordinal))
                    {
                        var userinfo = json["query"]?["userinfo"];
                        Assert.True(userinfo?["id"]?.GetValue<int>() == 0 && userinfo["name"]?.GetValue<string>() == "127.0.0.1", context);
                        Assert.True(userinfo["preferencestoken"] is null, context);
                    }

                    if (metaValue.Contains("tokens", StringComparison.Ordinal))
                    {
                        Assert.True(json["query"]?["tokens"] is null, context);
                        var warning = json["warnings"]?["tokens"]?[fv2 ? "warnings" : "*"]?.GetValue<string>();
                        Assert.True(warning == "Tokens may not be obtained when the same-origin policy is not applied.", context);
                    }

                    break;
                case Kind.Login:
                    Assert.True(json["login"]?["result"]?.GetValue<string>() == "Aborted", context);
                    Assert.True(json["login"]?["reason"]?.GetValue<string>() == "Cannot log in when the same-origin policy is not applied.", context);
                    break;
                case Kind.Options or Kind.Edit:
                    Assert.True(json["error"]?["code"]?.GetValue<string>() == "badtoken", context);
                    break;
            }
        }

        // Nothing happened to Alice: still logged in, no option set, no page written.
        var after = await http.SendAsync("GET", "action=query&meta=userinfo&uiprop=options&titles=" + Uri.EscapeDataString(page) + "&format=json&formatversion=2", cookie: cookie);
        var query1 = after.Json["query"]!;
        Assert.Equal(CorsFarmFixture.UserName, query1["userinfo"]!["name"]!.GetValue<string>());
        Assert.Null(query1["userinfo"]!["options"]![option]);
        Assert.Equal("1", query1["userinfo"]!["options"]![option + "control"]!.GetValue<string>());
        Assert.True(query1["pages"]![0]!["missing"]!.GetValue<bool>(), after.Body);
    }

    private static string Form(IEnumerable<(string Key, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}
