using System.Net;
using CrossWiki.Testing;

namespace CrossWiki.Tests.MultiNode;

/// <summary>Two server processes, one PostgreSQL, one Redis: any node serves any request, and no acknowledged write is lost.</summary>
[Collection(nameof(MultiNodeTests))]
public sealed class MultiNodeTests : IAsyncLifetime
{
    private NodeFarm _farm = null!;

    public async Task InitializeAsync()
    {
        _farm = await NodeFarm.StartAsync();
        await _farm.CreateUserAsync("Alice", "alice-password");
    }

    public async Task DisposeAsync() => await _farm.DisposeAsync();

    [Fact]
    public async Task Readyz_EachNode_ReachesPostgresRedisAndTheObjectStore()
    {
        foreach (var node in new[] { 0, 1 })
        {
            using var client = _farm.Client(node, NodeFarm.BetaHost);
            var (status, _, body) = await client.FetchAsync("/readyz");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Healthy", System.Text.Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public async Task PasswordThrottle_FiveWrongOnNodeOne_RefusesTheRightPasswordOnNodeTwo()
    {
        await _farm.CreateUserAsync("Guessed", "guessed-password");
        async Task<string> LoginAsync(int node, string password)
        {
            using var client = _farm.Client(node, NodeFarm.AlphaHost);
            var token = (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json")))["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
            var login = (await client.PostAsync(("action", "login"), ("lgname", "Guessed"), ("lgpassword", password), ("lgtoken", token), ("format", "json")))["login"]!;
            return login["result"]!.GetValue<string>() + " " + login["reason"]?.GetValue<string>();
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.StartsWith("Failed Incorrect username or password", await LoginAsync(0, "wrong " + i), StringComparison.Ordinal);
        }

        Assert.Equal("Failed You have made too many recent login attempts.\nPlease wait 5 minutes before trying again.", await LoginAsync(1, "guessed-password"));
    }

    [Fact]
    public async Task Session_LoggedInOnNodeOne_IsUsedOnNodeTwo()
    {
        var cookies = new CookieContainer();
        using var node1 = _farm.Client(0, NodeFarm.AlphaHost, cookies);
        using var node2 = _farm.Client(1, NodeFarm.AlphaHost, cookies);
        await node1.LoginAsync("Alice", "alice-password");

        var info = await node2.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"));
        var token = await node2.CsrfTokenAsync();
        var saved = await node1.PostAsync(("action", "options"), ("change", "userjs-node=2"), ("format", "json"), ("token", token));

        Assert.Equal("Alice", info["query"]!["userinfo"]!["name"]!.GetValue<string>());
        Assert.Equal("success", saved["options"]!.GetValue<string>());
    }

    [Fact]
    public async Task File_UploadedThroughNodeOne_IsServedAndThumbnailedByNodeTwoFromTheObjectStore()
    {
        var cookies = new CookieContainer();
        using var node1 = _farm.Client(0, NodeFarm.AlphaHost, cookies);
        using var node2 = _farm.Client(1, NodeFarm.AlphaHost, cookies);
        await node1.LoginAsync("Alice", "alice-password");
        var token = await node1.CsrfTokenAsync();
        var png = Infrastructure.TestImages.Png(60, 40, seed: 5);

        var upload = await node1.PostFileAsync("file", "nodes.png", png, ("action", "upload"), ("filename", "Across nodes.png"), ("format", "json"), ("formatversion", "2"), ("token", token));
        Assert.Equal("Success", upload["upload"]!["result"]!.GetValue<string>());

        var info = await node2.GetAsync(("action", "query"), ("prop", "imageinfo"), ("titles", "File:Across nodes.png"), ("iiprop", "url|size"), ("iiurlwidth", "30"), ("format", "json"), ("formatversion", "2"));
        var image = info["query"]!["pages"]![0]!["imageinfo"]![0]!;
        var file = await node2.FetchAsync(new Uri(image["url"]!.GetValue<string>()).AbsolutePath);
        var thumb = await node2.FetchAsync(new Uri(image["thumburl"]!.GetValue<string>()).AbsolutePath);

        Assert.Equal((HttpStatusCode.OK, "image/png"), (file.Status, file.Type));
        Assert.Equal(png, file.Body);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (thumb.Status, thumb.Type));
        Assert.Equal(30, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(thumb.Body.AsSpan(16)));

        // Range requests are served from the object store too.
        var part = await node2.FetchAsync(new Uri(image["url"]!.GetValue<string>()).AbsolutePath, (100, 199));
        Assert.Equal(HttpStatusCode.PartialContent, part.Status);
        Assert.Equal(png[100..200], part.Body);

        // The bytes are in the object store: the nodes' shared data folder has no image folder.
        Assert.False(Directory.Exists(Path.Combine(_farm.DataFolder, "images")));
    }

    [Fact]
    public async Task CentralToken_IssuedOnNodeOne_IsSpentOnNodeTwoAndItsReplayOnNodeOneFails()
    {
        var cookies = new CookieContainer();
        using var alphaOnNode1 = _farm.Client(0, NodeFarm.AlphaHost, cookies);
        using var betaOnNode2 = _farm.Client(1, NodeFarm.BetaHost);
        using var betaOnNode1 = _farm.Client(0, NodeFarm.BetaHost);
        await alphaOnNode1.LoginAsync("Alice", "alice-password");
        var token = (await alphaOnNode1.GetAsync(("action", "centralauthtoken"), ("format", "json")))["centralauthtoken"]!["centralauthtoken"]!.GetValue<string>();

        var spent = await betaOnNode2.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token));
        var replay = await betaOnNode1.GetAsync(("action", "query"), ("meta", "userinfo"), ("format", "json"), ("centralauthtoken", token));

        Assert.Equal("Alice", spent["query"]!["userinfo"]!["name"]!.GetValue<string>());
        Assert.Equal("badtoken", replay["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConcurrentEdits_TwoHundredOverBothNodes_LeaveAGapFreeHistoryWithEveryAcceptedEdit()
    {
        var cookies = new CookieContainer();
        using var node1 = _farm.Client(0, NodeFarm.AlphaHost, cookies);
        using var node2 = _farm.Client(1, NodeFarm.AlphaHost, cookies);
        await node1.LoginAsync("Alice", "alice-password");
        var token = await node1.CsrfTokenAsync();
        var created = await node1.PostAsync(("action", "edit"), ("title", "Contended"), ("text", "start"), ("format", "json"), ("token", token));
        var firstId = created["edit"]!["newrevid"]!.GetValue<int>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            (i % 2 == 0 ? node1 : node2).PostAsync(("action", "edit"), ("title", "Contended"), ("appendtext", $"\nline {i}"),
                ("format", "json"), ("formatversion", "2"), ("token", token))));

        var accepted = answers.Where(a => a["edit"]?["result"]?.GetValue<string>() == "Success").ToList();
        Assert.All(answers, a => Assert.True(a["edit"] is not null || a["error"]?["code"]?.GetValue<string>() == "editconflict", a.ToJsonString()));
        Assert.NotEmpty(accepted);
        var history = await node2.GetAsync(("action", "query"), ("titles", "Contended"), ("prop", "revisions"), ("rvprop", "ids|content"),
            ("rvslots", "main"), ("rvlimit", "max"), ("rvdir", "newer"), ("format", "json"), ("formatversion", "2"));
        var revisions = history["query"]!["pages"]![0]!["revisions"]!.AsArray();
        Assert.Equal(accepted.Count + 1, revisions.Count);
        Assert.Equal(firstId, revisions[0]!["revid"]!.GetValue<int>());
        for (var i = 1; i < revisions.Count; i++)
        {
            // Each revision builds on the one before it: no revision was lost between them.
            Assert.Equal(revisions[i - 1]!["revid"]!.GetValue<int>(), revisions[i]!["parentid"]!.GetValue<int>());
            var previous = revisions[i - 1]!["slots"]!["main"]!["content"]!.GetValue<string>();
            Assert.StartsWith(previous, revisions[i]!["slots"]!["main"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var ids = revisions.Skip(1).Select(r => r!["revid"]!.GetValue<int>()).ToHashSet();
        Assert.True(ids.SetEquals(accepted.Select(a => a["edit"]!["newrevid"]!.GetValue<int>())));
    }

    [Fact]
    public async Task NodeOneKilled_DuringTraffic_LosesNoAcknowledgedWriteAndNodeTwoKeepsServing()
    {
        var cookies = new CookieContainer();
        using var node1 = _farm.Client(0, NodeFarm.AlphaHost, cookies);
        using var node2 = _farm.Client(1, NodeFarm.AlphaHost, cookies);
        await node1.LoginAsync("Alice", "alice-password");
        var token = await node1.CsrfTokenAsync();
        var acknowledgedEdits = new System.Collections.Concurrent.ConcurrentBag<int>();
        var acknowledgedOptions = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        async Task WriterAsync(int writer)
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 400; i++)
            {
                var client = (i + writer) % 2 == 0 ? node1 : node2;
                try
                {
                    var edit = await client.PostAsync(("action", "edit"), ("title", $"Crash_{writer}_{i}"), ("text", $"edit {writer} {i}"),
                        ("format", "json"), ("token", token));
                    if (edit["edit"]?["result"]?.GetValue<string>() == "Success")
                    {
                        acknowledgedEdits.Add(edit["edit"]!["newrevid"]!.GetValue<int>());
                    }

                    var option = await client.PostAsync(("action", "options"), ("change", $"userjs-crash-{writer}-{i}=v{i}"), ("format", "json"), ("token", token));
                    if (option["options"]?.GetValue<string>() == "success")
                    {
                        acknowledgedOptions.Add($"userjs-crash-{writer}-{i}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // The node that died: nothing was acknowledged for this request.
                }
            }
        }

        var writers = Enumerable.Range(0, 4).Select(WriterAsync).ToList();

        // The nodes are other processes, so their clock cannot be faked: wait for traffic, not for time.
        await Poll.UntilAsync(() => acknowledgedEdits.Count >= 20, TimeSpan.FromSeconds(60), "20 edits acknowledged by the two nodes");
        _farm.Kill(0);
        var atKill = acknowledgedEdits.Count;

        // At most one answer per writer from node one can still be counted after the kill; the rest are node two's.
        await Poll.UntilAsync(() => acknowledgedEdits.Count >= atKill + 20, TimeSpan.FromSeconds(60), "20 more edits acknowledged after node one was killed");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.NotEmpty(acknowledgedEdits);
        var after = await node2.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("Alice", after["query"]!["userinfo"]!["name"]!.GetValue<string>());
        var options = after["query"]!["userinfo"]!["options"]!.AsObject();
        Assert.All(acknowledgedOptions, name => Assert.True(options.ContainsKey(name), name));
        foreach (var chunk in acknowledgedEdits.Chunk(50))
        {
            var found = await node2.GetAsync(("action", "query"), ("revids", string.Join('|', chunk)), ("prop", "revisions"), ("format", "json"), ("formatversion", "2"));
            Assert.Null(found["query"]!["badrevids"]);
        }
    }
}
