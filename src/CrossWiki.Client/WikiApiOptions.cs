using System.Net;

namespace CrossWiki.Client;

/// <summary>
/// Settings of one <see cref="WikiApi"/>, <see cref="ForeignApi"/> or <see cref="ForeignRest"/>
/// (the .NET counterpart of <c>mw.Api.Options</c> plus <c>mw.ForeignApi</c>'s <c>anonymous</c>).
/// </summary>
public sealed record WikiApiOptions
{
    /// <summary>The User-Agent sent when <see cref="UserAgent"/> is not set.</summary>
    public const string DefaultUserAgent = "CrossWiki.Client/0.1 (.NET)";

    /// <summary>
    /// Make every request without credentials: no cookie is sent or kept, <c>origin=*</c> is sent to
    /// api.php (so the wiki runs the request as an anonymous user even if cookies reached it), and no
    /// <c>centralauthtoken</c> is used. Default false.
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>
    /// Sent as <c>User-Agent</c> and <c>Api-User-Agent</c>. Wikis such as Wikimedia's require a
    /// descriptive value with contact information, e.g. <c>MyBot/1.0 (https://example.org/bot; me@example.org)</c>.
    /// Default <see cref="DefaultUserAgent"/>.
    /// </summary>
    public string? UserAgent { get; init; }

    /// <summary>
    /// The <c>formatversion</c> sent with <see cref="WikiApi.GetAsync"/> and <see cref="WikiApi.PostAsync"/>
    /// unless the call sets its own; 1 or 2. Default 2. The typed helpers (edit, options, user info)
    /// always ask for 2, as mw.Api's do.
    /// </summary>
    public int FormatVersion { get; init; } = 2;

    /// <summary>
    /// How long one call may take, retries and their waits included (<see cref="HttpClient.Timeout"/>).
    /// Default 30 seconds, mw.Api's. <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When set, every api.php request carries <c>maxlag=</c> this many seconds; a wiki whose replicas lag
    /// more answers the error <c>maxlag</c> with <c>Retry-After</c>, and the request is sent again after
    /// that delay (up to <see cref="CrossWikiClientOptions.MaxRetries"/> times) before the error is thrown.
    /// Bots should use 5 (API:Etiquette). Default null: not sent.
    /// </summary>
    public int? MaxLag { get; init; }

    /// <summary>
    /// The cookie jar, for sharing one session between several instances for the same wiki or for keeping
    /// it. Default null: each instance gets a jar of its own.
    /// </summary>
    public CookieContainer? Cookies { get; init; }

    /// <summary>
    /// Parameters merged under every api.php call's own (mw.Api's <c>parameters</c> option), e.g.
    /// <c>assert=user</c>. Null values remove a default. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }
}
