using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Tests.Storage;

/// <summary>
/// The SQLite context factory reuses contexts with their connection open and keeps EF's reader commands
/// compiled between queries. Reads through kept commands must see what they would see on a new command.
/// </summary>
public sealed class WikiDbContextFactoryTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _database = new();
    private int _pagesAdded;

    private WikiDbContextFactory Factory => _database.Factory;

    public Task InitializeAsync() => _database.MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task PageByTitle_SameQueryAgain_ReusesTheKeptCommand()
    {
        await AddPageAsync("Kept");
        await using var db = Factory.CreateDbContext();

        Assert.NotNull(await PageReads.PageByTitleAsync(db, "w", 0, "Kept", CancellationToken.None));
        var kept = db.KeptCommands!.ToDictionary();
        Assert.NotNull(await PageReads.PageByTitleAsync(db, "w", 0, "Kept", CancellationToken.None));

        var read = Assert.Single(kept, c => c.Key.StartsWith("SELECT", StringComparison.Ordinal) && c.Key.Contains("\"pages\"", StringComparison.Ordinal));
        Assert.Equal(kept.Count, db.KeptCommands!.Count);
        Assert.Same(read.Value, db.KeptCommands[read.Key]);
    }

    [Fact]
    public async Task PageByTitle_KeptCommand_BindsEachCallsParameters()
    {
        await AddPageAsync("First");
        await AddPageAsync("Second");
        await using var db = Factory.CreateDbContext();

        var first = await PageReads.PageByTitleAsync(db, "w", 0, "First", CancellationToken.None);
        var second = await PageReads.PageByTitleAsync(db, "w", 0, "Second", CancellationToken.None);
        var missing = await PageReads.PageByTitleAsync(db, "w", 0, "Third", CancellationToken.None);
        var otherWiki = await PageReads.PageByTitleAsync(db, "x", 0, "First", CancellationToken.None);

        Assert.Equal("First", first?.DbKey);
        Assert.Equal("Second", second?.DbKey);
        Assert.Null(missing);
        Assert.Null(otherWiki);
    }

    [Fact]
    public async Task PageByTitle_ReusedContext_SeesRowsCommittedByAnotherConnection()
    {
        await using (var db = Factory.CreateDbContext())
        {
            Assert.Null(await PageReads.PageByTitleAsync(db, "w", 0, "Later", CancellationToken.None));
        }

        // Written outside the factory, as another server process sharing the file would.
        await using (var other = _database.Outside())
        {
            other.Pages.Add(new Page { WikiId = "w", Id = 1000, Namespace = 0, DbKey = "Later", LatestRevisionId = 7 });
            await other.SaveChangesAsync();
        }

        await using var again = Factory.CreateDbContext();
        Assert.NotNull(again.KeptCommands);
        Assert.NotEmpty(again.KeptCommands);
        var page = await PageReads.PageByTitleAsync(again, "w", 0, "Later", CancellationToken.None);
        Assert.Equal(7, page?.LatestRevisionId);
    }

    [Fact]
    public async Task PageByTitle_InsideTransaction_SeesItsOwnWritesAndNotAfterRollback()
    {
        await using var db = Factory.CreateDbContext();
        Assert.Null(await PageReads.PageByTitleAsync(db, "w", 0, "Pending", CancellationToken.None));

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Pages.Add(new Page { WikiId = "w", Id = 2000, Namespace = 0, DbKey = "Pending" });
            await db.SaveChangesAsync();
            Assert.NotNull(await PageReads.PageByTitleAsync(db, "w", 0, "Pending", CancellationToken.None));
            await tx.RollbackAsync();
        }

        db.ChangeTracker.Clear();
        Assert.Null(await PageReads.PageByTitleAsync(db, "w", 0, "Pending", CancellationToken.None));
    }

    [Fact]
    public async Task Queries_NestedWithTheSameText_EachReadItsOwnRows()
    {
        await AddPageAsync("A");
        await AddPageAsync("B");
        await using var db = Factory.CreateDbContext();
        var keys = new List<string>();

        // The outer reader is still open while the same query runs inside it: it cannot share a command.
        await foreach (var page in db.Pages.AsNoTracking().Where(p => p.WikiId == "w").OrderBy(p => p.DbKey).AsAsyncEnumerable())
        {
            var inner = await db.Pages.AsNoTracking().Where(p => p.WikiId == "w").OrderBy(p => p.DbKey).ToListAsync();
            Assert.Equal(["A", "B"], inner.Select(p => p.DbKey));
            keys.Add(page.DbKey);
        }

        Assert.Equal(["A", "B"], keys);
    }

    [Fact]
    public async Task Dispose_Twice_ReturnsTheContextToThePoolOnce()
    {
        var db = Factory.CreateDbContext();
        db.Dispose();
        db.Dispose();
        await db.DisposeAsync();

        var first = Factory.CreateDbContext();
        var second = Factory.CreateDbContext();

        // Had it been queued three times, both requests would have been handed the same context.
        Assert.Same(db, first);
        Assert.NotSame(first, second);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public void Return_SameLeaseAgain_DoesNotQueueItAgain()
    {
        var db = Factory.CreateDbContext();

        Assert.True(Factory.Return(db));
        Assert.True(Factory.Return(db));

        using var first = Factory.CreateDbContext();
        using var second = Factory.CreateDbContext();
        Assert.Same(db, first);
        Assert.NotSame(db, second);
    }

    [Fact]
    public async Task Dispose_AfterItWasHandedOutAgain_ReturnsItForTheNewHolder()
    {
        var db = Factory.CreateDbContext();
        db.Dispose();
        var again = Factory.CreateDbContext();
        Assert.Same(db, again);

        // The second lease ends normally: the context is usable and goes back once more.
        Assert.Null(await PageReads.PageByTitleAsync(again, "w", 0, "Nothing", CancellationToken.None));
        again.Dispose();
        again.Dispose();

        using var third = Factory.CreateDbContext();
        using var fourth = Factory.CreateDbContext();
        Assert.Same(db, third);
        Assert.NotSame(db, fourth);
    }

    private async Task AddPageAsync(string key)
    {
        await using var db = Factory.CreateDbContext();
        db.Pages.Add(new Page { WikiId = "w", Id = ++_pagesAdded, Namespace = 0, DbKey = key });
        await db.SaveChangesAsync();
    }
}
