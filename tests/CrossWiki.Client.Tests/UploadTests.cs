using System.Security.Cryptography;
using CrossWiki.Client.Tests.Infrastructure;

namespace CrossWiki.Client.Tests;

/// <summary>WikiApi.UploadAsync against a real farm: one request, chunks with progress, warnings.</summary>
public sealed partial class UploadTests(ClientFarm farm) : IClassFixture<ClientFarm>
{
    /// <summary>A PNG of noise (it does not compress) made with libvips, the server's own image library.</summary>
    private static byte[] NoisyPng(int width, int height)
    {
        using var noise = NetVips.Image.Gaussnoise(width, height, mean: 128, sigma: 50).Cast(NetVips.Enums.BandFormat.Uchar);
        return noise.PngsaveBuffer(compression: 0);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "The sha1 MediaWiki reports.")]
    private static string Sha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));

    private async Task<WikiApi> UploaderAsync(Clients clients, string prefix)
    {
        var api = clients.Factory.CreateApi(farm.AlphaApi);
        await api.LoginAsync(await farm.CreateUserAsync(prefix), ClientFarm.Password);
        return api;
    }

    [Fact]
    public async Task UploadAsync_SmallFile_OneRequestSuccessWithImageInfo()
    {
        using var clients = new Clients();
        var api = await UploaderAsync(clients, "Uploader");
        var png = NoisyPng(30, 20);
        var name = $"Client upload {Guid.NewGuid().ToString("N")[..8]}.png";

        using var content = new MemoryStream(png);
        var upload = await api.UploadAsync(name, content, comment: "from the .NET client");

        Assert.Equal("Success", upload["result"]!.GetValue<string>());
        Assert.Equal(Sha1(png), upload["imageinfo"]!["sha1"]!.GetValue<string>());
        Assert.Equal(30, upload["imageinfo"]!["width"]!.GetValue<int>());
        Assert.Equal("from the .NET client", upload["imageinfo"]!["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadAsync_LargerThanAChunk_SentInChunksWithProgressAndServedWhole()
    {
        using var clients = new Clients();
        var api = await UploaderAsync(clients, "Chunker");
        var png = NoisyPng(100, 100);
        var name = $"Client chunks {Guid.NewGuid().ToString("N")[..8]}.png";
        var shares = new List<double>();

        using var content = new MemoryStream(png);
        var upload = await api.UploadAsync(name, content, chunkSize: 2048, progress: new SynchronousProgress(shares.Add));

        Assert.Equal("Success", upload["result"]!.GetValue<string>());
        Assert.Equal((png.Length + 2047) / 2048, shares.Count);
        Assert.Equal(1, shares[^1]);
        Assert.True(shares.SequenceEqual(shares.Order()), "progress only grows");
        using var http = new HttpClient();
        Assert.Equal(png, await http.GetByteArrayAsync(upload["imageinfo"]!["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UploadAsync_ExistingName_ThrowsTheWarningUnlessIgnored()
    {
        using var clients = new Clients();
        var api = await UploaderAsync(clients, "Warned");
        var name = $"Client again {Guid.NewGuid().ToString("N")[..8]}.png";
        using (var first = new MemoryStream(NoisyPng(10, 10)))
        {
            await api.UploadAsync(name, first);
        }

        using var second = new MemoryStream(NoisyPng(12, 12));
        var warned = await Assert.ThrowsAsync<WikiApiException>(() => api.UploadAsync(name, second));
        Assert.Equal("exists", warned.Code);
        Assert.NotNull(warned.Result?["upload"]?["filekey"]);

        second.Position = 0;
        var replaced = await api.UploadAsync(name, second, ignoreWarnings: true);
        Assert.Equal(12, replaced["imageinfo"]!["width"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UploadAsync_AChunkFails_SentAgainAndTheFileIsWhole(bool answerLostAfterTheWikiGotIt)
    {
        var failing = new FailSecondChunkOnce(answerLostAfterTheWikiGotIt);
        using var clients = new Clients(http: builder => builder.AddHttpMessageHandler(() => failing));
        var api = await UploaderAsync(clients, "Resumer");
        var png = NoisyPng(100, 100);
        var name = $"Client resume {Guid.NewGuid().ToString("N")[..8]}.png";

        using var content = new MemoryStream(png);
        var upload = await api.UploadAsync(name, content, chunkSize: 4096);

        Assert.Equal("Success", upload["result"]!.GetValue<string>());
        Assert.Equal(1, failing.Failed);
        // The chunk is sent again; when the wiki had it already, its answer (stashfailed with the offset) moves the client on.
        Assert.Equal(answerLostAfterTheWikiGotIt ? 2 : 1, failing.ReachedTheWiki);
        using var http = new HttpClient();
        Assert.Equal(png, await http.GetByteArrayAsync(upload["imageinfo"]!["url"]!.GetValue<string>()));
    }

    /// <summary>
    /// Fails the chunk at offset 4096 once: before it reaches the wiki, or after the wiki stored it (the answer
    /// lost on the way back, as a dropped connection does).
    /// </summary>
    private sealed partial class FailSecondChunkOnce(bool afterTheWikiGotIt) : DelegatingHandler
    {
        [System.Text.RegularExpressions.GeneratedRegex("name=\"?offset\"?\r\n(?:[^\r\n]+\r\n)*\r\n4096\r\n")]
        private static partial System.Text.RegularExpressions.Regex SecondChunk();

        public int Failed { get; private set; }

        public int ReachedTheWiki { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var secondChunk = SecondChunk().IsMatch(body);
            if (secondChunk && Failed == 0)
            {
                Failed++;
                if (!afterTheWikiGotIt)
                {
                    throw new HttpRequestException("The connection was reset.");
                }

                ReachedTheWiki++;
                using var lost = await base.SendAsync(request, cancellationToken);
                throw new HttpRequestException("The connection was reset before the answer came.");
            }

            if (secondChunk)
            {
                ReachedTheWiki++;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Progress reported on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
