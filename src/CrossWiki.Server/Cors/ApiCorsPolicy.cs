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

/// <summary>The CORS decision for one api.php request: headers to add (in MediaWiki's order) and what to do.</summary>
internal sealed record ApiCorsDecision(
    CorsAction Action,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    bool VaryOrigin,
    CorsRefusal Refusal,
    OriginMatch Match)
{
    public static readonly ApiCorsDecision NoOrigin = new(CorsAction.Continue, [], false, CorsRefusal.None, default);

    public static readonly ApiCorsDecision NoOriginOptions = new(CorsAction.AnswerOptions, [], false, CorsRefusal.None, default);
}

/// <summary>Plain inputs of the decision: no HttpContext, so every vector of the spec is a unit test.</summary>
internal readonly record struct ApiCorsRequest(
    string Method,
    string? OriginParameter,
    OriginHeader OriginHeader,
    bool HasRequestMethodHeader,
    string? RequestHeaders);

/// <summary>The Action API's CORS rules (spec §2.2, §3), with CrossWiki's fixes (README, compatibility).</summary>
internal sealed class ApiCorsPolicy(OriginRules rules, IReadOnlyList<string> allowedHeaders, int preflightMaxAge)
{
    /// <summary>MediaWiki's exposed headers; the error code and lag headers are what a page needs to read.</summary>
    public const string ExposeHeaders = "MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed";

    public const string AllowMethods = "POST, GET, HEAD";

    public const string MismatchBody = "'origin' parameter does not match Origin header\n";

    private readonly HashSet<string> _allowedHeaders = new(allowedHeaders, StringComparer.OrdinalIgnoreCase);

    /// <summary>At most this many distinct requests have their decision kept.</summary>
    private const int MaxRemembered = 1024;

    /// <summary>Inputs longer than this in all are decided every time, so the memory held stays small.</summary>
    private const int MaxRememberedLength = 512;

    /// <summary>
    /// Decisions by their inputs. <see cref="Decide(in ApiCorsRequest)"/> is a pure function of them and
    /// browsers repeat the same few (one origin, one preflight shape), so each is worked out once.
    /// Bounded in count and size: once full, further inputs are decided every time.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(bool Options, string? OriginParameter, string OriginField, bool HasRequestMethod, string? RequestHeaders), ApiCorsDecision> _remembered = new();
    private readonly string _maxAge = preflightMaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The decision for raw request inputs; one <c>Origin</c> field (what browsers send) is remembered.</summary>
    public ApiCorsDecision Decide(string method, string? originParameter, Microsoft.Extensions.Primitives.StringValues originFields, bool hasRequestMethodHeader, string? requestHeaders)
    {
        if (originParameter is null || originFields.Count != 1 || originFields[0] is not { } field
            || originParameter.Length + field.Length + (requestHeaders?.Length ?? 0) > MaxRememberedLength)
        {
            return Decide(new ApiCorsRequest(method, originParameter, OriginHeader.Parse(originFields), hasRequestMethodHeader, requestHeaders));
        }

        var key = (method == "OPTIONS", originParameter, field, hasRequestMethodHeader, requestHeaders);
        if (_remembered.TryGetValue(key, out var known))
        {
            return known;
        }

        var decision = Decide(new ApiCorsRequest(method, originParameter, OriginHeader.Parse(originFields), hasRequestMethodHeader, requestHeaders));
        if (_remembered.Count < MaxRemembered)
        {
            _remembered.TryAdd(key, decision);
        }

        return decision;
    }

    public ApiCorsDecision Decide(in ApiCorsRequest request)
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
