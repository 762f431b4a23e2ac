using System.Security.Cryptography;

namespace CrossWiki.Server.Files;

/// <summary>
/// A file a request sent (a multipart part of <c>file</c> or <c>chunk</c>), streamed into a temporary file
/// as it arrived, with its SHA-1 worked out on the way. Deleted when the response is done (registered for
/// dispose), so a request never leaves one behind.
/// </summary>
internal sealed class UploadedFile : IDisposable
{
    private UploadedFile(string path, string fileName, long length, bool tooLarge, string sha1)
    {
        Path = path;
        FileName = fileName;
        Length = length;
        TooLarge = tooLarge;
        Sha1 = sha1;
    }

    /// <summary>Where the bytes are, until the response is done.</summary>
    public string Path { get; }

    /// <summary>The file name the client gave the part.</summary>
    public string FileName { get; }

    /// <summary>The bytes kept (all of them unless <see cref="TooLarge"/>).</summary>
    public long Length { get; }

    /// <summary>The part was longer than the limit; only its start was kept.</summary>
    public bool TooLarge { get; }

    /// <summary>The SHA-1 of the content, 40 lower-case hex digits.</summary>
    public string Sha1 { get; }

    /// <summary>Copies <paramref name="content"/> into a new file of <paramref name="directory"/>, keeping at most <paramref name="maxBytes"/>; the rest is read and dropped.</summary>
    public static async Task<UploadedFile> ReceiveAsync(Stream content, string fileName, string directory, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "upload-" + Guid.NewGuid().ToString("N"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        long length = 0;
        var tooLarge = false;
        try
        {
            await using var file = LocalFileStore.NewFile(path);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                if (tooLarge || length + read > maxBytes)
                {
                    tooLarge = true;
                    continue;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return new UploadedFile(path, fileName, length, tooLarge, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The SHA-1 of a local file, 40 lower-case hex digits.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "MediaWiki's img_sha1: duplicate detection that clients compare, not a security measure.")]
    public static async Task<string> Sha1OfAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA1.HashDataAsync(file, ct));
    }

    public void Dispose() => File.Delete(Path);
}
