using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrossWiki.Server.Storage;

/// <summary>
/// Keeps EF Core's SQLite queries compiled between uses. Microsoft.Data.Sqlite compiles a command's SQL
/// at its first execution and keeps it compiled for as long as the command lives with the same text, but
/// EF makes a new command for every query, so every page read compiled the same statement again, which
/// costs more than the indexed lookup itself (Microsoft.Data.Sqlite has no statement cache of its own).
/// Through EF's interceptors, a reader's command is kept when EF is done with it, one per SQL text on its
/// context's connection, and the next command EF builds with that text is swapped for it. EF still writes
/// all the SQL; only the compiled form is kept. Used only by <see cref="WikiDbContextFactory"/>, whose
/// contexts keep their connection open for life.
/// </summary>
internal sealed class SqliteStatementReuse : DbCommandInterceptor
{
    /// <summary>At most this many commands are kept per connection.</summary>
    private const int MaxPerConnection = 64;

    public static readonly SqliteStatementReuse Instance = new();

    private SqliteStatementReuse()
    {
    }

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        if (eventData.ExecuteMethod != DbCommandMethod.ExecuteReader || eventData.Context is not WikiDbContext { KeptCommands: { } kept }
            || result is not SqliteCommand fresh || !kept.Remove(fresh.CommandText, out var command))
        {
            return result;
        }

        // The kept command gets this execution's parameters and transaction.
        command.Parameters.Clear();
        while (fresh.Parameters.Count > 0)
        {
            var parameter = fresh.Parameters[0];
            fresh.Parameters.RemoveAt(0);
            command.Parameters.Add(parameter);
        }

        command.Transaction = fresh.Transaction;
        command.CommandTimeout = fresh.CommandTimeout;
        fresh.Dispose();
        return command;
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        // The reader is closed by now; suppressing the rest keeps the command (and its compiled statements).
        // EF then also skips closing the connection, which only closes connections EF opened itself; the
        // factory opened this one and keeps it open.
        if (eventData.Context is WikiDbContext { KeptCommands: { } kept } && command is SqliteCommand sqlite
            && kept.Count < MaxPerConnection && kept.TryAdd(sqlite.CommandText, sqlite))
        {
            return InterceptionResult.Suppress();
        }

        return result;
    }
}
