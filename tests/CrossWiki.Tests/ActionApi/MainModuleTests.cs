using System.Net;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>
/// api.php itself (ApiMain): the error envelope, the order of its checks, asserts, the printer's parameters
/// and the main module's parameters (spec §4, §5, §7.3, §7.4; api-clients.md "Minimal API surface").
/// </summary>
public sealed class MainModuleTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private const string AnonUserInfo1 = """{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}""";

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Error_UnknownAction_IsBadValueWithDocRefAndHeader(int formatVersion)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "bogus"), ("format", "json"), ("formatversion", formatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, "badvalue", "Unrecognized value for parameter \"action\": bogus.", formatVersion), answer.Body);
        Assert.Equal("badvalue", answer.Header("MediaWiki-API-Error"));
        Assert.Equal("private, must-revalidate, max-age=0", answer.Header("Cache-Control"));
    }

    [Fact]
    public async Task Jsonfm_ValuesFromTheRequest_AreHtmlEncodedInThePage()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("requestid", "<script>alert(1)</script>"));

        Assert.Equal("text/html; charset=utf-8", answer.Header("Content-Type"));
        Assert.Contains("This is the HTML representation of the JSON format.", answer.Body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsonfm_HelpAction_ShowsTheHelpPage()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync();

        Assert.Equal("text/html; charset=utf-8", answer.Header("Content-Type"));
        Assert.Contains("Alpha Wiki API help", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("HTML representation", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_OutOfRange_WarnsOnceAlthoughValidatedBeforeTheModuleRuns()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("list", "allpages"), ("aplimit", "100000"), ("format", "json"), ("formatversion", "2"));

        var warning = answer.Json["warnings"]!["allpages"]!["warnings"]!.GetValue<string>();
        Assert.Equal("The value \"100000\" for parameter \"aplimit\" must be between 1 and 500.", warning);
    }

    [Fact]
    public async Task Error_Success_HasNoErrorHeader()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Null(answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task InvalidMethod_Put_Is405()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Put, "action=query&meta=userinfo&format=json");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, "invalidmethod", "Invalid HTTP method. Consider using GET or POST."), answer.Body);
        Assert.Equal("invalidmethod", answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task InvalidMethod_PutWithUnknownAction_MainParametersAreCheckedFirst()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Put, "action=bogus&format=json");
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, "badvalue", "Unrecognized value for parameter \"action\": bogus."), answer.Body);
    }

    /// <summary>
    /// GET to POST-only modules, in ApiMain::executeAction's order (spec §7.3): module parameters (token
    /// missing), token in the query string, then the method.
    /// </summary>
    [Theory]
    [InlineData("action=login&lgname=Alice", "mustbeposted", "The \"login\" module requires a POST request.")]
    [InlineData("action=login&lgname=Alice&lgpassword=x", "mustbeposted", "The \"login\" module requires a POST request.")]
    [InlineData("action=edit&title=Sandbox&text=x", "missingparam", "The \"token\" parameter must be set.")]
    [InlineData("action=edit&title=Sandbox&text=x&token=%2B%5C", "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: token.")]
    [InlineData("action=options&change=date%3Ddmy", "missingparam", "The \"token\" parameter must be set.")]
    [InlineData("action=options&change=date%3Ddmy&token=%2B%5C", "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: token.")]
    [InlineData("action=logout", "missingparam", "The \"token\" parameter must be set.")]
    [InlineData("action=edit&title=Sandbox&text=x&pageid=abc", "badinteger", "Invalid value \"abc\" for integer parameter \"pageid\".")]
    public async Task MustBePosted_GetToPostOnlyModule_FollowsMediaWikisOrder(string query, string code, string info)
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, query + "&format=json");
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, code, info), answer.Body);
        Assert.Equal(code, answer.Header("MediaWiki-API-Error"));
    }

    [Theory]
    [InlineData(null, "user", "assertuserfailed", "You are no longer logged in, so the action could not be completed.")]
    [InlineData(null, "bot", "assertbotfailed", "You do not have the \"bot\" right, so the action could not be completed.")]
    [InlineData(null, "anon", null, null)]
    [InlineData("user", "user", null, null)]
    [InlineData("user", "anon", "assertanonfailed", "You are no longer logged out, so the action could not be completed.")]
    [InlineData("user", "bot", "assertbotfailed", "You do not have the \"bot\" right, so the action could not be completed.")]
    [InlineData("bot", "user", null, null)]
    [InlineData("bot", "bot", null, null)]
    [InlineData(null, "bogus", "badvalue", "Unrecognized value for parameter \"assert\": bogus.")]
    public async Task Assert_PerformerAndAssertion_MatchesApiMainTestProvideAssert(string? performer, string assert, string? code, string? info)
    {
        using var client = Farm.Client();
        if (performer is not null)
        {
            await client.LoginAsync(performer == "bot" ? FarmFixture.BotName : FarmFixture.UserName, performer == "bot" ? FarmFixture.BotPassword : FarmFixture.Password);
        }

        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "patrol"), ("assert", assert), ("format", "json"));
        if (code is null)
        {
            Assert.Null(answer.Header("MediaWiki-API-Error"));
            Assert.NotNull(answer.Json["query"]!["tokens"]!["patroltoken"]);
        }
        else
        {
            Assert.Equal(Expect.Error(Api, code, info!), answer.Body);
            Assert.Equal(code, answer.Header("MediaWiki-API-Error"));
        }
    }

    [Fact]
    public async Task Assert_WithTooManyTitles_RunsBeforeModuleParameters()
    {
        using var client = Farm.Client();
        var titles = string.Join('|', Enumerable.Range(1, 60).Select(i => "T" + i));
        var withoutAssert = await client.GetAsync(("action", "query"), ("titles", titles), ("format", "json"));
        var withAssert = await client.GetAsync(("action", "query"), ("titles", titles), ("assert", "user"), ("format", "json"));
        Assert.Equal("toomanyvalues", withoutAssert.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(Expect.Error(Api, "assertuserfailed", "You are no longer logged in, so the action could not be completed."), withAssert.Body);
    }

    [Fact]
    public async Task Assert_UserOnPostWithoutToken_RunsBeforeTheTokenCheck()
    {
        using var client = Farm.Client();
        var answer = await client.PostAsync(("action", "edit"), ("title", "Sandbox"), ("text", "x"), ("assert", "user"), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "assertuserfailed", "You are no longer logged in, so the action could not be completed."), answer.Body);
    }

    [Theory]
    [InlineData("Alice", null)]
    [InlineData("alice", null)]
    [InlineData("Bob", "You are no longer logged in as \"Bob\", so the action could not be completed.")]
    public async Task AssertUser_LoggedInAsAlice_ComparesNormalizedNames(string assertUser, string? info)
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("assertuser", assertUser), ("format", "json"));
        if (info is null)
        {
            Assert.Equal("Alice", answer.Json["query"]!["userinfo"]!["name"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(Expect.Error(Api, "assertnameduserfailed", info), answer.Body);
        }
    }

    [Fact]
    public async Task ErrorFormat_PlaintextFormatVersion1_ContentKeyLastAndDocRefOnTop()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "login"), ("errorformat", "plaintext"), ("format", "json"));
        Assert.Equal(
            """{"errors":[{"code":"mustbeposted","module":"main","*":"The \"login\" module requires a POST request."}],"*":""" + Expect.Str(Expect.DocRef(Api)) + "}",
            answer.Body);
        Assert.Equal("mustbeposted", answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task ErrorFormat_PlaintextFormatVersion2_NamesTheModule()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var answer = await client.PostAsync(("action", "options"), ("change", "date=dmy"), ("errorformat", "plaintext"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(
            """{"errors":[{"code":"missingparam","text":"The \"token\" parameter must be set.","module":"options"}],"docref":""" + Expect.Str(Expect.DocRef(Api)) + "}",
            answer.Body);
    }

    [Fact]
    public async Task ErrorFormat_PlaintextWarnings_AreAListOnTop()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("rand", "1"), ("errorformat", "plaintext"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(
            """{"warnings":[{"code":"unrecognizedparams","text":"Unrecognized parameter: rand.","module":"main"}],"batchcomplete":true,"query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":true}}}""",
            answer.Body);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("bogus")]
    [InlineData("0")]
    public async Task FormatVersion_Unknown_ErrorPrinterRetriesWithWarningsBeforeTheError(string formatVersion)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("formatversion", formatVersion));
        var info = $"Unrecognized value for parameter \"formatversion\": {formatVersion}.";
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(
            "{\"warnings\":{\"json\":{\"*\":" + Expect.Str(info) + "},\"main\":{\"*\":\"Error printer failed. Will retry without params.\"}},"
            + Expect.Error(Api, "badvalue", info)[1..],
            answer.Body);
        Assert.Equal("badvalue", answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task FormatVersion_UnknownWithPlaintextErrors_BothListsKeepTheErrorFormat()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("errorformat", "plaintext"), ("format", "json"), ("formatversion", "3"));
        Assert.Equal(
            """{"warnings":[{"code":"errorprinterfailed","module":"main","*":"Error printer failed. Will retry without params."},{"code":"badvalue","module":"json","*":"Unrecognized value for parameter \"formatversion\": 3."}],"errors":[{"code":"badvalue","module":"json","*":"Unrecognized value for parameter \"formatversion\": 3."}],"*":"""
            + Expect.Str(Expect.DocRef(Api)) + "}",
            answer.Body);
    }

    /// <summary>
    /// ApiMain::substituteResultWithError keeps the warnings gathered before an error, then adds the error with
    /// ADD_ON_TOP: the error comes first (only the error printer's own warnings come before it).
    /// </summary>
    [Fact]
    public async Task Warnings_GatheredBeforeAnError_AreKeptAfterIt()
    {
        using var client = Farm.Client();
        var titles = string.Join('|', Enumerable.Range(1, 60).Select(i => "T" + i));
        var answer = await client.GetAsync(("action", "query"), ("meta", "bogus"), ("titles", titles), ("format", "json"));
        Assert.Equal(
            """{"error":{"code":"toomanyvalues","info":"Too many values supplied for parameter \"titles\". The limit is 50.","limit":50,"lowlimit":50,"highlimit":500,"*":"""
            + Expect.Str(Expect.DocRef(Api)) + """},"warnings":{"query":{"*":"Unrecognized value for parameter \"meta\": bogus"}}}""",
            answer.Body);
    }

    [Fact]
    public async Task UnrecognizedParameter_One_WarnsOnTopOfTheResult()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("rand", "0.5"), ("format", "json"));
        Assert.Equal("""{"warnings":{"main":{"*":"Unrecognized parameter: rand."}},"batchcomplete":"","query":""" + AnonUserInfo1 + "}", answer.Body);
    }

    [Fact]
    public async Task UnrecognizedParameter_Several_AreListedInRequestOrder()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("zeta", "1"), ("action", "query"), ("meta", "tokens|bogus"), ("alpha", "2"), ("format", "json"));

        // The query module warned first; main's later warning is put on top of it (ADD_ON_TOP).
        Assert.Equal(
            """{"batchcomplete":"","warnings":{"main":{"*":"Unrecognized parameters: zeta, alpha."},"query":{"*":"Unrecognized value for parameter \"meta\": bogus"}},"query":{"tokens":{"csrftoken":"+\\"}}}""",
            answer.Body);
    }

    [Fact]
    public async Task RequestId_OnSuccessAndOnError_IsEchoed()
    {
        using var client = Farm.Client();
        var ok = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("requestid", "r-17"), ("format", "json"));
        var error = await client.GetAsync(("action", "bogus"), ("requestid", "r-18"), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","requestid":"r-17","query":""" + AnonUserInfo1 + "}", ok.Body);
        Assert.Equal(Expect.Error(Api, "badvalue", "Unrecognized value for parameter \"action\": bogus.")[..^1] + ""","requestid":"r-18"}""", error.Body);
    }

    [Fact]
    public async Task CurTimestamp_Present_ComesBeforeTheModuleOutput()
    {
        using var client = Farm.Client();
        var before = DateTime.UtcNow.AddSeconds(-2);
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("curtimestamp", ""), ("format", "json"));
        var ts = answer.Json["curtimestamp"]!.GetValue<string>();
        Expect.IsTimestamp(ts);
        Assert.InRange(DateTime.Parse(ts, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), before, DateTime.UtcNow.AddSeconds(2));
        Assert.Equal(Expect.Fill("""{"batchcomplete":"","curtimestamp":"$TS","query":""" + AnonUserInfo1 + "}", ("TS", ts)), answer.Body);
    }

    [Theory]
    [InlineData("5", null)]
    [InlineData("0", null)]
    [InlineData("abc", "Invalid value \"abc\" for integer parameter \"maxlag\".")]
    [InlineData("5.5", "Invalid value \"5.5\" for integer parameter \"maxlag\".")]
    public async Task MaxLag_Value_AcceptedOrBadInteger(string maxlag, string? info)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("maxlag", maxlag), ("format", "json"));
        Assert.Equal(info is null ? """{"batchcomplete":"","query":""" + AnonUserInfo1 + "}" : Expect.Error(Api, "badinteger", info), answer.Body);
    }

    [Fact]
    public async Task MaxLag_Invalid_IsCheckedBeforeAsserts()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("assert", "user"), ("maxlag", "abc"), ("format", "json"));
        Assert.Equal("badinteger", answer.Json["error"]!["code"]!.GetValue<string>());
    }

    /// <summary>Booleans are true when present, whatever the value, even "false" (nodemw sends bot=, mwbot bot=true).</summary>
    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("0")]
    public async Task Boolean_PresentWithAnyValue_IsTrue(string value)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("titles", "No such page here"), ("indexpageids", value), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","query":{"pageids":["-1"],"pages":{"-1":{"ns":0,"title":"No such page here","missing":""}}}}""", answer.Body);
    }

    [Theory]
    [InlineData("siteinfo|userinfo|userinfo")]
    [InlineData("\u001fsiteinfo\u001fuserinfo")]
    [InlineData("\u001fsiteinfo\u001fuserinfo\u001fsiteinfo")]
    public async Task MultiValue_PipesSeparatorAndDuplicates_AreAccepted(string meta)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", meta), ("siprop", "namespacealiases"), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","query":{"namespacealiases":[{"id":6,"*":"Image"},{"id":7,"*":"Image talk"}],""" + AnonUserInfo1[1..] + "}", answer.Body);
    }

    [Fact]
    public async Task MultiValue_SeparatorOnSingleValueParameter_IsBadValue()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("list", "allpages"), ("apdir", "\u001fascending"), ("format", "json"));
        Assert.Equal(Expect.Error(Api, "badvalue", "Parameter \"apdir\" accepts only a single value. U+001F multi-value separation may only be used for multi-valued parameters."), answer.Body);
    }

    [Theory]
    [InlineData("1", null, null, "\\u00fc\\u20ac")]
    [InlineData("1", "utf8", null, "ü€")]
    [InlineData("2", null, null, "ü€")]
    [InlineData("2", null, "ascii", "\\u00fc\\u20ac")]
    [InlineData("2", "utf8", "ascii", "\\u00fc\\u20ac")]
    public async Task Encoding_NonAscii_EscapedUnlessUtf8InVersion1AndRawUnlessAsciiInVersion2(string formatVersion, string? utf8, string? ascii, string expected)
    {
        using var client = Farm.Client();
        var parameters = new List<(string, string)> { ("action", "query"), ("requestid", "ü€"), ("format", "json"), ("formatversion", formatVersion) };
        if (utf8 is not null)
        {
            parameters.Add((utf8, ""));
        }

        if (ascii is not null)
        {
            parameters.Add((ascii, "1"));
        }

        var answer = await client.GetAsync([.. parameters]);
        Assert.Equal("{\"batchcomplete\":" + (formatVersion == "2" ? "true" : "\"\"") + ",\"requestid\":\"" + expected + "\"}", answer.Body);
    }

    [Fact]
    public async Task Callback_LoggedIn_IsJsonpAsAnonymous()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("callback", "cb"));
        Assert.Equal("/**/cb({\"batchcomplete\":\"\",\"query\":" + AnonUserInfo1 + "})", answer.Body);
        Assert.Equal("text/javascript; charset=utf-8", answer.Header("Content-Type"));
        Assert.Equal("true", answer.Header("MediaWiki-Login-Suppressed"));
    }

    [Fact]
    public async Task Callback_OnError_WrapsTheError()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("assert", "user"), ("format", "json"), ("callback", "a$b(c)"));
        Assert.Equal("/**/abc(" + Expect.Error(Api, "assertuserfailed", "You are no longer logged in, so the action could not be completed.") + ")", answer.Body);
        Assert.Equal("assertuserfailed", answer.Header("MediaWiki-API-Error"));
    }
}
