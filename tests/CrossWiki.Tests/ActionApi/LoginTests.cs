using System.Globalization;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=login, action=clientlogin and action=logout as MediaWiki 1.39 answers them (messages.md §4).</summary>
public sealed class LoginTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private const string WrongPasswordReason = "Incorrect username or password entered.\\nPlease try again.";

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    private static async Task<string> LoginTokenAsync(ApiClient client) =>
        (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json"))).Json["query"]!["tokens"]!["logintoken"]!.GetValue<string>();

    [Fact]
    public async Task Login_WithoutToken_NeedTokenWithDeprecationWarnings()
    {
        using var client = Farm.Client();
        var answer = await client.PostAsync(("action", "login"), ("lgname", FarmFixture.UserName), ("lgpassword", FarmFixture.Password), ("format", "json"));
        var token = answer.Json["login"]!["token"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{40}\\+\\\\$", token);
        Assert.Equal(
            Expect.Fill(
                """{"warnings":{"main":{"*":"$ML"},"login":{"*":"Fetching a token via \"action=login\" is deprecated. Use \"action=query&meta=tokens&type=login\" instead."}},"login":{"result":"NeedToken","token":"$TOKEN\\"}}""",
                ("ML", Expect.MailingList), ("TOKEN", token[..^1])),
            answer.Body);
        Assert.NotNull(client.SessionCookie());
    }

    [Fact]
    public async Task Login_NeedTokenThenLogin_TheReturnedTokenWorks()
    {
        using var client = Farm.Client();
        var name = await TestUsers.CreateAsync(Farm, "Needtoken");
        var first = await client.PostAsync(("action", "login"), ("lgname", name), ("lgpassword", TestUsers.Password), ("format", "json"));
        var token = first.Json["login"]!["token"]!.GetValue<string>();
        var second = await client.PostAsync(("action", "login"), ("lgname", name), ("lgpassword", TestUsers.Password), ("lgtoken", token), ("format", "json"));
        Assert.Equal("Success", second.Json["login"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_WrongToken_IsWrongToken()
    {
        using var client = Farm.Client();
        await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "login"), ("lgname", FarmFixture.UserName), ("lgpassword", FarmFixture.Password), ("lgtoken", "0123456789abcdef0123456789abcdef01234567+\\"), ("format", "json"));
        Assert.Equal("""{"login":{"result":"WrongToken"}}""", answer.Body);
    }

    [Fact]
    public async Task Login_TokenWithoutSession_FailsAsSessionLost()
    {
        using var fetcher = Farm.Client();
        var token = await LoginTokenAsync(fetcher);
        using var client = Farm.Client();
        var answer = await client.PostAsync(("action", "login"), ("lgname", FarmFixture.UserName), ("lgpassword", FarmFixture.Password), ("lgtoken", token), ("format", "json"));
        Assert.Equal("""{"login":{"result":"Failed","reason":"Unable to continue login. Your session most likely timed out."}}""", answer.Body);
    }

    /// <summary>An unknown user gets the wrong-password text on purpose (T134100); it has a real newline.</summary>
    [Theory]
    [InlineData(FarmFixture.UserName, "wrong-password")]
    [InlineData("Nobody by this name", "whatever")]
    [InlineData("alice", "wrong-password")]
    public async Task Login_BadCredentials_FailedWithTheSameReason(string name, string password)
    {
        using var client = Farm.Client();
        var token = await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "login"), ("lgname", name), ("lgpassword", password), ("lgtoken", token), ("format", "json"));
        Assert.Equal("""{"login":{"result":"Failed","reason":"$R"}}""".Replace("$R", WrongPasswordReason, StringComparison.Ordinal), answer.Body);
        Assert.Equal("Incorrect username or password entered.\nPlease try again.", answer.Json["login"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Login_Success_ShapeWithDeprecationWarningsAndRotatedSession(int formatVersion)
    {
        using var client = Farm.Client();
        var name = await TestUsers.CreateAsync(Farm, "Loginok");
        var token = await LoginTokenAsync(client);
        var before = client.SessionCookie();
        var answer = await client.PostAsync(("action", "login"), ("lgname", name), ("lgpassword", TestUsers.Password), ("lgtoken", token), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        var id = answer.Json["login"]!["lguserid"]!.GetValue<int>();
        var key = formatVersion == 2 ? "warnings" : "*";
        Assert.Equal(
            Expect.Fill(
                """{"warnings":{"main":{"$K":"$ML"},"login":{"$K":"Main-account login via \"action=login\" is deprecated and may stop working without warning. To safely log in, see \"action=clientlogin\"."}},"login":{"result":"Success","lguserid":$ID,"lgusername":"$NAME"}}""",
                ("K", key), ("ML", Expect.MailingList), ("ID", id), ("NAME", name)),
            answer.Body);
        Assert.NotNull(before);
        Assert.NotEqual(before, client.SessionCookie());
        var userinfo = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal(Expect.Fill("""{"batchcomplete":"","query":{"userinfo":{"id":$ID,"name":"$NAME"}}}""", ("ID", id), ("NAME", name)), userinfo.Body);
    }

    [Fact]
    public async Task Session_FirstAnonymousAnswer_SetsTheCookieAndKeepsIt()
    {
        using var client = Farm.Client();
        var first = await client.GetAsync(("action", "query"), ("meta", "siteinfo"), ("format", "json"));
        Assert.StartsWith("alpha_session=", first.Header("Set-Cookie"), StringComparison.Ordinal);
        var cookie = client.SessionCookie();
        var second = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Null(second.Header("Set-Cookie"));
        Assert.Equal(cookie, client.SessionCookie());
    }

    [Fact]
    public async Task Login_PasswordInQueryString_IsMustPostParams()
    {
        using var client = Farm.Client();
        var answer = await client.PostAsync([("lgpassword", "x"), ("format", "json")], ("action", "login"), ("lgname", FarmFixture.UserName));
        Assert.Equal(Expect.Error(Api, "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: lgpassword."), answer.Body);
    }

    [Fact]
    public async Task Login_OriginStar_AbortedBeforeAnyOtherCheck()
    {
        using var client = Farm.Client();
        var answer = await client.PostAsync([("origin", "*"), ("lgpassword", "x"), ("format", "json")], ("action", "login"));
        Assert.Equal("""{"login":{"result":"Aborted","reason":"Cannot log in when the same-origin policy is not applied."}}""", answer.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ClientLogin_RightPassword_Pass(int formatVersion)
    {
        using var client = Farm.Client();
        var name = await TestUsers.CreateAsync(Farm, "Clientok");
        var token = await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "clientlogin"), ("username", name), ("password", TestUsers.Password), ("loginreturnurl", "http://example.org/"), ("logintoken", token), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(Expect.Fill("""{"clientlogin":{"status":"PASS","username":"$NAME"}}""", ("NAME", name)), answer.Body);
        var userinfo = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal(name, userinfo.Json["query"]!["userinfo"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, """{"clientlogin":{"status":"FAIL","message":"Incorrect username or password entered.\nPlease try again.","messagecode":"wrongpassword"}}""")]
    [InlineData(2, """{"clientlogin":{"status":"FAIL","message":"Incorrect username or password entered.\nPlease try again.","messagecode":"wrongpassword","canpreservestate":false}}""")]
    public async Task ClientLogin_WrongPassword_Fail(int formatVersion, string expected)
    {
        using var client = Farm.Client();
        var token = await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "clientlogin"), ("username", FarmFixture.UserName), ("password", "wrong"), ("loginreturnurl", "http://example.org/"), ("logintoken", token), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(expected, answer.Body);
    }

    [Fact]
    public async Task ClientLogin_PasswordInTheQueryString_MustPostParamsAndNoLogin()
    {
        using var client = Farm.Client();
        var name = await TestUsers.CreateAsync(Farm, "Clientquery");
        var token = await LoginTokenAsync(client);
        using var body = new FormUrlEncodedContent([new("action", "clientlogin"), new("username", name), new("loginreturnurl", "http://example.org/"), new("logintoken", token), new("format", "json")]);

        using var response = await client.Http.PostAsync(Farm.AlphaApi + "?password=" + Uri.EscapeDataString(TestUsers.Password), body);

        Assert.Equal(Expect.Error(Api, "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: password."), await response.Content.ReadAsStringAsync());
        var userinfo = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal(0, userinfo.Json["query"]!["userinfo"]!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task ClientLogin_NoReturnUrl_MissingParam()
    {
        using var client = Farm.Client();
        var token = await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "clientlogin"), ("username", FarmFixture.UserName), ("password", FarmFixture.Password), ("logintoken", token), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "missingparam", "At least one of the parameters \"logincontinue\" and \"loginreturnurl\" is required."), answer.Body);
    }

    [Fact]
    public async Task ClientLogin_RelativeReturnUrl_BadUrl()
    {
        using var client = Farm.Client();
        var token = await LoginTokenAsync(client);
        var answer = await client.PostAsync(("action", "clientlogin"), ("username", FarmFixture.UserName), ("password", FarmFixture.Password), ("loginreturnurl", "notaurl"), ("logintoken", token), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "badurl_loginreturnurl", "Invalid value \"notaurl\" for URL parameter \"loginreturnurl\"."), answer.Body);
    }

    [Theory]
    [InlineData(null, "missingparam", "The \"logintoken\" parameter must be set.")]
    [InlineData("0123456789abcdef0123456789abcdef01234567+\\", "badtoken", "Invalid CSRF token.")]
    [InlineData("+\\", "badtoken", "Invalid CSRF token.")]
    public async Task ClientLogin_MissingOrBadToken_Refused(string? token, string code, string info)
    {
        using var client = Farm.Client();
        await LoginTokenAsync(client);
        var parameters = new List<(string, string)> { ("action", "clientlogin"), ("username", FarmFixture.UserName), ("password", FarmFixture.Password), ("loginreturnurl", "http://example.org/"), ("format", "json") };
        if (token is not null)
        {
            parameters.Add(("logintoken", token));
        }

        var answer = await client.PostAsync([.. parameters]);
        Assert.Equal(Expect.Error(Api, code, info), answer.Body);
    }

    [Fact]
    public async Task Logout_WithoutToken_MissingParam()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Logoutnotoken");
        using var _1 = client;
        var answer = await client.PostAsync(("action", "logout"), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "missingparam", "The \"token\" parameter must be set."), answer.Body);
    }

    [Fact]
    public async Task Logout_TokenInQueryString_MustPostParams()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Logoutquery");
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        var answer = await client.PostAsync([("token", token), ("format", "json")], ("action", "logout"));
        Assert.Equal(Expect.Error(Api, "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: token."), answer.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Logout_WithCsrfToken_EmptyAnswerThenAnonymousAndTheOldTokenIsBad(int formatVersion)
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Logoutok");
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        var answer = await client.PostAsync(("action", "logout"), ("token", token), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("{}", answer.Body);
        var userinfo = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}}""", userinfo.Body);
        var again = await client.PostAsync(("action", "options"), ("change", "date=dmy"), ("token", token), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "badtoken", "Invalid CSRF token."), again.Body);
    }
}
