using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using CrossWiki.Testing;
using CrossWiki.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Tests.Farm;

public sealed class FarmHostTests
{
    [Fact]
    public async Task Request_UnknownHost_Gets404()
    {
        await using var farm = await TestFarm.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, farm.AlphaApi + "?action=query&format=json");
        request.Headers.Host = "unknown.example:" + farm.Ports[0];

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Request_EachWikiPort_ServesItsOwnWiki()
    {
        await using var farm = await TestFarm.StartAsync();
        using var alpha = farm.Client(farm.AlphaApi);
        using var beta = farm.Client(farm.BetaApi);

        var a = await alpha.GetAsync(("action", "query"), ("meta", "siteinfo"), ("format", "json"), ("formatversion", "2"));
        var b = await beta.GetAsync(("action", "query"), ("meta", "siteinfo"), ("format", "json"), ("formatversion", "2"));

        Assert.Equal("Alpha Wiki", a.Json["query"]!["general"]!["sitename"]!.GetValue<string>());
        Assert.Equal("Beta Wiki", b.Json["query"]!["general"]!["sitename"]!.GetValue<string>());
        Assert.Equal("alpha_session", Assert.Single(alpha.Cookies.GetAllCookies()).Name);
    }

    [Fact]
    public void Build_InvalidFarm_RefusesToStartAndListsEveryError()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Farm:Wikis:a:Server"] = "ftp://a.example",
            ["Farm:Wikis:b:Server"] = "http://b.example:8080",
            ["Farm:Wikis:b:CrossSiteAJAXdomains:0"] = "http://c.example",
        };

        var e = Assert.Throws<FarmHost.InvalidFarmException>(() => FarmHost.Build([], null, settings));

        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith("Farm:Wikis:a:Server:", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Farm:Wikis:b:CrossSiteAJAXdomains:0:", e.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerProgram_FarmFileAndEnvironmentWithMisspelledKeys_RefusesToStartAndNamesEveryKey()
    {
        var dir = Directory.CreateTempSubdirectory("crosswiki-farmfile-").FullName;
        try
        {
            var farmFile = Path.Combine(dir, "farm.json");
            await File.WriteAllTextAsync(farmFile, """
                { "Farm": { "DataDirectory": "data",
                            "Wikis": { "enwiki": { "Server": "http://127.0.0.1:1", "CrossSiteAJAXdomainExeptions": [ "bad.example.org" ] } } } }
                """);

            var (exitCode, output, error) = await ServerProcess.RunAsync(dir, new Dictionary<string, string> { ["Farm__Wikis__enwiki__CentralAuthh"] = "true" }, "--farm", farmFile);

            Assert.Equal(2, exitCode);
            Assert.Equal("", output);
            Assert.Equal(
                "The farm configuration is invalid:\n"
                + "  Farm:Wikis:enwiki:CentralAuthh: unknown key; did you mean 'CentralAuth'?\n"
                + "  Farm:Wikis:enwiki:CrossSiteAJAXdomainExeptions: unknown key; did you mean 'CrossSiteAJAXdomainExceptions'?\n",
                error);
            Assert.False(Directory.Exists(Path.Combine(dir, "data")), "The refused farm created its data folder.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Initialize_NewFarm_CreatesMainPagesAndOneAdminPrintedOnce()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client(farm.BetaApi);

        var page = await client.GetAsync(("action", "query"), ("titles", "Main Page"), ("prop", "info"), ("format", "json"), ("formatversion", "2"));
        Assert.False(page.Json["query"]!["pages"]![0]!.AsObject().ContainsKey("missing"));

        var output = new StringWriter();
        await using var app = FarmHost.Build([], null, new Dictionary<string, string?>
        {
            ["Farm:DataDirectory"] = farm.DataDirectory,
            ["Farm:Wikis:alpha:Server"] = farm.AlphaServer,
        });
        await FarmHost.InitializeAsync(app, output, CancellationToken.None);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task Restart_SavedEditAndPreference_AreStillThere()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Keeper", "keeper-password");
        using (var client = farm.Client())
        {
            await client.LoginAsync("Keeper", "keeper-password");
            var token = await client.CsrfTokenAsync();
            var edit = await client.PostAsync(("action", "edit"), ("title", "Durable"), ("text", "kept text"), ("format", "json"), ("token", token));
            Assert.Equal("Success", edit.Json["edit"]!["result"]!.GetValue<string>());
            var option = await client.PostAsync(("action", "options"), ("change", "userjs-durable=yes"), ("format", "json"), ("token", token));
            Assert.Equal("""{"options":"success"}""", option.Body);
        }

        await farm.RestartAsync();

        using var again = farm.Client();
        await again.LoginAsync("Keeper", "keeper-password");
        var read = await again.GetAsync(("action", "query"), ("titles", "Durable"), ("prop", "revisions"), ("rvprop", "content"), ("rvslots", "main"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("kept text", read.Json["query"]!["pages"]![0]!["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());
        var options = await again.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("yes", options.Json["query"]!["userinfo"]!["options"]!["userjs-durable"]!.GetValue<string>());
    }

    [Fact]
    public async Task Migrate_ExistingDatabase_HasNoPendingMigrationsAndKeepsData()
    {
        await using var farm = await TestFarm.StartAsync();
        var factory = farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>();

        await StorageSetup.MigrateAsync(factory, CancellationToken.None);

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(2, await db.Pages.CountAsync());
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", Assert.Single(mode));
    }

    [Fact]
    public async Task CreateUser_Command_CreatesAnAccountThatCanLogIn()
    {
        await using var farm = await TestFarm.StartAsync();
        var farmFile = Path.Combine(farm.DataDirectory, "farm.json");
        await File.WriteAllTextAsync(farmFile, $$"""
            { "Farm": { "DataDirectory": "{{farm.DataDirectory.Replace("\\", "\\\\", StringComparison.Ordinal)}}",
                        "Wikis": { "alpha": { "Server": "{{farm.AlphaServer}}" } } } }
            """);
        var output = new StringWriter();
        var error = new StringWriter();

        var status = await CreateUserCommand.RunAsync(["Bob_the bot", "bob-password", "--groups", "bot"], farmFile, output, error);

        Assert.Equal(0, status);
        Assert.Contains("Created account 'Bob the bot'", output.ToString(), StringComparison.Ordinal);
        using var client = farm.Client();
        await client.LoginAsync("Bob the bot", "bob-password");
        var info = await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "groups|rights"), ("format", "json"), ("formatversion", "2"));
        Assert.Contains("bot", info.Json["query"]!["userinfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Contains("bot", info.Json["query"]!["userinfo"]!["rights"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Theory]
    [InlineData(new[] { "OnlyName" }, "Usage: createuser")]
    [InlineData(new[] { "Name", "pw", "--groups", "wizard" }, "Unknown group(s): wizard.")]
    [InlineData(new[] { "Bad|Name", "pw" }, "is not a valid user name.")]
    public async Task CreateUser_BadArguments_ExitsWithTwoAndSaysWhy(string[] args, string message)
    {
        var error = new StringWriter();

        var status = await CreateUserCommand.RunAsync(args, "unused.json", TextWriter.Null, error);

        Assert.Equal(2, status);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }
}
