namespace CrossWiki.Server.Cors;

/// <summary>What the HTTP layer must do after the CORS decision.</summary>
internal enum CorsAction
{
    /// <summary>Run the request (possibly without CORS headers, i.e. unreadable by the page).</summary>
    Continue,

    /// <summary>Answer 403 <c>'origin' parameter does not match Origin header</c>; run nothing.</summary>
    Forbid,

    /// <summary>Answer an OPTIONS request: 200, empty body; run nothing.</summary>
    AnswerOptions,
}

/// <summary>Why the page may not read the answer (for logs and for cors-check).</summary>
internal enum CorsRefusal
{
    None,
    OriginParameterMismatch,
    OriginNotAllowed,
    OriginException,
    NullOrigin,
    MultipleOrigins,
    MalformedOrigin,
    UnsupportedHeader,
}

/// <summary>
/// Why a request lacks same-origin security and so must run as an anonymous user that gets no tokens
/// (spec §4; MediaWiki's <c>ApiMain::lacksSameOriginSecurity</c>), in the order MediaWiki checks.
/// </summary>
internal enum AnonymousReason
{
    /// <summary>The request may act as its session's user.</summary>
    None,

    /// <summary>A JSONP <c>callback</c>: any page may read the answer.</summary>
    Jsonp,

    /// <summary><c>origin=*</c>: anonymous CORS, readable by any origin.</summary>
    AnonymousCors,

    /// <summary>A <c>Treat-as-Untrusted</c> header.</summary>
    TreatAsUntrusted,
}

/// <summary>
/// The CORS decision for one api.php request: headers to add (in MediaWiki's order), what to do, and
/// whether the request must be treated as anonymous and why.
/// </summary>
internal sealed record ApiCorsDecision(
    CorsAction Action,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    bool VaryOrigin,
    CorsRefusal Refusal,
    OriginMatch Match)
{
    public static readonly ApiCorsDecision NoOrigin = new(CorsAction.Continue, [], false, CorsRefusal.None, default);

    public static readonly ApiCorsDecision NoOriginOptions = new(CorsAction.AnswerOptions, [], false, CorsRefusal.None, default);

    /// <summary>Why the request must run as an anonymous user; <see cref="AnonymousReason.None"/> when it may act as its user.</summary>
    public AnonymousReason Anonymous { get; init; }

    /// <summary>True when the request runs anonymously in an empty session (spec §4).</summary>
    public bool LacksSameOriginSecurity => Anonymous != AnonymousReason.None;
}

/// <summary>Plain inputs of the decision: no HttpContext, so every vector of the spec is a unit test.</summary>
/// <param name="HasCallback">A JSONP <c>callback</c> parameter was sent.</param>
/// <param name="TreatAsUntrusted">A <c>Treat-as-Untrusted</c> header was sent.</param>
internal readonly record struct ApiCorsRequest(
    string Method,
    string? OriginParameter,
    OriginHeader OriginHeader,
    bool HasRequestMethodHeader,
    string? RequestHeaders,
    bool HasCallback = false,
    bool TreatAsUntrusted = false);

/// <summary>The Action API's CORS rules (spec §2.2, §3), with CrossWiki's fixes (README, compatibility).</summary>
internal sealed class ApiCorsPolicy(OriginRules rules, IReadOnlyList<string> allowedHeaders, int preflightMaxAge)
{
    /// <summary>MediaWiki's exposed headers; the error code and lag headers are what a page needs to read.</summary>
    public const string ExposeHeaders = "MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed";

    public const string AllowMethods = "POST, GET, HEAD";

    public const string MismatchBody = "'origin' parameter does not match Origin header\n";

    private readonly HashSet<string> _allowedHeaders = new(allowedHeaders, StringComparer.OrdinalIgnoreCase);

    private readonly string _maxAge = preflightMaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The decision, with the anonymity the request's inputs call for.</summary>
    public ApiCorsDecision Decide(in ApiCorsRequest request)
    {
        var decision = DecideHeaders(request);
        var anonymous = request.HasCallback ? AnonymousReason.Jsonp
            : request.OriginParameter == "*" ? AnonymousReason.AnonymousCors
            : request.TreatAsUntrusted ? AnonymousReason.TreatAsUntrusted
            : AnonymousReason.None;
        return anonymous == AnonymousReason.None ? decision : decision with { Anonymous = anonymous };
    }

