using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

internal static class StorageSetup
{
    public static string SqliteConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "crosswiki.db"),
            DefaultTimeout = 30,
        }.ToString();

    /// <summary>Creates or upgrades the database with the migrations and switches SQLite to WAL.</summary>
    public static async Task MigrateAsync(IDbContextFactory<WikiDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets page reads go on while an edit commits (design.md, Storage).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
