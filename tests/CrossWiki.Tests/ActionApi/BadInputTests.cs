using System.Net;
using System.Text;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>Bad input gets MediaWiki's answer for it, never a 500 (design.md, Security).</summary>
public sealed class BadInputTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private const string BadUtf8 =
        "The value passed for \\\"$NAME\\\" contains invalid or non-normalized data. Textual data should be valid, NFC-normalized Unicode without C0 control characters other than HT (\\\\t), LF (\\\\n), and CR (\\\\r).";

    private const string AnonUserInfo = """{"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}}""";

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    [Theory]
    [InlineData("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nedit\r\n--xy")]
    [InlineData("multipart/form-data; boundary=xyz", "this is not multipart at all")]
    [InlineData("multipart/form-data", "--xyz\r\n\r\n")]
    [InlineData("multipart/form-data; boundary=\"\"", "--\r\n")]
    public async Task Multipart_Malformed_BodyIgnoredLikePhp(string contentType, string body)
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Post, "action=query&meta=userinfo&format=json", Encoding.UTF8.GetBytes(body), contentType);
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(AnonUserInfo, answer.Body);
    }

    [Fact]
    public async Task QueryString_RepeatedKey_LastValueWinsLikePhp()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, "action=query&requestid=first&format=json&requestid=last");
        Assert.Equal("""{"batchcomplete":"","requestid":"last"}""", answer.Body);
    }

    [Fact]
    public async Task FormBody_KeyAlsoInQueryString_BodyValueWinsAndKeyCountsAsInQuery()
    {
        using var client = Farm.Client();

        // $_POST + $_GET: the body's requestid stands, the query string's is not reported unused.
        var answer = await client.SendRawAsync(
            HttpMethod.Post, "requestid=fromquery&requestid=fromquery2&format=json", Encoding.ASCII.GetBytes("action=query&requestid=frombody"), "application/x-www-form-urlencoded");
        Assert.Equal("""{"batchcomplete":"","requestid":"frombody"}""", answer.Body);
    }

    [Fact]
    public async Task Multipart_WellFormed_IsRead()
    {
        using var client = Farm.Client();
        var answer = await client.PostMultipartAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal(AnonUserInfo, answer.Body);
    }

    [Fact]
    public async Task Utf8_InvalidInTitles_ReplacedAndWarnedByTheReadingModule()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, "action=query&titles=%FF%FEabc&format=json");
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(
            """{"batchcomplete":"","warnings":{"query":{"*":"$W"}},"query":{"pages":{"-1":{"title":"\ufffd\ufffdabc","invalidreason":"The requested page title contains an invalid UTF-8 sequence.","invalid":""}}}}"""
                .Replace("$W", BadUtf8.Replace("$NAME", "titles", StringComparison.Ordinal), StringComparison.Ordinal),
            answer.Body);
    }

    [Fact]
    public async Task Utf8_InvalidInFormBodyAndControlCharacter_ReplacedWithWarningOfMain()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Post, "format=json", Encoding.ASCII.GetBytes("action=query&requestid=a%C3%28b%01c"), "application/x-www-form-urlencoded");
        Assert.Equal(
            """{"batchcomplete":"","warnings":{"main":{"*":"$W"}},"requestid":"a\ufffd(b\ufffdc"}"""
                .Replace("$W", BadUtf8.Replace("$NAME", "requestid", StringComparison.Ordinal), StringComparison.Ordinal),
            answer.Body);
    }

    [Fact]
    public async Task Utf8_DecomposedText_NormalizedToNfcWithWarning()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("requestid", "e\u0301"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(
            """{"batchcomplete":true,"warnings":{"main":{"warnings":"$W"}},"requestid":"é"}"""
                .Replace("$W", BadUtf8.Replace("$NAME", "requestid", StringComparison.Ordinal), StringComparison.Ordinal),
            answer.Body);
    }

    [Fact]
    public async Task ArraySyntax_Parameter_IgnoredWithMainsWarning()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, "action=query&titles[]=Foo&format=json");
        Assert.Equal("""{"batchcomplete":"","warnings":{"main":{"*":"Parameter \"titles\" uses unsupported PHP array syntax."}}}""", answer.Body);
    }

    [Fact]
    public async Task Body_TenMegabyteParameter_Is413ContentTooLarge()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Post, "format=json",
            Encoding.ASCII.GetBytes("action=query&text=" + new string('a', 10 * 1024 * 1024)), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, "http-contenttoolarge", "The data provided exceeds the maximum allowed length of 8,388,608 bytes."), answer.Body);
        Assert.Equal("http-contenttoolarge", answer.Header("MediaWiki-API-Error"));
    }

    [Fact]
    public async Task QueryString_100Kilobytes_ReachesApiPhp()
    {
        using var client = Farm.Client();
        var title = new string('A', 100 * 1024);
        var answer = await client.SendRawAsync(HttpMethod.Get, "action=query&format=json&titles=" + title);
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(
            """{"batchcomplete":"","query":{"pages":{"-1":{"title":"$T","invalidreason":"The requested page title is too long. It must be no longer than 255 bytes in UTF-8 encoding.","invalid":""}}}}"""
                .Replace("$T", title, StringComparison.Ordinal),
            answer.Body);
    }

    [Theory]
    [InlineData("action=bogus", "badvalue", "Unrecognized value for parameter \"action\": bogus.")]
    [InlineData("action=", "badvalue", "Unrecognized value for parameter \"action\": .")]
    [InlineData("action=query&errorformat=bogus", "badvalue", "Unrecognized value for parameter \"errorformat\": bogus.")]
    [InlineData("action=query&maxage=soon", "badinteger", "Invalid value \"soon\" for integer parameter \"maxage\".")]
    [InlineData("action=query&list=allpages&apnamespace=abc", "badinteger", "Invalid value \"abc\" for integer parameter \"apnamespace\".")]
    [InlineData("action=query&prop=revisions&titles=Main_Page&rvlimit=abc", "badinteger", "Invalid value \"abc\" for integer parameter \"rvlimit\".")]
    [InlineData("action=query&prop=revisions&titles=Main_Page&rvstart=yesterday-ish", "badtimestamp", "Invalid value \"yesterday-ish\" for timestamp parameter \"rvstart\".")]
    [InlineData("action=query&pageids=1|x", "badinteger", "Invalid value \"x\" for integer parameter \"pageids\".")]
    [InlineData("action=query&list=allpages&apdir=sideways", "badvalue", "Unrecognized value for parameter \"apdir\": sideways.")]
    public async Task Parameters_Invalid_MediaWikisErrorNot500(string query, string code, string info)
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, query + "&format=json");
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(Expect.Error(Api, code, info), answer.Body);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("%00")]
    [InlineData("latest2")]
    public async Task FormatVersion_Garbage_ErrorPrinterFallback(string formatVersion)
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Get, "action=query&meta=userinfo&format=json&formatversion=" + formatVersion);
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal("badvalue", answer.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Error printer failed. Will retry without params.", answer.Json["warnings"]!["main"]!["*"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_EmptyBodyWithoutContentType_DeprecationWarning()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Post, "action=query&meta=userinfo&format=json");
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal(
            """{"batchcomplete":"","warnings":{"main":{"*":"A POST request was made without a \"Content-Type\" header. This does not work reliably.\n$ML"}},"query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}}"""
                .Replace("$ML", Expect.MailingList, StringComparison.Ordinal),
            answer.Body);
    }

    [Fact]
    public async Task Post_EmptyFormBody_UsesTheQueryString()
    {
        using var client = Farm.Client();
        var answer = await client.SendRawAsync(HttpMethod.Post, "action=query&meta=userinfo&format=json", [], "application/x-www-form-urlencoded");
        Assert.Equal(AnonUserInfo, answer.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Titles_SixtyValues_TooManyValuesWithLimits(int formatVersion)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("titles", string.Join('|', Enumerable.Range(1, 60).Select(i => "Page " + i))), ("format", "json"), ("formatversion", formatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(
            """{"error":{"code":"toomanyvalues","info":"Too many values supplied for parameter \"titles\". The limit is 50.","limit":50,"lowlimit":50,"highlimit":500,"""
            + (formatVersion == 2 ? "\"docref\":" : "\"*\":") + Expect.Str(Expect.DocRef(Api)) + "}}",
            answer.Body);
    }

    [Fact]
    public async Task Titles_SixtyValuesAsBot_HighLimitApplies()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.BotName, FarmFixture.BotPassword);
        var answer = await client.GetAsync(("action", "query"), ("titles", string.Join('|', Enumerable.Range(1, 60).Select(i => "Page " + i))), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(60, answer.Json["query"]!["pages"]!.AsArray().Count);
    }

    [Fact]
    public async Task RvLimit_Huge_ClampedWithOutOfRangeWarning()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        var title = "Bad input rvlimit page";
        var edit = (await client.PostAsync(("action", "edit"), ("title", title), ("text", "x"), ("token", token), ("format", "json"))).Json["edit"]!;
        var plain = await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "ids"), ("rvlimit", "99999"), ("format", "json"));
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":"","warnings":{"revisions":{"*":"The value \"99999\" for parameter \"rvlimit\" must be between 1 and 500."}},"query":{"pages":{"$P":{"pageid":$P,"ns":0,"title":"$T","revisions":[{"revid":$R,"parentid":0}]}}}}""",
                ("P", edit["pageid"]!.GetValue<int>()), ("T", title), ("R", edit["newrevid"]!.GetValue<int>())),
            plain.Body);
        var withContent = await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "content"), ("rvslots", "main"), ("rvlimit", "99999"), ("format", "json"));
        Assert.Equal(
            "The value \"99999\" for parameter \"rvlimit\" must be between 1 and 500.\nThe value \"500\" for parameter \"rvlimit\" must be between 1 and 50.",
            withContent.Json["warnings"]!["revisions"]!["*"]!.GetValue<string>());
    }
}