    private ApiCorsDecision DecideHeaders(in ApiCorsRequest request)
    {
        var options = request.Method == "OPTIONS";
        if (request.OriginParameter is not { } origin)
        {
            return options ? ApiCorsDecision.NoOriginOptions : ApiCorsDecision.NoOrigin;
        }

        var action = options ? CorsAction.AnswerOptions : CorsAction.Continue;
        var header = request.OriginHeader;
        string acao;
        bool credentials;
        OriginMatch match;
        if (origin == "*")
        {
            // Anonymous CORS: the Origin header is not looked at; the request runs without credentials.
            acao = "*";
            credentials = false;
            match = new OriginMatch(true, "*", null);
        }
        else
        {
            if (!header.Contains(origin))
            {
                return new ApiCorsDecision(CorsAction.Forbid, [new("Cache-Control", "no-cache")], false, CorsRefusal.OriginParameterMismatch, default);
            }

            // Fix over MediaWiki: several origins are "not matched" instead of an HTTP 500 (README); so is
            // an origin with control or non-ASCII characters, which no browser sends and no header can echo.
            var refusal = header.IsNull ? CorsRefusal.NullOrigin
                : header.IsMulti ? CorsRefusal.MultipleOrigins
                : header.IsMalformed ? CorsRefusal.MalformedOrigin
                : CorsRefusal.None;
            match = refusal == CorsRefusal.None && header.Origins.Count == 1 ? rules.Match(header.Origins[0]) : default;
            if (!match.Allowed)
            {
                if (refusal == CorsRefusal.None)
                {
                    refusal = match.ExceptionRule is not null ? CorsRefusal.OriginException : CorsRefusal.OriginNotAllowed;
                }

                return new ApiCorsDecision(action, [new("MediaWiki-CORS-Rejection", "Origin mismatch")], true, refusal, match);
            }

            acao = header.Trimmed;
            credentials = true;
        }

        var specific = origin != "*";
        var headers = new List<KeyValuePair<string, string>>(6);
        var preflight = options && request.HasRequestMethodHeader;
        if (preflight)
        {
            if (request.RequestHeaders is { } requested)
            {
                if (!RequestedHeadersAllowed(requested))
                {
                    return new ApiCorsDecision(action, [new("MediaWiki-CORS-Rejection", "Unsupported header requested in preflight")], specific, CorsRefusal.UnsupportedHeader, match);
                }

                headers.Add(new("Access-Control-Allow-Headers", requested));
            }

            headers.Add(new("Access-Control-Allow-Methods", AllowMethods));
        }

        headers.Add(new("Access-Control-Allow-Origin", acao));
        headers.Add(new("Access-Control-Allow-Credentials", credentials ? "true" : "false"));
        if (specific)
        {
            headers.Add(new("Timing-Allow-Origin", acao));
        }

        if (preflight)
        {
            // Fix over MediaWiki: without Max-Age browsers repeat the preflight every 5 seconds (README).
            headers.Add(new("Access-Control-Max-Age", _maxAge));
        }
        else
        {
            headers.Add(new("Access-Control-Expose-Headers", ExposeHeaders));
        }

        return new ApiCorsDecision(action, headers, specific, CorsRefusal.None, match);
    }

    /// <summary>
    /// MediaWiki's <c>matchRequestedHeaders</c>: empty or blank is fine; otherwise every comma-separated
    /// name, trimmed, must be allowed (case-insensitive); an empty name fails (spec §3). A value with a
    /// control or non-ASCII character fails too: it is echoed in <c>Access-Control-Allow-Headers</c>.
    /// </summary>
    public bool RequestedHeadersAllowed(string requested)
    {
        if (!HeaderText.IsEchoable(requested))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(requested))
        {
            return true;
        }

        foreach (var range in requested.AsSpan().Split(','))
        {
            var name = requested.AsSpan(range).Trim();
            if (name.IsEmpty || !_allowedHeaders.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                return false;
            }
        }

        return true;
    }
}
