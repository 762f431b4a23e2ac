using CrossWiki.Server.CentralAuth;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Accounts;

/// <summary>Who a request acts as: its session and the user of that session.</summary>
/// <param name="Session">The cookie session, a <c>centralauthtoken</c> session, or an empty one.</param>
/// <param name="User">The session's user; anonymous (by IP) when not logged in or when anonymity is forced.</param>
/// <param name="CentralTokenRejected">A <c>centralauthtoken</c> came with the request and was not valid.</param>
internal sealed record RequestIdentity(Session Session, WikiUser User, bool CentralTokenRejected)
{
    /// <summary>True when the session comes from a <c>centralauthtoken</c> (safe against CSRF: no cookie carries it).</summary>
    public bool IsCentral => Session.IsCentral;
}

/// <summary>
/// The one identity step of api.php, rest.php and the HTML pages. Worked out at most once per request:
/// the answer is kept on the request, so a second ask costs nothing and cannot spend a second token.
/// </summary>
internal sealed class RequestIdentities(SessionStore sessions, UserDirectory users, CentralAuthTokens centralTokens)
{
    /// <summary>The address a request came from (MediaWiki's WebRequest::getIP): anonymous users' names, blocks and throttles go by it.</summary>
    public static string ClientAddress(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
    }

    /// <summary>
    /// The identity of <paramref name="http"/>. A <paramref name="centralToken"/> (only on wikis with
    /// CentralAuth) replaces the cookie session (spec foreignapi-centralauth.md §3.3); with
    /// <paramref name="forceAnonymous"/> (a request lacking same-origin security, spec §4) the request runs
    /// as an anonymous user in an empty session of its own that is never stored or sent as a cookie,
    /// whatever cookies came with it.
    /// </summary>
    public async ValueTask<RequestIdentity> ResolveAsync(HttpContext http, Wiki wiki, string? centralToken, bool forceAnonymous)
    {
        if (http.Features.Get<RequestIdentity>() is { } known)
        {
            return known;
        }

        var ct = http.RequestAborted;
        var rejected = false;
        Session session;
        if (wiki.CentralAuth && centralToken is not null)
        {
            session = await centralTokens.OpenSessionAsync(wiki, centralToken, ct) ?? Empty();
            rejected = !session.IsCentral;
        }
        else if (forceAnonymous)
        {
            session = Empty();
        }
        else
        {
            session = await sessions.LoadAsync(wiki, http.Request.Cookies[wiki.SessionCookieName], ct);
        }

        var ip = ClientAddress(http);
        var user = !forceAnonymous && session.Data is { } data
            ? await users.GetAsync(data.UserId, ct) ?? users.Anonymous(ip)
            : users.Anonymous(ip);
        var identity = new RequestIdentity(session, user, rejected);
        http.Features.Set(identity);
        return identity;
    }

    private static Session Empty() => new(null, null, isNew: false);
}
