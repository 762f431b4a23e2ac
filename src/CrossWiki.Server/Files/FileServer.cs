using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace CrossWiki.Server.Files;

/// <summary>
/// Serves uploaded files under the wiki's upload path (<c>/w/images/a/ab/Name.png</c>, old versions under
/// <c>archive/</c>), as their recorded type, with headers that keep an uploaded file from ever running
/// script on the wiki's origin (<c>Content-Security-Policy: default-src 'none'; sandbox</c>, <c>nosniff</c>),
/// <c>Access-Control-Allow-Origin: *</c> so pages of other origins can draw them on a canvas (as Wikimedia's
/// upload servers do), and ETag, Last-Modified, 304 and Range requests.
/// </summary>
internal sealed class FileServer(IFileStore store, Thumbnails thumbnails)
{
    public async Task ServeAsync(HttpContext http, Wiki wiki, string pathUnderUploadPath)
    {
        var response = http.Response;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        // The type follows from the name: an upload whose content is not what its extension says is refused
        // (filetype-mime-mismatch), so no file here is served as anything but its own type.
        var ct = http.RequestAborted;
        var thumb = pathUnderUploadPath.StartsWith("/thumb/", StringComparison.Ordinal);
        var key = thumb ? Thumbnails.KeyOfPath(wiki.Id, pathUnderUploadPath["/thumb".Length..]) : FileNames.KeyOfPath(wiki.Id, pathUnderUploadPath);
        var mime = key is null ? null : MimeOf(key);
        var stored = mime is null ? null : await store.StatAsync(key!, ct);
        if (stored is null && mime is not null && thumb && await thumbnails.GetAsync(wiki, pathUnderUploadPath["/thumb".Length..], ct) is not null)
        {
            stored = await store.StatAsync(key!, ct);
        }

        await SendAsync(http, key!, mime, stored, everyone: true);
    }

    /// <summary>
    /// A stashed file, for its owner only (Special:UploadStash/file/KEY): the same protective headers, kept out of
    /// shared caches and other origins. A file with no upload type (a refused name's bytes) is sent as bytes to save.
    /// </summary>
    public async Task ServeStashedAsync(HttpContext http, Wiki wiki, StashedFile entry)
    {
        var key = FileNames.StashKey(wiki.Id, entry.Key);
        var mime = MimeOf(entry.OriginalName) ?? "application/octet-stream";
        await SendAsync(http, key, mime, await store.StatAsync(key, http.RequestAborted), everyone: false);
    }

    private async Task SendAsync(HttpContext http, string key, string? mime, StoredObject? stored, bool everyone)
    {
        var response = http.Response;
        if (stored is null || mime is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("404 Not Found: the file does not exist.", http.RequestAborted);
            return;
        }

        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        if (everyone)
        {
            response.Headers.AccessControlAllowOrigin = "*";
        }

        response.Headers.CacheControl = everyone ? "public, max-age=3600" : "private, max-age=0";
        var stream = await store.OpenReadAsync(key, http.RequestAborted);
        await Results.File(stream, mime, lastModified: stored.LastModified, entityTag: EntityTagHeaderValue.Parse(stored.ETag), enableRangeProcessing: stream.CanSeek)
            .ExecuteAsync(http);
    }

    /// <summary>The type of a stored file by its extension (the one MediaWiki's map gives it); null for a name no upload can have.</summary>
    internal static string? MimeOf(string key)
    {
        var extension = Path.GetExtension(key).TrimStart('.').ToLowerInvariant();
        return UploadRules.Default.FileExtensions.Contains(extension) ? FileSniffing.MimeOfExtension(extension) : null;
    }
}
