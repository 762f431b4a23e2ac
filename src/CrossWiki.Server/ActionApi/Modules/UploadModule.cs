using System.Globalization;
using System.Text;
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

        CheckPermissions(ctx);

        // A stashed file: it must be the user's, whole, and unexpired.
        StashedFile? stashed = null;
        if (chunk is null && fileKey is not null)
        {
            stashed = await files.GetStashedAsync(ctx.Wiki, ctx.User, fileKey, ctx.Aborted);
            if (stashed is not { Stage: "finished" })
            {
                throw new ApiError("stashfailed", $"Could not find the file in the stash: {fileKey}.");
            }
        }

        var upload = new Upload(ctx, filename, file, stashed);
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
            await upload.StashIntoAsync(result);
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

            await upload.StashIntoAsync(result);
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
        }

        ctx.Result.Data[Name] = result;
    }

    /// <summary>ApiUpload::getChunkResult: store the chunk; after the last one, put the file together, verify it and stash it whole.</summary>
    private async Task<JsonObject> ChunkAsync(ApiContext ctx, Upload upload, UploadedFile chunk, string? fileKey, int offset, JsonObject warnings)
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
        var stashResult = new JsonObject();
        await whole.StashIntoAsync(stashResult);
        result["filekey"] = stashResult["filekey"]!.DeepClone();
        return result;
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

    /// <summary>ApiUpload::checkPermissions: the <c>upload</c> right; anonymous users are asked to log in.</summary>
    private static void CheckPermissions(ApiContext ctx)
    {
        if (ctx.User.HasRight("upload"))
        {
            return;
        }

        throw ctx.User.IsAnonymous
            ? new ApiError("notloggedin", "You must be logged in to upload this file.")
            : new ApiError("permissiondenied", "The action you have requested is limited to users in one of the groups: Users, Administrators.");
    }

    /// <summary>One upload being checked: its name, title, local bytes and what they are.</summary>
    private sealed class Upload(ApiContext ctx, string desiredName, UploadedFile? sent, StashedFile? stashed)
    {
        private string? _path = sent?.Path;
        private long _size = sent?.Length ?? stashed?.Size ?? 0;
        private string? _sha1 = sent?.Sha1 ?? (stashed is { Sha1.Length: > 0 } ? stashed.Sha1 : null);
        private FileFacts? _facts;

        public string DesiredName { get; } = desiredName;

        public Title? Title { get; } = FileNames.Normalize(desiredName, ctx.Wiki.Namespaces);

        private FileRepository Files => ctx.Services.Files;

        /// <summary>The same upload, now with the bytes of a local file (the chunks put together).</summary>
        public async Task<Upload> FromLocalFileAsync(string path)
        {
            var whole = new Upload(ctx, DesiredName, null, null) { _path = path, _size = new FileInfo(path).Length };
            whole._sha1 = await UploadedFile.Sha1OfAsync(path, ctx.Aborted);
            return whole;
        }

        /// <summary>UploadBase::verifyUpload: the size, the name, then the content.</summary>
        public async Task VerifyAsync()
        {
            if (sent is { TooLarge: true })
            {
                throw new ApiError("file-too-large", "The file you submitted was too large.");
            }

            if (_size == 0)
            {
                throw new ApiError("empty-file", "The file you submitted was empty.");
            }

            if (Title is null)
            {
                throw await RecoverableAsync("illegal-filename", "The filename is not allowed.", new JsonObject { ["filename"] = DesiredName });
            }

            // UploadBase::verifyUpload: the content first (FileVerifier ends with the name's extension), then the name's length.
            var name = Title.DbKey;
            _path ??= await Files.FetchStashedAsync(ctx.Wiki, stashed!, ctx.Http.Response, ctx.Aborted);
            FileVerification verdict;
            await using (var content = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous))
            {
                verdict = FileVerifier.Verify(content, name, UploadRules.Default);
            }

            if (verdict.Refusal is { Code: "filetype-missing" } missing)
            {
                throw await RecoverableAsync(missing.Code, missing.Info);
            }

            if (verdict.Refusal is { } refusal)
            {
                var data = refusal.Code == "filetype-banned"
                    ? new JsonObject { ["filetype"] = FileVerifier.ExtensionOf(name), ["allowed"] = new JsonArray([.. UploadRules.Default.FileExtensions.Select(e => (JsonNode)e)]) }
                    : refusal.Details is { } details ? new JsonObject { ["details"] = new JsonArray([.. details.Select(d => (JsonNode)d)]) } : null;
                throw new ApiError(refusal.Code, refusal.Info, data: data);
            }

            if (name.Length - FileVerifier.ExtensionOf(name).Length - 1 < 1)
            {
                throw await RecoverableAsync("filename-tooshort", "The filename is too short.");
            }

            if (Encoding.UTF8.GetByteCount(name) > FileNames.MaxNameBytes)
            {
                throw await RecoverableAsync("filename-toolong", "The filename is too long.");
            }

            _facts = verdict.Facts;
        }

        /// <summary>
        /// UploadBase::verifyTitlePermissions: creating the File page, and overwriting an existing file
        /// (<c>reupload</c>, or <c>reupload-own</c> when the user uploaded the current version).
        /// </summary>
        public async Task CheckTitlePermissionsAsync()
        {
            if (Title is null)
            {
                return;
            }

            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var page = await PageReads.PageByTitleAsync(db, ctx.Wiki.Id, Title.Namespace, Title.DbKey, ctx.Aborted);
            if (EditPermissions.Check(ctx.User, Title, page is null, ctx.Wiki.Sitename) is { } refusal)
            {
                throw await RecoverableAsync(refusal.Code, refusal.Message);
            }

            var current = await Files.GetAsync(ctx.Wiki.Id, Title.DbKey, ctx.Aborted);
            if (current is not null && !ctx.User.HasRight("reupload") && !(ctx.User.HasRight("reupload-own") && current.UserId == ctx.User.Id && !ctx.User.IsAnonymous))
            {
                throw await RecoverableAsync("fileexists-forbidden", "A file with this name already exists, and cannot be overwritten. Please go back and upload this file under a new name.");
            }
        }

        /// <summary>UploadBase::checkWarnings, as ApiUpload::transformWarnings words them.</summary>
        public async Task<JsonObject> WarningsAsync()
        {
            var warnings = new JsonObject();
            if (Title is null)
            {
                return warnings;
            }

            var name = Title.DbKey;
            var comparable = DesiredName.Replace(' ', '_');
            comparable = comparable.Length > 0 ? char.ToUpperInvariant(comparable[0]) + comparable[1..] : comparable;
            if (DesiredName != name && comparable != name)
            {
                warnings["badfilename"] = name;
            }

            var current = await Files.GetAsync(ctx.Wiki.Id, name, ctx.Aborted);
            if (current is not null)
            {
                if (_sha1 is not null && current.Sha1 == _sha1)
                {
                    warnings["nochange"] = new JsonObject { ["timestamp"] = Timestamps.Iso(current.Timestamp) };
                }
                else
                {
                    warnings["exists"] = name;
                }
            }
            else if (await NormalizedTwinAsync(name) is { } twin)
            {
                warnings["exists-normalized"] = twin;
            }

            if (_sha1 is not null)
            {
                var duplicates = (await Files.DuplicatesAsync(ctx.Wiki.Id, _sha1, ctx.Aborted)).Where(d => d != name).ToList();
                if (duplicates.Count > 0)
                {
                    warnings["duplicate"] = new JsonArray([.. duplicates.Select(d => (JsonNode)d)]);
                }

                var versions = await Files.DuplicateVersionsAsync(ctx.Wiki.Id, name, _sha1, ctx.Aborted);
                if (versions.Count > 0)
                {
                    warnings["duplicateversions"] = new JsonArray([.. versions.Select(t => (JsonNode)new JsonObject { ["timestamp"] = Timestamps.Iso(t) })]);
                }
            }

            return warnings;
        }

        /// <summary>A file whose name differs only in the extension's case (<c>Foo.JPG</c> for <c>Foo.jpg</c>): MediaWiki's exists-normalized.</summary>
        private async Task<string?> NormalizedTwinAsync(string name)
        {
            var dot = name.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            var stem = name[..(dot + 1)];
            var extension = name[(dot + 1)..];
            var candidates = new HashSet<string>(StringComparer.Ordinal) { stem + extension.ToLowerInvariant(), stem + extension.ToUpperInvariant() };
            candidates.Remove(name);
            var found = await Files.GetManyAsync(ctx.Wiki.Id, candidates, ctx.Aborted);
            return found.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
        }

        /// <summary>Stashes the bytes (a file already in the stash keeps its key) and adds <c>filekey</c> and <c>sessionkey</c>.</summary>
        public async Task StashIntoAsync(JsonObject result)
        {
            string key;
            if (stashed is not null)
            {
                key = stashed.Key;
            }
            else if (_path is null)
            {
                return;
            }
            else
            {
                var facts = _facts ?? new FileFacts("application/octet-stream", "UNKNOWN", 0, 0);
                key = await Files.StashAsync(ctx.Wiki, ctx.User, _path, DesiredName, facts, _size, _sha1 ?? await UploadedFile.Sha1OfAsync(_path, ctx.Aborted), ctx.Aborted);
            }

            result["filekey"] = key;
            result["sessionkey"] = key;
        }

        /// <summary>Publishes the verified bytes; the File page gets <paramref name="text"/>, else the comment.</summary>
        public async Task<FileRecord> PublishAsync(string comment, string? text)
        {
            var record = await Files.PublishAsync(ctx.Wiki, ctx.User, Title!, _path!, _facts!, _size, _sha1!, comment, text ?? comment, ctx.Aborted);
            if (stashed is not null)
            {
                await Files.UnstashAsync(ctx.Wiki, stashed, ctx.Aborted);
            }

            return record;
        }

        /// <summary>ApiUpload::dieRecoverableError: the error carries a file key to try again with, and the parameter to change.</summary>
        private async Task<ApiError> RecoverableAsync(string code, string info, JsonObject? data = null)
        {
            data ??= [];
            if (sent is not null || stashed is not null)
            {
                await StashIntoAsync(data);
            }

            data["invalidparameter"] = "filename";
            return new ApiError(code, info, data: data);
        }
    }
}
