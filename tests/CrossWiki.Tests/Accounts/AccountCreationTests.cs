using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Accounts;

/// <summary>action=createaccount and action=userrights: MediaWiki's flow, name rules, password policy, refusals and logs.</summary>
public sealed class AccountCreationTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private readonly TestFarm _farm = fixture.Farm;

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    private static async Task<string> TokenAsync(ApiClient client, string type) =>
        (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", type), ("format", "json"))).Json["query"]!["tokens"]![type + "token"]!.GetValue<string>();

    private static async Task<JsonNode> CreateAsync(ApiClient client, string name, string password, string? retype = null, params (string, string)[] extra) =>
        (await client.PostAsync([("action", "createaccount"), ("username", name), ("password", password), ("retype", retype ?? password),
            ("createreturnurl", "http://127.0.0.1/"), ("createtoken", await TokenAsync(client, "createaccount")), ("format", "json"), ("formatversion", "2"), .. extra])).Json;

    private static string Status(JsonNode answer) => answer["createaccount"]?["status"]?.GetValue<string>() ?? "(no createaccount: " + answer.ToJsonString() + ")";

    private static string MessageCode(JsonNode answer) => answer["createaccount"]?["messagecode"]?.GetValue<string>() ?? "(no message: " + answer.ToJsonString() + ")";

    private static async Task<string> UserNameAsync(ApiClient client) =>
        (await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["userinfo"]!["name"]!.GetValue<string>();

    private static async Task<JsonNode> NewUsersLogAsync(ApiClient client, string name) =>
        (await client.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "newusers"), ("letitle", "User:" + name), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]![0]!;

    [Fact]
    public async Task CreateAccount_AsAVisitor_PassesLogsTheVisitorInAndIsLogged()
    {
        using var visitor = _farm.Client();
        var name = Unique("Newcomer");

        var answer = await CreateAsync(visitor, name, "a long enough secret");

        Assert.Equal("PASS", Status(answer));
        Assert.Equal(name, answer["createaccount"]!["username"]!.GetValue<string>());
        Assert.Equal(name, await UserNameAsync(visitor));
        var entry = await NewUsersLogAsync(visitor, name);
        Assert.Equal("create", entry["action"]!.GetValue<string>());
        Assert.Equal(name, entry["user"]!.GetValue<string>());
        var users = (await visitor.GetAsync(("action", "query"), ("list", "users"), ("ususers", name), ("usprop", "registration|groups"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["users"]![0]!;
        Assert.Equal(entry["params"]!["userid"]!.GetValue<int>(), users["userid"]!.GetValue<int>());
        Assert.Contains("user", users["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        var change = (await visitor.GetAsync(("action", "query"), ("list", "recentchanges"), ("rctype", "log"), ("rctitle", "User:" + name), ("rcprop", "title|loginfo"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["recentchanges"]!;
        Assert.Equal("newusers", Assert.Single(change.AsArray())!["logtype"]!.GetValue<string>());

        // The new account logs in elsewhere with its password.
        using var again = _farm.Client(_farm.BetaApi);
        await again.LoginAsync(name, "a long enough secret");
        Assert.Equal(name, await UserNameAsync(again));
    }

    [Theory]
    [InlineData("Has@sign", "noname")]
    [InlineData("Colon:name", "noname")]
    [InlineData("1.2.3.4", "noname")]
    [InlineData("Zero\u200Bwidth", "noname")]
    [InlineData("Right\u202Eto left", "noname")]
    [InlineData("No\u00A0break", "noname")]
    [InlineData("C1\u0085control", "noname")]
    [InlineData("Sub/page", "noname")]
    [InlineData("Talk:Someone", "noname")]
    [InlineData("MediaWiki default", "noname")]
    [InlineData("Bad[name]", "noname")]
    public async Task CreateAccount_NameMediaWikiRefuses_FailsWithNoname(string name, string code)
    {
        using var visitor = _farm.Client();
        var answer = await CreateAsync(visitor, name, "a long enough secret");
        Assert.Equal("FAIL", Status(answer));
        Assert.Equal(code, MessageCode(answer));
        Assert.Equal("You have not specified a valid username.", answer["createaccount"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAccount_PasswordsAndNamesRefused_HaveMediaWikisMessageCodes()
    {
        using var visitor = _farm.Client();
        var taken = await TestUsers.CreateAsync(_farm, "Taken");
        var name = Unique("Careful");

        Assert.Equal("userexists", MessageCode(await CreateAsync(visitor, taken, "a long enough secret")));
        Assert.Equal("userexists", MessageCode(await CreateAsync(visitor, taken.ToLowerInvariant()[..1] + taken[1..], "a long enough secret")));
        Assert.Equal("badretype", MessageCode(await CreateAsync(visitor, name, "a long enough secret", "another secret")));
        var tooShort = await CreateAsync(visitor, name, "short");
        Assert.Equal("passwordtooshort", MessageCode(tooShort));
        Assert.Equal("Passwords must be at least 8 characters.", tooShort["createaccount"]!["message"]!.GetValue<string>());
        Assert.Equal("password-substring-username-match", MessageCode(await CreateAsync(visitor, name + " Extra", name.ToUpperInvariant())));
        Assert.Equal("passwordincommonlist", MessageCode(await CreateAsync(visitor, name, "password123")));
        Assert.Equal("password-login-forbidden", MessageCode(await CreateAsync(visitor, name, "ExamplePassword")));
        Assert.Equal("passwordtoolong", MessageCode(await CreateAsync(visitor, name, new string('x', 4097))));

        // Nothing refused made an account or logged anyone in.
        Assert.Equal("FAIL", Status(await CreateAsync(visitor, name, "short")));
        Assert.True((await visitor.GetAsync(("action", "query"), ("list", "users"), ("ususers", name), ("format", "json"), ("formatversion", "2"))).Json["query"]!["users"]![0]!["missing"]!.GetValue<bool>());
        Assert.NotEqual(name, await UserNameAsync(visitor));
    }

    [Fact]
    public async Task CreateAccount_BadRequests_GetApiErrors()
    {
        using var visitor = _farm.Client();
        var name = Unique("Request");
        var token = await TokenAsync(visitor, "createaccount");

        var inQuery = (await visitor.PostAsync([("action", "createaccount"), ("password", "a long enough secret"), ("format", "json")],
            ("username", name), ("retype", "a long enough secret"), ("createreturnurl", "http://127.0.0.1/"), ("createtoken", token))).Json;
        Assert.Equal("mustpostparams", inQuery["error"]!["code"]!.GetValue<string>());
        var noReturn = (await visitor.PostAsync(("action", "createaccount"), ("username", name), ("password", "x"), ("retype", "x"), ("createtoken", token), ("format", "json"))).Json;
        Assert.Equal("missingparam", noReturn["error"]!["code"]!.GetValue<string>());
        var badToken = (await visitor.PostAsync(("action", "createaccount"), ("username", name), ("password", "x"), ("retype", "x"), ("createreturnurl", "http://127.0.0.1/"), ("createtoken", "+\\"), ("format", "json"))).Json;
        Assert.Equal("badtoken", badToken["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAccount_DecomposedName_StoredComposedAndBothFormsLogIn()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var decomposed = "Ame\u0301lie " + suffix;
        var composed = "Am\u00E9lie " + suffix;
        using var visitor = _farm.Client();

        var answer = await CreateAsync(visitor, decomposed, "a long enough secret");

        Assert.Equal(composed, answer["createaccount"]!["username"]!.GetValue<string>());
        Assert.Equal("userexists", MessageCode(await CreateAsync(_farm.Client(), composed, "a long enough secret")));
        using var nfd = _farm.Client();
        await nfd.LoginAsync(decomposed, "a long enough secret");
        Assert.Equal(composed, await UserNameAsync(nfd));
    }

    [Fact]
    public async Task CreateAccount_ByALoggedInUser_StaysThemselvesAndLogsCreate2WithTheReason()
    {
        var (creator, creatorName) = await TestUsers.LoggedInAsync(_farm, "Creator");
        using var _1 = creator;
        var name = Unique("Created");

        Assert.Equal("PASS", Status(await CreateAsync(creator, name, "a long enough secret", null, ("reason", "for a friend"))));

        Assert.Equal(creatorName, await UserNameAsync(creator));
        var entry = await NewUsersLogAsync(creator, name);
        Assert.Equal("create2", entry["action"]!.GetValue<string>());
        Assert.Equal(creatorName, entry["user"]!.GetValue<string>());
        Assert.Equal("for a friend", entry["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAccount_BlockedWithNocreate_Refused()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Blocker", null, "sysop");
        var (blocked, blockedName) = await TestUsers.LoggedInAsync(_farm, "NoCreate");
        using var _1 = sysop;
        using var _2 = blocked;
        var block = (await sysop.PostAsync(("action", "block"), ("user", blockedName), ("nocreate", "1"), ("reason", "sock farm"), ("token", await sysop.CsrfTokenAsync()), ("format", "json"))).Json;
        Assert.NotNull(block["block"]);

        var answer = await CreateAsync(blocked, Unique("Sock"), "a long enough secret");

        Assert.Equal("cantcreateaccount-text", MessageCode(answer));
        Assert.Contains("sock farm", answer["createaccount"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAccount_SelfRegistrationOff_OnlySysopsCreate()
    {
        await using var farm = await TestFarm.StartAsync(s => s["Farm:SelfRegistration"] = "false");
        using var visitor = farm.Client();
        var name = Unique("Closed");

        var refused = await CreateAsync(visitor, name, "a long enough secret");
        Assert.Equal("badaccess-groups", MessageCode(refused));
        var rights = (await visitor.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "rights"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["userinfo"]!["rights"]!;
        Assert.DoesNotContain("createaccount", rights.AsArray().Select(r => r!.GetValue<string>()));

        await farm.CreateUserAsync("Closed Sysop", TestUsers.Password, "sysop");
        using var sysop = farm.Client();
        await sysop.LoginAsync("Closed Sysop", TestUsers.Password);
        Assert.Equal("PASS", Status(await CreateAsync(sysop, name, "a long enough secret")));
        using var page = await farm.Client().Http.GetAsync(farm.AlphaServer + "/wiki/Special:CreateAccount");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, page.StatusCode);
    }

    [Fact]
    public async Task UserRights_Bureaucrat_AddsAndRemovesGroupsWhichTakeEffectAndAreLogged()
    {
        var (bureaucrat, bureaucratName) = await TestUsers.LoggedInAsync(_farm, "Crat", null, "bureaucrat");
        var (member, memberName) = await TestUsers.LoggedInAsync(_farm, "Promoted");
        using var _1 = bureaucrat;
        using var _2 = member;
        async Task<JsonNode> RightsAsync(ApiClient client, params (string, string)[] parameters) =>
            (await client.PostAsync([("action", "userrights"), .. parameters, ("token", await TokenAsync(client, "userrights")), ("format", "json"), ("formatversion", "2")])).Json;

        var added = (await RightsAsync(bureaucrat, ("user", memberName), ("add", "bot|sysop"), ("reason", "trusted")))["userrights"]!;
        Assert.Equal(memberName, added["user"]!.GetValue<string>());
        Assert.Equal(["bot", "sysop"], added["added"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Empty(added["removed"]!.AsArray());
        var rights = (await member.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "rights|groups"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["userinfo"]!;
        Assert.Contains("delete", rights["rights"]!.AsArray().Select(r => r!.GetValue<string>()));

        var removed = (await RightsAsync(bureaucrat, ("user", memberName), ("remove", "sysop|bureaucrat")))["userrights"]!;
        Assert.Equal(["sysop"], removed["removed"]!.AsArray().Select(g => g!.GetValue<string>()));
        var groups = (await member.GetAsync(("action", "query"), ("list", "users"), ("ususers", memberName), ("usprop", "groups"), ("format", "json"), ("formatversion", "2"))).Json["query"]!["users"]![0]!["groups"]!;
        Assert.Contains("bot", groups.AsArray().Select(g => g!.GetValue<string>()));
        Assert.DoesNotContain("sysop", groups.AsArray().Select(g => g!.GetValue<string>()));
        var log = (await member.GetAsync(("action", "query"), ("list", "logevents"), ("letype", "rights"), ("letitle", "User:" + memberName), ("format", "json"), ("formatversion", "2"))).Json["query"]!["logevents"]!.AsArray();
        Assert.Equal(2, log.Count);
        Assert.Equal(bureaucratName, log[1]!["user"]!.GetValue<string>());
        Assert.Equal("trusted", log[1]!["comment"]!.GetValue<string>());
        Assert.Equal(["bot", "sysop"], log[1]!["params"]!["newgroups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["bot"], log[0]!["params"]!["newgroups"]!.AsArray().Select(g => g!.GetValue<string>()));

        // Without userrights nothing changes; unknown users and expiring memberships are refused.
        var self = (await RightsAsync(member, ("user", memberName), ("add", "bureaucrat")))["userrights"]!;
        Assert.Empty(self["added"]!.AsArray());
        Assert.Equal("nosuchuser", (await RightsAsync(bureaucrat, ("user", Unique("Nobody")), ("add", "bot")))["error"]!["code"]!.GetValue<string>());
        Assert.Equal("invalidexpiry", (await RightsAsync(bureaucrat, ("user", memberName), ("add", "sysop"), ("expiry", "1 month")))["error"]!["code"]!.GetValue<string>());
    }
}
