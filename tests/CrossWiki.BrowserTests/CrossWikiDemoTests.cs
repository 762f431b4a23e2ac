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

    [Fact]
    public async Task DemoPage_UploadToTheSharedRepository_TheFileIsThereAndShown()
    {
        var user = await farm.CreateUserAsync("DemoUploader");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 900);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Local + "/wiki/Special:CrossWikiDemo");
        var name = $"Demo upload {Guid.NewGuid().ToString("N")[..8]}.png";
        byte[] picture;
        using (var image = NetVips.Image.Black(240, 160).NewFromImage(204, 102, 51))
        {
            picture = image.PngsaveBuffer();
        }

        await page.SetInputFilesAsync("#demo-upload-file", new Microsoft.Playwright.FilePayload { Name = "orange.png", MimeType = "image/png", Buffer = picture });
        await page.FillAsync("#demo-upload-name", name);
        await page.ClickAsync("#demo-upload");
        await page.WaitForFunctionAsync("() => !document.getElementById('result-upload').textContent.startsWith('Uploading')");

        var result = await page.TextContentAsync("#result-upload");
        Assert.Equal($"OK: {farm.Foreign}/wiki/File:{Uri.EscapeDataString(name.Replace(' ', '_'))} ({picture.Length} bytes, 240x160, uploaded by {user})", result);
        var shown = page.Locator("#demo-upload-image");
        Assert.Equal(240, await shown.EvaluateAsync<int>("img => new Promise(r => img.complete ? r(img.naturalWidth) : img.onload = () => r(img.naturalWidth))"));
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "demo-upload.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }
}
