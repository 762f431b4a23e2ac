using CrossWiki.Server.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrossWiki.Server.Farm;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers, nothing else is checked) and <c>/readyz</c> (readiness: the
/// database, Redis when the farm has it, and the file store are reachable), on every host the server answers,
/// with ASP.NET Core's health checks: 200 <c>Healthy</c>, or 503 <c>Unhealthy</c> and the failure in the log.
/// </summary>
internal static class HealthChecks
{
    public const string LivePath = "/healthz";

    public const string ReadyPath = "/readyz";

    private const string Ready = "ready";

    public static void Add(IServiceCollection services, FarmConfig farm)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<FileStoreCheck>("file store", tags: [Ready]);
        if (farm.Redis is not null)
        {
            checks.AddCheck<RedisCheck>("redis", tags: [Ready]);
        }
    }

    public static void Use(IApplicationBuilder app)
    {
        app.UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
    }

    private sealed class DatabaseCheck(IDbContextFactory<WikiDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }

    /// <summary>Asks the store for an object that need not exist: an answer either way is a reachable store.</summary>
    private sealed class FileStoreCheck(Files.IFileStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await store.StatAsync("readyz-probe", cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class RedisCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // Resolved here, not injected: a Redis that is down at start makes the connection itself fail.
            var redis = services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
    }
}
