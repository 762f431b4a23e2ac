using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrossWiki.Server.Farm;
using Microsoft.Extensions.Caching.Distributed;

namespace CrossWiki.Server.Accounts;

/// <summary>What the server keeps for a logged-in session. Anonymous sessions are not stored at all.</summary>
internal sealed record SessionData(string WikiId, int UserId, DateTimeOffset LoggedInAt);

[JsonSerializable(typeof(SessionData))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;

/// <summary>A request's session: its id (from the cookie or new) and, when logged in, its data.</summary>
internal sealed class Session(string? id, SessionData? data, bool isNew)
{
    private string? _id = id;

    /// <summary>The session id; a new session draws one when it is first needed (most anonymous requests never do).</summary>
    public string Id => _id ??= SessionStore.NewId();

    public SessionData? Data { get; private set; } = data;

    /// <summary>True when the request came without a usable session cookie: the session began with it.</summary>
    public bool IsNew { get; } = isNew;

    /// <summary>True when the response must set the cookie (new or rotated id).</summary>
    public bool CookieDirty { get; private set; } = isNew;

    /// <summary>
    /// True for a session made from a <c>centralauthtoken</c> (spec foreignapi-centralauth.md §3.3.3): it
    /// ignores cookies, sets none, and cannot log in or out.
    /// </summary>
    public bool IsCentral { get; private init; }

    /// <summary>A token session; its id is derived from the issuing wiki and session, so every request
    /// made from one local session maps to the same session here, and its CSRF tokens stay valid.</summary>
    public static Session Central(string id, SessionData data) => new(id, data, isNew: false) { IsCentral = true };

    public void Rotate(string newId, SessionData? data)
    {
        _id = newId;
        Data = data;
        CookieDirty = true;
    }
}

/// <summary>
/// Server-side sessions behind <see cref="IDistributedCache"/>. The cookie holds only a random id;
/// an anonymous client gets one on its first answer so that a login token fetched by GET matches the
/// POSTed login (spec api-clients.md, Transport), but nothing is stored until it logs in.
/// </summary>
internal sealed class SessionStore(IDistributedCache cache, TimeProvider time)
{
    private static readonly DistributedCacheEntryOptions Expiry = new() { SlidingExpiration = TimeSpan.FromDays(1) };

    private const int IdBytes = 24;

    /// <summary>
    /// Session data by the stored bytes it was read from. A cache that keeps entries in memory hands back the
    /// same array while the entry is unchanged, so a session is deserialized once, not on every request;
    /// any change stores a new array. Other caches simply miss.
    /// </summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<byte[], SessionData> _decoded = [];

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[IdBytes];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    public ValueTask<Session> LoadAsync(Wiki wiki, string? cookie, CancellationToken ct) =>
        cookie is null || cookie.Length != 32 || !Base64Url.IsValid(cookie)
            ? ValueTask.FromResult(new Session(null, null, isNew: true))
            : new ValueTask<Session>(LoadStoredAsync(wiki, cookie, ct));

    private async Task<Session> LoadStoredAsync(Wiki wiki, string cookie, CancellationToken ct)
    {
        var bytes = await cache.GetAsync(Key(cookie), ct);
        SessionData? data = null;
        if (bytes is not null)
        {
            data = Decode(bytes);
            if (data?.WikiId != wiki.Id)
            {
                // A session id is valid only on the wiki that issued it.
                data = null;
            }
        }

        return new Session(cookie, data, isNew: false);
    }

    /// <summary>The stored data of a session id, whatever its wiki; null when it is not logged in.</summary>
    public async Task<SessionData?> PeekAsync(string id, CancellationToken ct) =>
        await cache.GetAsync(Key(id), ct) is { } bytes ? Decode(bytes) : null;

    private SessionData? Decode(byte[] bytes)
    {
        if (_decoded.TryGetValue(bytes, out var known))
        {
            return known;
        }

        var data = JsonSerializer.Deserialize(bytes, SessionJsonContext.Default.SessionData);
        if (data is not null)
        {
            _decoded.AddOrUpdate(bytes, data);
        }

        return data;
    }

    /// <summary>Logs the session in under a fresh id, so an id known before login is worthless after it.</summary>
    public async Task LogInAsync(Wiki wiki, Session session, int userId, CancellationToken ct)
    {
        await cache.RemoveAsync(Key(session.Id), ct);
        var data = new SessionData(wiki.Id, userId, time.GetUtcNow());
        var id = NewId();
        await cache.SetAsync(Key(id), JsonSerializer.SerializeToUtf8Bytes(data, SessionJsonContext.Default.SessionData), Expiry, ct);
        session.Rotate(id, data);
    }

    public async Task LogOutAsync(Session session, CancellationToken ct)
    {
        await cache.RemoveAsync(Key(session.Id), ct);
        session.Rotate(NewId(), null);
    }

    private static string Key(string id) => "session:" + id;
}
