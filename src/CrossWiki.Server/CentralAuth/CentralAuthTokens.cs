using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.CentralAuth;

/// <summary>What a <c>centralauthtoken</c> stands for: a user, and the wiki and session that asked for it.</summary>
internal sealed record CentralTokenData(int UserId, string IssuingWiki, string IssuingSessionId, DateTimeOffset ExpiresAt);

[JsonSerializable(typeof(CentralTokenData))]
internal sealed partial class CentralTokenJsonContext : JsonSerializerContext;

/// <summary>
/// Issues and spends <c>centralauthtoken</c>s (spec foreignapi-centralauth.md §3): random, bound to the
/// user, the issuing wiki and the issuing session, short-lived (expiry read from the injected clock) and
/// spent atomically on first use, so of two concurrent uses exactly one wins (a fix over MediaWiki,
/// whose get-then-delete lets both through).
/// </summary>
internal sealed class CentralAuthTokens(OneTimeStore store, SessionStore sessions, TokenService tokens, TimeProvider time)
{
    /// <summary>
    /// Spends a token and opens the session it stands for on <paramref name="wiki"/>, or null when the
    /// token is not valid. The session id depends only on the user and the issuing wiki and session.
    /// </summary>
    public async Task<Session?> OpenSessionAsync(Wiki wiki, string token, CancellationToken ct)
    {
        if (await SpendAsync(token.Trim(), ct) is not { } data)
        {
            return null;
        }

        var id = tokens.DeriveId("central-session", wiki.Id, data.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), data.IssuingWiki, data.IssuingSessionId);
        return Session.Central(id, new SessionData(wiki.Id, data.UserId, time.GetUtcNow()));
    }

    public async Task<string> IssueAsync(Wiki issuing, Session session, WikiUser user, CancellationToken ct)
    {
        // MediaWiki's classic form: 32 random hex characters, then the user id in hex.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + user.Id.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var lifetime = TimeSpan.FromSeconds(issuing.CentralAuthTokenLifetime);
        var data = new CentralTokenData(user.Id, issuing.Id, session.Id, time.GetUtcNow() + lifetime);
        await store.PutAsync(Key(token), JsonSerializer.SerializeToUtf8Bytes(data, CentralTokenJsonContext.Default.CentralTokenData), lifetime + TimeSpan.FromSeconds(5), ct);
        return token;
    }

    /// <summary>
    /// Spends a token: its data, or null when it is unknown, already spent, expired, or its issuing
    /// session has logged out or changed user since.
    /// </summary>
    public async Task<CentralTokenData?> SpendAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 33 or > 64 || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var bytes = await store.TakeAsync(Key(token), ct);
        if (bytes is null || JsonSerializer.Deserialize(bytes, CentralTokenJsonContext.Default.CentralTokenData) is not { } data
            || data.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        var issuer = await sessions.PeekAsync(data.IssuingSessionId, ct);
        return issuer is not null && issuer.UserId == data.UserId && issuer.WikiId == data.IssuingWiki ? data : null;
    }

    private static string Key(string token) => "centralauthtoken:" + token;
}
