using Microsoft.Playwright;

namespace CrossWiki.BrowserTests;

/// <summary>Small steps the browser tests share: log in through the wiki's form, run a script in a page.</summary>
internal static class Browser
{
    public static async Task LogInAsync(IPage page, string server, string name, string password)
    {
        await page.GotoAsync(server + "/wiki/Special:UserLogin?returnto=Main_Page");
        await page.FillAsync("#wpName1", name);
        await page.FillAsync("#wpPassword1", password);
        await page.ClickAsync("#wpLoginAttempt");
        await ArrivedAsync(page, server + "/wiki/Main_Page", "#pt-userpage");
        var shown = await page.TextContentAsync("#pt-userpage");
        Assert.Equal(name, shown);
    }

    /// <summary>
    /// Waits until a form's answer has led to <paramref name="url"/> and an element of that page is there. Not
    /// the page's load event: after a form's redirect Chromium's load event was now and then not reported to the
    /// waiter (30 s timeouts in CI with network idle already reached), while the page itself was complete.
    /// </summary>
    public static async Task ArrivedAsync(IPage page, string url, string selector = "#mw-content-text")
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator(selector).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <inheritdoc cref="ArrivedAsync(IPage, string, string)"/>
    public static async Task ArrivedAsync(IPage page, System.Text.RegularExpressions.Regex url, string selector = "#mw-content-text")
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator(selector).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves a page through the wiki's edit form and waits for the page view it leads to.</summary>
    public static async Task EditAsync(IPage page, string server, string title, string text, string summary)
    {
        await page.GotoAsync(server + $"/w/index.php?title={Uri.EscapeDataString(title)}&action=edit");
        await page.FillAsync("#wpTextbox1", text);
        await page.FillAsync("#wpSummary", summary);
        await page.ClickAsync("#wpSave");
        await ArrivedAsync(page, server + "/wiki/" + Uri.EscapeDataString(title.Replace(' ', '_')), "#mw-content-text");
    }

    /// <summary>Runs an async function body in the page and returns its string result, or "ERROR: ..." when it throws.</summary>
    public static Task<string> RunAsync(IPage page, string body) =>
        page.EvaluateAsync<string>($$"""
            async () => {
                try {
                    const result = await (async () => { {{body}} })();
                    return typeof result === 'string' ? result : JSON.stringify(result);
                } catch (e) {
                    return 'ERROR: ' + ((e && e.code) || (e && e.name) || '') + ' ' + ((e && e.message) || '') + ' ' + JSON.stringify((e && e.result && (e.result.error || e.result.textStatus)) || null);
                }
            }
            """);
}
