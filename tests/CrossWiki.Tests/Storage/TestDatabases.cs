using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CrossWiki.Tests.Storage;

/// <summary>Databases for storage tests that run on both engines.</summary>
internal static class TestDatabases
{
    /// <summary>
    /// A new, empty PostgreSQL database on the server the README's test command starts
    /// (<c>CROSSWIKI_TEST_POSTGRES</c>), named <paramref name="prefix"/> and a random suffix.
    /// </summary>
    public static async Task<DbContextOptions<WikiDbContext>> NewPostgresAsync(string prefix)
    {
        var postgres = Environment.GetEnvironmentVariable("CROSSWIKI_TEST_POSTGRES");
        Assert.True(postgres is not null, "CROSSWIKI_TEST_POSTGRES is not set: run the README's test command (bash tests/run.sh), which starts PostgreSQL.");
        var database = prefix + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ToString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new DbContextOptionsBuilder<WikiDbContext>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(postgres) { Database = database, Pooling = false }.ToString())
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options;
    }
}
