using CrossWiki.Server.Farm;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrossWiki.Server.Storage;

internal static class StorageSetup
{
    public static string SqliteConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "crosswiki.db"),
            DefaultTimeout = 30,
        }.ToString();

    /// <summary>The farm's SQLite database: its configured connection string, or the file in the data folder.</summary>
    public static string SqliteConnectionString(FarmConfig farm) =>
        farm.Database.ConnectionString ?? SqliteConnectionString(farm.DataDirectory);

    /// <summary>The farm's database provider: SQLite (a file in the data folder) or PostgreSQL, one model and one set of migrations.</summary>
    public static void Configure(DbContextOptionsBuilder options, FarmConfig farm)
    {
        if (farm.Database.Provider == "postgres")
        {
            options.UseNpgsql(farm.Database.ConnectionString);

            // The migrations were recorded against SQLite: the model snapshot lacks PostgreSQL's own
            // annotations (identity columns), which the migration itself carries. Not a model change.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        }
        else
        {
            options.UseSqlite(SqliteConnectionString(farm));
        }
    }

    /// <summary>Creates or upgrades the database with the migrations and switches SQLite to WAL.</summary>
    public static async Task MigrateAsync(IDbContextFactory<WikiDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets page reads go on while an edit commits (design.md, Storage).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

            // The database holds password hashes and the token secret: readable by the server's user only.
            // SQLite gives the -wal and -shm files it creates later the database file's mode.
            if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file)
            {
                foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
                {
                    DataFolder.RestrictFile(path);
                }
            }
        }
    }
}

/// <summary>The data folder and what it keeps, readable and writable by the server's user only (0700, 0600) where the system has modes.</summary>
internal static class DataFolder
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder 0700, or makes an existing one 0700.</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnlyFolder);
        File.SetUnixFileMode(path, OwnerOnlyFolder);
    }

    /// <summary>Makes a file 0600.</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }
}
