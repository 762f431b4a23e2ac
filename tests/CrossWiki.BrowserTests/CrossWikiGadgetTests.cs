namespace CrossWiki.BrowserTests;

/// <summary>A gadget on one wiki that shows another wiki's recent changes, read through <c>mw.ForeignApi</c>.</summary>
[Collection(BrowserSuite.Name)]
public sealed class CrossWikiGadgetTests(BrowserFarm farm)
{
    /// <summary>The gadget, as a user script page: the foreign wiki's ten newest changes, listed under the page's text.</summary>
    private const string Gadget = """
        mw.loader.using( 'mediawiki.ForeignApi' ).then( function () {
            var api = new mw.ForeignApi( 'FOREIGN/w/api.php', { anonymous: true } );
            return api.get( { action: 'query', list: 'recentchanges', rcprop: 'title|user|sizes|timestamp', rclimit: 10 } );
        } ).then( function ( data ) {
            var list = document.createElement( 'ul' );
            list.id = 'foreign-rc';
            data.query.recentchanges.forEach( function ( rc ) {
                var item = document.createElement( 'li' );
                item.textContent = rc.title + ' (' + rc.user + ', ' + ( rc.newlen - rc.oldlen ) + ' bytes)';
                list.appendChild( item );
            } );
            document.getElementById( 'mw-content-text' ).appendChild( list );
        } );
        """;

    [Fact]
    public async Task ForeignRecentChangesGadget_EditOnTheOtherWiki_ListedOnThisWikisPage()
    {
        var user = await farm.CreateUserAsync("Gadgeteer");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 600);
        var id = Guid.NewGuid().ToString("N")[..8];

        // An edit on the foreign wiki, the one the gadget will show.
        await Browser.LogInAsync(page, farm.Foreign, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Foreign + $"/w/index.php?title=Foreign_change_{id}&action=edit");
        await page.FillAsync("#wpTextbox1", "Twelve bytes");
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, farm.Foreign + $"/wiki/Foreign_change_{id}");

        // The gadget saved on the local wiki, then loaded on a local page as a gadget loads a script.
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Local + $"/w/index.php?title={Uri.EscapeDataString($"User:{user}/foreign-rc.js")}&action=edit");
        await page.FillAsync("#wpTextbox1", Gadget.Replace("FOREIGN", farm.Foreign, StringComparison.Ordinal));
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("/wiki/User:"));
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");
        await page.EvaluateAsync($$"""
            () => {
                const s = document.createElement('script');
                s.src = '/w/index.php?title=' + encodeURIComponent('User:{{user}}/foreign-rc.js') + '&action=raw&ctype=text/javascript';
                document.head.appendChild(s);
            }
            """);

        var item = page.Locator("#foreign-rc li", new() { HasTextString = $"Foreign change {id}" });
        await item.WaitForAsync();
        Assert.Equal($"Foreign change {id} ({user}, 12 bytes)", await item.TextContentAsync());
        Assert.DoesNotContain(await page.Locator("#foreign-rc li").AllTextContentsAsync(), t => t.Contains("foreign-rc.js", StringComparison.Ordinal));
        await WikiPagesTests.Shot(page, "gadget-foreign-recentchanges.png");
    }
}
