using CrossWiki.Server.Files;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>A file store whose service is down: every call fails as a network error would.</summary>
internal sealed class UnreachableFileStore : IFileStore
{
    private static HttpRequestException Down() => new("Connection refused (127.0.0.1:1)");

    public Task PutAsync(string key, string localPath, string contentType, CancellationToken ct) => throw Down();

    public Task<StoredObject?> StatAsync(string key, CancellationToken ct) => throw Down();

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => throw Down();

    public Task CopyAsync(string fromKey, string toKey, CancellationToken ct) => throw Down();

    public Task MoveAsync(string fromKey, string toKey, CancellationToken ct) => throw Down();

    public Task DeleteAsync(string key, CancellationToken ct) => throw Down();
}
