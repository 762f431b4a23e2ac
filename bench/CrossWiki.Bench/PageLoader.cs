using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrossWiki.Bench;

/// <summary>
/// Fills a wiki with pages fast, through the server's real storage: the rows are the server's
/// <see cref="Page"/> and <see cref="Revision"/> entities, written to the tables and columns the EF model
/// maps them to (with its value converters), in one transaction of prepared inserts, with the wiki's own
/// ids (each wiki numbers its pages and revisions from 1) and its id counter moved past them, and each
/// page's category link (the only link row the scaling rows read) and its search index entry.
/// </summary>
internal sealed class PageLoader(string dataDirectory, string wikiId)
{
    public const string Prefix = "Scale_page_";

    /// <summary>
    /// Recent changes per scale page: its creation and nine edits, so that the scaling run's wiki sizes (1k,
    /// 10k, 100k pages) are 10k, 100k and 1M changes for the recent-changes listings.
    /// </summary>
    public const int ChangesPerPage = 10;

    /// <summary>How many <c>Scale_page_N</c> pages exist (numbered from 1).</summary>
    public int ScalePages { get; private set; }

    /// <summary>Adds scale pages until the wiki has <paramref name="totalPages"/> pages; returns the wiki's page count.</summary>
    public async Task<int> FillToAsync(int totalPages)
    {
        var options = new DbContextOptionsBuilder<WikiDbContext>().UseSqlite(StorageSetup.SqliteConnectionString(dataDirectory)).Options;
        await using var db = new WikiDbContext(options);
        var existing = await db.Pages.CountAsync(p => p.WikiId == wikiId);
        var toAdd = totalPages - existing;
        if (toAdd <= 0)
        {
            return existing;
        }

        var pageType = db.Model.FindEntityType(typeof(Page))!;
        var revisionType = db.Model.FindEntityType(typeof(Revision))!;
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            // The search index is written through the server's own code, in this transaction.
            await db.Database.UseTransactionAsync(tx);
            var nextPageId = (int)await MaxIdAsync(connection, tx, pageType, wikiId) + 1;
            var nextRevisionId = (int)await MaxIdAsync(connection, tx, revisionType, wikiId) + 1;
            await using var insertPage = Insert(connection, tx, pageType);
            await using var insertRevision = Insert(connection, tx, revisionType);
            var categoryType = db.Model.FindEntityType(typeof(CategoryLink))!;
            await using var insertCategory = Insert(connection, tx, categoryType);
            var changeType = db.Model.FindEntityType(typeof(RecentChange))!;
            await using var insertChange = Insert(connection, tx, changeType, generatedKey: true);
            var namespaces = NamespaceTable.Create("Bench");
            var now = DateTime.UtcNow;
            now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            for (var i = 0; i < toAdd; i++)
            {
                var n = ScalePages + 1;
                var text = BenchText.ScalePage(n);
                var length = Encoding.UTF8.GetByteCount(text);
                var page = new Page
                {
                    Id = nextPageId++, WikiId = wikiId, Namespace = 0, DbKey = Prefix + n, LatestRevisionId = nextRevisionId,
                    Touched = now, Length = length, IsNew = true, Random = Random.Shared.NextDouble(),
                };
#pragma warning disable CA5350 // MediaWiki's revision sha1 is a content fingerprint, as the server computes it.
                var revision = new Revision
                {
                    Id = nextRevisionId++, PageId = page.Id, WikiId = wikiId, ParentId = 0, UserId = 0, UserText = "Bench loader",
                    Timestamp = now, Comment = "bench", Minor = false, Text = text, Length = length,
                    Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))),
                };
#pragma warning restore CA5350
                await ExecuteAsync(insertRevision, revisionType, revision);
                await ExecuteAsync(insertPage, pageType, page);

                // The page's category link, as the save path writes it for the [[Category:...]] of its text.
                var category = new CategoryLink
                {
                    WikiId = wikiId, FromId = page.Id, Category = BenchText.ScaleCategory.Replace(' ', '_'), SortKeyPrefix = "",
                    SortKey = PageWriter.SortKey(Title.Create(namespaces, 0, page.DbKey), ""), Type = "page", Timestamp = now,
                };
                await ExecuteAsync(insertCategory, categoryType, category);

                // Its creation and edits in the recent changes, as the save path records them.
                for (var c = 0; c < ChangesPerPage; c++)
                {
                    var change = new RecentChange
                    {
                        WikiId = wikiId, Timestamp = now, UserText = "Bench loader", Namespace = 0, Title = page.DbKey, Comment = "bench",
                        Type = c == 0 ? ChangeFeed.New : ChangeFeed.Edit, PageId = page.Id, RevisionId = revision.Id, OldLength = c == 0 ? 0 : length, NewLength = length,
                        Minor = c % 3 == 2, Bot = c % 5 == 4,
                    };
                    await ExecuteAsync(insertChange, changeType, change, generatedKey: true);
                }
                await SearchIndex.WriteAsync(db, wikiId, page.Id, Title.Create(namespaces, 0, page.DbKey).Text, text, CancellationToken.None);
                ScalePages = n;
            }

            // The wiki's next ids, which the server's save path takes from its counter row.
            var counterType = db.Model.FindEntityType(typeof(WikiCounter))!;
            await using (var counter = connection.CreateCommand())
            {
                string Column(string name) => $"\"{counterType.FindProperty(name)!.GetColumnName()}\"";
                counter.Transaction = tx;
                counter.CommandText = $"UPDATE \"{counterType.GetTableName()}\" SET {Column("NextPageId")} = $page, {Column("NextRevisionId")} = $revision WHERE {Column("WikiId")} = $wiki";
                counter.Parameters.AddWithValue("$page", nextPageId);
                counter.Parameters.AddWithValue("$revision", nextRevisionId);
                counter.Parameters.AddWithValue("$wiki", wikiId);
                if (await counter.ExecuteNonQueryAsync() != 1)
                {
                    throw new InvalidOperationException($"The wiki {wikiId} has no id counter: it has had no save yet.");
                }
            }

            await tx.CommitAsync();
        }

        // Readers then see a compact database, not a long write-ahead log.
        await using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        return existing + toAdd;
    }

    private static async Task<long> MaxIdAsync(SqliteConnection connection, SqliteTransaction tx, IEntityType type, string wikiId)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT COALESCE(MAX(\"{type.FindProperty("Id")!.GetColumnName()}\"), 0) FROM \"{type.GetTableName()}\" "
            + $"WHERE \"{type.FindProperty("WikiId")!.GetColumnName()}\" = $wiki";
        command.Parameters.AddWithValue("$wiki", wikiId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The mapped properties an INSERT writes: all of them, or all but a key the database generates.</summary>
    private static List<IProperty> Columns(IEntityType type, bool generatedKey) =>
        [.. type.GetProperties().Where(p => !(generatedKey && p.IsPrimaryKey()))];

    /// <summary>A prepared INSERT of every mapped property of the entity type (but a generated key).</summary>
    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction tx, IEntityType type, bool generatedKey = false)
    {
        var properties = Columns(type, generatedKey);
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO \"{type.GetTableName()}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) "
            + $"VALUES ({string.Join(", ", properties.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < properties.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i, null));
        }

        command.Prepare();
        return command;
    }

    private static Task<int> ExecuteAsync(DbCommand command, IEntityType type, object entity, bool generatedKey = false)
    {
        var i = 0;
        foreach (var property in Columns(type, generatedKey))
        {
            var value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
            if (property.GetTypeMapping().Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            command.Parameters[i++].Value = value ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync();
    }
}
