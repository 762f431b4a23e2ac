namespace CrossWiki.Server.Cors;

/// <summary>Plain inputs of the REST decisions.</summary>
internal readonly record struct RestCorsRequest(string Method, OriginHeader OriginHeader, bool UserIsRegistered);

/// <summary>
/// rest.php's CORS (spec §6): ACAO <c>*</c> unless cookie-auth is on, the origin is allowed and the
/// request is a preflight or comes from a registered user; <c>Vary: Origin</c> on every answer with
/// cookie-auth; anonymous writes from an origin that is not allowed are refused. Allowed origins are
/// the wiki's own origin plus <c>CrossSiteAJAXdomains</c> minus the exceptions.
/// </summary>
internal sealed class RestCorsPolicy
{
    /// <summary>Headers MediaWiki appends to the preflight's allow list (the <c>If-Mach</c> spelling is MediaWiki 1.39's).</summary>
    private static readonly string[] AlwaysAllowed = ["Authorization", "Content-Type", "If-Mach", "If-None-Match", "If-Modified-Since"];

    private readonly bool _allowCrossOrigin;
    private readonly bool _cookieAuth;
    private readonly OriginRules _rules;
    private readonly string _maxAge;

    public RestCorsPolicy(bool allowCrossOrigin, bool cookieAuth, string ownHostAndPort, IEnumerable<string> domains, IEnumerable<string> exceptions, IReadOnlyList<string> allowedHeaders, int preflightMaxAge)
    {
        _allowCrossOrigin = allowCrossOrigin;
        _cookieAuth = cookieAuth;
        _rules = new OriginRules([ownHostAndPort, .. domains], exceptions);
        var headers = allowedHeaders.ToList();
        foreach (var h in AlwaysAllowed)
        {
            if (!headers.Contains(h, StringComparer.OrdinalIgnoreCase))
            {
                headers.Add(h);
            }
        }

        AllowHeaders = string.Join(", ", headers);
        _maxAge = preflightMaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string AllowHeaders { get; }

    /// <summary>The CORS headers of any rest.php answer, preflights and errors included (CorsUtils::modifyResponse).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders(in RestCorsRequest request)
    {
        if (!_allowCrossOrigin)
        {
            return [];
        }

        var allowed = "*";
        var headers = new List<KeyValuePair<string, string>>(3);
        if (_cookieAuth)
        {
            headers.Add(new("Vary", "Origin"));
            var origin = request.OriginHeader;
            if (origin.IsPresent && IsAllowed(origin) && (request.Method == "OPTIONS" || request.UserIsRegistered))
            {
                allowed = origin.Trimmed;
            }
        }

        if (allowed != "*")
        {
            headers.Add(new("Access-Control-Allow-Credentials", "true"));
        }

        headers.Add(new("Access-Control-Allow-Origin", allowed));
        return headers;
    }

    /// <summary>
    /// Whether <see cref="ResponseHeaders"/> depend on the user being registered for this method and
    /// Origin: only on cookie-auth wikis, for an allowed origin, outside preflights. Otherwise the user
    /// need not be looked up for the headers.
    /// </summary>
    public bool DependsOnUser(string method, OriginHeader origin) =>
        _allowCrossOrigin && _cookieAuth && method != "OPTIONS" && origin.IsPresent && IsAllowed(origin);

    /// <summary>The headers of the automatic 204 preflight: methods of the path's routes and the header list.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PreflightHeaders(IReadOnlyList<string> methods) =>
    [
        new("Access-Control-Allow-Methods", string.Join(", ", methods)),
        new("Access-Control-Allow-Headers", AllowHeaders),
        new("Access-Control-Max-Age", _maxAge),
    ];

    /// <summary>
    /// CorsUtils::authorize: an anonymous user may not write from an Origin that is not allowed
    /// (independent of <c>AllowCrossOrigin</c>). An absent Origin header passes; <c>null</c> does not.
    /// </summary>
    public bool IsAnonymousWriteRefused(in RestCorsRequest request) =>
        !request.UserIsRegistered && request.OriginHeader.IsPresent && !IsAllowed(request.OriginHeader);

    /// <summary>One allowed origin. Several origins are "not allowed" rather than a server error (fix over MediaWiki).</summary>
    public bool IsAllowed(OriginHeader origin) =>
        !origin.IsNull && !origin.IsMalformed && origin.Origins.Count == 1 && _rules.Match(origin.Origins[0]).Allowed;
}
