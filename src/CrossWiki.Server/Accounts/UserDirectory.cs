using System.Diagnostics.Metrics;
using CrossWiki.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CrossWiki.Server.Accounts;

/// <summary>Farm-wide accounts: lookup (cached briefly, so a logged-in read costs no database round trip), creation, passwords.</summary>
/// <summary>What a login attempt came to: the account, or nothing (a wrong name or password), or a throttle the attempt broke.</summary>
internal sealed record LoginAttempt(UserAccount? Account, ThrottleRule? Throttled)
{
    /// <summary>MediaWiki's <c>login-throttled</c>.</summary>
    public string ThrottledMessage => $"You have made too many recent login attempts.\nPlease wait {Throttler.Duration(Throttled!)} before trying again.";
}

internal sealed class UserDirectory(IDbContextFactory<WikiDbContext> dbFactory, IMemoryCache cache, TimeProvider time, Farm.FarmConfig farm, Throttler throttler, IMeterFactory meters)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly PasswordHasher<UserAccount> _hasher = new();

    public async Task<WikiUser?> GetAsync(int id, CancellationToken ct)
    {
        if (cache.TryGetValue(("user", id), out WikiUser? cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        var user = account is null ? null : WikiUser.Registered(account.Id, account.Name, account.Groups, farm.RevokePermissions);
        cache.Set(("user", id), user, CacheFor);
        return user;
    }

    /// <summary>The anonymous user of a client IP address, with the farm's revoked rights applied.</summary>
    public WikiUser Anonymous(string ip) => WikiUser.Anonymous(ip, farm.RevokePermissions);

    public async Task<UserAccount?> FindByNameAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, ct);
    }

    /// <summary>Checks a password; a hash in an outdated format is upgraded in place.</summary>
    /// <summary>
    /// A login with a name and password from an address: counted against <c>PasswordAttemptThrottle</c> first, so an
    /// attempt past the limit is refused before any hashing, whatever the password; a successful one clears the count.
    /// </summary>
    public async Task<LoginAttempt> LogInAsync(string name, string password, string address, CancellationToken ct)
    {
        if (await throttler.PasswordAttemptAsync(name, address, ct) is { } broken)
        {
            return new LoginAttempt(null, broken);
        }

        var account = await CheckPasswordAsync(name, password, ct);
        if (account is not null)
        {
            await throttler.ClearPasswordAttemptsAsync(name, address, ct);
        }

        return new LoginAttempt(account, null);
    }

    /// <summary>Password hashes checked (each costs tens of milliseconds of PBKDF2): the <c>crosswiki.accounts.password_checks</c> counter.</summary>
    private readonly Counter<long> _passwordChecks = meters.Create(MeterName).CreateCounter<long>(
        "crosswiki.accounts.password_checks", unit: "{check}", description: "Password hashes verified at login.");

    /// <summary>The meter of account events.</summary>
    public const string MeterName = "CrossWiki.Server.Accounts";

    public async Task<UserAccount?> CheckPasswordAsync(string name, string password, CancellationToken ct)
    {
        _passwordChecks.Add(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct);
        if (account is null)
        {
            // Hash anyway so a missing account costs as much time as a wrong password.
            _hasher.VerifyHashedPassword(new UserAccount { Name = name, PasswordHash = "" }, DummyHash.Value, password);
            return null;
        }

        var result = _hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = _hasher.HashPassword(account, password);
            await db.SaveChangesAsync(ct);
        }

        return account;
    }

    /// <summary>Creates an account, or sets the password and groups of an existing one (as createAndPromote.php --force).</summary>
    public async Task<(UserAccount Account, bool Created)> CreateOrUpdateAsync(string name, string password, IReadOnlyList<string> groups, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct);
        var created = account is null;
        if (account is null)
        {
            account = db.Users.Add(NewAccount(name, password)).Entity;
        }
        else
        {
            account.PasswordHash = _hasher.HashPassword(account, password);
        }

        account.Groups = string.Join(',', groups.Distinct(StringComparer.Ordinal));
        await db.SaveChangesAsync(ct);
        Forget(account.Id);
        return (account, created);
    }

    /// <summary>A new account's row, registered now with its password hashed; the caller saves it.</summary>
    public UserAccount NewAccount(string name, string password)
    {
        var account = new UserAccount { Name = name, PasswordHash = "", Registration = Truncate(time.GetUtcNow().UtcDateTime) };
        account.PasswordHash = _hasher.HashPassword(account, password);
        return account;
    }

    /// <summary>Drops this process's copy of an account whose groups changed, so its next request reads them.</summary>
    public void Forget(int id) => cache.Remove(("user", id));

    public static DateTime Truncate(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<UserAccount>().HashPassword(new UserAccount { Name = "", PasswordHash = "" }, Guid.NewGuid().ToString()));
}
