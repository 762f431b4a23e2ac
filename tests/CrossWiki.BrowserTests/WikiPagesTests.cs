namespace CrossWiki.BrowserTests;

/// <summary>Login, edit, preferences and logout through the wiki's HTML pages, in the browser.</summary>
[Collection(BrowserSuite.Name)]
public sealed class WikiPagesTests(BrowserFarm farm)
{
    [Fact]
    public async Task HtmlPages_LoginEditPreferencesLogout_Work()
    {
        var user = await farm.CreateUserAsync("Pages");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);

        await page.GotoAsync(farm.Local + "/w/index.php?title=Browser_Page&action=edit");
        await page.FillAsync("#wpTextbox1", "Written in '''Chromium'''.");
        await page.FillAsync("#wpSummary", "from the browser");
        await page.ClickAsync("#wpSave");
        await page.WaitForURLAsync(farm.Local + "/wiki/Browser_Page");
        Assert.Equal("Chromium", await page.TextContentAsync("#mw-content-text b"));

        await page.ClickAsync("#pt-preferences");
        await page.FillAsync("#wpOptionName", "userjs-browser");
        await page.FillAsync("#wpOptionValue", "on");
        await page.ClickAsync("#wpSavePrefs");
        Assert.Equal("on", await page.TextContentAsync("tr[data-option='userjs-browser'] td:nth-child(2)"));

        await page.ClickAsync("#pt-logout");
        await page.ClickAsync("#wpLogout");
        await page.WaitForURLAsync(farm.Local + "/wiki/Main_Page");
        Assert.True(await page.IsVisibleAsync("#pt-login"));
    }
}
