using System.Net;
using System.Text.RegularExpressions;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Web;

/// <summary>The HTML side over real HTTP: views, forms with session-bound tokens, conflicts, escaping.</summary>
public sealed partial class WikiWebTests
{
    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(ApiClient client, string url)
    {
        var response = await client.Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(ApiClient client, string url, params (string, string)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
        return await client.Http.PostAsync(url, content);
    }

    private static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    /// <summary>Special:UserLogin as a browser uses it: the form (for its login token), then the form posted back.</summary>
    private static async Task<HttpResponseMessage> PostLoginFormAsync(TestFarm farm, ApiClient client, string name, string password, string returnTo)
    {
        var form = await GetAsync(client, farm.AlphaServer + "/w/index.php?title=Special:UserLogin&returnto=" + Uri.EscapeDataString(returnTo));
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Special:UserLogin",
            ("wpName", name), ("wpPassword", password), ("wpLoginToken", Hidden(form.Body, "wpLoginToken")), ("returnto", returnTo));
    }

    private static async Task LoginThroughFormAsync(TestFarm farm, ApiClient client, string name, string password)
    {
        var response = await PostLoginFormAsync(farm, client, name, password, "Main_Page");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(farm.AlphaServer + "/wiki/Main_Page", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ArticleView_MainPage_RendersWikitextAndLoadsTheClient()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client();

        var page = await GetAsync(client, farm.AlphaServer + "/wiki/Main_Page");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<b>Alpha Wiki</b>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/w/resources/crosswiki.js\"></script>", page.Body, StringComparison.Ordinal);
        Assert.Contains("\"wgPageName\":\"Main_Page\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"pt-login\"", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArticleView_PageConfig_SaysWhetherTheWikiGivesCentralTokens()
    {
        await using var farm = await TestFarm.StartAsync(s => s["Farm:Wikis:alpha:CentralAuth"] = "true");
        using var client = farm.Client();

        var alpha = await GetAsync(client, farm.AlphaServer + "/wiki/Main_Page");
        var beta = await GetAsync(client, farm.BetaServer + "/wiki/Main_Page");

        Assert.Contains("\"wgCentralAuth\":true", alpha.Body, StringComparison.Ordinal);
        Assert.Contains("\"wgCentralAuth\":false", beta.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArticleView_MissingPage_Is404WithMessage()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client();

        var page = await GetAsync(client, farm.AlphaServer + "/wiki/Nothing_here");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("There is currently no text in this page.", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginForm_WrongPassword_ShowsTheErrorAndStaysAnonymous()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        using var client = farm.Client();
        var form = await GetAsync(client, farm.AlphaServer + "/wiki/Special:UserLogin");

        var response = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Special:UserLogin",
            ("wpName", "Ann"), ("wpPassword", "wrong"), ("wpLoginToken", Hidden(form.Body, "wpLoginToken")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Incorrect username or password entered.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginForm_TokenFromAnotherSession_IsRefused()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        using var attacker = farm.Client();
        using var victim = farm.Client();
        var form = await GetAsync(attacker, farm.AlphaServer + "/wiki/Special:UserLogin");

        var response = await PostFormAsync(victim, farm.AlphaServer + "/w/index.php?title=Special:UserLogin",
            ("wpName", "Ann"), ("wpPassword", "ann-password"), ("wpLoginToken", Hidden(form.Body, "wpLoginToken")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Forms_LoginEditLogout_WorkAndTheEditIsAttributed()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        using var client = farm.Client();
        await LoginThroughFormAsync(farm, client, "Ann", "ann-password");

        var edit = await GetAsync(client, farm.AlphaServer + "/w/index.php?title=Form_Page&action=edit");
        var saved = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Form_Page&action=submit",
            ("wpTextbox1", "Hello <script>alert(1)</script> '''bold'''"), ("wpSummary", "via form"),
            ("wpEditToken", Hidden(edit.Body, "wpEditToken")), ("baseRevId", Hidden(edit.Body, "baseRevId")), ("wpStarttime", Hidden(edit.Body, "wpStarttime")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var view = await GetAsync(client, farm.AlphaServer + "/wiki/Form_Page");
        Assert.Contains("Hello &lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b>", view.Body, StringComparison.Ordinal);
        Assert.Contains("<span id=\"pt-userpage\">Ann</span>", view.Body, StringComparison.Ordinal);
        var history = await client.GetAsync(("action", "query"), ("titles", "Form_Page"), ("prop", "revisions"), ("rvprop", "user|comment"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("Ann", history.Json["query"]!["pages"]![0]!["revisions"]![0]!["user"]!.GetValue<string>());
        Assert.Equal("via form", history.Json["query"]!["pages"]![0]!["revisions"]![0]!["comment"]!.GetValue<string>());

        var logoutForm = await GetAsync(client, farm.AlphaServer + "/wiki/Special:UserLogout");
        var logout = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Special:UserLogout", ("wpEditToken", Hidden(logoutForm.Body, "wpEditToken")));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var after = await GetAsync(client, farm.AlphaServer + "/wiki/Form_Page");
        Assert.Contains("id=\"pt-login\"", after.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditForm_SomeoneElseSavedMeanwhile_ShowsTheConflictAndSavesNothing()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        await farm.CreateUserAsync("Ben", "ben-password");
        using var ann = farm.Client();
        using var ben = farm.Client();
        await LoginThroughFormAsync(farm, ann, "Ann", "ann-password");
        await ben.LoginAsync("Ben", "ben-password");
        var form = await GetAsync(ann, farm.AlphaServer + "/w/index.php?title=Main_Page&action=edit");
        var benToken = await ben.CsrfTokenAsync();
        await ben.PostAsync(("action", "edit"), ("title", "Main Page"), ("appendtext", "\nBen was here"), ("format", "json"), ("token", benToken));

        var response = await PostFormAsync(ann, farm.AlphaServer + "/w/index.php?title=Main_Page&action=submit",
            ("wpTextbox1", "Ann's version"), ("wpSummary", ""), ("wpEditToken", Hidden(form.Body, "wpEditToken")),
            ("baseRevId", Hidden(form.Body, "baseRevId")), ("wpStarttime", Hidden(form.Body, "wpStarttime")));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"edit-conflict\"", body, StringComparison.Ordinal);
        Assert.Contains("Ben was here", body, StringComparison.Ordinal);
        var raw = await GetAsync(ann, farm.AlphaServer + "/w/index.php?title=Main_Page&action=raw");
        Assert.EndsWith("Ben was here", raw.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditForm_WithoutValidToken_SavesNothing()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client();

        var response = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Csrf_Target&action=submit",
            ("wpTextbox1", "forged"), ("wpEditToken", "0123456789abcdef0123456789abcdef01234567+\\"), ("baseRevId", "0"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var raw = await GetAsync(client, farm.AlphaServer + "/w/index.php?title=Csrf_Target&action=raw");
        Assert.Equal(HttpStatusCode.NotFound, raw.Status);
    }

    [Fact]
    public async Task Preferences_SetAUserJsOption_IsListedAndVisibleToTheApi()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        using var client = farm.Client();
        await LoginThroughFormAsync(farm, client, "Ann", "ann-password");
        var form = await GetAsync(client, farm.AlphaServer + "/wiki/Special:Preferences");
        Assert.Contains("<tr data-option=\"skin\"><td>skin</td><td>vector</td></tr>", form.Body, StringComparison.Ordinal);

        var saved = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Special:Preferences",
            ("wpName", "userjs-web"), ("wpValue", "<b>x</b>"), ("wpEditToken", Hidden(form.Body, "wpEditToken")));
        var body = await saved.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("<tr data-option=\"userjs-web\"><td>userjs-web</td><td>&lt;b&gt;x&lt;/b&gt;</td></tr>", body, StringComparison.Ordinal);
        var info = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("<b>x</b>", info.Json["query"]!["userinfo"]!["options"]!["userjs-web"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preferences_UnknownOption_IsRefusedWithMediaWikisMessage()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Ann", "ann-password");
        using var client = farm.Client();
        await LoginThroughFormAsync(farm, client, "Ann", "ann-password");
        var form = await GetAsync(client, farm.AlphaServer + "/wiki/Special:Preferences");

        var saved = await PostFormAsync(client, farm.AlphaServer + "/w/index.php?title=Special:Preferences",
            ("wpName", "nonexistent-opt"), ("wpValue", "1"), ("wpEditToken", Hidden(form.Body, "wpEditToken")));

        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
        Assert.Contains("Validation error for &quot;nonexistent-opt&quot;: not a valid preference.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossWikiDemo_ListsTheOtherWikisWithTheirRuleDecision()
    {
        await using var farm = await TestFarm.StartAsync(s => s["Farm:Wikis:gamma:Server"] = "http://gamma.invalid");
        using var client = farm.Client();

        var page = await GetAsync(client, farm.AlphaServer + "/wiki/Special:CrossWikiDemo");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"allows {farm.AlphaServer} (rule &#x27;127.0.0.1:{farm.Ports[0]}&#x27;", page.Body, StringComparison.Ordinal);
        Assert.Contains($"gamma refuses {farm.AlphaServer}: no rule of its CrossSiteAJAXdomains matches", page.Body, StringComparison.Ordinal);
    }
}
