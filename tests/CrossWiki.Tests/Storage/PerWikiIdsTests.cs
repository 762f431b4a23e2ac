using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrossWiki.Tests.Storage;

/// <summary>Page and revision ids are each wiki's own: a farm created before is renumbered, new saves count on per wiki.</summary>
public sealed class PerWikiIdsTests(FarmFixture fixture) : IClassFixture<FarmFixture>, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Migration_FarmWithSharedIds_RenumbersEachWikiFromOneKeepingLinks(string provider)
    {
        var options = provider == "sqlite"
            ? new DbContextOptionsBuilder<WikiDbContext>().UseSqlite(StorageSetup.SqliteConnectionString(_database.Folder)).Options
            : await TestDatabases.NewPostgresAsync("crosswiki_ids_");
        await using (var old = new WikiDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261126223052_InitialSchema");

            // Farm-wide ids, interleaved: a's pages 1 and 3, b's page 2; revisions 1-5 across both.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO pages ("Id", "WikiId", "Namespace", "DbKey", "LatestRevisionId", "Touched", "Length", "IsNew") VALUES
                    (1, 'a', 0, 'A_one', 3, '2026-01-01 00:00:03', 1, false),
                    (2, 'b', 0, 'B_one', 5, '2026-01-01 00:00:05', 1, false),
                    (3, 'a', 0, 'A_two', 4, '2026-01-01 00:00:04', 1, true);
                INSERT INTO revisions ("Id", "PageId", "WikiId", "ParentId", "UserId", "UserText", "Timestamp", "Comment", "Minor", "Text", "Length", "Sha1") VALUES
                    (1, 1, 'a', 0, 0, 'x', '2026-01-01 00:00:01', '', false, 'a1', 2, ''),
                    (2, 2, 'b', 0, 0, 'x', '2026-01-01 00:00:02', '', false, 'b1', 2, ''),
                    (3, 1, 'a', 1, 0, 'x', '2026-01-01 00:00:03', '', false, 'a1 again', 8, ''),
                    (4, 3, 'a', 0, 0, 'x', '2026-01-01 00:00:04', '', false, 'a2', 2, ''),
                    (5, 2, 'b', 2, 0, 'x', '2026-01-01 00:00:05', '', false, 'b1 again', 8, '');
                """);
        }

        await using var db = new WikiDbContext(options);
        await db.Database.MigrateAsync();
        var pages = await db.Pages.AsNoTracking().OrderBy(p => p.WikiId).ThenBy(p => p.Id).Select(p => $"{p.WikiId}:{p.Id}:{p.DbKey}:{p.LatestRevisionId}").ToListAsync();
        Assert.Equal(["a:1:A_one:2", "a:2:A_two:3", "b:1:B_one:2"], pages);
        var revisions = await db.Revisions.AsNoTracking().OrderBy(r => r.WikiId).ThenBy(r => r.Id).Select(r => $"{r.WikiId}:{r.Id}:{r.PageId}:{r.ParentId}:{r.Text}").ToListAsync();
        Assert.Equal(["a:1:1:0:a1", "a:2:1:1:a1 again", "a:3:2:0:a2", "b:1:1:0:b1", "b:2:1:1:b1 again"], revisions);
        var counters = await db.Counters.AsNoTracking().OrderBy(c => c.WikiId).Select(c => $"{c.WikiId}:{c.NextPageId}:{c.NextRevisionId}").ToListAsync();
        Assert.Equal(["a:3:4", "b:2:3"], counters);

        // The next save of b continues b's numbers, not the farm's.
        var title = Title.Create(NamespaceTable.Create("B"), 0, "B_two");
        var saved = await PageWriter.SaveAsync(db, "b", title, null, "b2", PageLinkSet.Empty, "", minor: false, 0, "x", DateTime.UtcNow, new ChangeFlags(), CancellationToken.None);
        Assert.Equal((2, 3), (saved!.PageId, saved.Id));
    }

    /// <summary>A new, empty PostgreSQL database on the test services' server (tests/services.sh), which is thrown away after the run.</summary>
    [Fact]
    public async Task SaveAsync_WikiWithoutCounterRow_StartsAfterItsExistingIds()
    {
        await _database.MigrateAsync();
        await using var db = _database.Factory.CreateDbContext();
        var table = NamespaceTable.Create("C");

        var first = await PageWriter.SaveAsync(db, "c", Title.Create(table, 0, "One"), null, "1", PageLinkSet.Empty, "", minor: false, 0, "x", DateTime.UtcNow, new ChangeFlags(), CancellationToken.None);
        var other = await PageWriter.SaveAsync(db, "d", Title.Create(table, 0, "One"), null, "1", PageLinkSet.Empty, "", minor: false, 0, "x", DateTime.UtcNow, new ChangeFlags(), CancellationToken.None);
        var page = await db.Pages.FirstAsync(p => p.WikiId == "c" && p.Id == first!.PageId);
        var second = await PageWriter.SaveAsync(db, "c", Title.Create(table, 0, "One"), page, "2", PageLinkSet.Empty, "", minor: false, 0, "x", DateTime.UtcNow, new ChangeFlags(), CancellationToken.None);

        Assert.Equal((1, 1), (first!.PageId, first.Id));
        Assert.Equal((1, 1), (other!.PageId, other.Id));
        Assert.Equal((1, 2, 1), (second!.PageId, second.Id, second.ParentId));
    }

    [Fact]
    public async Task Api_SecondWikiOfAFarm_ItsMainPageIsPageOneRevisionOneAndRvstartidOneWorks()
    {
        // git-remote-mediawiki's clone starts at rvstartid=1 on every wiki.
        using var client = fixture.Farm.Client(fixture.Farm.BetaApi);
        var answer = await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", "Main Page"), ("rvprop", "ids"),
            ("rvstartid", "1"), ("rvdir", "newer"), ("rvlimit", "1"), ("format", "json"), ("formatversion", "2"));

        var page = answer.Json["query"]!["pages"]![0]!;
        Assert.Equal(1, page["pageid"]!.GetValue<int>());
        Assert.Equal(1, page["revisions"]![0]!["revid"]!.GetValue<int>());
        Assert.Equal(0, page["revisions"]![0]!["parentid"]!.GetValue<int>());
    }
}
