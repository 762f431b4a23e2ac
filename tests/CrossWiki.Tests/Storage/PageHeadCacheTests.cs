using System.Diagnostics.Metrics;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Storage;

/// <summary>
/// Page views and rest.php HTML look a page's head (its latest revision) up by title. A farm of one
/// process keeps the heads it read, so they must follow every save made through it at once and any
/// other change within a second; a farm of several nodes must read every head from the database.
/// </summary>
public sealed class PageHeadCacheTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-27T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private readonly PageChanges _changes = new();

    private WikiDbContextFactory Factory => _database.Factory;

    public Task InitializeAsync() => _database.MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _meters.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task HeadAsync_OneProcess_SaveThroughItIsSeenAtOnce()
    {
        var (farm, wiki, title) = Farm(singleProcess: true);
        using var pages = new RenderedPages(Factory, _time, farm, _changes, _meters.GetRequiredService<IMeterFactory>());
        await SaveAsync(wiki, title, "first");
        var before = await HeadAsync(pages, wiki, title);

        var saved = await SaveAsync(wiki, title, "second");

        Assert.Equal(saved.Id, (await HeadAsync(pages, wiki, title))?.LatestRevisionId);
        Assert.NotEqual(before?.LatestRevisionId, saved.Id);
    }

    [Fact]
    public async Task HeadAsync_OneProcess_ChangeByAnotherWriterSeenWithinASecond()
    {
        var (farm, wiki, title) = Farm(singleProcess: true);
        using var pages = new RenderedPages(Factory, _time, farm, _changes, _meters.GetRequiredService<IMeterFactory>());
        await SaveAsync(wiki, title, "first");
        Assert.NotNull(await HeadAsync(pages, wiki, title));

        await ChangeLatestRevisionOutsideAsync(wiki, title, 4242);

        // It may be kept until then (saves by other tests of this process can end that sooner).
        _time.Advance(RenderedPages.StampMaxAge);
        Assert.Equal(4242, (await HeadAsync(pages, wiki, title))?.LatestRevisionId);
    }

    [Fact]
    public async Task HeadAsync_SeveralNodes_ChangeByAnotherNodeSeenAtOnce()
    {
        var (farm, wiki, title) = Farm(singleProcess: false);
        using var pages = new RenderedPages(Factory, _time, farm, _changes, _meters.GetRequiredService<IMeterFactory>());
        await SaveAsync(wiki, title, "first");
        Assert.NotNull(await HeadAsync(pages, wiki, title));

        await ChangeLatestRevisionOutsideAsync(wiki, title, 4343);

        Assert.Equal(4343, (await HeadAsync(pages, wiki, title))?.LatestRevisionId);
    }

    [Fact]
    public async Task HeadAsync_MissingPage_CreatedThroughTheProcess_FoundAtOnce()
    {
        var (farm, wiki, title) = Farm(singleProcess: true);
        using var pages = new RenderedPages(Factory, _time, farm, _changes, _meters.GetRequiredService<IMeterFactory>());
        Assert.Null(await HeadAsync(pages, wiki, title));

        var saved = await SaveAsync(wiki, title, "created");

        Assert.Equal(saved.Id, (await HeadAsync(pages, wiki, title))?.LatestRevisionId);
    }

    private (FarmConfig Farm, Wiki Wiki, Title Title) Farm(bool singleProcess)
    {
        var validation = FarmValidator.Validate(new FarmOptions
        {
            DataDirectory = _database.Folder,
            SingleProcess = singleProcess,
            Redis = singleProcess ? null : "127.0.0.1:1",
            Wikis = new() { ["headwiki"] = new WikiOptions { Sitename = "Heads", Server = "http://127.0.0.1:9" } },
        });
        Assert.Empty(validation.Errors);
        var wiki = Assert.Single(validation.Farm!.Wikis);
        return (validation.Farm, wiki, TitleParser.Parse("Kept page", wiki.Namespaces).Title!);
    }

    private async Task<PageHead?> HeadAsync(RenderedPages pages, Wiki wiki, Title title)
    {
        await using var db = Factory.CreateDbContext();
        return await pages.HeadAsync(db, wiki, title, CancellationToken.None);
    }

    private async Task<Revision> SaveAsync(Wiki wiki, Title title, string text)
    {
        var editor = new PageEditor(Factory, Factory.Writes, _changes, _time);
        var outcome = await editor.SaveAsync(
            new PageEdit { Wiki = wiki, User = WikiUser.Registered(1, "Tester", ""), Title = title, Compose = _ => text }, CancellationToken.None);
        Assert.Equal(EditStatus.Saved, outcome.Status);
        return outcome.Saved!;
    }

    /// <summary>A write this process does not see: another server process, or a tool on the database.</summary>
    private async Task ChangeLatestRevisionOutsideAsync(Wiki wiki, Title title, int revisionId)
    {
        await using var other = _database.Outside();
        var page = await other.Pages.SingleAsync(p => p.WikiId == wiki.Id && p.Namespace == title.Namespace && p.DbKey == title.DbKey);
        page.LatestRevisionId = revisionId;
        await other.SaveChangesAsync();
    }
}
