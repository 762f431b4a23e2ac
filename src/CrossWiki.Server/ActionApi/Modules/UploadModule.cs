using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Files;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=upload (ApiUpload): a file sent whole (<c>file</c>), in chunks (<c>chunk</c>, <c>offset</c>,
/// <c>filesize</c>) or from the stash (<c>filekey</c>), checked in ApiUpload's order: one source, the file
/// name, the right to upload, the name's extension and the content (<see cref="FileVerifier"/>), the right
/// to (over)write the title, then the warnings, which stash the file and answer <c>Warning</c> unless
/// <c>ignorewarnings</c>. Upload by URL is off, as on a default MediaWiki.
/// </summary>
internal sealed class UploadModule : ApiModule
{
    /// <summary>MediaWiki's <c>$wgMinUploadChunkSize</c>: every chunk but the last must have at least this many bytes.</summary>
    public const int MinChunkBytes = 1024;

    public override string Name => "upload";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    public override string Description => "Upload a file, or get the status of pending uploads.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("filename") { Help = "Target filename." },
        new("comment") { Default = "", Help = "Upload comment. Also used as the initial page text for new files if text is not specified." },
        new("tags") { Multi = true, Help = "Change tags to apply to the upload log entry and file page revision." },
        new("text", ApiParamType.Text) { Help = "Initial page text for new files." },
        new("watch", ApiParamType.Boolean) { Help = "Deprecated." },
        new("watchlist", ApiParamType.Enum) { Values = ["nochange", "preferences", "watch"], Default = "preferences", Help = "Unconditionally add or remove the page from the current user's watchlist, use preferences or do not change watch." },
        ApiWatchlist.ExpiryParam,
        new("ignorewarnings", ApiParamType.Boolean) { Help = "Ignore any warnings." },
        new("file", ApiParamType.Upload) { Help = "File contents." },
        new("url") { Help = "URL to fetch the file from." },
        new("filekey") { Help = "Key that identifies a previous upload that was stashed temporarily." },
        new("sessionkey") { Help = "Same as filekey, maintained for backward compatibility." },
        new("stash", ApiParamType.Boolean) { Help = "If set, the server will stash the file temporarily instead of adding it to the repository." },
        new("filesize", ApiParamType.Integer) { Min = 0, Max = (int)ApiRequest.MaxUploadBytes, Help = "Filesize of entire upload." },
        new("offset", ApiParamType.Integer) { Min = 0, Help = "Offset of chunk in bytes." },
        new("chunk", ApiParamType.Upload) { Help = "Chunk contents." },
        new("async", ApiParamType.Boolean) { Help = "Make potentially large file operations asynchronous when possible." },
        new("checkstatus", ApiParamType.Boolean) { Help = "Only fetch the upload status for the given file key." },
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        try
        {
            await UploadAsync(ctx);
        }
        catch (UploadRefusedException e)
        {
            throw ErrorOf(e);
        }
    }

    /// <summary>A refusal as ApiUpload words it: a recoverable one carries the stashed file's key and the parameter to change.</summary>
    private static ApiError ErrorOf(UploadRefusedException refusal)
    {
        var data = refusal.Extra;
        if (refusal.Recoverable)
        {
            data ??= [];
            if (refusal.FileKey is { } key)
            {
                data["filekey"] = key;
                data["sessionkey"] = key;
            }

            data["invalidparameter"] = "filename";
        }

        return new ApiError(refusal.Code, refusal.Message, data: data);
    }

    private async Task UploadAsync(ApiContext ctx)
    {
        var files = ctx.Services.Files;
        var file = ctx.Request.GetUpload("file");
        var chunk = ctx.Request.GetUpload("chunk");
        var fileKey = GetString(ctx, "filekey") ?? GetString(ctx, "sessionkey");
        var url = GetString(ctx, "url");
        var filename = GetString(ctx, "filename");

        // ApiUpload::selectUploadModule: a chunk, or exactly one of filekey, file and url.
        if (chunk is null)
        {
            RequireOnlyOne(("filekey", fileKey), ("file", file), ("url", url));
        }

        if (fileKey is not null && GetBool(ctx, "checkstatus"))
        {
            await CheckStatusAsync(ctx, fileKey);
            return;
        }

        if (filename is null)
        {
            throw ApiError.MissingParam("filename");
        }

        var offset = GetInt(ctx, "offset") ?? 0;
        if (chunk is not null)
        {
            if (fileKey is not null && offset == 0)
            {
                throw new ApiError("filekeynotallowed", "Cannot supply a filekey when offset is 0.");
            }

            if (fileKey is null && offset != 0)
            {
                throw new ApiError("filekeyneeded", "Must supply a filekey when offset is non-zero.");
            }
        }
        else if (fileKey is not null && !FileRepository.IsValidKey(fileKey))
        {
            throw new ApiError("invalid-file-key", "Not a valid file key.");
        }
        else if (url is not null)
        {
            throw new ApiError("copyuploaddisabled", "Upload by URL disabled.");
        }

        await ctx.Services.Uploader.CheckRightAsync(ctx.Wiki, ctx.User, ctx.Aborted);

        // A stashed file: it must be the user's, whole, and unexpired.
        var uploader = ctx.Services.Uploader;
        var stashed = chunk is null && fileKey is not null ? await uploader.FindStashedAsync(ctx.Wiki, ctx.User, fileKey, ctx.Aborted) : null;
        var upload = uploader.Start(ctx.Wiki, ctx.User, filename, file, stashed, ctx.Http.Response, ctx.Aborted);
        if (chunk is not null)
        {
            var fileSize = GetInt(ctx, "filesize") ?? 0;
            if (fileSize > ApiRequest.MaxUploadBytes)
            {
                throw new ApiError("file-too-large", "The file you submitted was too large.");
            }

            if (upload.Title is null)
            {
                throw new ApiError("illegal-filename", "The filename is not allowed.");
            }
        }
        else
        {
            await upload.VerifyAsync();
        }

        if (!GetBool(ctx, "stash"))
        {
            await upload.CheckTitlePermissionsAsync();
        }

        var warnings = await upload.WarningsAsync();
        JsonObject result;
        if (warnings.Count > 0 && !GetBool(ctx, "ignorewarnings"))
        {
            result = new JsonObject { ["result"] = "Warning", ["warnings"] = warnings };
            AddFileKey(result, await upload.StashAsync());
        }
        else if (chunk is not null)
        {
            result = await ChunkAsync(ctx, upload, chunk, fileKey, offset, warnings);
        }
        else if (GetBool(ctx, "stash"))
        {
            result = new JsonObject { ["result"] = "Success" };
            if (warnings.Count > 0)
            {
                result["warnings"] = warnings;
            }

            AddFileKey(result, await upload.StashAsync());
        }
        else
        {
            var record = await upload.PublishAsync(GetString(ctx, "comment") ?? "", GetString(ctx, "text"));
            result = new JsonObject { ["result"] = "Success", ["filename"] = record.Name };
            if (warnings.Count > 0)
            {
                result["warnings"] = warnings;
            }

            var pageId = 0;
            await using (var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted))
            {
                pageId = (await PageReads.PageByTitleAsync(db, ctx.Wiki.Id, NamespaceTable.File, record.Name, ctx.Aborted))?.Id ?? 0;
            }

            result["imageinfo"] = ImageInfo.Describe(ctx.Wiki, record.Name, pageId, FileVersion.Of(record), null, ImageInfo.ForUpload);
            var expiry = ApiWatchlist.Expiry(ctx, Name, GetString(ctx, "watchlistexpiry"), out var expiryGiven);
            await ApiWatchlist.ApplyAsync(ctx, Title.Create(ctx.Wiki.Namespaces, NamespaceTable.File, record.Name), GetBool(ctx, "watch") ? "watch" : GetString(ctx, "watchlist")!,
                expiry, expiryGiven, created: false);
        }

        ctx.Result.Data[Name] = result;
    }

    /// <summary>ApiUpload::getChunkResult: store the chunk; after the last one, put the file together, verify it and stash it whole.</summary>
    private async Task<JsonObject> ChunkAsync(ApiContext ctx, PendingUpload upload, UploadedFile chunk, string? fileKey, int offset, JsonObject warnings)
    {
        var files = ctx.Services.Files;
        var fileSize = GetInt(ctx, "filesize") ?? 0;
        var total = offset + chunk.Length;
        if (total > fileSize)
        {
            throw new ApiError("invalid-chunk", "Offset plus current chunk is greater than claimed file size.");
        }

        if (total != fileSize && chunk.Length < MinChunkBytes)
        {
            throw new ApiError("chunk-too-small", $"Minimum chunk size is {MinChunkBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes for non-final chunks.");
        }

        var result = new JsonObject();
        if (warnings.Count > 0)
        {
            result["warnings"] = warnings;
        }

        StashedFile entry;
        if (offset == 0)
        {
            entry = await files.StartChunksAsync(ctx.Wiki, ctx.User, upload.DesiredName, fileSize, chunk, ctx.Aborted);
            fileKey = entry.Key;
        }
        else
        {
            entry = await files.GetStashedAsync(ctx.Wiki, ctx.User, fileKey!, ctx.Aborted)
                ?? throw new ApiError("stashfailed", "No chunked upload session with this key.");
            if (entry.Stage != "chunks")
            {
                throw new ApiError("stashfailed", "Chunked upload is already completed, check status for details.");
            }

            if (!await files.AddChunkAsync(ctx.Wiki, entry, offset, chunk, ctx.Aborted))
            {
                // The client can send the chunk again from where the upload stands (mw.Api retries a failed chunk).
                throw new ApiError("stashfailed", $"The chunk's offset {offset.ToString(CultureInfo.InvariantCulture)} is not where the upload stands ({entry.Size.ToString(CultureInfo.InvariantCulture)} bytes).",
                    data: new JsonObject { ["offset"] = entry.Size });
            }
        }

        if (total < fileSize)
        {
            result["result"] = "Continue";
            result["offset"] = total;
            result["filekey"] = fileKey;
            return result;
        }

        // The last chunk: the whole file is verified as a file sent at once would be, then stashed under a new key.
        var path = await files.AssembleAsync(ctx.Wiki, entry, ctx.Http.Response, ctx.Aborted);
        await files.UnstashAsync(ctx.Wiki, entry, ctx.Aborted);
        var whole = await upload.FromLocalFileAsync(path);
        await whole.VerifyAsync();
        var afterWarnings = await whole.WarningsAsync();
        if (afterWarnings.Count > 0)
        {
            result["warnings"] = afterWarnings;
        }

        result["result"] = "Success";
        result["filekey"] = await whole.StashAsync();
        return result;
    }

    /// <summary>The stashed file's key, as <c>filekey</c> and the older <c>sessionkey</c>.</summary>
    private static void AddFileKey(JsonObject result, string? key)
    {
        if (key is not null)
        {
            result["filekey"] = key;
            result["sessionkey"] = key;
        }
    }

    /// <summary>checkstatus: where a chunked upload stands; a finished one has no status any more (MediaWiki clears it).</summary>
    private static async Task CheckStatusAsync(ApiContext ctx, string fileKey)
    {
        var entry = await ctx.Services.Files.GetStashedAsync(ctx.Wiki, ctx.User, fileKey, ctx.Aborted);
        if (entry is not { Stage: "chunks" })
        {
            throw new ApiError("missingresult", "No result in status data.");
        }

        ctx.Result.Data["upload"] = new JsonObject { ["result"] = "Continue", ["stage"] = "uploading", ["offset"] = entry.Size };
    }
}
