using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrossWiki.Server.Storage;

/// <summary>
/// One SQL read on a context's connection without EF's query pipeline, for the few lookups every page
/// read does (<see cref="PageReads"/>): EF's materializer for them cost more than the indexed lookup.
/// The SQL names the tables and columns of the EF model as both providers spell them (quoted); on a
/// pooled SQLite context the command stays compiled between uses (kept in its <see cref="WikiDbContext.KeptCommands"/>).
/// </summary>
internal readonly struct RowRead : IAsyncDisposable
{
    private readonly WikiDbContext _db;
    private readonly DbCommand _command;
    private readonly bool _kept;
    private readonly bool _opened;

    private RowRead(WikiDbContext db, DbCommand command, DbDataReader reader, bool kept, bool opened)
    {
        _db = db;
        _command = command;
        Reader = reader;
        _kept = kept;
        _opened = opened;
    }

    public DbDataReader Reader { get; }

    public static async Task<RowRead> StartAsync(WikiDbContext db, string sql, CancellationToken ct, params object[] values)
    {
        var connection = db.Database.GetDbConnection();
        var opened = false;
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
            opened = true;
        }

        DbCommand command;
        var kept = db.KeptCommands is { } commands && connection is SqliteConnection;
        if (kept && db.KeptCommands!.Remove(sql, out var sqlite))
        {
            command = sqlite;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i;
                parameter.Value = values[i];
                command.Parameters.Add(parameter);
            }
        }

        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleResult, ct);
        return new RowRead(db, command, reader, kept, opened);
    }

    public Task<bool> NextAsync(CancellationToken ct) => Reader.ReadAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        if (_kept && _db.KeptCommands!.TryAdd(_command.CommandText, (SqliteCommand)_command))
        {
            _command.Transaction = null;
        }
        else
        {
            await _command.DisposeAsync();
        }

        if (_opened)
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
