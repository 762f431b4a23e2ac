using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

/// <summary>
/// Hands out <see cref="WikiDbContext"/>s whose SQLite connection stays open between uses. EF Core's own
/// context pooling closes the connection when a context goes back to the pool, and every open of a
/// SQLite connection registers EF's SQL functions on it again: that costs more than the indexed
/// lookup a page read does. Here a disposed context goes back to an idle list with its connection
/// open and its change tracker cleared; one that is in a transaction or lost its connection is
/// disposed for real. SQLite readers on an idle connection hold no snapshot, so they see every commit.
/// </summary>
internal sealed class WikiDbContextFactory(string connectionString, ILoggerFactory loggerFactory) : IDbContextFactory<WikiDbContext>, IDisposable
{
    /// <summary>Idle contexts kept at most; more concurrent users get contexts that are disposed after use.</summary>
    private const int MaxIdle = 32;

    private readonly ConcurrentQueue<WikiDbContext> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public WikiDbContext CreateDbContext()
    {
        if (_idle.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            Volatile.Write(ref idle.Returned, 0);
            return idle;
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var options = new DbContextOptionsBuilder<WikiDbContext>()
            .UseSqlite(connection)
            .UseLoggerFactory(loggerFactory)
            .AddInterceptors(SqliteStatementReuse.Instance)
            .Options;
        return new WikiDbContext(options) { Owner = this, OwnConnection = connection, KeptCommands = new(StringComparer.Ordinal) };
    }

    public Task<WikiDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());

    /// <summary>The write turns of this factory's database: one writer of this process at a time.</summary>
    public WriteGate Writes { get; } = WriteGate.Exclusive();

    /// <summary>
    /// Takes a context back; false when it must really be disposed. A context is taken back once per
    /// hand-out: a second Dispose (or Return) of the same lease does nothing, so the idle list never
    /// holds one context twice and never gives one context to two requests at once.
    /// </summary>
    internal bool Return(WikiDbContext context)
    {
        if (Interlocked.CompareExchange(ref context.Returned, 1, 0) != 0)
        {
            // Already idle or already closed for real: nothing more to do.
            return true;
        }

        if (_disposed || context.Database.CurrentTransaction is not null
            || context.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            return false;
        }

        context.ChangeTracker.Clear();
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            return false;
        }

        _idle.Enqueue(context);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        Writes.Dispose();
        while (_idle.TryDequeue(out var context))
        {
            context.Close();
        }
    }
}
