using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=options and reading options back with meta=userinfo&amp;uiprop=options (spec §7.1, §7.3).</summary>
public sealed class OptionsTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    private async Task<(ApiClient Client, string Token)> UserAsync(string prefix, string? api = null)
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, prefix, api);
        return (client, await client.CsrfTokenAsync());
    }

    private static Task<ApiClient.Answer> OptionsAsync(ApiClient client, string token, params (string Key, string Value)[] parameters) =>
        client.PostAsync([("action", "options"), .. parameters, ("token", token), ("format", "json")]);

    private static async Task<string> ReadOptionsAsync(ApiClient client, string formatVersion = "1") =>
        (await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", formatVersion))).Body;

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Options_Change_SuccessInBothVersions(string formatVersion)
    {
        var (client, token) = await UserAsync("Optok");
        using var _ = client;
        var answer = await OptionsAsync(client, token, ("change", "date=dmy"), ("formatversion", formatVersion));
        Assert.Equal("""{"options":"success"}""", answer.Body);
        Assert.Contains("\"date\":\"dmy\",", await ReadOptionsAsync(client), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", """{"warnings":{"options":{"*":"Validation error for \"nonexistent-opt\": not a valid preference."}},"options":"success"}""")]
    [InlineData("2", """{"warnings":{"options":{"warnings":"Validation error for \"nonexistent-opt\": not a valid preference."}},"options":"success"}""")]
    public async Task Options_UnknownPreference_WarnsAndSucceeds(string formatVersion, string expected)
    {
        var (client, token) = await UserAsync("Optunknown");
        using var _ = client;
        var answer = await OptionsAsync(client, token, ("change", "nonexistent-opt=1"), ("formatversion", formatVersion));
        Assert.Equal(expected, answer.Body);
        Assert.DoesNotContain("nonexistent-opt", await ReadOptionsAsync(client), StringComparison.Ordinal);
    }

    /// <summary>Every validation failure is its own line of the one <c>options</c> warning.</summary>
    [Fact]
    public async Task Options_SeveralInvalidChanges_WarningLinesJoined()
    {
        var (client, token) = await UserAsync("Optinvalid");
        using var _ = client;
        var longKey = "userjs-" + new string('k', 249);
        var answer = await OptionsAsync(client, token,
            ("change", "\u001fbogus=1\u001fuserjs-a b=1\u001f" + longKey + "=1\u001fuserjs-long=" + new string('v', 65531) + "\u001fuserjs-fine=1"));
        Assert.Equal(
            "{\"warnings\":{\"options\":{\"*\":\"Validation error for \\\"bogus\\\": not a valid preference.\\n"
            + "Validation error for \\\"userjs-a b\\\": invalid characters in key (only \\\"a-z\\\", \\\"A-Z\\\", \\\"0-9\\\", \\\"_\\\", and \\\"-\\\" are allowed).\\n"
            + "Validation error for \\\"" + longKey + "\\\": key too long (no more than 255 bytes allowed).\\n"
            + "Validation error for \\\"userjs-long\\\": value too long (no more than 65,530 bytes allowed).\"}},\"options\":\"success\"}",
            answer.Body);
        var options = await ReadOptionsAsync(client);
        Assert.Contains("\"userjs-fine\":\"1\"", options, StringComparison.Ordinal);
        Assert.DoesNotContain("userjs-long", options, StringComparison.Ordinal);
    }

    /// <summary>Spec §7.3's table, formatversion 1.</summary>
    [Theory]
    [InlineData("anon", "token=%2B%5C&change=date%3Ddmy", null, "notloggedin", "You must be logged in to edit your preferences.")]
    [InlineData("user", "change=date%3Ddmy", null, "missingparam", "The \"token\" parameter must be set.")]
    [InlineData("user", "change=date%3Ddmy&token=0123456789abcdef0123456789abcdef01234567%2B%5C", null, "badtoken", "Invalid CSRF token.")]
    [InlineData("user", "change=date%3Ddmy&token=%2B%5C", null, "badtoken", "Invalid CSRF token.")]
    [InlineData("user", "change=date%3Ddmy", "token", "mustpostparams", "The following parameter was found in the query string, but must be in the POST body: token.")]
    [InlineData("user", "token=$TOKEN", null, "nochanges", "No changes were requested.")]
    [InlineData("user", "optionvalue=1&token=$TOKEN", null, "nooptionname", "The \"optionname\" parameter must be set.")]
    [InlineData("user", "resetkinds=bogus&token=$TOKEN", null, null, null)]
    public async Task Options_TableOfRefusals_MatchesSpec(string who, string body, string? tokenInQuery, string? code, string? info)
    {
        ApiClient client;
        var token = "";
        if (who == "user")
        {
            (client, token) = await UserAsync("Opttable");
        }
        else
        {
            client = Farm.Client();
        }

        using var _ = client;
        var query = "format=json" + (tokenInQuery is null ? "" : "&token=" + Uri.EscapeDataString(token));
        var answer = await client.SendRawAsync(HttpMethod.Post, query,
            System.Text.Encoding.UTF8.GetBytes("action=options&" + body.Replace("$TOKEN", Uri.EscapeDataString(token), StringComparison.Ordinal)),
            "application/x-www-form-urlencoded");
        if (code is null)
        {
            // An unknown reset kind is only a warning; nothing is left to change then.
            Assert.Equal(
                Expect.Error(Api, "nochanges", "No changes were requested.")[..^1] + ""","warnings":{"options":{"*":"Unrecognized value for parameter \"resetkinds\": bogus"}}}""",
                answer.Body);
        }
        else
        {
            Assert.Equal(Expect.Error(Api, code, info!), answer.Body);
            Assert.Equal(code, answer.Header("MediaWiki-API-Error"));
        }
    }

    [Fact]
    public async Task Options_SeparatorList_ValuesMayContainPipes()
    {
        var (client, token) = await UserAsync("Optpipes");
        using var _ = client;
        var answer = await OptionsAsync(client, token, ("change", "\u001fuserjs-list=a|b|c\u001fuserjs-other=x=y"));
        Assert.Equal("""{"options":"success"}""", answer.Body);
        var options = await ReadOptionsAsync(client);
        Assert.Contains("\"userjs-list\":\"a|b|c\",\"userjs-other\":\"x=y\"", options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_OptionNameAndValue_SetThenResetWithNameAlone()
    {
        var (client, token) = await UserAsync("Optname");
        using var _ = client;
        Assert.Equal("""{"options":"success"}""", (await OptionsAsync(client, token, ("optionname", "userjs-named"), ("optionvalue", "Hello World"))).Body);
        Assert.Contains("\"userjs-named\":\"Hello World\"", await ReadOptionsAsync(client), StringComparison.Ordinal);
        Assert.Equal("""{"options":"success"}""", (await OptionsAsync(client, token, ("optionname", "userjs-named"))).Body);
        Assert.DoesNotContain("userjs-named", await ReadOptionsAsync(client), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_Reset_BringsBackTheDefaults()
    {
        var (client, token) = await UserAsync("Optreset");
        using var _ = client;
        await OptionsAsync(client, token, ("change", "date=dmy|userjs-gone=1|rclimit=100"));
        var answer = await OptionsAsync(client, token, ("reset", ""));
        Assert.Equal("""{"options":"success"}""", answer.Body);
        var options = await ReadOptionsAsync(client);
        Assert.Contains("\"date\":\"default\",", options, StringComparison.Ordinal);
        Assert.Contains("\"rclimit\":50,", options, StringComparison.Ordinal);
        Assert.DoesNotContain("userjs-gone", options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_ResetThenChange_ChangeAppliesAfterTheReset()
    {
        var (client, token) = await UserAsync("Optresetchange");
        using var _ = client;
        await OptionsAsync(client, token, ("change", "date=dmy|userjs-old=1"));
        await OptionsAsync(client, token, ("reset", ""), ("resetkinds", "userjs"), ("change", "userjs-new=2"));
        var options = await ReadOptionsAsync(client);
        Assert.Contains("\"date\":\"dmy\",", options, StringComparison.Ordinal);
        Assert.Contains("\"userjs-new\":\"2\"", options, StringComparison.Ordinal);
        Assert.DoesNotContain("userjs-old", options, StringComparison.Ordinal);
    }

    /// <summary>
    /// Defaults keep their PHP types (ints, strings, booleans even in formatversion 1); saved values come
    /// back as the stored strings, except "0", which becomes 0; userjs options follow the defaults.
    /// </summary>
    [Theory]
    [InlineData("1", "\"batchcomplete\":\"\"")]
    [InlineData("2", "\"batchcomplete\":true")]
    public async Task Options_ReadBack_DefaultsAndSavedValuesWithTheirTypes(string formatVersion, string batchComplete)
    {
        var (client, token) = await UserAsync("Optread");
        using var _ = client;
        await OptionsAsync(client, token, ("change", "userjs-script=on|rclimit=100|hideminor=1|gender=female|userjs-zero=0"));
        var body = await ReadOptionsAsync(client, formatVersion);
        Assert.StartsWith("{" + batchComplete + ",\"query\":{\"userinfo\":{\"id\":", body, StringComparison.Ordinal);
        Assert.Contains(",\"options\":{\"ccmeonemails\":0,\"date\":\"default\",\"diffonly\":0,", body, StringComparison.Ordinal);
        Assert.Contains("\"gender\":\"female\",\"hideminor\":\"1\",", body, StringComparison.Ordinal);
        Assert.Contains("\"rclimit\":\"100\",\"search-match-redirect\":true,\"search-special-page\":\"Search\",", body, StringComparison.Ordinal);
        Assert.Contains("\"skin\":\"vector\",", body, StringComparison.Ordinal);
        Assert.Contains("\"timecorrection\":\"System|0\",\"language\":\"en\",\"variant\":\"en\",\"searchNs0\":1,", body, StringComparison.Ordinal);
        Assert.EndsWith("\"searchNs15\":0,\"userjs-script\":\"on\",\"userjs-zero\":0}}}}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_ReadBack_AnonymousGetsTheDefaults()
    {
        using var client = Farm.Client();
        var body = await ReadOptionsAsync(client);
        Assert.StartsWith("{\"batchcomplete\":\"\",\"query\":{\"userinfo\":{\"id\":0,\"name\":\"127.0.0.1\",\"anon\":\"\",\"options\":{\"ccmeonemails\":0,", body, StringComparison.Ordinal);
        Assert.EndsWith("\"searchNs15\":0}}}}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_SetOnAlpha_IsNotSetOnBeta()
    {
        var (alpha, token) = await UserAsync("Optperwiki");
        using var _1 = alpha;
        var name = (await alpha.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"))).Json["query"]!["userinfo"]!["name"]!.GetValue<string>();
        await OptionsAsync(alpha, token, ("change", "userjs-perwiki=alpha|date=ymd"));
        using var beta = Farm.Client(Farm.BetaApi);
        await beta.LoginAsync(name, TestUsers.Password);
        var onBeta = await ReadOptionsAsync(beta);
        Assert.DoesNotContain("userjs-perwiki", onBeta, StringComparison.Ordinal);
        Assert.Contains("\"date\":\"default\",", onBeta, StringComparison.Ordinal);
        Assert.Contains("\"userjs-perwiki\":\"alpha\"", await ReadOptionsAsync(alpha), StringComparison.Ordinal);
    }
}
