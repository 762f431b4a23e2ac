using System.Globalization;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>Exact JSON of meta=userinfo and meta=tokens (spec §7.1, §7.2).</summary>
public sealed class UserInfoAndTokensTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task UserInfo_AnonymousFormatVersion1_MatchesMediaWiki()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}}""", answer.Body);
        Assert.Equal("application/json; charset=utf-8", answer.Header("Content-Type"));
    }

    [Fact]
    public async Task UserInfo_AnonymousFormatVersion2_MatchesMediaWiki()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("""{"batchcomplete":true,"query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":true}}}""", answer.Body);
    }

    [Fact]
    public async Task UserInfo_Rights_ListOnlyRightsOfActionsThisServerHas()
    {
        using var client = Farm.Client();
        var anonymous = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "rights"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("""{"batchcomplete":true,"query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":true,"rights":["createaccount","read","edit","createpage","createtalk","writeapi","viewmywatchlist","editmywatchlist","viewmyprivateinfo","editmyoptions"]}}}""", anonymous.Body);

        // Only the rights of actions that exist: moves, deletions (and reading what was deleted), protection,
        // rollback, blocks, account creation and group changes do (reupload-own is a right no default group grants, as on MediaWiki).
        var groups = await client.GetAsync(("action", "query"), ("meta", "siteinfo"), ("siprop", "usergroups"), ("format", "json"), ("formatversion", "2"));
        var granted = groups.Json["query"]!["usergroups"]!.AsArray().SelectMany(g => g!["rights"]!.AsArray().Select(r => r!.GetValue<string>())).ToHashSet();
        Assert.Equal(
            ["apihighlimits", "block", "bot", "createaccount", "createpage", "createtalk", "delete", "deletedhistory", "deletedtext", "edit", "editinterface", "editmyoptions", "editmyusercss", "editmyuserjs", "editmyuserjson",
             "editmywatchlist", "editprotected", "editsemiprotected", "editsitecss", "editsitejs", "editsitejson", "editusercss", "edituserjs", "edituserjson", "markbotedits",
             "minoredit", "move", "move-categorypages", "move-rootuserpages", "move-subpages", "noratelimit", "protect", "purge", "read", "reupload", "rollback", "suppressredirect",
             "unblockself", "undelete", "unwatchedpages", "upload", "userrights", "viewmyprivateinfo", "viewmywatchlist", "writeapi"],
            granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UserInfo_LoggedInWithProps_MatchesMediaWikiInBothVersions()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var fv2 = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "groups|editcount|hasmsg|realname"), ("format", "json"), ("formatversion", "2"));
        var fv1 = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "groups|editcount|hasmsg|realname"), ("format", "json"));
        var id = fv2.Json["query"]!["userinfo"]!["id"]!.GetValue<int>();
        Assert.Equal("""{"batchcomplete":true,"query":{"userinfo":{"id":ID,"name":"Alice","messages":false,"groups":["*","user","autoconfirmed"],"editcount":0,"realname":""}}}""".Replace("ID", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), fv2.Body);
        Assert.Equal("""{"batchcomplete":"","query":{"userinfo":{"id":ID,"name":"Alice","groups":["*","user","autoconfirmed"],"editcount":0,"realname":""}}}""".Replace("ID", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), fv1.Body);
    }

    [Fact]
    public async Task Tokens_AnonymousDefault_IsPlusBackslash()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens"), ("format", "json"));
        Assert.Equal("""{"batchcomplete":"","query":{"tokens":{"csrftoken":"+\\"}}}""", answer.Body);
    }

    [Fact]
    public async Task Tokens_AnonymousAllTypes_OnlyLoginAndCreateAccountAreReal()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "*"), ("format", "json"));
        var tokens = answer.Json["query"]!["tokens"]!.AsObject();
        Assert.Equal(["createaccounttoken", "csrftoken", "logintoken", "patroltoken", "rollbacktoken", "userrightstoken", "watchtoken"], tokens.Select(t => t.Key));
        foreach (var name in new[] { "csrftoken", "patroltoken", "rollbacktoken", "userrightstoken", "watchtoken" })
        {
            Assert.Equal("+\\", tokens[name]!.GetValue<string>());
        }

        Assert.Matches("^[0-9a-f]{40}\\+\\\\$", tokens["logintoken"]!.GetValue<string>());
        Assert.NotNull(answer.Header("Set-Cookie"));
    }

    [Theory]
    [InlineData("origin", "*")]
    [InlineData("callback", "f")]
    public async Task UserInfo_WithoutSameOriginSecurity_StartsNoSession(string name, string value)
    {
        using var client = Farm.Client();
        var anonymous = await client.GetAsync(("action", "query"), ("meta", "userinfo"), (name, value), ("format", "json"));
        Assert.Contains("\"anon\"", anonymous.Body, StringComparison.Ordinal);
        Assert.Null(anonymous.Header("Set-Cookie"));

        // The same client without it gets its session cookie on the first answer (api-clients.md).
        var sameOrigin = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        Assert.NotNull(sameOrigin.Header("Set-Cookie"));
    }

    [Fact]
    public async Task Tokens_UnknownType_WarnsAndGivesDefault()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "bogus"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("""{"batchcomplete":true,"warnings":{"tokens":{"warnings":"Unrecognized value for parameter \"type\": bogus"}},"query":{"tokens":{"csrftoken":"+\\"}}}""", answer.Body);
    }

    [Fact]
    public async Task Tokens_LoggedIn_AreRealAndDifferPerType()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "csrf|watch"), ("format", "json"), ("formatversion", "2"));
        var csrf = answer.Json["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();
        var watch = answer.Json["query"]!["tokens"]!["watchtoken"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{40}\\+\\\\$", csrf);
        Assert.NotEqual(csrf, watch);
    }

    [Fact]
    public async Task Tokens_OriginStar_GivesOnlyTheWarning()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var answer = await client.GetAsync(("action", "query"), ("meta", "tokens|userinfo"), ("format", "json"), ("formatversion", "2"), ("origin", "*"));
        Assert.Equal("""{"batchcomplete":true,"warnings":{"tokens":{"warnings":"Tokens may not be obtained when the same-origin policy is not applied."}},"query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":true}}}""", answer.Body);
        Assert.Equal("true", answer.Header("MediaWiki-Login-Suppressed"));
    }
}
