using System.Runtime.CompilerServices;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// The session cookie <c>&lt;wikiid&gt;_session</c>: HttpOnly always; <c>SameSite=None; Secure</c> on https
/// wikis so cross-site credentialed requests carry it, <c>Lax</c> on http where None would need Secure.
/// </summary>
internal static class SessionCookie
{
    /// <summary>
    /// What comes before and after the id in the header, formatted once per wiki by the same
    /// <see cref="CookieOptions.CreateCookieHeader"/> that <c>Response.Cookies.Append</c> uses, so the
    /// header is the same without building it from the options on every response.
    /// </summary>
    private static readonly ConditionalWeakTable<Wiki, string[]> Parts = [];

    private const string Placeholder = "ID";

    public static void Append(HttpResponse response, Wiki wiki, string sessionId)
    {
        var parts = Parts.GetValue(wiki, static w =>
        {
            var header = Options(w).CreateCookieHeader(w.SessionCookieName, Placeholder).ToString();
            var at = header.IndexOf('=', StringComparison.Ordinal) + 1;
            return [header[..at], header[(at + Placeholder.Length)..]];
        });
        response.Headers.SetCookie = Microsoft.Extensions.Primitives.StringValues.Concat(response.Headers.SetCookie, parts[0] + Uri.EscapeDataString(sessionId) + parts[1]);
    }

    private static CookieOptions Options(Wiki wiki) => new()
    {
        HttpOnly = true,
        Path = "/",
        Secure = wiki.IsHttps,
        SameSite = wiki.IsHttps ? SameSiteMode.None : SameSiteMode.Lax,
        IsEssential = true,
    };
}
