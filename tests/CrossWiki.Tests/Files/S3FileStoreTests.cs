using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Files;
using Microsoft.Extensions.Configuration;

namespace CrossWiki.Tests.Files;

/// <summary>
/// The S3 file store against a real OpenStack Swift (s3api) that the README's test command starts
/// (tests/object-store.sh, through tests/services.sh), and the same contract run against the folder store,
/// so that the two behave alike for the wiki. Every test uses keys of its own under a random prefix.
/// </summary>
public sealed class S3FileStoreTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("crosswiki-s3-tests-").FullName;
    private readonly List<IDisposable> _stores = [];

    public static TheoryData<string> Stores => ["local", "s3"];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        Directory.Delete(_scratch, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Put_NewKey_StatAndReadGiveTheBytesBack(string kind)
    {
        var store = NewStore(kind);
        var key = Key("a/ab/Example_ü!.png");
        var bytes = RandomNumberGenerator.GetBytes(1000);

        await store.PutAsync(key, await LocalFileAsync(bytes), "image/png", CancellationToken.None);

        var stored = await store.StatAsync(key, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(1000, stored.Length);
        Assert.Equal(TimeSpan.Zero, stored.LastModified.Offset);
        Assert.InRange(stored.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Matches("^\"[^\"]+\"$", stored.ETag);
        Assert.Equal(bytes, await ReadAllAsync(store, key));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task OpenRead_SeekBeforeAndBetweenReads_GivesTheBytesFromThere(string kind)
    {
        var store = NewStore(kind);
        var key = Key("a/ab/Seek.png");
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        await store.PutAsync(key, await LocalFileAsync(bytes), "image/png", CancellationToken.None);

        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        Assert.True(stream.CanSeek);
        Assert.Equal(100_000, stream.Length);
        var buffer = new byte[1000];
        stream.Seek(50_000, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(bytes[50_000..51_000], buffer);
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(bytes[51_000..52_000], buffer);
        stream.Position = 10;
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(bytes[10..1010], buffer);
        stream.Seek(-5, SeekOrigin.End);
        Assert.Equal(5, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Move_OverAnExistingObject_TargetHasTheNewBytesAndTheSourceIsGone(string kind)
    {
        var store = NewStore(kind);
        var from = Key("a/ab/Name.png.new");
        var to = Key("a/ab/Name.png");
        var bytes = RandomNumberGenerator.GetBytes(3000);
        await store.PutAsync(to, await LocalFileAsync([9, 9]), "image/png", CancellationToken.None);
        await store.PutAsync(from, await LocalFileAsync(bytes), "image/png", CancellationToken.None);

        await store.MoveAsync(from, to, CancellationToken.None);

        Assert.Equal(bytes, await ReadAllAsync(store, to));
        Assert.Null(await store.StatAsync(from, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.MoveAsync(from, to, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Put_ExistingKey_ReplacesTheObject(string kind)
    {
        var store = NewStore(kind);
        var key = Key("temp/upload.chunk0");
        await store.PutAsync(key, await LocalFileAsync([1, 2, 3]), "application/octet-stream", CancellationToken.None);
        var first = await store.StatAsync(key, CancellationToken.None);

        await store.PutAsync(key, await LocalFileAsync([4, 5, 6, 7]), "application/octet-stream", CancellationToken.None);

        var second = await store.StatAsync(key, CancellationToken.None);
        Assert.Equal(4, second!.Length);
        Assert.NotEqual(first!.ETag, second.ETag);
        Assert.Equal([4, 5, 6, 7], await ReadAllAsync(store, key));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Copy_ExistingObject_BothKeysHoldTheBytes(string kind)
    {
        var store = NewStore(kind);
        var from = Key("a/ab/Name.png");
        var to = Key("archive/a/ab/20260101000000!Name.png");
        var bytes = RandomNumberGenerator.GetBytes(5000);
        await store.PutAsync(from, await LocalFileAsync(bytes), "image/png", CancellationToken.None);

        await store.CopyAsync(from, to, CancellationToken.None);

        Assert.Equal(bytes, await ReadAllAsync(store, from));
        Assert.Equal(bytes, await ReadAllAsync(store, to));
        Assert.Equal(5000, (await store.StatAsync(to, CancellationToken.None))!.Length);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Copy_OverExistingObject_ReplacesIt(string kind)
    {
        var store = NewStore(kind);
        var from = Key("a/ab/Name.png.new");
        var to = Key("a/ab/Name.png");
        await store.PutAsync(to, await LocalFileAsync([1]), "image/png", CancellationToken.None);
        await store.PutAsync(from, await LocalFileAsync([2, 2]), "image/png", CancellationToken.None);

        await store.CopyAsync(from, to, CancellationToken.None);

        Assert.Equal([2, 2], await ReadAllAsync(store, to));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Copy_MissingKey_ThrowsFileNotFound(string kind)
    {
        var store = NewStore(kind);
        var folder = await FolderWithAFileAsync(store);

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.CopyAsync(folder + "Missing.png", folder + "Other.png", CancellationToken.None));

        Assert.Null(await store.StatAsync(folder + "Other.png", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Delete_ExistingObject_IsGone(string kind)
    {
        var store = NewStore(kind);
        var key = Key("a/ab/Gone.png");
        await store.PutAsync(key, await LocalFileAsync([1, 2]), "image/png", CancellationToken.None);

        await store.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await store.StatAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(key, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task MissingKey_StatIsNullReadThrowsDeleteDoesNothing(string kind)
    {
        var store = NewStore(kind);
        var key = await FolderWithAFileAsync(store) + "Never.png";

        Assert.Null(await store.StatAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(key, CancellationToken.None));
        await store.DeleteAsync(key, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Put_KeyOutsideTheStore_IsRefused(string kind)
    {
        var store = NewStore(kind);
        var file = await LocalFileAsync([1]);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../outside.png", file, "image/png", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Put_TwentyMegabyteFile_ReadsBackWithTheSameSha256(string kind)
    {
        var store = NewStore(kind);
        var key = Key("a/ab/Big.png");
        var (file, hash) = await BigFileAsync(20 * 1000 * 1000);

        await store.PutAsync(key, file, "image/png", CancellationToken.None);

        Assert.Equal(20 * 1000 * 1000, (await store.StatAsync(key, CancellationToken.None))!.Length);
        await using var read = await store.OpenReadAsync(key, CancellationToken.None);
        Assert.Equal(hash, await SHA256.HashDataAsync(read));
    }

    [Fact]
    public async Task Put_FileOverTheMultipartThreshold_GoesInPartsAndReadsBackWhole()
    {
        var store = NewS3Store(multipartThreshold: 8 * 1024 * 1024, partSize: 5 * 1024 * 1024);
        var key = Key("a/ab/Parts.png");
        var (file, hash) = await BigFileAsync(20 * 1000 * 1000);

        await store.PutAsync(key, file, "image/png", CancellationToken.None);

        var stored = await store.StatAsync(key, CancellationToken.None);
        Assert.Equal(20 * 1000 * 1000, stored!.Length);
        Assert.EndsWith("-4\"", stored.ETag, StringComparison.Ordinal);
        await using var read = await store.OpenReadAsync(key, CancellationToken.None);
        Assert.Equal(hash, await SHA256.HashDataAsync(read));
        using var s3 = RawClient();
        Assert.Equal("image/png", (await s3.GetObjectMetadataAsync(Settings().Bucket, key)).Headers.ContentType);
    }

    [Fact]
    public async Task Put_ContentType_IsStoredWithTheObject()
    {
        var store = NewS3Store();
        var key = Key("a/ab/Drawing.svg");

        await store.PutAsync(key, await LocalFileAsync("<svg/>"u8.ToArray()), "image/svg+xml", CancellationToken.None);

        using var s3 = RawClient();
        Assert.Equal("image/svg+xml", (await s3.GetObjectMetadataAsync(Settings().Bucket, key)).Headers.ContentType);
    }

    /// <summary>Two nodes starting at once against a new bucket: one creates it, the other finds it made, both work.</summary>
    [Fact]
    public async Task Start_MissingBucketTwoStoresAtOnce_BothCreateOrFindItAndWork()
    {
        var settings = Settings() with { Bucket = "crosswiki-test-" + Guid.NewGuid().ToString("N")[..12] };
        using var s3 = RawClient();
        try
        {
            using var first = new S3FileStore(settings);
            using var second = new S3FileStore(settings);
            var file = await LocalFileAsync([9, 9]);

            await Task.WhenAll(first.PutAsync("w/a/ab/One.png", file, "image/png", CancellationToken.None), second.PutAsync("w/a/ab/Two.png", file, "image/png", CancellationToken.None));

            Assert.Equal([9, 9], await ReadAllAsync(first, "w/a/ab/Two.png"));
            Assert.Equal([9, 9], await ReadAllAsync(second, "w/a/ab/One.png"));
            await first.DeleteAsync("w/a/ab/One.png", CancellationToken.None);
            await first.DeleteAsync("w/a/ab/Two.png", CancellationToken.None);
        }
        finally
        {
            try
            {
                await s3.DeleteBucketAsync(settings.Bucket);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }

    [Fact]
    public async Task Start_WrongSecretKey_OperationsFailWithTheStoresRefusal()
    {
        using var store = new S3FileStore(Settings() with { SecretKey = "not-the-secret" });

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.StatAsync(Key("a/ab/Any.png"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public void Settings_ToString_LeavesTheSecretKeyOut()
    {
        var settings = new S3StoreSettings(new Uri("https://s3.example.test"), "media", "AKIDEXAMPLE", "very-secret", "eu-west-1");

        Assert.DoesNotContain("very-secret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FarmHost_S3StoreWithoutBucket_RefusesToStartAndNamesTheKey()
    {
        var settings = FarmSettings(("Type", "s3"), ("ServiceUrl", "http://127.0.0.1:6480"), ("AccessKey", "crosswiki:tests"), ("SecretKey", "secret"));

        var e = Assert.Throws<FarmHost.InvalidFarmException>(() => FarmHost.Build([], null, settings));

        Assert.Equal(["Farm:FileStore:Bucket: is required with the 's3' file store."], e.Errors);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "data")), "The refused farm created its data folder.");
    }

    [Fact]
    public async Task FarmHost_S3Store_RegistersTheS3FileStore()
    {
        var s3 = Settings();
        await using var app = FarmHost.Build([], null, FarmSettings(
            ("Type", "s3"), ("ServiceUrl", s3.ServiceUrl.ToString()), ("Bucket", s3.Bucket), ("AccessKey", s3.AccessKey), ("SecretKey", s3.SecretKey), ("Region", s3.Region)));

        Assert.IsType<S3FileStore>(app.Services.GetRequiredService<IFileStore>());
    }

    [Fact]
    public async Task FarmHost_NoFileStoreSection_UsesTheFolderInTheDataDirectory()
    {
        await using var app = FarmHost.Build([], null, FarmSettings());

        Assert.IsType<LocalFileStore>(app.Services.GetRequiredService<IFileStore>());
    }

    [Fact]
    public void Validate_S3StoreWithNothingSet_ReportsEveryMissingKey()
    {
        var result = FarmValidator.Validate(FarmSection(("Type", "s3"), ("Region", "")));

        Assert.Null(result.Farm);
        Assert.Equal(
        [
            "Farm:FileStore:ServiceUrl: is required with the 's3' file store (the store's URL, e.g. https://s3.eu-west-1.amazonaws.com).",
            "Farm:FileStore:Bucket: is required with the 's3' file store.",
            "Farm:FileStore:AccessKey: is required with the 's3' file store.",
            "Farm:FileStore:SecretKey: is required with the 's3' file store.",
            "Farm:FileStore:Region: must not be empty (requests are signed for a region; Swift's s3api takes its 'location', us-east-1 by default).",
        ],
            result.Errors);
    }

    [Theory]
    [InlineData("Type", "swift", "Farm:FileStore:Type: 'swift' is not a file store; use 'local' or 's3'.")]
    [InlineData("ServiceUrl", "s3.example.test", "Farm:FileStore:ServiceUrl: 's3.example.test' must be an http or https origin (scheme, host and optional port, no path).")]
    [InlineData("ServiceUrl", "https://s3.example.test/media", "Farm:FileStore:ServiceUrl: 'https://s3.example.test/media' must be an http or https origin (scheme, host and optional port, no path).")]
    [InlineData("Bucket", "Media_Files", "Farm:FileStore:Bucket: 'Media_Files' is not a bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.")]
    [InlineData("Buckett", "media", "Farm:FileStore:Buckett: unknown key; did you mean 'Bucket'?")]
    public void Validate_S3StoreBadSetting_IsAnErrorWithItsKeyPath(string key, string value, string error)
    {
        var settings = new Dictionary<string, string?> { ["Type"] = "s3", ["ServiceUrl"] = "https://s3.example.test", ["Bucket"] = "media", ["AccessKey"] = "id", ["SecretKey"] = "secret" };
        settings[key] = value;

        var result = FarmValidator.Validate(FarmSection([.. settings.Select(s => (s.Key, s.Value))]));

        Assert.Null(result.Farm);
        Assert.Equal([error], result.Errors);
    }

    [Fact]
    public void Validate_S3StoreComplete_IsCarriedInTheFarm()
    {
        var result = FarmValidator.Validate(FarmSection(("Type", "s3"), ("ServiceUrl", "https://s3.example.test:9000"), ("Bucket", "media.example"), ("AccessKey", "id"), ("SecretKey", "secret")));

        Assert.Empty(result.Errors);
        Assert.Equal(new S3StoreSettings(new Uri("https://s3.example.test:9000"), "media.example", "id", "secret", "us-east-1"), result.Farm!.S3Store);
    }

    [Fact]
    public void Validate_LocalStoreWithABucket_WarnsThatItIsNotUsed()
    {
        var result = FarmValidator.Validate(FarmSection(("Bucket", "media")));

        Assert.Empty(result.Errors);
        Assert.Null(result.Farm!.S3Store);
        Assert.Equal(["Farm:FileStore:Bucket: is not used by the 'local' file store; set Farm:FileStore:Type to 's3' to keep files in a bucket."], result.Warnings);
    }

    /// <summary>The store the README's test command started (tests/object-store.sh exports where it is).</summary>
    private static S3StoreSettings Settings()
    {
        string[] names = ["CROSSWIKI_S3_ENDPOINT", "CROSSWIKI_S3_BUCKET", "CROSSWIKI_S3_ACCESS_KEY", "CROSSWIKI_S3_SECRET_KEY", "CROSSWIKI_S3_REGION"];
        var values = names.Select(Environment.GetEnvironmentVariable).ToArray();
        Assert.True(values.All(v => !string.IsNullOrEmpty(v)),
            string.Join(", ", names) + " are not all set: run the README's test command (bash tests/run.sh), which starts an S3-compatible store (tests/object-store.sh).");
        return new S3StoreSettings(new Uri(values[0]!), values[1]!, values[2]!, values[3]!, values[4]!);
    }

    private IFileStore NewStore(string kind) => kind == "s3" ? NewS3Store() : new LocalFileStore(Path.Combine(_scratch, "store"));

    private S3FileStore NewS3Store(long multipartThreshold = S3FileStore.DefaultMultipartThreshold, long partSize = S3FileStore.DefaultPartSize)
    {
        var store = new S3FileStore(Settings(), multipartThreshold, partSize);
        _stores.Add(store);
        return store;
    }

    /// <summary>A plain client for what the store does not offer (metadata, bucket removal).</summary>
    private static AmazonS3Client RawClient()
    {
        var s = Settings();
        return new AmazonS3Client(new BasicAWSCredentials(s.AccessKey, s.SecretKey), new AmazonS3Config
        {
            ServiceURL = s.ServiceUrl.ToString(),
            AuthenticationRegion = s.Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    /// <summary>
    /// A folder of the layout (<c>{prefix}/a/ab/</c>) that already holds a file. The folder store throws
    /// DirectoryNotFoundException rather than FileNotFoundException for a key whose folder does not exist,
    /// against its interface's contract; the contract tests of missing keys use keys beside stored ones.
    /// </summary>
    private async Task<string> FolderWithAFileAsync(IFileStore store)
    {
        var folder = Key("a/ab/");
        await store.PutAsync(folder + "Sibling.png", await LocalFileAsync([1]), "image/png", CancellationToken.None);
        return folder;
    }

    /// <summary>A key of this test alone, in the wiki layout.</summary>
    private static string Key(string rest) => "test" + Guid.NewGuid().ToString("N")[..12] + "/" + rest;

    private async Task<string> LocalFileAsync(byte[] bytes)
    {
        var path = Path.Combine(_scratch, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>A file of random bytes written in pieces, and its SHA-256.</summary>
    private async Task<(string Path, byte[] Sha256)> BigFileAsync(int length)
    {
        var path = Path.Combine(_scratch, Guid.NewGuid().ToString("N"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = File.Create(path))
        {
            var piece = new byte[1 << 20];
            for (var left = length; left > 0; left -= piece.Length)
            {
                RandomNumberGenerator.Fill(piece);
                var count = Math.Min(left, piece.Length);
                hash.AppendData(piece, 0, count);
                await file.WriteAsync(piece.AsMemory(0, count));
            }
        }

        return (path, hash.GetHashAndReset());
    }

    private static async Task<byte[]> ReadAllAsync(IFileStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private Dictionary<string, string?> FarmSettings(params (string Key, string? Value)[] fileStore)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Farm:DataDirectory"] = Path.Combine(_scratch, "data"),
            ["Farm:Wikis:alpha:Server"] = "http://127.0.0.1:1",
        };
        foreach (var (key, value) in fileStore)
        {
            settings["Farm:FileStore:" + key] = value;
        }

        return settings;
    }

    private IConfigurationSection FarmSection(params (string Key, string? Value)[] fileStore) =>
        new ConfigurationBuilder().AddInMemoryCollection(FarmSettings(fileStore)).Build().GetSection("Farm");
}
