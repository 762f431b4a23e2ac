using System.Text;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Files;

/// <summary>
/// An upload refused, with MediaWiki's code and message: api.php answers it as its error, Special:Upload shows
/// it above its form. <see cref="Extra"/> is what the API adds to the error (the banned type and the allowed
/// ones, a verification's details, the refused name); a refusal the user can recover from by choosing another
/// name (ApiUpload::dieRecoverableError) has the file stashed under <see cref="FileKey"/>.
/// </summary>
internal sealed class UploadRefusedException(string code, string info, JsonObject? extra = null) : Exception(info)
{
    public string Code { get; } = code;

    public JsonObject? Extra { get; } = extra;

    public string? FileKey { get; init; }

    /// <summary>The refusal is about the name: another name may be tried with <see cref="FileKey"/>.</summary>
    public bool Recoverable { get; init; }
}

/// <summary>
/// The one way a file becomes a wiki's file, for api.php's <c>action=upload</c> and Special:Upload alike, in
/// MediaWiki's order (UploadBase): the right to upload, the content and the name (<see cref="PendingUpload.VerifyAsync"/>),
/// the right to create or overwrite the File page, the warnings, then stashing or publishing.
/// </summary>
internal sealed class Uploader(FileRepository files, IDbContextFactory<WikiDbContext> dbFactory, TimeProvider time)
{
    public FileRepository Files => files;

