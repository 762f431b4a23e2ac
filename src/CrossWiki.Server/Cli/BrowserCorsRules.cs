namespace CrossWiki.Server.Cli;

/// <summary>What a browser received: status and headers (names case-insensitive, a header may repeat).</summary>
internal sealed record ObservedResponse(int Status, IReadOnlyDictionary<string, IReadOnlyList<string>> Headers)
{
    public string? Single(string name) => Headers.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;

    public int Count(string name) => Headers.TryGetValue(name, out var v) ? v.Count : 0;
}

/// <summary>One finding of a check: passed or not, and the sentence that explains it.</summary>
internal sealed record Finding(bool Ok, string Text);

/// <summary>
/// The browser's side of CORS, as the Fetch standard states it (§3.2.3 CORS-safelisted request headers,
/// §4.8 CORS-preflight fetch, §4.10 CORS check): pure functions over what was sent and received, so
/// every refusal has one sentence that names the header and the rule.
/// </summary>
internal static class BrowserCorsRules
{
    private static readonly string[] SimpleMethods = ["GET", "HEAD", "POST"];

    private static readonly string[] SafelistedHeaders = ["accept", "accept-language", "content-language", "content-type"];

    public static bool IsSimpleMethod(string method) => SimpleMethods.Contains(method);

    /// <summary>A preflight is sent for a method other than GET, HEAD and POST, or any header that is not safelisted.</summary>
    public static bool NeedsPreflight(string method, IEnumerable<string> headerNames) =>
        !IsSimpleMethod(method) || headerNames.Any(h => !SafelistedHeaders.Contains(h.ToLowerInvariant()));

    /// <summary>The CORS check on a response (Fetch §4.10).</summary>
    public static List<Finding> CorsCheck(ObservedResponse response, string origin, bool credentials)
    {
        var findings = new List<Finding>();
        var count = response.Count("Access-Control-Allow-Origin");
        var acao = response.Single("Access-Control-Allow-Origin");
        if (count == 0)
        {
            findings.Add(new(false, "Access-Control-Allow-Origin is missing, so the browser hides the answer from the page."));
            return findings;
        }

        if (count > 1 || acao is null)
        {
            findings.Add(new(false, "Access-Control-Allow-Origin is sent more than once; the browser accepts exactly one."));
            return findings;
        }

        if (acao == "*")
        {
            findings.Add(credentials
                ? new(false, "Access-Control-Allow-Origin is '*', which a browser refuses when the request is sent with credentials (cookies).")
                : new(true, "Access-Control-Allow-Origin: * allows any page to read an answer sent without credentials."));
            return findings;
        }

        if (!string.Equals(acao, origin, StringComparison.Ordinal))
        {
            findings.Add(new(false, $"Access-Control-Allow-Origin is '{acao}', not the page's origin '{origin}'."));
            return findings;
        }

        findings.Add(new(true, $"Access-Control-Allow-Origin: {acao} is the page's origin."));
        if (credentials)
        {
            var acac = response.Single("Access-Control-Allow-Credentials");
            findings.Add(acac == "true"
                ? new(true, "Access-Control-Allow-Credentials: true allows the answer to a request sent with cookies.")
                : new(false, $"Access-Control-Allow-Credentials is {(acac is null ? "missing" : $"'{acac}'")}; with cookies the browser requires exactly 'true'."));
        }

        return findings;
    }

    /// <summary>The checks of a preflight's answer (Fetch §4.8): status, CORS check, methods, headers.</summary>
    public static List<Finding> PreflightCheck(ObservedResponse response, string origin, bool credentials, string method, IReadOnlyList<string> headerNames)
    {
        var findings = new List<Finding>();
        if (response.Status is < 200 or > 299)
        {
            findings.Add(new(false, $"The preflight answered HTTP {response.Status}; a browser requires a 2xx status."));
            return findings;
        }

        findings.AddRange(CorsCheck(response, origin, credentials));
        if (findings.Exists(f => !f.Ok))
        {
            return findings;
        }

        var methods = List(response.Single("Access-Control-Allow-Methods"));
        if (!IsSimpleMethod(method))
        {
            var allowed = methods.Contains(method) || (!credentials && methods.Contains("*"));
            findings.Add(allowed
                ? new(true, $"Access-Control-Allow-Methods allows {method}.")
                : new(false, $"Access-Control-Allow-Methods ({string.Join(", ", methods)}) does not allow {method}."));
        }

        var allowedHeaders = List(response.Single("Access-Control-Allow-Headers")).Select(h => h.ToLowerInvariant()).ToHashSet();
        foreach (var name in headerNames.Where(h => !SafelistedHeaders.Contains(h.ToLowerInvariant())))
        {
            var lower = name.ToLowerInvariant();
            var ok = allowedHeaders.Contains(lower) || (!credentials && allowedHeaders.Contains("*") && lower != "authorization");
            findings.Add(ok
                ? new(true, $"Access-Control-Allow-Headers allows {name}.")
                : new(false, $"Access-Control-Allow-Headers does not allow {name}, so the browser does not send the request."));
        }

        return findings;
    }

    private static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
