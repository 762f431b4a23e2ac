namespace CrossWiki.BrowserTests;

/// <summary>Special:CrossWikiDemo runs the examples against the farm's other wikis and explains refusals.</summary>
[Collection(BrowserSuite.Name)]
public sealed class CrossWikiDemoTests(BrowserFarm farm)
{
    [Fact]
    public async Task DemoPage_AllowedAndRefusedWikis_ShowAnswerAndReason()
    {
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(farm.Local + "/wiki/Special:CrossWikiDemo");

        await page.ClickAsync("button[data-wiki='enwiki'][data-example='anonymous']");
        await page.WaitForFunctionAsync("() => !document.getElementById('result-enwiki').textContent.startsWith('Running')");
        await page.ClickAsync("button[data-wiki='strangerwiki'][data-example='userinfo']");
        await page.WaitForFunctionAsync("() => !document.getElementById('result-strangerwiki').textContent.startsWith('Running')");

        Assert.Equal("OK: Foreign user 127.0.0.1 (ID 0)", await page.TextContentAsync("#result-enwiki"));
        var refused = await page.TextContentAsync("#result-strangerwiki");
        Assert.StartsWith("Refused (http). The browser did not let this page read the answer. Stranger.test refuses " + farm.Local, refused, StringComparison.Ordinal);
    }
}
