using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Compat;

/// <summary>The real clients run one after another: each is a process of its own on a shared 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class RealClientProcesses
{
    public const string Name = "Real MediaWiki clients";
}

/// <summary>
/// Real MediaWiki clients from their registries (npm mwn and nodemw, Debian's python3-mwclient; spec
/// api-clients.md) log in, read, edit and set options on a running farm; then the farm's own api.php
/// confirms that the edit and the option were stored for that user.
/// </summary>
[Collection(RealClientProcesses.Name)]
public sealed class RealClientTests
{
    [Fact]
    public async Task Mwn_LoginReadEditOptionLogout_Succeeds()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var bot = await CreateBotAsync(farm, "Mwn Compat");
        var page = "Compat mwn";
        var marker = Marker("mwn");

        var run = await RealClients.RunNodeAsync("mwn-flow.mjs", bot.Environment(farm, page, marker));

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        using var api = farm.Client();
        await api.LoginAsync(bot.Name, bot.Password);
        var revision = await LatestRevisionAsync(api, page);
        Assert.Contains(marker, Lines(revision), StringComparer.Ordinal);
        Assert.Equal("mwn appends " + marker, revision["comment"]!.GetValue<string>());
        Assert.Equal(bot.Name, revision["user"]!.GetValue<string>());
        var large = await LatestRevisionAsync(api, page + "/large");
        Assert.True(Content(large).Length >= 9000, $"the large page has {Content(large).Length} characters");
        Assert.Equal(bot.Name, large["user"]!.GetValue<string>());
        Assert.Equal("x|y", (await OptionsAsync(api))["userjs-compat-test"]?.GetValue<string>());
    }

    [Fact]
    public async Task Nodemw_LegacyLoginReadAppend_Succeeds()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var bot = await CreateBotAsync(farm, "Nodemw Compat");
        var page = "Compat nodemw";
        var marker = Marker("nodemw");

        var run = await RealClients.RunNodeAsync("nodemw-flow.mjs", bot.Environment(farm, page, marker));

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        using var api = farm.Client();
        var revision = await LatestRevisionAsync(api, page);
        Assert.Contains(marker, Lines(revision), StringComparer.Ordinal);
        Assert.Equal("nodemw appends " + marker, revision["comment"]!.GetValue<string>());
        Assert.Equal(bot.Name, revision["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mwclient_LoginReadAppendOption_Succeeds()
    {
        await RealClients.RequireMwclientAsync();
        await using var farm = await TestFarm.StartAsync();
        var bot = await CreateBotAsync(farm, "Mwclient Compat");
        var page = "Compat mwclient";
        var marker = Marker("mwclient");

        var run = await RealClients.RunPythonAsync("mwclient_flow.py", bot.Environment(farm, page, marker));

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        using var api = farm.Client();
        await api.LoginAsync(bot.Name, bot.Password);
        var revision = await LatestRevisionAsync(api, page);
        Assert.Contains(marker, Lines(revision), StringComparer.Ordinal);
        Assert.Equal("mwclient appends " + marker, revision["comment"]!.GetValue<string>());
        Assert.Equal(bot.Name, revision["user"]!.GetValue<string>());
        Assert.Equal("1", (await OptionsAsync(api))["userjs-py"]?.GetValue<string>());
    }

    private sealed record Bot(string Name, string Password)
    {
        public Dictionary<string, string> Environment(TestFarm farm, string page, string marker) => new()
        {
            ["CW_API"] = farm.AlphaApi,
            ["CW_USER"] = Name,
            ["CW_PASSWORD"] = Password,
            ["CW_PAGE"] = page,
            ["CW_MARKER"] = marker,
        };
    }

    private static async Task<Bot> CreateBotAsync(TestFarm farm, string name)
    {
        var bot = new Bot(name, "pw-" + Guid.NewGuid().ToString("N"));
        await farm.CreateUserAsync(bot.Name, bot.Password);
        return bot;
    }

    private static string Marker(string client) => $"{client}-{Guid.NewGuid():N}";

    private static async Task<JsonNode> LatestRevisionAsync(ApiClient api, string title)
    {
        var answer = await api.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "content|comment|user"),
            ("rvslots", "main"), ("format", "json"), ("formatversion", "2"));
        var page = answer.Json["query"]!["pages"]![0]!;
        Assert.True(page["revisions"] is JsonArray { Count: 1 }, $"no revision of {title}: {answer.Body}");
        return page["revisions"]![0]!;
    }

    private static string Content(JsonNode revision) => revision["slots"]!["main"]!["content"]!.GetValue<string>();

    private static string[] Lines(JsonNode revision) => Content(revision).Split('\n');

    private static async Task<JsonObject> OptionsAsync(ApiClient api)
    {
        var answer = await api.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2"));
        return answer.Json["query"]!["userinfo"]!["options"]!.AsObject();
    }
}
