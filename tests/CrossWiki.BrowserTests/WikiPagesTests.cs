using CrossWiki.Server.Files;
using Microsoft.Extensions.DependencyInjection;

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
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Browser_Page");
        Assert.Equal("Chromium", await page.TextContentAsync("#mw-content-text b"));

        await page.ClickAsync("#pt-preferences");
        await page.FillAsync("#wpOptionName", "userjs-browser");
        await page.FillAsync("#wpOptionValue", "on");
        await page.ClickAsync("#wpSavePrefs");
        Assert.Equal("on", await page.TextContentAsync("tr[data-option='userjs-browser'] td:nth-child(2)"));

        await page.ClickAsync("#pt-logout");
        await page.ClickAsync("#wpLogout");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Main_Page");
        Assert.True(await page.IsVisibleAsync("#pt-login"));
    }

    [Fact]
    public async Task SearchBox_WordOnAPage_ResultsPageWithHighlightedSnippet()
    {
        var user = await farm.CreateUserAsync("Searcher");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Local + "/w/index.php?title=Searchable_Browser_Page&action=edit");
        await page.FillAsync("#wpTextbox1", "The quokka is a small marsupial. <b>Not bold</b> in a snippet.");
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Searchable_Browser_Page");

        // The header's search box is on every page; a word that is no title gives the full-text results.
        await page.FillAsync("#searchInput", "quokka");
        await page.ClickAsync("#searchButton");
        await page.WaitForSelectorAsync(".mw-search-result");

        Assert.Equal("Searchable Browser Page", await page.TextContentAsync(".mw-search-result-heading a"));
        Assert.Equal("quokka", await page.TextContentAsync(".searchresult .searchmatch"));
        Assert.Equal(0, await page.Locator(".searchresult b").CountAsync());
        Assert.Contains("<b>Not bold</b>", await page.TextContentAsync(".searchresult"), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#mw-search-createlink"));
        var box = await page.Locator("#searchInput").BoundingBoxAsync();
        Assert.True(box is { Width: > 100, Height: > 10 }, "the search box is shown");
        await Shot(page, "special-search.png");

        // "Go" with an existing title opens the page.
        await page.FillAsync("#searchInput", "searchable browser page");
        await page.ClickAsync("#searchButton");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Searchable_Browser_Page");
    }

    [Fact]
    public async Task CategoryBoxAndCategoryPage_PageInACategory_ShownAndListed()
    {
        var user = await farm.CreateUserAsync("Categoriser");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        foreach (var (title, text) in new[] { ("Browser_Bird", "A bird. [[Category:Browser animals]]"), ("Category:Browser_mammals", "[[Category:Browser animals]]") })
        {
            await page.GotoAsync(farm.Local + $"/w/index.php?title={title}&action=edit");
            await page.FillAsync("#wpTextbox1", text);
            await page.ClickAsync("#wpSave");
            await Browser.ArrivedAsync(page, farm.Local + "/wiki/" + title);
        }

        await page.GotoAsync(farm.Local + "/wiki/Browser_Bird");
        Assert.True(await page.IsVisibleAsync("#catlinks"));
        Assert.Equal("Browser animals", await page.TextContentAsync("#catlinks li a"));
        await Shot(page, "category-box.png");

        await page.GotoAsync(farm.Local + "/wiki/Category:Browser_animals");
        Assert.Equal("Category:Browser mammals", await page.TextContentAsync("#mw-subcategories li a"));
        Assert.Equal("Browser Bird", await page.TextContentAsync("#mw-pages li a"));
        Assert.True(await page.IsVisibleAsync("#mw-pages"));
        await Shot(page, "category-page.png");
        await page.ClickAsync("#mw-pages li a");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Browser_Bird");
    }

    [Fact]
    public async Task RawScript_UserScriptPage_RunsAndAWikitextPageDoesNot()
    {
        var user = await farm.CreateUserAsync("Scripter");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        foreach (var (title, text) in new[] { ($"User:{user}/tool.js", "window.cwToolRan = 42;"), ("Browser_Script_Text", "window.cwTextRan = 1;") })
        {
            await page.GotoAsync(farm.Local + $"/w/index.php?title={Uri.EscapeDataString(title)}&action=edit");
            await page.FillAsync("#wpTextbox1", text);
            await page.ClickAsync("#wpSave");
            await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("/wiki/"));
        }

        // As a gadget loads a user's script: a script element with action=raw&ctype=text/javascript.
        var ran = await Browser.RunAsync(page, $$"""
            const load = (title) => new Promise((resolve) => {
                const s = document.createElement('script');
                s.src = '/w/index.php?title=' + encodeURIComponent(title) + '&action=raw&ctype=text/javascript';
                s.onload = () => resolve('loaded');
                s.onerror = () => resolve('refused');
                document.head.appendChild(s);
            });
            const tool = await load('User:{{user}}/tool.js');
            const text = await load('Browser_Script_Text');
            return [tool, String(window.cwToolRan), text, String(window.cwTextRan)].join(' ');
            """);

        Assert.Equal("loaded 42 refused undefined", ran);
    }

    [Fact]
    public async Task UploadedFile_FromTheBrowser_ShownAsThumbnailOnAPageAndOnItsFilePage()
    {
        var user = await farm.CreateUserAsync("Uploader");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        var name = $"Browser upload {Guid.NewGuid().ToString("N")[..8]}.png";

        // A picture drawn on a canvas, sent as a multipart upload from the page, as an upload gadget does.
        var result = await Browser.RunAsync(page, $$"""
            const canvas = document.createElement('canvas');
            canvas.width = 400; canvas.height = 300;
            const g = canvas.getContext('2d');
            g.fillStyle = '#36c'; g.fillRect(0, 0, 400, 300);
            g.fillStyle = '#fc3'; g.beginPath(); g.arc(200, 150, 100, 0, 2 * Math.PI); g.fill();
            const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
            const tokens = await (await fetch('/w/api.php?action=query&meta=tokens&format=json')).json();
            const form = new FormData();
            form.append('action', 'upload'); form.append('format', 'json'); form.append('filename', '{{name}}');
            form.append('comment', 'drawn in Chromium'); form.append('file', blob, 'drawing.png');
            form.append('token', tokens.query.tokens.csrftoken);
            const answer = await (await fetch('/w/api.php', { method: 'POST', body: form })).json();
            return answer.upload ? answer.upload.result : JSON.stringify(answer);
            """);
        Assert.Equal("Success", result);

        await page.GotoAsync(farm.Local + "/w/index.php?title=Browser_Gallery_Page&action=edit");
        await page.FillAsync("#wpTextbox1", $"A page with a picture.\n\n[[File:{name}|thumb|120px|A '''drawn''' circle]]\n\nMore text.");
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Browser_Gallery_Page");
        var thumb = page.Locator(".thumbinner img.thumbimage");
        await thumb.WaitForAsync();
        Assert.Equal(120, await thumb.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));
        Assert.Equal("A drawn circle", (await page.TextContentAsync(".thumbcaption"))!.Trim());
        await Shot(page, "file-thumbnail-on-a-page.png");

        await page.ClickAsync(".thumbinner a.image");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("/wiki/File:"));
        var full = page.Locator("#file img");
        await full.WaitForAsync();
        Assert.Equal(400, await full.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));
        Assert.Contains("drawn in Chromium", await page.TextContentAsync("table.filehistory"), StringComparison.Ordinal);
        await Shot(page, "file-page.png");
    }

    [Theory]
    [InlineData("svg", "image/svg+xml", """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" onload="window.ran = (window.ran || 0) + 1"><script>window.ran = 1; fetch('/beacon')</script><rect width="120" height="80" fill="red"/></svg>""")]
    [InlineData("png", "text/html", """<!DOCTYPE html><html><body onload="window.ran = 2"><script>window.ran = 1; fetch('/beacon')</script><p>not a picture</p></body></html>""")]
    public async Task HostileFile_RefusedAndEvenWhenInTheStore_NeverRunsScriptWhenItsUrlIsOpened(string extension, string runnableType, string hostile)
    {
        var user = await farm.CreateUserAsync("Hostile");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        var name = $"Hostile {Guid.NewGuid().ToString("N")[..8]}.{extension}";

        // The upload itself is refused, with MediaWiki's code.
        var refusal = await Browser.RunAsync(page, $$"""
            const api = new mw.Api();
            try { await api.upload( new Blob( [ {{System.Text.Json.JsonSerializer.Serialize(hostile)}} ] ), { filename: '{{name}}' } ); return 'uploaded'; }
            catch ( e ) { return e.code || String( e ); }
            """);
        Assert.Equal("verification-error", refusal);

        // Even a file that reached the store another way (an import, an older verifier) is served so that it
        // cannot run: the same bytes, served as a browser would run them, do run (the check can fail).
        var source = Path.GetTempFileName();
        await File.WriteAllTextAsync(source, hostile);
        await farm.Services.GetRequiredService<IFileStore>().PutAsync(FileNames.PublicKey("mediawiki", name.Replace(' ', '_')), source, runnableType, CancellationToken.None);
        File.Delete(source);
        var beacons = 0;
        page.Request += (_, request) => { if (request.Url.Contains("/beacon", StringComparison.Ordinal)) { Interlocked.Increment(ref beacons); } };
        await page.RouteAsync(farm.Local + "/control/**", route => route.FulfillAsync(new() { Body = hostile, ContentType = runnableType }));
        await page.GotoAsync(farm.Local + "/control/" + name);
        await page.WaitForFunctionAsync("() => window.ran !== undefined");
        Assert.True(beacons > 0);

        beacons = 0;
        var key = name.Replace(' ', '_');
        var response = await page.GotoAsync(farm.Local + "/w/images/" + FileNames.HashPath(key) + "/" + Uri.EscapeDataString(key));
        Assert.Equal(200, response!.Status);
        Assert.Equal("default-src 'none'; sandbox", await response.HeaderValueAsync("content-security-policy"));
        await page.WaitForTimeoutAsync(500);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.ran"));
        Assert.Equal(0, beacons);
    }

    [Fact]
    public async Task SpecialUpload_ChooseAFileAndSend_ShowsTheFileThenWarnsOnTheSameNameAndListsIt()
    {
        var user = await farm.CreateUserAsync("FormUploader");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 800);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        var name = $"Form picture {Guid.NewGuid().ToString("N")[..8]}.png";
        byte[] Picture(double red, double green, double blue)
        {
            using var image = NetVips.Image.Black(320, 200).NewFromImage(red, green, blue);
            return image.PngsaveBuffer();
        }

        // The "Upload file" link of every page, MediaWiki's form, a file chosen as a person would.
        await page.ClickAsync("#t-upload");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Special:Upload", "#wpUploadFile");
        await page.SetInputFilesAsync("#wpUploadFile", new Microsoft.Playwright.FilePayload { Name = "blue.png", MimeType = "image/png", Buffer = Picture(51, 102, 204) });
        await page.FillAsync("#wpDestFile", name);
        await page.FillAsync("#wpUploadDescription", "A blue picture sent with the form.");
        await Shot(page, "special-upload-form.png");
        await page.ClickAsync("#wpUpload");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("/wiki/File:"));
        var full = page.Locator("#file img");
        await full.WaitForAsync();
        Assert.Equal(320, await full.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));

        // The same name again: the warning, the file kept, and "Upload anyway".
        await page.GotoAsync(farm.Local + "/wiki/Special:Upload");
        await page.SetInputFilesAsync("#wpUploadFile", new Microsoft.Playwright.FilePayload { Name = "green.png", MimeType = "image/png", Buffer = Picture(20, 160, 80) });
        await page.FillAsync("#wpDestFile", name);
        await page.ClickAsync("#wpUpload");
        await page.Locator("#mw-upload-warning").WaitForAsync();
        Assert.Contains("A file with this name exists already.", await page.TextContentAsync("#mw-upload-warning"), StringComparison.Ordinal);
        await Shot(page, "special-upload-warning.png");
        await page.ClickAsync("#wpUploadIgnoreWarning");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("/wiki/File:"));
        Assert.Equal(2, await page.Locator("table.filehistory tr:has(td)").CountAsync());

        await page.GotoAsync(farm.Local + "/wiki/Special:ListFiles?user=" + Uri.EscapeDataString(user));
        var thumb = page.Locator("#mw-listfiles-table img");
        await thumb.First.WaitForAsync();
        Assert.Equal(1, await thumb.CountAsync());
        Assert.Equal(180, await thumb.First.EvaluateAsync<int>("img => new Promise(r => img.complete ? r(img.naturalWidth) : img.onload = () => r(img.naturalWidth))"));
        await Shot(page, "special-listfiles.png");
    }

    [Fact]
    public async Task HistoryDiffAndOldRevision_ThreeEdits_CompareSelectedShowsTheChangedWords()
    {
        var user = await farm.CreateUserAsync("Historian");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        foreach (var text in new[] { "The quick fox.\n\nSecond paragraph.", "The quick brown fox.\n\nSecond paragraph.", "The quick brown fox.\n\nSecond paragraph, longer.\n\nA third." })
        {
            await page.GotoAsync(farm.Local + "/w/index.php?title=Browser_History&action=edit");
            await page.FillAsync("#wpTextbox1", text);
            await page.ClickAsync("#wpSave");
            await Browser.ArrivedAsync(page, farm.Local + "/wiki/Browser_History");
        }

        await page.GotoAsync(farm.Local + "/w/index.php?title=Browser_History&action=history");
        Assert.Equal(3, await page.Locator("#pagehistory li").CountAsync());
        Assert.Equal(user, await page.TextContentAsync("#pagehistory li .mw-userlink"));
        await Shot(page, "history.png");

        // Compare the oldest with the newest through the radio buttons.
        await page.Locator("#pagehistory li").Nth(2).Locator("input[name=oldid]").CheckAsync();
        await page.ClickAsync(".historysubmit");
        await page.WaitForSelectorAsync("table.diff");
        Assert.Equal("brown", (await page.TextContentAsync("table.diff ins.diffchange"))?.Trim());
        Assert.Contains("longer", await page.Locator("table.diff ins.diffchange").Nth(1).TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#mw-diff-otitle1"));
        await Shot(page, "diff.png");

        await page.ClickAsync("#mw-diff-otitle1 a");
        await page.WaitForSelectorAsync("#mw-revision-info");
        Assert.Contains("This is an old revision of this page", await page.TextContentAsync("#mw-revision-info"), StringComparison.Ordinal);
        Assert.Contains("The quick fox.", await page.TextContentAsync("#mw-content-text"), StringComparison.Ordinal);
        await Shot(page, "old-revision.png");
    }

    /// <summary>A full-page screenshot into the test output's screenshots folder, for a person to look at.</summary>
    [Fact]
    public async Task ChangeFeedPages_EditsByAUserAndABot_ListedFilteredAndShown()
    {
        var user = await farm.CreateUserAsync("Feeder");
        var bot = await farm.CreateUserAsync("FeedBot", "bot");
        var n = Guid.NewGuid().ToString("N")[..6];
        var (page1, page2, botPage) = ($"Feed page {n}", $"Feed minor {n}", $"Feed bot {n}");
        await using var botContext = await farm.DefaultContextAsync();
        var botTab = await botContext.NewPageAsync();
        await Browser.LogInAsync(botTab, farm.Local, bot, BrowserFarm.Password);
        Assert.Contains("\"result\":\"Success\"", await Browser.RunAsync(botTab,
            $"return await new mw.Api().postWithToken('csrf', {{ action: 'edit', title: '{botPage}', text: 'Beep.', summary: 'bot run', bot: 1 }});"), StringComparison.Ordinal);

        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1100, 800);
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        await Browser.EditAsync(page, farm.Local, page1, "First text with a <b>bold</b> claim.", "<script>alert('summary')</script> new page");
        await Browser.EditAsync(page, farm.Local, page2, "To be fixed.", "<script>alert('summary')</script> new page");

        Assert.Contains("\"result\":\"Success\"", await Browser.RunAsync(page,
            $"return await new mw.Api().postWithToken('csrf', {{ action: 'edit', title: '{page2}', text: 'Fixed.', summary: 'typo', minor: 1 }});"), StringComparison.Ordinal);
        Assert.Contains("\"watched\"", await Browser.RunAsync(page, $"return await new mw.Api().postWithToken('watch', {{ action: 'watch', titles: '{page1}' }});"), StringComparison.Ordinal);
        Assert.Contains("\"move\"", await Browser.RunAsync(page,
            $"return await new mw.Api().postWithToken('csrf', {{ action: 'move', from: '{page2}', to: '{page2} (moved)', reason: 'clearer' }});"), StringComparison.Ordinal);

        // Recent changes from the sidebar: bots hidden by default; "Show bots" and "Hide minor edits" change the list.
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await page.ClickAsync("#n-recentchanges a");
        await page.WaitForSelectorAsync("ul.special");
        Microsoft.Playwright.ILocator Line(string title) => page.Locator("ul.special li").Filter(new() { Has = page.Locator($"a.mw-changeslist-title[title='{title}']") });
        Assert.Equal(0, await Line(botPage).CountAsync());
        Assert.Equal(1, await Line(page2).Locator("abbr.minoredit").CountAsync());
        Assert.Contains("(diff | hist) . . N", await Line(page1).TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("<script>alert('summary')</script> new page", await Line(page1).Locator(".comment").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("li.mw-changeslist-log-move").Filter(new() { HasText = "clearer" }).CountAsync());
        await page.ClickAsync(".rcshowhidebots a");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("hidebots=0"));
        Assert.Equal(1, await Line(botPage).Locator("abbr.botedit").CountAsync());
        await Shot(page, "recent-changes.png");
        await page.ClickAsync(".rcshowhideminor a");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("hideminor=1"));
        Assert.Equal(0, await Line(page2).Locator("abbr.minoredit").CountAsync());
        Assert.Equal(1, await Line(botPage).CountAsync());
        Assert.Equal(0, dialogs);

        await page.ClickAsync("#pt-mycontris");
        await page.WaitForSelectorAsync(".mw-contributions-list");
        // Two creations, the minor edit, and the move's null revision and redirect.
        Assert.Equal(5, await page.Locator(".mw-contributions-list li").CountAsync());
        await Shot(page, "contributions.png");

        await page.GotoAsync(farm.Local + "/wiki/Special:Log");
        Assert.Equal(1, await page.Locator("li.mw-logline-move").Filter(new() { HasText = "clearer" }).CountAsync());
        await page.SelectOptionAsync("#mw-log-type", "move");
        await page.ClickAsync("#mw-log-submit");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("type=move"));
        Assert.Equal("Move log", await page.TextContentAsync("#firstHeading"));
        Assert.Equal(0, await page.Locator("li.mw-logline-create").CountAsync());
        await Shot(page, "log.png");

        await page.ClickAsync("#pt-watchlist");
        await page.WaitForSelectorAsync("ul.special");
        Assert.Equal(1, await Line(page1).CountAsync());
        Assert.Equal(0, await Line(botPage).CountAsync());
        await Shot(page, "watchlist.png");
        await page.ClickAsync("#mw-watchlist-edit a");
        await page.CheckAsync($"input[name='wpTitles'][value='{page1}']");
        await page.ClickAsync("#mw-watchlistedit-submit");
        Assert.Equal(page1, await page.TextContentAsync("#mw-watchlistedit-removed + ul a"));
        Assert.Equal(0, await page.Locator($"input[name='wpTitles'][value='{page1}']").CountAsync());
        await Shot(page, "edit-watchlist.png");

        await page.GotoAsync(farm.Local + "/wiki/" + page1.Replace(' ', '_'));
        await page.ClickAsync("#t-info a");
        await page.WaitForSelectorAsync("#mw-pageinfo-length");
        Assert.Equal(user, await page.TextContentAsync("#mw-pageinfo-firstuser a.mw-userlink"));
        await Shot(page, "page-info.png");

        await page.ClickAsync("#t-specialpages a");
        await page.WaitForSelectorAsync("#mw-specialpagesgroup-changes");
        await Shot(page, "special-pages.png");
        await page.ClickAsync("a[title='Version']");
        await page.WaitForSelectorAsync("#mw-version-entrypoints-table");
        Assert.Equal(farm.Local + "/w/api.php", await page.GetAttributeAsync("#mw-version-entrypoints-api-php a", "href"));
        await Shot(page, "version.png");
    }

    internal static async Task Shot(Microsoft.Playwright.IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 5_000, $"{name} is an empty picture");
    }
}