    /// <summary>
    /// ApiUpload::checkPermissions: the <c>upload</c> right (anonymous users are asked to log in), and no block in
    /// force on the wiki (<c>blocked</c>, with the block's details).
    /// </summary>
    public async Task CheckRightAsync(Wiki wiki, WikiUser user, CancellationToken ct)
    {
        if (!user.HasRight("upload"))
        {
            throw user.IsAnonymous
                ? new UploadRefusedException("notloggedin", "You must be logged in to upload this file.")
                : new UploadRefusedException("permissiondenied", "The action you have requested is limited to users in one of the groups: Users, Administrators.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (Blocks.Refusal(await Blocks.FindAsync(db, wiki.Id, user, time.GetUtcNow().UtcDateTime, ct), user, title: null) is { } blocked)
        {
            throw new UploadRefusedException(blocked.Code, blocked.Message, blocked.Data);
        }
    }

    /// <summary>
    /// An upload of <paramref name="sent"/> (the bytes a request sent) or <paramref name="stashed"/> (a file the
    /// user stashed) as <paramref name="desiredName"/>; temporary files go beside <paramref name="response"/>'s lifetime.
    /// </summary>
    public PendingUpload Start(Wiki wiki, WikiUser user, string desiredName, UploadedFile? sent, StashedFile? stashed, HttpResponse response, CancellationToken ct) =>
        new(this, dbFactory, new UploadScope(wiki, user, response, ct), desiredName, sent, stashed);

    /// <summary>A stashed file of the user's, whole and unexpired, or the <c>stashfailed</c> refusal.</summary>
    public async Task<StashedFile> FindStashedAsync(Wiki wiki, WikiUser user, string fileKey, CancellationToken ct)
    {
        var stashed = FileRepository.IsValidKey(fileKey) ? await files.GetStashedAsync(wiki, user, fileKey, ct) : null;
        return stashed is { Stage: "finished" } ? stashed : throw new UploadRefusedException("stashfailed", $"Could not find the file in the stash: {fileKey}.");
    }
}

/// <summary>Where an upload happens: the wiki, the user, the response whose end removes temporary files, the request's cancellation.</summary>
internal sealed record UploadScope(Wiki Wiki, WikiUser User, HttpResponse Response, CancellationToken Aborted);

/// <summary>One upload being checked: its name, title, local bytes and what they are.</summary>
internal sealed class PendingUpload
{
    private readonly Uploader _uploader;
    private readonly IDbContextFactory<WikiDbContext> _dbFactory;
    private readonly UploadScope _scope;
    private readonly UploadedFile? _sent;
    private readonly StashedFile? _stashed;
    private string? _path;
    private long _size;
    private string? _sha1;
    private FileFacts? _facts;

    internal PendingUpload(Uploader uploader, IDbContextFactory<WikiDbContext> dbFactory, UploadScope scope, string desiredName, UploadedFile? sent, StashedFile? stashed)
    {
        _uploader = uploader;
        _dbFactory = dbFactory;
        _scope = scope;
        _sent = sent;
        _stashed = stashed;
        _path = sent?.Path;
        _size = sent?.Length ?? stashed?.Size ?? 0;
        _sha1 = sent?.Sha1 ?? (stashed is { Sha1.Length: > 0 } ? stashed.Sha1 : null);
        DesiredName = desiredName;
        Title = FileNames.Normalize(desiredName, scope.Wiki.Namespaces);
    }

    public string DesiredName { get; }

    /// <summary>The File page the name becomes; null when no part of the name makes a title.</summary>
    public Title? Title { get; }

    private FileRepository Files => _uploader.Files;

    private Wiki Wiki => _scope.Wiki;

    private WikiUser User => _scope.User;

    private CancellationToken Aborted => _scope.Aborted;

    /// <summary>The same upload, now with the bytes of a local file (the chunks put together).</summary>
    public async Task<PendingUpload> FromLocalFileAsync(string path)
    {
        var whole = new PendingUpload(_uploader, _dbFactory, _scope, DesiredName, null, null) { _path = path, _size = new FileInfo(path).Length };
        whole._sha1 = await UploadedFile.Sha1OfAsync(path, Aborted);
        return whole;
    }

    /// <summary>UploadBase::verifyUpload: the size, the name, then the content.</summary>
    public async Task VerifyAsync()
    {
        if (_sent is { TooLarge: true })
        {
            throw new UploadRefusedException("file-too-large", "The file you submitted was too large.");
        }

        if (_size == 0)
        {
            throw new UploadRefusedException("empty-file", "The file you submitted was empty.");
        }

        if (Title is null)
        {
            throw await RecoverableAsync("illegal-filename", "The filename is not allowed.", new JsonObject { ["filename"] = DesiredName });
        }

        // UploadBase::verifyUpload: the content first (FileVerifier ends with the name's extension), then the name's length.
        var name = Title.DbKey;
        _path ??= await Files.FetchStashedAsync(Wiki, _stashed!, _scope.Response, Aborted);
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
            throw new UploadRefusedException(refusal.Code, refusal.Info, data);
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

        await using var db = await _dbFactory.CreateDbContextAsync(Aborted);
        var page = await PageReads.PageByTitleAsync(db, Wiki.Id, Title.Namespace, Title.DbKey, Aborted);
        if (EditPermissions.Check(User, Title, page is null, Wiki.Sitename) is { } refusal)
        {
            throw await RecoverableAsync(refusal.Code, refusal.Message);
        }

        var current = await Files.GetAsync(Wiki.Id, Title.DbKey, Aborted);
        if (current is not null && !User.HasRight("reupload") && !(User.HasRight("reupload-own") && current.UserId == User.Id && !User.IsAnonymous))
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

        var current = await Files.GetAsync(Wiki.Id, name, Aborted);
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
            var duplicates = (await Files.DuplicatesAsync(Wiki.Id, _sha1, Aborted)).Where(d => d != name).ToList();
            if (duplicates.Count > 0)
            {
                warnings["duplicate"] = new JsonArray([.. duplicates.Select(d => (JsonNode)d)]);
            }

            var versions = await Files.DuplicateVersionsAsync(Wiki.Id, name, _sha1, Aborted);
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
        var found = await Files.GetManyAsync(Wiki.Id, candidates, Aborted);
        return found.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Stashes the bytes (a file already in the stash keeps its key) and returns the file key; null when there are no bytes yet.</summary>
    public async Task<string?> StashAsync()
    {
        if (_stashed is not null)
        {
            return _stashed.Key;
        }

        if (_path is null)
        {
            return null;
        }

        var facts = _facts ?? new FileFacts("application/octet-stream", "UNKNOWN", 0, 0);
        return await Files.StashAsync(Wiki, User, _path, DesiredName, facts, _size, _sha1 ?? await UploadedFile.Sha1OfAsync(_path, Aborted), Aborted);
    }

    /// <summary>Publishes the verified bytes; the File page gets <paramref name="text"/>, else the comment.</summary>
    public async Task<FileRecord> PublishAsync(string comment, string? text)
    {
        var record = await Files.PublishAsync(Wiki, User, Title!, _path!, _facts!, _size, _sha1!, comment, text ?? comment, Aborted);
        if (_stashed is not null)
        {
            await Files.UnstashAsync(Wiki, _stashed, Aborted);
        }

        return record;
    }

    /// <summary>ApiUpload::dieRecoverableError: the file is kept in the stash, to be tried again under another name.</summary>
    private async Task<UploadRefusedException> RecoverableAsync(string code, string info, JsonObject? extra = null) =>
        new(code, info, extra) { Recoverable = true, FileKey = _sent is not null || _stashed is not null ? await StashAsync() : null };
}
