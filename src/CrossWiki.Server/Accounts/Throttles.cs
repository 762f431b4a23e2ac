using System.Collections.Concurrent;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Accounts;

/// <summary>One condition of a throttle: at most <see cref="Count"/> attempts in <see cref="Seconds"/> seconds (MediaWiki's <c>['count' => n, 'seconds' => s]</c>).</summary>
internal sealed record ThrottleRule(int Count, int Seconds)
{
    /// <summary>MediaWiki's <c>$wgPasswordAttemptThrottle</c>: 5 attempts in 5 minutes and 150 in 48 hours, per user name and address.</summary>
    public static IReadOnlyList<ThrottleRule> PasswordAttemptDefault { get; } = [new(5, 300), new(150, 48 * 3600)];

    /// <summary>MediaWiki's <c>$wgAccountCreationThrottle</c>: 6 accounts a day per address.</summary>
    public static IReadOnlyList<ThrottleRule> AccountCreationDefault { get; } = [new(6, 86400)];
}

/// <summary>
/// Attempt counters that expire: a counter starts with its first attempt and lasts its rule's period (MediaWiki's
/// Throttler over <c>BagOStuff::incrWithInit</c>). In memory for one node, in Redis for several, so that a limit
/// holds across the farm's nodes.
/// </summary>
internal interface IThrottleCounters
{
    /// <summary>The attempts counted under <paramref name="key"/> in its current period; 0 when it has none or it ended.</summary>
    Task<long> CountAsync(string key, CancellationToken ct);

    /// <summary>Counts one attempt under <paramref name="key"/>; the first one starts a period of <paramref name="period"/>.</summary>
    Task IncrementAsync(string key, TimeSpan period, CancellationToken ct);

    Task ClearAsync(string key, CancellationToken ct);
}

/// <summary>The counters of one node, with the server's clock (so tests move time instead of waiting).</summary>
internal sealed class MemoryThrottleCounters(TimeProvider time) : IThrottleCounters
{
    /// <summary>How often ended counters are swept out: at most one pass over them a minute, never one per attempt.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (long Count, DateTimeOffset Ends)> _counters = new(StringComparer.Ordinal);

    private readonly Lock _pruneLock = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    public Task<long> CountAsync(string key, CancellationToken ct) =>
        Task.FromResult(_counters.TryGetValue(key, out var c) && c.Ends > time.GetUtcNow() ? c.Count : 0);

    public Task IncrementAsync(string key, TimeSpan period, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        PruneIfDue(now);
        _counters.AddOrUpdate(key, _ => (1, now + period), (_, c) => c.Ends <= now ? (1, now + period) : (c.Count + 1, c.Ends));
        return Task.CompletedTask;
    }

    private void PruneIfDue(DateTimeOffset now)
    {
        lock (_pruneLock)
        {
            if (now < _nextPrune)
            {
                return;
            }

            _nextPrune = now + PruneEvery;
        }

        foreach (var (k, v) in _counters)
        {
            if (v.Ends <= now)
            {
                _counters.TryRemove(new KeyValuePair<string, (long, DateTimeOffset)>(k, v));
            }
        }
    }

    public Task ClearAsync(string key, CancellationToken ct)
    {
        _counters.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}

/// <summary>The counters of a farm of several nodes, in its Redis: <c>INCR</c>, and <c>EXPIRE</c> on the first attempt.</summary>
internal sealed class RedisThrottleCounters(StackExchange.Redis.IConnectionMultiplexer redis) : IThrottleCounters
{
    public async Task<long> CountAsync(string key, CancellationToken ct) =>
        (long?)await redis.GetDatabase().StringGetAsync(key) ?? 0;

    public async Task IncrementAsync(string key, TimeSpan period, CancellationToken ct)
    {
        var db = redis.GetDatabase();
        if (await db.StringIncrementAsync(key) == 1)
        {
            await db.KeyExpireAsync(key, period);
        }
    }

    public async Task ClearAsync(string key, CancellationToken ct) => await redis.GetDatabase().KeyDeleteAsync(key);
}

/// <summary>
/// MediaWiki's Throttler: an attempt is checked against each rule of a throttle in turn: refused by the first rule whose
/// count it has reached (uncounted, and with that rule's period as the wait), else counted by it. Checked before the
/// expensive work it guards (hashing a password).
/// </summary>
internal sealed class Throttler(IThrottleCounters counters, FarmConfig farm)
{
    /// <summary>Counts a password attempt for this name from this address; the rule it broke, or null when it may go on.</summary>
    public Task<ThrottleRule?> PasswordAttemptAsync(string name, string address, CancellationToken ct) =>
        IncreaseAsync("password", PasswordSubject(name, address), farm.PasswordAttemptThrottle, ct);

    /// <summary>After a successful login the name's attempts from that address start again from nothing, as MediaWiki's do.</summary>
    public async Task ClearPasswordAttemptsAsync(string name, string address, CancellationToken ct)
    {
        for (var i = 0; i < farm.PasswordAttemptThrottle.Count; i++)
        {
            await counters.ClearAsync(Key("password", i, PasswordSubject(name, address)), ct);
        }
    }

    /// <summary>Password attempts count per user name and address together, as MediaWiki's password throttle keys them.</summary>
    private static string PasswordSubject(string name, string address) => name + "\n" + address;

    /// <summary>Counts an account created from this address; the rule it broke, or null.</summary>
    public Task<ThrottleRule?> AccountCreationAsync(string address, CancellationToken ct) =>
        IncreaseAsync("acctcreate", address, farm.AccountCreationThrottle, ct);

    private async Task<ThrottleRule?> IncreaseAsync(string type, string subject, IReadOnlyList<ThrottleRule> rules, CancellationToken ct)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var key = Key(type, i, subject);
            if (await counters.CountAsync(key, ct) >= rule.Count)
            {
                return rule;
            }

            await counters.IncrementAsync(key, TimeSpan.FromSeconds(rule.Seconds), ct);
        }

        return null;
    }

    private static string Key(string type, int rule, string subject) => $"throttle:{type}:{rule}:{subject}";

    /// <summary>A rule's period as MediaWiki's Language::formatDuration says it: "5 minutes", "2 days".</summary>
    public static string Duration(ThrottleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var seconds = rule.Seconds;
        static string Unit(int n, string one) => n == 1 ? $"1 {one}" : $"{n} {one}s";
        return seconds % 86400 == 0 ? Unit(seconds / 86400, "day")
            : seconds % 3600 == 0 ? Unit(seconds / 3600, "hour")
            : seconds % 60 == 0 ? Unit(seconds / 60, "minute")
            : Unit(seconds, "second");
    }
}
