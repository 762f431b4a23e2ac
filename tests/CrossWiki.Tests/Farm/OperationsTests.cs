using System.Net;
using CrossWiki.Server.Files;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Farm;

public sealed class OperationsTests
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_EveryWikiHost_AnswersHealthy(string path)
    {
        await using var farm = await TestFarm.StartAsync();
        using var http = new HttpClient();

        foreach (var server in new[] { farm.AlphaServer, farm.BetaServer })
        {
            using var response = await http.GetAsync(server + path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Readyz_FileStoreUnreachable_Answers503WhileHealthzStays200()
    {
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<IFileStore>(new UnreachableFileStore()));
        using var http = new HttpClient();

        using var ready = await http.GetAsync(farm.AlphaServer + "/readyz");
        using var live = await http.GetAsync(farm.AlphaServer + "/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task DataFolder_NewFarm_IsTheServerUsersOnlyAndSoIsTheDatabase()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var farm = await TestFarm.StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(farm.DataDirectory));
        foreach (var file in Directory.GetFiles(farm.DataDirectory, "crosswiki.db*"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Contains(Path.Combine(farm.DataDirectory, "crosswiki.db-wal"), Directory.GetFiles(farm.DataDirectory));
    }

    [Fact]
    public async Task TokenSecret_FromTheFarmFile_IsNotKeptInTheDatabaseAndTokensWork()
    {
        await using var farm = await TestFarm.StartAsync(configure: s => s["Farm:TokenSecret"] = new string('c', 64));
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Secretive");
        using var _ = client;

        var saved = await client.PostAsync(("action", "options"), ("change", "userjs-secret=1"), ("token", await client.CsrfTokenAsync()), ("format", "json"));

        Assert.Equal("success", saved.Json["options"]?.GetValue<string>());
        await using var db = await farm.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CrossWiki.Server.Storage.WikiDbContext>>().CreateDbContextAsync();
        Assert.Null(await db.Settings.FindAsync("token-secret"));
    }
}
