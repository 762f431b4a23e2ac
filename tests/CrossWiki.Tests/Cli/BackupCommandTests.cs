using CrossWiki.Server.Cli;
using CrossWiki.Server.Farm;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Cli;

public sealed class BackupCommandTests
{
    [Fact]
    public async Task Backup_WhileTheFarmServesAndEdits_RestoresEveryAcknowledgedPageAndFile()
    {
        var backup = Path.Combine(Path.GetTempPath(), "crosswiki-backup-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var farm = await TestFarm.StartAsync())
            {
                var (client, _) = await TestUsers.LoggedInAsync(farm, "Backer");
                using var _ = client;
                var token = await client.CsrfTokenAsync();
                async Task EditAsync(string title, string text) =>
                    Assert.Equal("Success", (await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"))).Json["edit"]?["result"]?.GetValue<string>());
                await EditAsync("Kept page", "Text that must survive.");
                var upload = await client.PostFileAsync("file", "Kept.png", TestImages.Png(8, 8),
                    ("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", "Kept.png"), ("token", token));
                Assert.Equal("Success", upload.Json["upload"]?["result"]?.GetValue<string>());

                // Edits go on while the copy is made: the copy is one consistent snapshot, the farm keeps serving.
                var writing = Task.WhenAll(Enumerable.Range(0, 20).Select(i => EditAsync($"During {i}", $"Edit {i}")));
                using var output = new StringWriter();
                using var error = new StringWriter();
                Assert.Equal(0, await BackupCommand.RunAsync(farm.Services.GetRequiredService<FarmConfig>(), backup, output, error));
                await writing;
                Assert.StartsWith("Backed up the database (", output.ToString(), StringComparison.Ordinal);
                Assert.Contains("and 1 stored file(s)", output.ToString(), StringComparison.Ordinal);
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(backup, "crosswiki.db")));
            }

            await using var restored = await TestFarm.StartAsync(configure: s => s["Farm:DataDirectory"] = backup);
            using var reader = restored.Client();
            var page = await reader.GetAsync(("action", "query"), ("prop", "revisions"), ("rvprop", "content"), ("rvslots", "main"), ("titles", "Kept page"), ("format", "json"), ("formatversion", "2"));
            Assert.Equal("Text that must survive.", page.Json["query"]!["pages"]![0]!["revisions"]![0]!["slots"]!["main"]!["content"]!.GetValue<string>());
            var info = await reader.GetAsync(("action", "query"), ("prop", "imageinfo"), ("iiprop", "url|size"), ("titles", "File:Kept.png"), ("format", "json"), ("formatversion", "2"));
            var url = info.Json["query"]!["pages"]![0]!["imageinfo"]![0]!["url"]!.GetValue<string>();
            using var http = new HttpClient();
            Assert.Equal(TestImages.Png(8, 8), await http.GetByteArrayAsync(url));
        }
        finally
        {
            if (Directory.Exists(backup))
            {
                Directory.Delete(backup, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Backup_IntoAFolderThatIsNotEmpty_RefusedAndNothingWritten()
    {
        await using var farm = await TestFarm.StartAsync();
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "other.txt"), "keep me");
            using var output = new StringWriter();
            using var error = new StringWriter();

            Assert.Equal(2, await BackupCommand.RunAsync(farm.Services.GetRequiredService<FarmConfig>(), folder, output, error));
            Assert.Contains("is not empty", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(["other.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
