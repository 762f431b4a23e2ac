using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace CrossWiki.Server.Files;

/// <summary>
/// Serves uploaded files under the wiki's upload path (<c>/w/images/a/ab/Name.png</c>, old versions under
/// <c>archive/</c>), as their recorded type, with headers that keep an uploaded file from ever running
/// script on the wiki's origin (<c>Content-Security-Policy: default-src 'none'; sandbox</c>, <c>nosniff</c>),
/// <c>Access-Control-Allow-Origin: *</c> so pages of other origins can draw them on a canvas (as Wikimedia's
/// upload servers do), and ETag, Last-Modified, 304 and Range requests.
/// </summary>
internal sealed class FileServer(IDbContextFactory<WikiDbContext> dbFactory, IFileStore store, Thumbnails thumbnails)
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

        var ct = http.RequestAborted;
        string? key;
        string? mime;
        if (pathUnderUploadPath.StartsWith("/thumb/", StringComparison.Ordinal))
        {
            (key, mime) = await thumbnails.GetAsync(wiki, pathUnderUploadPath["/thumb".Length..], ct) is { } thumb ? (thumb.Key, thumb.Mime) : (null, null);
        }
        else
        {
            key = FileNames.KeyOfPath(wiki.Id, pathUnderUploadPath);
            mime = key is null ? null : await MimeAsync(wiki.Id, pathUnderUploadPath, ct);
        }

        var stored = mime is null ? null : await store.StatAsync(key!, ct);
        if (stored is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("404 Not Found: the file does not exist.", ct);
            return;
        }

        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.CacheControl = "public, max-age=3600";
        var stream = await store.OpenReadAsync(key!, ct);
        await Results.File(stream, mime, lastModified: stored.LastModified, entityTag: EntityTagHeaderValue.Parse(stored.ETag), enableRangeProcessing: stream.CanSeek)
            .ExecuteAsync(http);
    }

    /// <summary>The recorded type of the file (current or old version) the path names; null when there is no such version.</summary>
    private async Task<string?> MimeAsync(string wikiId, string pathUnderUploadPath, CancellationToken ct)
    {
        var name = pathUnderUploadPath[(pathUnderUploadPath.LastIndexOf('/') + 1)..];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (pathUnderUploadPath.StartsWith("/archive/", StringComparison.Ordinal))
        {
            return await db.OldFiles.AsNoTracking().Where(f => f.WikiId == wikiId && f.ArchiveName == name).Select(f => f.Mime).FirstOrDefaultAsync(ct);
        }

        return await db.Files.AsNoTracking().Where(f => f.WikiId == wikiId && f.Name == name).Select(f => f.Mime).FirstOrDefaultAsync(ct);
    }
}
