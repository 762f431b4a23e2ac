using CrossWiki.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossWiki.Tests.Storage;

/// <summary>A migrated SQLite database file in a folder of its own, served by the farm's context factory.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("crosswiki-storage-").FullName;
        Factory = new WikiDbContextFactory(ConnectionString, NullLoggerFactory.Instance);
    }

    public string Folder { get; }

    public WikiDbContextFactory Factory { get; }

    private string ConnectionString => StorageSetup.SqliteConnectionString(Folder);

    public Task MigrateAsync() => StorageSetup.MigrateAsync(Factory, CancellationToken.None);

    /// <summary>A context on its own connection, outside the factory: another server process, or a tool on the file.</summary>
    public WikiDbContext Outside() => new(new DbContextOptionsBuilder<WikiDbContext>().UseSqlite(ConnectionString).Options);

    public void Dispose()
    {
        Factory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
