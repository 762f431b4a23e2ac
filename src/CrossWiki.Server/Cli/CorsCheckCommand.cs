using CrossWiki.Server.ActionApi;

namespace CrossWiki.Server.Cli;

/// <summary>
/// <c>cors-check &lt;api.php URL&gt; --origin &lt;origin&gt; [--credentials] [--method POST] [--header NAME]...
/// [--origin-parameter VALUE]</c>: sends what a browser would send (the preflight when one is needed,
/// then the request) to any MediaWiki-compatible wiki and prints, step by step, whether a page of
/// that origin could read the answer and why not. Exit status 0 only when it could.
/// </summary>
internal static class CorsCheckCommand
{
    private const string Usage = "Usage: cors-check <api.php or rest.php URL> --origin <origin> [--credentials] [--method GET|POST|...] [--header NAME]... [--origin-parameter VALUE]";

    private sealed record Options(Uri Url, string Origin, bool Credentials, string Method, List<string> Headers, string? OriginParameter);

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler = null, CancellationToken ct = default)
    {
        if (Parse(args) is not { } options)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        using var http = new HttpClient(handler ?? new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }, disposeHandler: handler is null);
        var url = RequestUrl(options);
        await output.WriteLineAsync($"cors-check: {options.Method} {url}");
        await output.WriteLineAsync($"  from a page of {options.Origin}, {(options.Credentials ? "with credentials (cookies)" : "without credentials")}" +
            (options.Headers.Count > 0 ? $", with headers {string.Join(", ", options.Headers)}" : ""));
        var step = 1;
        if (BrowserCorsRules.NeedsPreflight(options.Method, options.Headers))
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
            preflight.Headers.TryAddWithoutValidation("Origin", options.Origin);
            preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", options.Method);
            if (options.Headers.Count > 0)
            {
                preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", string.Join(",", options.Headers.Select(h => h.ToLowerInvariant()).Order(StringComparer.Ordinal)));
            }

            var observed = await SendAsync(http, preflight, ct);
            await output.WriteLineAsync($"{step++}. Preflight: OPTIONS answered HTTP {observed.Status}.");
            var findings = BrowserCorsRules.PreflightCheck(observed, options.Origin, options.Credentials, options.Method, options.Headers);
            if (!await ReportAsync(output, findings, observed))
            {
                await output.WriteLineAsync("Result: REFUSED at the preflight; the browser does not send the request.");
                return 1;
            }
        }
        else
        {
            await output.WriteLineAsync($"{step++}. Preflight: not needed ({options.Method} with CORS-safelisted headers only).");
        }

        using var request = new HttpRequestMessage(new HttpMethod(options.Method), url);
        request.Headers.TryAddWithoutValidation("Origin", options.Origin);
        foreach (var header in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, "cors-check");
        }

        if (options.Method == "POST")
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        var answer = await SendAsync(http, request, ct);
        await output.WriteLineAsync($"{step}. Request: {options.Method} answered HTTP {answer.Status}.");
        if (!await ReportAsync(output, BrowserCorsRules.CorsCheck(answer, options.Origin, options.Credentials), answer))
        {
            await output.WriteLineAsync("Result: REFUSED; the page cannot read the answer.");
            return 1;
        }

        await output.WriteLineAsync("Result: OK; a browser lets the page read the answer.");
        return 0;
    }

    /// <summary>Prints the findings and what the wiki said about itself; true when all passed.</summary>
    private static async Task<bool> ReportAsync(TextWriter output, List<Finding> findings, ObservedResponse response)
    {
        foreach (var finding in findings)
        {
            await output.WriteLineAsync($"   {(finding.Ok ? "ok " : "NO ")} {finding.Text}");
        }

        if (response.Single("MediaWiki-CORS-Rejection") is { } rejection)
        {
            await output.WriteLineAsync($"   The wiki refused the origin: MediaWiki-CORS-Rejection: {rejection} ({Explain(rejection)}).");
        }

        if (response.Single(ApiCorsApplier.CorsRuleHeader) is { } rule)
        {
            await output.WriteLineAsync($"   The wiki's CrossSiteAJAXdomains rule: {rule}.");
        }

        if (response.Single("MediaWiki-API-Error") is { } error)
        {
            await output.WriteLineAsync($"   The API answered with the error '{error}'.");
        }

        if (response.Single("MediaWiki-Login-Suppressed") == "true")
        {
            await output.WriteLineAsync("   The request ran as an anonymous user (MediaWiki-Login-Suppressed: true).");
        }

        return findings.TrueForAll(f => f.Ok);
    }

    private static string Explain(string rejection) => rejection switch
    {
        "Origin mismatch" => "the origin is not in the wiki's CrossSiteAJAXdomains, an exception excludes it, or the Origin header is null or lists several origins",
        "Unsupported header requested in preflight" => "a requested header is not in the wiki's AllowedCorsHeaders",
        _ => "see the wiki's CORS settings",
    };

    private static async Task<ObservedResponse> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = [.. values];
        }

        return new ObservedResponse((int)response.StatusCode, headers);
    }

    /// <summary>
    /// The URL a gadget would call: api.php gets <c>origin</c> (the page's origin with credentials, <c>*</c>
    /// without, or the given override) and, when it has no action, a userinfo query.
    /// </summary>
    private static string RequestUrl(Options o)
    {
        var url = o.Url.ToString();
        if (!o.Url.AbsolutePath.EndsWith("api.php", StringComparison.Ordinal))
        {
            return url;
        }

        var query = o.Url.Query.TrimStart('?');
        var parts = new List<string>();
        if (query.Length > 0)
        {
            parts.Add(query);
        }

        if (!query.Split('&').Any(p => p.StartsWith("action=", StringComparison.Ordinal)))
        {
            parts.Add("action=query&meta=userinfo&format=json");
        }

        if (!query.Split('&').Any(p => p.StartsWith("origin=", StringComparison.Ordinal)))
        {
            parts.Add("origin=" + Uri.EscapeDataString(o.OriginParameter ?? (o.Credentials ? o.Origin : "*")));
        }

        return o.Url.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', parts);
    }

    private static Options? Parse(string[] args)
    {
        Uri? url = null;
        string? origin = null;
        string? originParameter = null;
        var credentials = false;
        var method = "GET";
        var headers = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--origin" when next is not null:
                    origin = next.TrimEnd('/');
                    i++;
                    break;
                case "--origin-parameter" when next is not null:
                    originParameter = next;
                    i++;
                    break;
                case "--credentials":
                    credentials = true;
                    break;
                case "--method" when next is not null:
                    method = next.ToUpperInvariant();
                    i++;
                    break;
                case "--header" when next is not null:
                    headers.Add(next);
                    i++;
                    break;
                case var a when url is null && !a.StartsWith("--", StringComparison.Ordinal) && Uri.TryCreate(a, UriKind.Absolute, out var u)
                    && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps):
                    url = u;
                    break;
                default:
                    return null;
            }
        }

        return url is null || origin is null ? null : new Options(url, origin, credentials, method, headers, originParameter);
    }
}
