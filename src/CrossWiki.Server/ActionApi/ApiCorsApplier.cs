using System.Collections.Concurrent;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// The HTTP side of api.php's CORS: gathers the decision's plain inputs from the request, asks the wiki's
/// <see cref="ApiCorsPolicy"/>, and writes the headers it returns. Refusals are logged with their reason.
/// </summary>
internal static partial class ApiCorsApplier
{
    /// <summary>Names the CrossSiteAJAXdomains rule (and exception) that decided a specific origin.</summary>
    public const string CorsRuleHeader = "CrossWiki-CORS-Rule";

    /// <summary>Values of <see cref="CorsRuleHeader"/> by rule, formatted once (rules come from the farm file, so they are few).</summary>
    private static readonly ConcurrentDictionary<(string Allow, string? Except), string> RuleHeaders = new();

    public static ApiCorsDecision DecideAndApply(HttpContext http, Wiki wiki, ApiRequest request, ILogger logger)
    {
        var headers = http.Request.Headers;
        var originParameter = request.Peek("origin");
        var decision = wiki.ApiCors.Decide(new ApiCorsRequest(
            http.Request.Method,
            originParameter,
            originParameter is null ? default : OriginHeader.Parse(headers.Origin),
            headers.ContainsKey("Access-Control-Request-Method"),
            headers.TryGetValue("Access-Control-Request-Headers", out var acrh) ? acrh.ToString() : null,
            HasCallback: request.Peek("callback") is not null,
            TreatAsUntrusted: headers.ContainsKey("Treat-as-Untrusted")));

        var response = http.Response.Headers;
        if (decision.LacksSameOriginSecurity)
        {
            // Spec §4: sent whatever the CORS outcome, so also on 403 and OPTIONS answers.
            response["MediaWiki-Login-Suppressed"] = "true";
        }

        var corsHeaders = decision.Headers;
        for (var i = 0; i < corsHeaders.Count; i++)
        {
            var (name, value) = corsHeaders[i];
            response[name] = value;
        }

        if (decision.Refusal != CorsRefusal.None)
        {
            LogCorsRefused(logger, wiki.Id, headers.Origin, decision.Refusal);
        }

        // For tools such as cors-check (not exposed to pages): which of the wiki's rules decided.
        if (decision.Action != CorsAction.Forbid && originParameter is not (null or "*"))
        {
            response[CorsRuleHeader] = decision.Match.AllowRule is null
                ? "none"
                : RuleHeaders.GetOrAdd((decision.Match.AllowRule, decision.Match.ExceptionRule), static m => m switch
                {
                    (var allow, { } except) => $"allow '{allow}', except '{except}'",
                    (var allow, _) => $"allow '{allow}'",
                });
        }

        return decision;
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "api.php on {WikiId}: cross-origin request from '{Origin}' refused: {Refusal}")]
    private static partial void LogCorsRefused(ILogger logger, string wikiId, Microsoft.Extensions.Primitives.StringValues origin, CorsRefusal refusal);
}
