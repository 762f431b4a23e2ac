using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Storage;

/// <summary>The existence of many link targets, read in batches by namespace from a real SQLite file.</summary>
public sealed class LinkBatchTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly NamespaceTable _namespaces = NamespaceTable.Create("Batch Wiki");

    public Task InitializeAsync() => _database.MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ExistAsync_MoreTargetsThanOneBatchInSeveralNamespaces_AnswersEachInOrder()
    {
        await SaveAsync("batchwiki", NamespaceTable.Main, "Page_7");
        await SaveAsync("batchwiki", NamespaceTable.Main, $"Page_{LinkBatch.BatchSize + 3}");
        await SaveAsync("batchwiki", NamespaceTable.Talk, "Page_7");
        await SaveAsync("otherwiki", NamespaceTable.Main, "Page_8");
        var pages = new List<(int, string)>();
        for (var i = 0; i < (2 * LinkBatch.BatchSize) + 10; i++)
        {
            pages.Add((i % 3 == 0 ? NamespaceTable.Talk : NamespaceTable.Main, $"Page_{i}"));
        }

        pages.Add((NamespaceTable.Special, "Page_7"));
        pages.Add((NamespaceTable.Main, "Page_7"));

        await using var db = _database.Factory.CreateDbContext();
        var exists = await LinkBatch.ExistAsync(db, "batchwiki", pages, CancellationToken.None);

        var found = pages.Where((_, i) => exists[i]).Select(p => $"{p.Item1}:{p.Item2}").ToList();
        Assert.Equal(["0:Page_7", $"0:Page_{LinkBatch.BatchSize + 3}", "0:Page_7"], found);
        Assert.True(await LinkBatch.AnyExistsAsync(db, "batchwiki", pages, CancellationToken.None));
        Assert.False(await LinkBatch.AnyExistsAsync(db, "batchwiki", [(NamespaceTable.Special, "Page_7"), (NamespaceTable.Main, "Page_8")], CancellationToken.None));
    }

    [Fact]
    public async Task ExistAsync_NoTargets_NoAnswers()
    {
        await using var db = _database.Factory.CreateDbContext();

        Assert.Empty(await LinkBatch.ExistAsync(db, "batchwiki", [], CancellationToken.None));
    }

    private async Task SaveAsync(string wikiId, int ns, string dbKey)
    {
        await using var db = _database.Factory.CreateDbContext();
        var title = Title.Create(_namespaces, ns, dbKey);
        var time = new FakeTimeProvider();
        Assert.NotNull(await PageWriter.SaveAsync(db, wikiId, title, null, "text", PageLinkSet.Empty, "", minor: false, 1, "Tester", time.GetUtcNow().UtcDateTime, new ChangeFlags(), CancellationToken.None));
    }
}
