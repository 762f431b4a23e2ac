using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Pages;

/// <summary>
/// The job queue: creating a page queues the touch of the pages that link to it (a row of the <c>job</c>
/// table, written with the save), run later by <see cref="JobRunner"/>, also after a restart. The server's
/// clock is fake and stands half a second past a whole second, so saves (stamped to the second) are
/// older than the run, and the runner's own timer never fires by itself.
/// </summary>
public sealed class JobQueueTests
{
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, 500, TimeSpan.Zero));

    [Fact]
    public async Task JobQueue_LinkTargetsCreated_TouchesPagesLinkingTranscludingOrInTheCategory()
    {
        await using var farm = await FarmFixture.StartWithUsersAsync(Clock());
        await farm.EditPagesAsync(
            ("Linker", "See [[Target]]."),
            ("Transcluder", "{{Boilerplate}}"),
            ("Member", "In [[Category:Later cat]]."),
            ("Unrelated", "No links."));
        var runner = farm.Services.GetRequiredService<JobRunner>();
        await runner.RunPendingAsync(CancellationToken.None);
        var before = await TouchedAsync(farm);
        var etag = await HtmlEtagAsync(farm, "Linker");

        await farm.EditPagesAsync(("Target", "here"), ("Template:Boilerplate", "text"), ("Category:Later cat", "about"));
        // The template, transcluded by Transcluder, also queues the refresh of its transclusions (MediaWiki's refreshLinks).
        Assert.Equal([(0, "Target"), (10, "Boilerplate"), (10, "Boilerplate"), (14, "Later_cat")], await QueuedAsync(farm));
        var queuedOnly = await TouchedAsync(farm);
        Assert.All(before, b => Assert.Equal(b.Value, queuedOnly[b.Key]));

        await runner.RunPendingAsync(CancellationToken.None);

        var after = await TouchedAsync(farm);
        Assert.All(["Linker", "Transcluder", "Member"], t => Assert.True(after[t] > before[t], t));
        Assert.Equal(before["Unrelated"], after["Unrelated"]);
        Assert.Empty(await QueuedAsync(farm));
        Assert.NotEqual(etag, await HtmlEtagAsync(farm, "Linker"));
    }

    [Fact]
    public async Task JobQueue_ServerRestartedBeforeTheRun_RunsTheQueuedJobAfterIt()
    {
        await using var farm = await FarmFixture.StartWithUsersAsync(Clock());
        await farm.EditPagesAsync(("Linker", "See [[Target]]."));
        var before = (await TouchedAsync(farm))["Linker"];
        await farm.EditPagesAsync(("Target", "here"));
        Assert.Contains((0, "Target"), await QueuedAsync(farm));

        await farm.RestartAsync();
        await farm.Services.GetRequiredService<JobRunner>().RunPendingAsync(CancellationToken.None);

        Assert.True((await TouchedAsync(farm))["Linker"] > before);
        Assert.Empty(await QueuedAsync(farm));
    }

    private static async Task<List<(int Namespace, string Title)>> QueuedAsync(TestFarm farm)
    {
        await using var db = await farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>().CreateDbContextAsync();
        return [.. (await db.Jobs.OrderBy(j => j.Id).ToListAsync()).Select(j => (j.Namespace, j.Title))];
    }

    private static async Task<Dictionary<string, DateTime>> TouchedAsync(TestFarm farm)
    {
        await using var db = await farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>().CreateDbContextAsync();
        return await db.Pages.Where(p => p.WikiId == "alpha" && p.Namespace == 0).ToDictionaryAsync(p => p.DbKey, p => p.Touched);
    }

    private static async Task<string?> HtmlEtagAsync(TestFarm farm, string title)
    {
        using var client = farm.Client();
        var answer = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{farm.AlphaServer}/w/rest.php/v1/page/{title}/html"));
        return answer.Response.Headers.ETag?.Tag;
    }
}
