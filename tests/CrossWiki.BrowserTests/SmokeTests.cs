namespace CrossWiki.BrowserTests;

[Collection(BrowserSuite.Name)]
public sealed class SmokeTests(BrowserFarm farm)
{
    [Fact]
    public async Task MainPage_OverHttps_LoadsWithTheClient()
    {
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(farm.Local + "/wiki/Main_Page");

        Assert.Equal(200, response!.Status);
        Assert.Equal("MediaWiki.test", await page.TextContentAsync("#p-sitename"));
    }
}
