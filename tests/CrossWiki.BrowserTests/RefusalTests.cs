namespace CrossWiki.BrowserTests;

/// <summary>What the browser refuses, and that the server says why (spec §2.2, §3); JSONP; blocked third-party cookies.</summary>
[Collection(BrowserSuite.Name)]
public sealed class RefusalTests(BrowserFarm farm)
{
    [Fact]
    public async Task ForeignApi_FromAWikiNotInTheRules_FailsInThePageAndTheServerSaysOriginMismatch()
    {
        await using var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);
        await page.GotoAsync(farm.Stranger + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}' );
            return await api.get( { action: 'query', meta: 'userinfo' } );
            """);

        Assert.StartsWith("ERROR: http", result, StringComparison.Ordinal);
        Assert.Contains(console, m => m.Contains("blocked by CORS policy", StringComparison.Ordinal));

        // What the server answered to that request: it ran, and said why the page may not read it.
        using var http = BrowserFarm.ServerClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{farm.ForeignApi}?action=query&meta=userinfo&format=json&origin={Uri.EscapeDataString(farm.Stranger)}");
        request.Headers.Add("Origin", farm.Stranger);
        using var response = await http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Origin mismatch", string.Join(",", response.Headers.GetValues("MediaWiki-CORS-Rejection")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OriginParameter_LyingAboutThePage_IsRefused()
    {
        await using var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(farm.Stranger + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            const r = await fetch( '{{farm.ForeignApi}}?action=query&meta=userinfo&format=json&origin=' + encodeURIComponent( '{{farm.Local}}' ), { credentials: 'include' } );
            return await r.text();
            """);

        Assert.StartsWith("ERROR: TypeError", result, StringComparison.Ordinal);
        using var http = BrowserFarm.ServerClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{farm.ForeignApi}?action=query&meta=userinfo&format=json&origin={Uri.EscapeDataString(farm.Local)}");
        request.Headers.Add("Origin", farm.Stranger);
        using var response = await http.SendAsync(request);
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("'origin' parameter does not match Origin header\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PreflightedPost_WithApiUserAgent_SucceedsForAnAllowedOrigin()
    {
        await using var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        var methods = new List<string>();
        page.Request += (_, r) => { if (r.Url.StartsWith(farm.ForeignApi, StringComparison.Ordinal)) { methods.Add(r.Method); } };
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}', { ajax: { headers: { 'Api-User-Agent': 'CrossWikiBrowserTest/1.0' } } } );
            const data = await api.post( { action: 'query', meta: 'userinfo' } );
            return data.query.userinfo.name;
            """);

        Assert.Equal("127.0.0.1", result);
        Assert.Contains("POST", methods);
    }

    [Fact]
    public async Task PreflightedPost_WithAHeaderNotAllowed_IsRefusedAtThePreflight()
    {
        await using var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            const api = new mw.ForeignApi( '{{farm.ForeignApi}}', { ajax: { headers: { 'X-Custom-Header': 'nope' } } } );
            return await api.post( { action: 'query', meta: 'userinfo' } );
            """);

        Assert.StartsWith("ERROR: http", result, StringComparison.Ordinal);

        // The preflight the browser sent (Playwright does not report preflights): the server refuses the header.
        using var http = BrowserFarm.ServerClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"{farm.ForeignApi}?origin={Uri.EscapeDataString(farm.Local)}");
        preflight.Headers.Add("Origin", farm.Local);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-custom-header");
        using var response = await http.SendAsync(preflight);
        Assert.Equal("Unsupported header requested in preflight", string.Join(",", response.Headers.GetValues("MediaWiki-CORS-Rejection")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Jsonp_ScriptTagWhileLoggedIn_RunsAnonymously()
    {
        var user = await farm.CreateUserAsync("Jsonp");
        await using var context = await farm.ThirdPartyCookiesContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Foreign, user, BrowserFarm.Password);
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");

        var result = await Browser.RunAsync(page, $$"""
            return await new Promise( ( resolve, reject ) => {
                window.jsonpDone = ( data ) => resolve( data.query.userinfo.name + '|' + data.query.userinfo.id );
                const s = document.createElement( 'script' );
                s.src = '{{farm.ForeignApi}}?action=query&meta=userinfo&format=json&callback=jsonpDone';
                s.onerror = () => reject( new Error( 'script failed' ) );
                document.head.appendChild( s );
            } );
            """);

        Assert.Equal("127.0.0.1|0", result);
    }

    [Fact]
    public async Task ThirdPartyCookiesBlocked_CredentialedCallsSeeNoUserButAnonymousReadsWork()
    {
        var user = await farm.CreateUserAsync("Blocked");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Foreign, user, BrowserFarm.Password);

        // On the foreign wiki's own pages the user is logged in.
        var own = await Browser.RunAsync(page, """
            const data = await new mw.Api().get( { action: 'query', meta: 'userinfo' } );
            return data.query.userinfo.name;
            """);
        await page.GotoAsync(farm.Local + "/wiki/Main_Page");
        var credentialed = await Browser.RunAsync(page, $$"""
            const data = await new mw.ForeignApi( '{{farm.ForeignApi}}' ).get( { action: 'query', meta: 'userinfo' } );
            return data.query.userinfo.name;
            """);
        var anonymous = await Browser.RunAsync(page, $$"""
            const data = await new mw.ForeignApi( '{{farm.ForeignApi}}', { anonymous: true } ).get( { action: 'query', prop: 'revisions', titles: 'Main Page', rvprop: 'content', rvslots: 'main', formatversion: 2 } );
            return data.query.pages[ 0 ].revisions[ 0 ].slots.main.content.slice( 0, 20 );
            """);

        Assert.Equal(user, own);
        Assert.Equal("127.0.0.1", credentialed);
        Assert.Equal("'''Wikipedia.test'''", anonymous);
    }
}
