namespace CrossWiki.Server.Files;

/// <summary>What the file store knows of one stored object.</summary>
internal sealed record StoredObject(long Length, DateTimeOffset LastModified, string ETag);

/// <summary>
/// Where the bytes of uploaded files, stashed uploads and their chunks live, by key (<c>{wiki}/a/ab/Name.png</c>,
/// MediaWiki's hashed layout under the wiki's id). The one seam between the wiki and its storage: a folder
/// by default (<see cref="LocalFileStore"/>); the database keeps what a file is, the store only its bytes.
/// </summary>
internal interface IFileStore
{
    /// <summary>Stores the content of a local file under the key, replacing what was there; readers see the old or the new object, never a part.</summary>
    Task PutAsync(string key, string localPath, string contentType, CancellationToken ct);

    /// <summary>The object's length and dates, or null when there is none.</summary>
    Task<StoredObject?> StatAsync(string key, CancellationToken ct);

    /// <summary>Opens the object for reading (seekable where the store allows it); throws <see cref="FileNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Copies an object to another key (an old version into the archive).</summary>
    Task CopyAsync(string fromKey, string toKey, CancellationToken ct);

    /// <summary>
    /// Moves an object to another key, replacing what was there (a published upload into place); readers of the
    /// target see the old or the new object. A folder renames the file; an object store copies inside itself.
    /// </summary>
    Task MoveAsync(string fromKey, string toKey, CancellationToken ct);

    /// <summary>Removes the object; nothing happens when there is none.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>
/// The file store in a folder (<c>{DataDirectory}/images</c>), readable only by the server's user. A put
/// writes a temporary file beside the target and renames it over the target, so a reader never sees half a file.
/// </summary>
internal sealed class LocalFileStore : IFileStore
{
    private readonly string _root;

    public LocalFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The local path of a key: refuses keys that would leave the store's folder.</summary>
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The key {key} is outside the file store.", nameof(key));
        }

        return path;
    }

    public Task PutAsync(string key, string localPath, string contentType, CancellationToken ct) =>
        ReplaceAsync(key, async temporary =>
        {
            await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var destination = NewFile(temporary);
            await source.CopyToAsync(destination, 128 * 1024, ct);
        });

    /// <summary>Writes the key's new content beside it with <paramref name="write"/>, then renames it over the old one.</summary>
    private async Task ReplaceAsync(string key, Func<string, Task> write)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".part-" + Guid.NewGuid().ToString("N");
        try
        {
            await write(temporary);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<StoredObject?> StatAsync(string key, CancellationToken ct)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new StoredObject(info.Length, info.LastWriteTimeUtc, ETagOf(info)) : null);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous));
        }
        catch (DirectoryNotFoundException e)
        {
            // A missing key is a missing file, whether or not its folder exists (the seam's contract).
            throw new FileNotFoundException($"No object {key} in the file store.", key, e);
        }
    }

    public async Task CopyAsync(string fromKey, string toKey, CancellationToken ct)
    {
        var source = PathOf(fromKey);
        try
        {
            await ReplaceAsync(toKey, temporary =>
            {
                File.Copy(source, temporary);
                return Task.CompletedTask;
            });
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FileNotFoundException($"No object {fromKey} in the file store.", fromKey, e);
        }
    }

    public Task MoveAsync(string fromKey, string toKey, CancellationToken ct)
    {
        var source = PathOf(fromKey);
        var target = PathOf(toKey);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(source, target, overwrite: true);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FileNotFoundException($"No object {fromKey} in the file store.", fromKey, e);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>A new file only the server's user can read and write (uploads are served by the server, not the file system).</summary>
    internal static FileStream NewFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static string ETagOf(FileInfo info) =>
        "\"" + info.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-"
        + info.LastWriteTimeUtc.Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\"";
}
