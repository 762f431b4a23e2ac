using System.Text.Json.Nodes;

namespace CrossWiki.Client;

/// <content>Uploads: <c>action=upload</c> in one request or in chunks, as <c>mw.Api#upload</c> and <c>#chunkedUpload</c>.</content>
public partial class WikiApi
{
    /// <summary>The chunk size of <see cref="UploadAsync"/> unless told otherwise (mw.Api#chunkedUpload's 5 MiB).</summary>
    public const int DefaultUploadChunkSize = 5 * 1024 * 1024;

    /// <summary>
    /// Uploads <paramref name="content"/> as <c>File:</c><paramref name="fileName"/>, as <c>mw.Api#upload</c> and
    /// <c>#chunkedUpload</c> do: in one request when it fits in one chunk, else in chunks of <paramref name="chunkSize"/>
    /// bytes to the stash (a chunk that fails is sent once more; when the wiki had it already, its answer lost, the upload goes on from where the wiki says it stands), then
    /// published from the stash. <paramref name="progress"/> gets the share sent after each chunk.
    /// </summary>
    /// <param name="fileName">The name on the wiki, without <c>File:</c>.</param>
    /// <param name="content">The file; read from its current position to its end (its length must be known).</param>
    /// <param name="comment">The upload comment, and the new File page's text unless <paramref name="text"/> is given.</param>
    /// <param name="text">The new File page's text.</param>
    /// <param name="ignoreWarnings">Upload even if the wiki warns (the name exists, the same file exists...).</param>
    /// <param name="chunkSize">Bytes per chunk (at least 1,024).</param>
    /// <param name="progress">Told the share sent so far.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The <c>upload</c> object of the answer (<c>result</c> <c>Success</c>, <c>filename</c>, <c>imageinfo</c>).</returns>
    /// <exception cref="WikiApiException">The answer is an error, or has warnings (<see cref="WikiApiException.Code"/>
    /// is the first warning's name, and <see cref="WikiApiException.Result"/> the answer with its <c>filekey</c>).</exception>
    public async Task<JsonNode> UploadAsync(string fileName, Stream content, string? comment = null, string? text = null, bool ignoreWarnings = false,
        int chunkSize = DefaultUploadChunkSize, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1024);
        var size = content.Length - content.Position;
        var publish = new List<KeyValuePair<string, object?>>
        {
            new("action", "upload"), new("filename", fileName), new("comment", comment), new("text", text), new("ignorewarnings", ignoreWarnings), new("formatversion", 2),
        };
        if (size <= chunkSize)
        {
            var whole = new byte[size];
            await content.ReadExactlyAsync(whole, cancellationToken).ConfigureAwait(false);
            var answer = await PostUploadAsync(publish, new FilePart("file", fileName, whole), cancellationToken).ConfigureAwait(false);
            progress?.Report(1);
            return answer;
        }

        var buffer = new byte[chunkSize];
        string? fileKey = null;
        long offset = 0;
        var retried = false;
        var start = content.Position;
        while (true)
        {
            content.Position = start + offset;
            var length = (int)Math.Min(chunkSize, size - offset);
            await content.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            var chunk = new List<KeyValuePair<string, object?>>
            {
                new("action", "upload"), new("filename", fileName), new("stash", true), new("ignorewarnings", true), new("formatversion", 2),
                new("filesize", size), new("offset", offset), new("filekey", fileKey),
            };
            JsonNode answer;
            try
            {
                answer = await PostUploadAsync(chunk, new FilePart("chunk", fileName, buffer.AsMemory(0, length)), cancellationToken).ConfigureAwait(false);
            }
            catch (WikiApiException e) when (fileKey is not null && e.Code == "stashfailed" && e.Result?["error"]?["offset"]?.GetValue<long>() is long at && at > offset)
            {
                // The wiki already has this chunk (its answer was lost): go on from where the wiki says the upload stands.
                offset = at;
                continue;
            }
            catch (Exception e) when (!retried && IsFailedChunk(e, cancellationToken))
            {
                // Once per chunk, as mw.Api#chunkedUpload: the same chunk again.
                retried = true;
                continue;
            }

            retried = false;
            fileKey = answer["filekey"]!.GetValue<string>();
            if (answer["result"]?.GetValue<string>() != "Continue")
            {
                progress?.Report(1);
                break;
            }

            offset = answer["offset"]!.GetValue<long>();
            progress?.Report((double)offset / size);
        }

        publish.Add(new("filekey", fileKey));
        return await PostUploadAsync(publish, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A chunk worth sending again: the connection failed or timed out, the wiki failed (5xx), or it lost the stash.</summary>
    private static bool IsFailedChunk(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        WikiApiException w => w.Code == "stashfailed" || w.StatusCode >= 500,
        _ => false,
    };

    /// <summary>An upload POST with a CSRF token (one badtoken retry, as <see cref="PostWithTokenAsync"/>); warnings fail it.</summary>
    private async Task<JsonNode> PostUploadAsync(List<KeyValuePair<string, object?>> parameters, FilePart? file, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync("csrf", cancellationToken).ConfigureAwait(false);
        JsonNode answer;
        try
        {
            answer = await SendApiAsync(HttpMethod.Post, WithToken(parameters, token), cancellationToken, file).ConfigureAwait(false);
        }
        catch (WikiApiException e) when (e.Code == "badtoken")
        {
            BadToken("csrf");
            token = await GetTokenAsync("csrf", cancellationToken).ConfigureAwait(false);
            answer = await SendApiAsync(HttpMethod.Post, WithToken(parameters, token), cancellationToken, file).ConfigureAwait(false);
        }

        var upload = answer["upload"] ?? throw new WikiApiException("unknown-error", "The answer has no upload result.", answer);
        if (upload["warnings"] is JsonObject warnings && warnings.Count > 0 && upload["result"]?.GetValue<string>() == "Warning")
        {
            var first = warnings.First().Key;
            throw new WikiApiException(first, $"The upload has warnings: {string.Join(", ", warnings.Select(w => w.Key))}.", answer);
        }

        return upload;
    }
}
