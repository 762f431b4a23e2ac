using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// The session cookie <c>&lt;wikiid&gt;_session</c>: HttpOnly always; <c>SameSite=None; Secure</c> on https
/// wikis so cross-site credentialed requests carry it, <c>Lax</c> on http where None would need Secure.
/// </summary>
internal static class SessionCookie
{
    public static void Append(HttpResponse response, Wiki wiki, string sessionId) =>
        response.Cookies.Append(wiki.SessionCookieName, sessionId, new CookieOptions
        {
            HttpOnly = true,
            Path = "/",
            Secure = wiki.IsHttps,
            SameSite = wiki.IsHttps ? SameSiteMode.None : SameSiteMode.Lax,
            IsEssential = true,
        });
}
