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
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private int _idleCount;
    private volatile bool _disposed;

    public WikiDbContext CreateDbContext()
    {
        if (_idle.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
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

    /// <summary>
    /// Lets one write of this process at a time into the database. SQLite has a single writer; when two
    /// connections of one process race for it, the loser is told the database is busy and
    /// Microsoft.Data.Sqlite retries after sleeping, which stalls requests for far longer than waiting
    /// here in turn does. Writers in other processes are still handled by SQLite's locking.
    /// </summary>
    public static async Task<IDisposable?> EnterWriteAsync(WikiDbContext db, CancellationToken ct)
    {
        if (db.Owner is not { } owner)
        {
            return null;
        }

        await owner._writeGate.WaitAsync(ct);
        return new WriteTurn(owner._writeGate);
    }

    private sealed class WriteTurn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    /// <summary>Takes a context back; false when it must really be disposed.</summary>
    internal bool Return(WikiDbContext context)
    {
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
        _writeGate.Dispose();
        while (_idle.TryDequeue(out var context))
        {
            context.Owner = null;
            context.Dispose();
        }
    }
}
