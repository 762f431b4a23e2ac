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
/// Real MediaWiki clients from their registries (npm mwn, nodemw and mwbot, Debian's python3-mwclient,
/// MediaWiki::Bot and git-remote-mediawiki; spec api-clients.md) log in, read, edit, upload, set options and
/// administer pages on a running farm; each flow checks MediaWiki's answers, and the first ones are then
/// confirmed through the farm's own api.php.
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

    [Fact]
    public async Task Mwn_ReadsPagesCategoriesLinksUsersAndSearch_AsOnMediaWiki()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedReadsAsync(farm, "Mwn Reader");

        var run = await RealClients.RunNodeAsync("mwn-read.mjs", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task Nodemw_ReadsPagesCategoriesLinksUsersAndSearch_AsOnMediaWiki()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedReadsAsync(farm, "Nodemw Reader");

        var run = await RealClients.RunNodeAsync("nodemw-read.mjs", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task Mwclient_ReadsPagesCategoriesLinksUsersAndSearch_AsOnMediaWiki()
    {
        await RealClients.RequireMwclientAsync();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedReadsAsync(farm, "Mwclient Reader");

        var run = await RealClients.RunPythonAsync("mwclient_read.py", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task MediaWikiBot_ReadsPagesCategoriesLinksUsersAndSearch_AsOnMediaWiki()
    {
        await RealClients.RequireMediaWikiBotAsync();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedReadsAsync(farm, "Perl Reader");

        var run = await RealClients.RunPerlAsync("mediawiki-bot-read.pl", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    /// <summary>Each real client uploads a PNG with its own upload call; the wiki then has the file with those bytes, by that user.</summary>
    [Theory]
    [InlineData("mwn")]
    [InlineData("nodemw")]
    [InlineData("mwclient")]
    [InlineData("MediaWiki::Bot")]
    public async Task RealClient_Upload_TheFileIsOnTheWikiWithItsBytes(string client)
    {
        if (client is "mwn" or "nodemw")
        {
            RealClients.RequireNodePackages();
        }
        else if (client == "mwclient")
        {
            await RealClients.RequireMwclientAsync();
        }
        else
        {
            await RealClients.RequireMediaWikiBotAsync();
        }

        await using var farm = await TestFarm.StartAsync();
        var bot = await CreateBotAsync(farm, "Uploader " + client.Replace(":", "", StringComparison.Ordinal));
        var png = TestImages.Png(8, 6, seed: client.Length);
        var path = Path.Combine(farm.DataDirectory, "upload-" + Guid.NewGuid().ToString("N") + ".png");
        await File.WriteAllBytesAsync(path, png);
        var name = $"Compat upload {client.Replace(":", "", StringComparison.Ordinal)}.png";
        var environment = new Dictionary<string, string>
        {
            ["CW_API"] = farm.AlphaApi, ["CW_USER"] = bot.Name, ["CW_PASSWORD"] = bot.Password, ["CW_FILE"] = path, ["CW_FILENAME"] = name,
        };

        var run = client switch
        {
            "mwn" => await RealClients.RunNodeAsync("mwn-upload.mjs", environment),
            "nodemw" => await RealClients.RunNodeAsync("nodemw-upload.mjs", environment),
            "mwclient" => await RealClients.RunPythonAsync("mwclient_upload.py", environment),
            _ => await RealClients.RunPerlAsync("mediawiki-bot-upload.pl", environment),
        };

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        var info = JsonNode.Parse(await farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "sha1|user|size"), ("formatversion", "2")))!["query"]!["pages"]![0]!;
        Assert.Equal("local", info["imagerepository"]!.GetValue<string>());
        Assert.Equal(bot.Name, info["imageinfo"]![0]!["user"]!.GetValue<string>());
        Assert.Equal(png.Length, info["imageinfo"]![0]!["size"]!.GetValue<int>());
        using var http = new HttpClient();
        Assert.Equal(png, await http.GetByteArrayAsync(JsonNode.Parse(await farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "url"), ("formatversion", "2")))!["query"]!["pages"]![0]!["imageinfo"]![0]!["url"]!.GetValue<string>()));
    }

    /// <summary>
    /// git-remote-mediawiki on both wikis of a farm (each numbers its revisions from 1, so each clones): clones, pushes,
    /// pulls, then fetches only the revisions made since its last fetch (by page and by revision), and nothing twice.
    /// </summary>
    [Fact]
    public async Task GitRemoteMediaWiki_EachWikiOfTheFarm_ClonesPushesAndFetchesOnlyNewRevisions()
    {
        await using var farm = await TestFarm.StartAsync();
        foreach (var api in new[] { farm.AlphaApi, farm.BetaApi })
        {
            var environment = await SeedReadsAsync(farm, "Git Bot " + (api == farm.AlphaApi ? "alpha" : "beta"), api);

            var run = await RealClients.RunBashAsync("git-mediawiki-flow.sh", environment);

            Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
            using var reader = farm.Client(api);
            var revision = await LatestRevisionAsync(reader, environment["CW_PREFIX"] + " pushed");
            Assert.Equal(environment["CW_USER"], revision["user"]!.GetValue<string>());
        }
    }

    /// <summary>
    /// The pages the read flows look at, saved by a new bot: a source page with a link, a missing link, a
    /// transclusion, a file, an external link and a category; its target (with a word only it has), a
    /// subpage, a redirect to it, the template and a subcategory. The flows' environment.
    /// </summary>
    private static async Task<Dictionary<string, string>> SeedReadsAsync(TestFarm farm, string botName, string? apiUrl = null)
    {
        var apiOf = apiUrl ?? farm.AlphaApi;
        var bot = new Bot(botName, "pw-" + Guid.NewGuid().ToString("N"));
        await farm.CreateUserAsync(bot.Name, bot.Password, "bot");
        var prefix = "Cr " + Guid.NewGuid().ToString("N")[..8];
        var word = "q" + Guid.NewGuid().ToString("N")[..10];
        using var api = farm.Client(apiOf);
        await api.LoginAsync(bot.Name, bot.Password);
        var token = await api.CsrfTokenAsync();
        (string Title, string Text)[] pages =
        [
            ($"{prefix} source", $"See [[{prefix} target]] and [[{prefix} missing]]. {{{{{prefix} box}}}} [[File:{prefix}.png]] [https://example.org/{prefix.Replace(' ', '_')} link] [[Category:{prefix} cat]]"),
            ($"{prefix} target", $"The target has the word {word}."),
            ($"{prefix} redirect", $"#REDIRECT [[{prefix} target]]"),
            ($"{prefix} target/sub", "A subpage."),
            ($"Template:{prefix} box", "A box."),
            ($"Category:{prefix} sub", $"[[Category:{prefix} cat]]"),
        ];
        foreach (var (title, text) in pages)
        {
            var answer = await api.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"));
            Assert.True(answer.Json["edit"]?["result"]?.GetValue<string>() == "Success", answer.Body);
        }

        // The source was saved before its template existed (a red link then): the job queue works its links out again,
        // as MediaWiki's refreshLinks job does once the template is created.
        await farm.Services.GetRequiredService<CrossWiki.Server.Pages.JobRunner>().RunPendingAsync(CancellationToken.None);

        return new Dictionary<string, string>
        {
            ["CW_API"] = apiOf,
            ["CW_WIKI"] = apiOf[..^"/api.php".Length],
            ["CW_USER"] = bot.Name,
            ["CW_PASSWORD"] = bot.Password,
            ["CW_PREFIX"] = prefix,
            ["CW_CATEGORY"] = prefix + " cat",
            ["CW_WORD"] = word,
        };
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

    [Fact]
    public async Task Mwn_PageAdministrationAndFeeds_WorkAsOnMediaWiki()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedAdministeredPageAsync(farm, "Mwn");

        var run = await RealClients.RunNodeAsync("mwn-admin.mjs", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task Nodemw_PageAdministrationAndFeeds_WorkAsOnMediaWiki()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedAdministeredPageAsync(farm, "Nodemw");

        var run = await RealClients.RunNodeAsync("nodemw-admin.mjs", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task Mwclient_PageAdministrationAndFeeds_WorkAsOnMediaWiki()
    {
        await RealClients.RequireMwclientAsync();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedAdministeredPageAsync(farm, "Mwclient");

        var run = await RealClients.RunPythonAsync("mwclient_admin.py", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task MediaWikiBot_PageAdministrationAndFeeds_WorkAsOnMediaWiki()
    {
        await RealClients.RequireMediaWikiBotAsync();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedAdministeredPageAsync(farm, "Perl");

        var run = await RealClients.RunPerlAsync("mediawiki-bot-admin.pl", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    [Fact]
    public async Task Mwbot_PageAdministrationAndFeeds_WorkAsOnMediaWiki()
    {
        RealClients.RequireNodePackages();
        await using var farm = await TestFarm.StartAsync();
        var environment = await SeedAdministeredPageAsync(farm, "Mwbot");

        var run = await RealClients.RunNodeAsync("mwbot-admin.mjs", environment);

        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
    }

    /// <summary>
    /// The administration flows' wiki: a sysop, and a page "Administered" that an author created with "good text"
    /// and a vandal then changed twice ("bad text", "worse text"). The flows' environment.
    /// </summary>
    private static async Task<Dictionary<string, string>> SeedAdministeredPageAsync(TestFarm farm, string client)
    {
        var sysop = new Bot(client + " Admin", "pw-" + Guid.NewGuid().ToString("N"));
        await farm.CreateUserAsync(sysop.Name, sysop.Password, ["sysop"]);
        var (author, authorName) = await TestUsers.LoggedInAsync(farm, client + " Author");
        var (vandal, vandalName) = await TestUsers.LoggedInAsync(farm, client + " Vandal");
        using var _1 = author;
        using var _2 = vandal;
        foreach (var (editor, text) in new[] { (author, "good text"), (vandal, "bad text"), (vandal, "worse text") })
        {
            var answer = await editor.PostAsync(("action", "edit"), ("title", "Administered"), ("text", text), ("format", "json"), ("token", await editor.CsrfTokenAsync()));
            Assert.True(answer.Json["edit"]?["result"]?.GetValue<string>() == "Success", answer.Body);
        }

        return new Dictionary<string, string>
        {
            ["CW_API"] = farm.AlphaApi, ["CW_WIKI"] = farm.AlphaApi[..^"/api.php".Length], ["CW_USER"] = sysop.Name, ["CW_PASSWORD"] = sysop.Password,
            ["CW_PAGE"] = "Administered", ["CW_AUTHOR"] = authorName, ["CW_VANDAL"] = vandalName,
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
