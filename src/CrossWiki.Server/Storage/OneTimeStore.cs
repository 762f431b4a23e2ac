using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace CrossWiki.Server.Storage;

/// <summary>
/// Short-lived values that may be taken only once, atomically: of two concurrent takes exactly one
/// gets the value. It lives in the same store as the sessions (memory on one node, Redis on several).
/// </summary>
internal abstract class OneTimeStore
{
    public abstract Task PutAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken ct);

    /// <summary>Gets and removes the value in one step; null when it is not (or no longer) there.</summary>
    public abstract Task<byte[]?> TakeAsync(string key, CancellationToken ct);
}

/// <summary>The single-node store: the in-memory distributed cache, with get-then-remove under one lock.</summary>
internal sealed class MemoryOneTimeStore(IDistributedCache cache) : OneTimeStore, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public override Task PutAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken ct) =>
        cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }, ct);

    public override async Task<byte[]?> TakeAsync(string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var value = await cache.GetAsync(key, ct);
            if (value is not null)
            {
                await cache.RemoveAsync(key, ct);
            }

            return value;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}

/// <summary>The shared store of several nodes: Redis strings, taken with GETDEL (atomic on the server).</summary>
internal sealed class RedisOneTimeStore(IConnectionMultiplexer redis) : OneTimeStore
{
    public override Task PutAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken ct) =>
        redis.GetDatabase().StringSetAsync("crosswiki:" + key, value, lifetime);

    public override async Task<byte[]?> TakeAsync(string key, CancellationToken ct) =>
        await redis.GetDatabase().StringGetDeleteAsync("crosswiki:" + key);
}
