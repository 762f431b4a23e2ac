using CrossWiki.Server.Accounts;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrossWiki.BrowserTests;

/// <summary>
/// Cross-wiki calls for a user logged in only on the local wiki, in Chromium with its default
/// third-party-cookie blocking: mw.ForeignApi and mw.ForeignRest carry centralauthtokens.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class CentralAuthTests(BrowserFarm farm)
{
    private async Task<(Microsoft.Playwright.IBrowserContext Context, Microsoft.Playwright.IPage Page, string User)> LoggedInLocallyAsync()
    {
        var user = await farm.CreateUserAsync("Central");
        var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);
        return (context, page, user);
    }

    private async Task<string?> ForeignOptionAsync(string user, string name)
    {
        var users = farm.Services.GetRequiredService<UserDirectory>();
        var account = await users.FindByNameAsync(user, CancellationToken.None);
        var saved = await PreferenceStore.LoadAsync(farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>(), "enwiki", account!.Id, CancellationToken.None);
        return saved.GetValueOrDefault(name);
    }

    [Fact]
    public async Task WriteExample_LoggedInOnlyLocally_StoresTheOptionOnTheForeignWiki()
    {
        var (context, page, user) = await LoggedInLocallyAsync();
        await using var _ = context;

        var result = await Browser.RunAsync(page, $$"""
            await mw.loader.using( 'mediawiki.ForeignApi' );
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}' );
            const data = await api.get( { action: 'query', meta: 'tokens' } );
            await api.post( {
                action: 'options',
                token: data.query.tokens.csrftoken,
                optionname: 'userjs-test',
                optionvalue: 'Hello world!'
            } );
            const who = await api.get( { action: 'query', meta: 'userinfo' } );
            return who.query.userinfo.name;
            """);

        Assert.Equal(user, result);
        Assert.Equal("Hello world!", await ForeignOptionAsync(user, "userjs-test"));
    }

    [Fact]
    public async Task ChunkedUpload_ForeignApiWithThirdPartyCookiesBlocked_TheFileIsOnTheForeignWikiAsTheUser()
    {
        var (context, page, user) = await LoggedInLocallyAsync();
        await using var _ = context;
        var name = $"Foreign chunks {Guid.NewGuid().ToString("N")[..8]}.png";

        // mw.Api#chunkedUpload through mw.ForeignApi: every chunk carries a fresh centralauthtoken.
        var result = await Browser.RunAsync(page, $$"""
            await mw.loader.using( 'mediawiki.ForeignApi' );
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}' );
            const canvas = document.createElement( 'canvas' );
            canvas.width = 160; canvas.height = 120;
            const g = canvas.getContext( '2d' );
            const pixels = g.createImageData( 160, 120 );
            for ( let i = 0; i < pixels.data.length; i++ ) { pixels.data[ i ] = i % 4 === 3 ? 255 : Math.floor( Math.random() * 256 ); }
            g.putImageData( pixels, 0, 0 );
            const blob = await new Promise( ( resolve ) => canvas.toBlob( resolve, 'image/png' ) );
            const shares = [];
            const upload = api.chunkedUpload( blob, { filename: '{{name}}', comment: 'in chunks, cross-wiki' }, 16384 );
            upload.progress( ( share ) => shares.push( share ) );
            const answer = await upload;
            return [ answer.upload.result, answer.upload.imageinfo.user, answer.upload.imageinfo.size === blob.size, shares.length > 2, shares[ shares.length - 1 ] ].join( '|' );
            """);

        Assert.Equal($"Success|{user}|true|true|1", result);
    }

    [Fact]
    public async Task ForeignUpload_ToTheSharedRepositoryWithThirdPartyCookiesBlocked_ShownOnTheLocalWikiThroughFileEmbed()
    {
        var (context, page, user) = await LoggedInLocallyAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1000, 700);
        var name = $"Seed example {Guid.NewGuid().ToString("N")[..8]}.jpg";

        // Manual:CORS's reason for being: a photo uploaded straight to the shared media wiki from another
        // wiki's page. Noise keeps the JPEG over 12 MB, so mw.Upload sends it in 5 MiB chunks.
        var result = await Browser.RunAsync(page, $$"""
            await mw.loader.using( 'mediawiki.ForeignUpload' );
            const canvas = document.createElement( 'canvas' );
            canvas.width = 3000; canvas.height = 2000;
            const g = canvas.getContext( '2d' );
            const pixels = g.createImageData( 3000, 2000 );
            for ( let i = 0; i < pixels.data.length; i++ ) { pixels.data[ i ] = ( i & 3 ) === 3 ? 255 : Math.random() * 256; }
            g.putImageData( pixels, 0, 0 );
            g.fillStyle = '#2a4b8d'; g.fillRect( 300, 600, 2400, 800 );
            g.fillStyle = '#fff'; g.font = 'bold 400px sans-serif'; g.fillText( 'Commons', 560, 1150 );
            const file = await new Promise( ( resolve ) => canvas.toBlob( resolve, 'image/jpeg', 1 ) );
            const upload = new mw.ForeignUpload();
            upload.setFile( file );
            upload.setFilename( '{{name}}' );
            upload.setText( 'Uploaded from MediaWiki.test.' );
            const chunks = [];
            const api = await upload.getApi();
            const send = api.uploadWithFormData;
            api.uploadWithFormData = function ( blob, data ) { if ( data.chunk ) { chunks.push( data.offset ); } return send.apply( this, arguments ); };
            await upload.upload();
            const info = upload.getImageInfo();
            return [ upload.target, upload.getState() === mw.Upload.State.UPLOADED, info.user, info.url.startsWith( '{{farm.Foreign}}/' ),
                file.size > 12e6, info.size === file.size, info.mime, chunks.join( ',' ) ].join( '|' );
            """);
        var parts = result.Split('|');
        Assert.Equal($"shared|true|{user}|true|true|true|image/jpeg", string.Join('|', parts[..7]));
        var offsets = parts[7].Split(',').Select(long.Parse).ToArray();
        Assert.True(offsets.Length >= 3, result);
        Assert.Equal(offsets.Select((_, i) => i * 5L * 1024 * 1024), offsets);

        await page.GotoAsync(farm.Local + "/w/index.php?title=Shared_File_Page&action=edit");
        await page.FillAsync("#wpTextbox1", $"A picture from the shared repository.\n\n[[File:{name}|thumb|150px|Uploaded from this wiki to Wikipedia.test]]");
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Shared_File_Page");
        var thumb = page.Locator(".thumbinner img.thumbimage");
        await thumb.WaitForAsync();
        Assert.Equal(150, await thumb.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));
        Assert.StartsWith(farm.Foreign + "/w/images/thumb/", await thumb.GetAttributeAsync("src"), StringComparison.Ordinal);
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "shared-file-on-the-local-wiki.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });

        // A page of a wiki the shared repository does not allow cannot upload there.
        var stranger = await context.NewPageAsync();
        await stranger.GotoAsync(farm.Stranger + "/wiki/Main_Page");
        var refused = await Browser.RunAsync(stranger, $$"""
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}' );
            try { await api.upload( new Blob( [ 'x' ] ), { filename: 'Stranger.png' } ); return 'uploaded'; }
            catch ( e ) { return e.code || String( e ); }
            """);
        Assert.Equal("http", refused);
    }

    [Fact]
    public async Task PostWithToken_LoggedInOnlyLocally_StoresTheOptionOnTheForeignWiki()
    {
        var (context, page, user) = await LoggedInLocallyAsync();
        await using var _ = context;

        var result = await Browser.RunAsync(page, $$"""
            await mw.loader.using( 'mediawiki.ForeignApi' );
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}' );
            return await api.postWithToken( 'options', {
                action: 'options',
                optionname: 'userjs-test',
                optionvalue: 'Via postWithToken'
            } );
            """);

        Assert.Equal("""{"options":"success"}""", result);
        Assert.Equal("Via postWithToken", await ForeignOptionAsync(user, "userjs-test"));
    }

    [Fact]
    public async Task ForeignRest_LoggedInOnlyLocally_ReadsAndWritesWithTheUsersIdentity()
    {
        var (context, page, user) = await LoggedInLocallyAsync();
        await using var _ = context;
        var restResponses = new List<Microsoft.Playwright.IResponse>();
        page.Response += (_, r) => { if (r.Url.Contains("/rest.php/", StringComparison.Ordinal)) { restResponses.Add(r); } };
        var title = "Central_" + user;

        var read = await Browser.RunAsync(page, $$"""
            const api = new mw.ForeignRest( '{{farm.Foreign}}/w/rest.php' );
            const html = await api.get( '/page/Main_Page/html' );
            const saved = await api.put( '/v1/page/{{title}}', { source: 'Written by token', comment: 'central' } );
            return html.includes( 'Wikipedia.test' ) + '|' + saved.source;
            """);

        Assert.Equal("true|Written by token", read);

        // A registered user from an allowed origin gets the origin echoed; an anonymous one gets '*' (spec §6.2).
        var get = restResponses.First(r => r.Request.Method == "GET");
        Assert.Equal(farm.Local, await get.HeaderValueAsync("access-control-allow-origin"));
        Assert.StartsWith("CentralAuthToken ", await get.Request.HeaderValueAsync("authorization"), StringComparison.Ordinal);
        using var http = BrowserFarm.ServerClient();
        var history = await http.GetStringAsync($"{farm.ForeignApi}?action=query&titles={title}&prop=revisions&rvprop=user&format=json&formatversion=2");
        Assert.Contains($"\"user\":\"{user}\"", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignApi_AnonymousLocally_SendsNoTokenAndIsAnonymous()
    {
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, r) => urls.Add(r.Url);
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            const data = await new mw.ForeignApi( '{{farm.ForeignApi}}' ).get( { action: 'query', meta: 'userinfo' } );
            return data.query.userinfo.name;
            """);

        Assert.Equal("127.0.0.1", result);
        Assert.DoesNotContain(urls, u => u.Contains("centralauthtoken", StringComparison.Ordinal));
    }
}
