using System.Diagnostics.Metrics;
using System.Text;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Storage;

/// <summary>
/// Page views and rest.php HTML get a revision's rendering from <see cref="RenderedPages"/>: rendered once
/// while it stays cached, however big, and rendered again only when one of its red links was created.
/// Renderings are counted by the <c>crosswiki.pages.rendered</c> counter, read here with a MeterListener.
/// </summary>
public sealed class RenderedPagesTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-27T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MeterListener _listener = new();
    private readonly PageChanges _changes = new();
    private long _rendered;

    public RenderedPagesTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "crosswiki.pages.rendered")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rendered, value));
        _listener.Start();
    }

    private long Rendered => Interlocked.Read(ref _rendered);

    public Task InitializeAsync() => _database.MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task GetAsync_BigPageViewedThreeTimes_RenderedOnceThenAgainWhenItsRedLinkIsCreated()
    {
        var (farm, wiki) = Farm();
        using var pages = new RenderedPages(_database.Factory, _time, farm, _changes, _services.GetRequiredService<IMeterFactory>());
        var text = ManyLinks(175_000) + "[[Created later]]";
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1_000_000, EditLimits.MaxArticleBytes);
        await SaveAsync(wiki, "Big page", text);

        var first = await ViewAsync(pages, wiki, "Big page");
        Assert.Same(first, await ViewAsync(pages, wiki, "Big page"));
        Assert.Same(first, await ViewAsync(pages, wiki, "Big page"));

        Assert.Equal(1, Rendered);
        Assert.True(first.Html.Length > 16 * 1024 * 1024, "bigger than the 32 MB of UTF-16 the old budget counted it as");
        Assert.True(first.Html.AsSpan().IndexOf("title=\"Created later (page does not exist)\""u8) >= 0);

        await SaveAsync(wiki, "Created later", "now it exists");
        var after = await ViewAsync(pages, wiki, "Big page");

        Assert.Equal(2, Rendered);
        var html = Encoding.UTF8.GetString(after.Html);
        Assert.Contains("<a href=\"/wiki/Created_later\" title=\"Created later\">Created later</a>", html, StringComparison.Ordinal);
        Assert.Same(after, await ViewAsync(pages, wiki, "Big page"));
        Assert.Equal(2, Rendered);
    }

    [Fact]
    public async Task GetAsync_TwoSimultaneousFirstViews_RenderOnce()
    {
        var (farm, wiki) = Farm();
        using var pages = new RenderedPages(_database.Factory, _time, farm, _changes, _services.GetRequiredService<IMeterFactory>());
        await SaveAsync(wiki, "Shared page", ManyLinks(20_000));

        var views = await Task.WhenAll(ViewAsync(pages, wiki, "Shared page"), ViewAsync(pages, wiki, "Shared page"));

        Assert.Same(views[0], views[1]);
        Assert.Equal(1, Rendered);
    }

    /// <summary>Links to <paramref name="count"/> short titles, 40,000 of them distinct, about 6 bytes each.</summary>
    private static string ManyLinks(int count)
    {
        var sb = new StringBuilder(count * 7);
        for (var i = 0; i < count; i++)
        {
            sb.Append("[[").Append(Base36(i % 40_000)).Append("]]");
            if (i % 50 == 49)
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Base36(int n)
    {
        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var s = "";
        do
        {
            s = Digits[n % 36] + s;
            n /= 36;
        }
        while (n > 0);
        return s;
    }

    private async Task<Rendering> ViewAsync(RenderedPages pages, Wiki wiki, string name)
    {
        await using var db = _database.Factory.CreateDbContext();
        var title = TitleParser.Parse(name, wiki.Namespaces).Title!;
        var head = await pages.HeadAsync(db, wiki, title, CancellationToken.None);
        Assert.NotNull(head);
        return await pages.GetAsync(db, wiki, head, CancellationToken.None);
    }

    private (FarmConfig Farm, Wiki Wiki) Farm()
    {
        var validation = FarmValidator.Validate(new FarmOptions
        {
            DataDirectory = _database.Folder,
            Wikis = new() { ["renderwiki"] = new WikiOptions { Sitename = "Renderings", Server = "http://127.0.0.1:9" } },
        });
        Assert.Empty(validation.Errors);
        return (validation.Farm!, Assert.Single(validation.Farm!.Wikis));
    }

    private async Task SaveAsync(Wiki wiki, string name, string text)
    {
        var title = TitleParser.Parse(name, wiki.Namespaces).Title!;
        var editor = new PageEditor(_database.Factory, _database.Factory.Writes, _changes, _time);
        var outcome = await editor.SaveAsync(
            new PageEdit { Wiki = wiki, User = WikiUser.Registered(1, "Tester", ""), Title = title, Compose = _ => text }, CancellationToken.None);
        Assert.Equal(EditStatus.Saved, outcome.Status);
    }
}
