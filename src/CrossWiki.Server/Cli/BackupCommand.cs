using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.Data.Sqlite;

namespace CrossWiki.Server.Cli;

/// <summary>
/// <c>backup FOLDER [--farm FILE]</c>: a consistent copy of an embedded farm while it serves: the SQLite database
/// through SQLite's online backup API (one snapshot, whatever is being written meanwhile) and the uploaded files of
/// the local file store. The copy is a data folder: a farm file whose <c>DataDirectory</c> names it restores the farm.
/// A PostgreSQL farm is backed up with the database's own tools (<c>pg_dump</c>) and its bucket with the store's.
/// </summary>
internal static class BackupCommand
{
    public static async Task<int> RunAsync(string[] args, string? farmFile, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 1)
        {
            await error.WriteLineAsync("Usage: backup FOLDER [--farm FILE]");
            return 2;
        }

        await using var app = FarmHost.Build([], farmFile);
        return await RunAsync(app.Services.GetRequiredService<FarmConfig>(), args[0], output, error);
    }

    public static async Task<int> RunAsync(FarmConfig farm, string destination, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(farm);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (farm.Database.Provider == "postgres")
        {
            await error.WriteLineAsync("This farm's database is PostgreSQL: back it up with pg_dump (and its S3 bucket with the store's tools).");
            return 2;
        }

        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            await error.WriteLineAsync($"'{destination}' is not empty: a backup goes to a new or empty folder.");
            return 2;
        }

        DataFolder.Create(destination);
        var target = Path.Combine(destination, "crosswiki.db");
        await using (var source = new SqliteConnection(StorageSetup.SqliteConnectionString(farm)))
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder(StorageSetup.SqliteConnectionString(destination)) { Pooling = false }.ToString()))
        {
            await source.OpenAsync();
            await copy.OpenAsync();
            source.BackupDatabase(copy);
        }

        DataFolder.RestrictFile(target);
        var files = 0;
        var images = Path.Combine(farm.DataDirectory, "images");
        if (farm.S3Store is null && Directory.Exists(images))
        {
            foreach (var file in Directory.EnumerateFiles(images, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(destination, "images", Path.GetRelativePath(images, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
                files++;
            }
        }

        await output.WriteLineAsync($"Backed up the database ({new FileInfo(target).Length} bytes) and {files} stored file(s) to {Path.GetFullPath(destination)}.");
        return 0;
    }
}
