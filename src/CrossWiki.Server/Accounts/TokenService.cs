using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// MediaWiki-shaped tokens: 32 hex characters of an HMAC, the hex Unix timestamp (8 characters) and
/// <c>+\</c> (spec §7.2). The HMAC covers the session id, the user and the token type's salt, so a token
/// is worthless in another session, for another user or for another token type.
/// </summary>
internal sealed class TokenService(byte[] secret, TimeProvider time)
{
    /// <summary>MediaWiki's token suffix; it catches proxies that mangle backslashes and plus signs.</summary>
    public const string Suffix = "+\\";

    /// <summary>The anonymous CSRF token (<c>LoggedOutEditToken</c>).</summary>
    public const string Anonymous = Suffix;

    /// <summary>A token of a type for a session, or <c>+\</c> where MediaWiki gives that to anonymous users (spec §7.2).</summary>
    public string For(Session session, WikiUser user, string type) =>
        user.IsAnonymous && !IsSessionOnly(type) ? Anonymous : Create(session.Id, user.Id, SaltOf(type));

    public bool Validate(Session session, WikiUser user, string type, string? token) =>
        user.IsAnonymous && !IsSessionOnly(type) ? token == Anonymous : Validate(token, session.Id, user.Id, SaltOf(type));

    /// <summary>Login and account-creation tokens are real even for anonymous sessions.</summary>
    private static bool IsSessionOnly(string type) => type is "login" or "createaccount";

    private static string SaltOf(string type) => type == "csrf" ? "" : type;

    /// <summary>A stable, unguessable id derived from its parts (32 base64url characters).</summary>
    public string DeriveId(string purpose, params string[] parts)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(purpose + "\n" + string.Join('\n', parts)), mac);
        return System.Buffers.Text.Base64Url.EncodeToString(mac[..24]);
    }

    public string Create(string sessionId, int userId, string salt)
    {
        var ts = time.GetUtcNow().ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return Hmac(sessionId, userId, salt, ts) + ts + Suffix;
    }

    public bool Validate(string? token, string sessionId, int userId, string salt)
    {
        if (token is null || token.Length != 32 + 8 + Suffix.Length || !token.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var ts = token.Substring(32, 8);
        var expected = Hmac(sessionId, userId, salt, ts);
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token.AsSpan(0, 32).ToString()));
    }

    private string Hmac(string sessionId, int userId, string salt, string ts)
    {
        var message = Encoding.UTF8.GetBytes(string.Join('\n', sessionId, userId.ToString(CultureInfo.InvariantCulture), salt, ts));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, message, mac);
        return Convert.ToHexStringLower(mac[..16]);
    }
}
