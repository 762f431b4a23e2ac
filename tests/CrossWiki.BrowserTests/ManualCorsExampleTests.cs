using Microsoft.Playwright;

namespace CrossWiki.BrowserTests;

/// <summary>
/// The examples of MediaWiki's "Manual:CORS" (shared/seed/Manual-CORS.txt), run unchanged but for the URLs
/// from a page of the local wiki against the foreign wiki, in Chromium with third-party cookies allowed
/// and the user logged in on the foreign wiki.
/// </summary>
[Collection(BrowserSuite.Name)]
public sealed class ManualCorsExampleTests(BrowserFarm farm)
{
    /// <summary>A page of the local wiki, in a browser where the user logged in on the foreign wiki.</summary>
    private async Task<(IBrowserContext Context, IPage Page, string User)> LoggedInOnForeignAsync()
    {
        var user = await farm.CreateUserAsync("Foreigner");
        var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Foreign, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");
        return (context, page, user);
    }

    private string Js(string code) => code
        .Replace("https://en.wikipedia.org", farm.Foreign, StringComparison.Ordinal)
        .Replace("https://commons.wikimedia.org", farm.Foreign, StringComparison.Ordinal)
        .Replace("https://www.mediawiki.org", farm.Local, StringComparison.Ordinal);

    [Fact]
    public async Task ForeignApiUserInfo_LoggedInOnForeignWiki_SeesTheUser()
    {
        var (context, page, user) = await LoggedInOnForeignAsync();
        await using var _ = context;

        var result = await Browser.RunAsync(page, Js("""
            await mw.loader.using( 'mediawiki.ForeignApi' )
            const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
            const data = await api.get( { action: 'query', meta: 'userinfo' } );
            return `Foreign user ${data.query.userinfo.name} (ID ${data.query.userinfo.id})`;
            """));

        Assert.Matches($"^Foreign user {user} \\(ID [1-9][0-9]*\\)$", result);
    }

    [Fact]
    public async Task ForeignApiAnonymous_LoggedInOnForeignWiki_SeesAnAnonymousUser()
    {
        var (context, page, _) = await LoggedInOnForeignAsync();
        await using var __ = context;

        var result = await Browser.RunAsync(page, Js("""
            await mw.loader.using( 'mediawiki.ForeignApi' )
            const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php', { anonymous: true } );
            const data = await api.get( { action: 'query', meta: 'userinfo' } );
            return `Foreign user ${data.query.userinfo.name} (ID ${data.query.userinfo.id})`;
            """));

        Assert.Equal("Foreign user 127.0.0.1 (ID 0)", result);
    }

    private const string ReadOption = """
        const check = await new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' ).get( { action: 'query', meta: 'userinfo', uiprop: 'options' } );
        return check.query.userinfo.options[ 'userjs-test' ];
        """;

    [Fact]
    public async Task WriteExample_TokensThenOptions_StoresTheOptionForTheUser()
    {
        var (context, page, _) = await LoggedInOnForeignAsync();
        await using var __ = context;

        var result = await Browser.RunAsync(page, Js("""
            await mw.loader.using( 'mediawiki.ForeignApi' );
            const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
            const data = await api.get( { action: 'query', meta: 'tokens' } );
            await api.post( {
                action: 'options',
                token: data.query.tokens.csrftoken,
                optionname: 'userjs-test',
                optionvalue: 'Hello world!'
            } );
            """ + ReadOption));

        Assert.Equal("Hello world!", result);
    }

    [Fact]
    public async Task WriteExample_PostWithToken_StoresTheOptionForTheUser()
    {
        var (context, page, _) = await LoggedInOnForeignAsync();
        await using var __ = context;

        var result = await Browser.RunAsync(page, Js("""
            await mw.loader.using( 'mediawiki.ForeignApi' );
            const api = new mw.ForeignApi( 'https://en.wikipedia.org/w/api.php' );
            await api.postWithToken( 'options', {
                action: 'options',
                optionname: 'userjs-test',
                optionvalue: 'Hello world!'
            } );
            """ + ReadOption));

        Assert.Equal("Hello world!", result);
    }

    [Fact]
    public async Task ForeignRest_PageHtml_ReadsTheForeignMainPage()
    {
        var (context, page, _) = await LoggedInOnForeignAsync();
        await using var __ = context;

        var result = await Browser.RunAsync(page, Js("""
            var api = new mw.ForeignRest( 'https://commons.wikimedia.org/w/rest.php' );
            return await api.get( '/page/Main_Page/html' );
            """));

        Assert.Contains("<b>Wikipedia.test</b> is a wiki of a CrossWiki farm.", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JQueryExamples_UserInfoAndPostWithOriginInUrl_WorkWithCredentials()
    {
        var (context, page, user) = await LoggedInOnForeignAsync();
        await using var __ = context;
        await page.AddScriptTagAsync(new() { Path = Npm.JQuery });

        var who = await Browser.RunAsync(page, Js("""
            const { query } = await $.ajax( {
                url: 'https://en.wikipedia.org/w/api.php',
                data: {
                    action: 'query',
                    meta: 'userinfo',
                    format: 'json',
                    origin: 'https://www.mediawiki.org'
                },
                xhrFields: {
                    withCredentials: true
                },
                dataType: 'json'
            } );
            return `Foreign user ${query.userinfo.name} (ID ${query.userinfo.id})`;
            """));
        var written = await Browser.RunAsync(page, Js("""
            const { query } = await $.ajax( {
                url: 'https://en.wikipedia.org/w/api.php',
                data: {
                    action: 'query',
                    meta: 'tokens',
                    format: 'json',
                    origin: 'https://www.mediawiki.org'
                },
                xhrFields: {
                    withCredentials: true
                },
                dataType: 'json'
            } );

            await $.ajax( {
                url: 'https://en.wikipedia.org/w/api.php?origin=https://www.mediawiki.org',
                method: 'POST',
                data: {
                    action: 'options',
                    format: 'json',
                    token: query.tokens.csrftoken,
                    optionname: 'userjs-test',
                    optionvalue: 'Hello world!'
                },
                xhrFields: {
                    withCredentials: true
                },
                dataType: 'json'
            } );
            """ + ReadOption));

        Assert.Matches($"^Foreign user {user} \\(ID [1-9][0-9]*\\)$", who);
        Assert.Equal("Hello world!", written);
    }
}
