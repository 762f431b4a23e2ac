using System.Globalization;
using System.Security.Cryptography;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Files;

/// <summary>
/// The wiki's files: what the <c>image</c>, <c>oldimage</c> and <c>uploadstash</c> tables say, with the bytes
/// in the <see cref="IFileStore"/>. Publishing a file stores its bytes first and then, in one transaction,
/// archives the version it replaces and records the new one, so a crash leaves at worst an unreferenced
/// object, never a record without bytes; the File page is created by the <see cref="PageEditor"/> like
/// any other page. Stashed files and chunks belong to their user and expire after <see cref="MaxStashAge"/>.
/// </summary>
internal sealed class FileRepository(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, IFileStore store, PageEditor editor, TimeProvider time, FarmConfig farm)
{
    /// <summary>How long a stashed file or an unfinished chunked upload is kept (MediaWiki's <c>$wgUploadStashMaxAge</c>, 6 hours).</summary>
    public static readonly TimeSpan MaxStashAge = TimeSpan.FromHours(6);

    /// <summary>Where requests stream their uploaded parts and where chunks are put together (<c>{DataDirectory}/tmp</c>).</summary>
    public string TemporaryDirectory { get; } = Path.Combine(Path.GetFullPath(farm.DataDirectory), "tmp");

    public IFileStore Store => store;

    /// <summary>The wiki whose files this wiki shows when it has none of that name (<c>Farm:SharedRepository</c>); null when none.</summary>
    public Wiki? SharedRepositoryFor(Wiki wiki) => farm.SharedRepositoryFor(wiki);

    /// <summary>
    /// The current versions of these files as this wiki shows them: its own, else the shared repository's,
    /// by name, with the wiki each is from.
    /// </summary>
    public async Task<Dictionary<string, (FileRecord File, Wiki Repository)>> FindAsync(Wiki wiki, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindAsync(db, wiki, SharedRepositoryFor(wiki), names, ct);
    }

    /// <summary>
    /// <see cref="FindAsync(Wiki, IReadOnlyCollection{string}, CancellationToken)"/> on a context the caller holds
    /// (a rendering's): this wiki's files, then the <paramref name="shared"/> repository's for the names left.
    /// </summary>
    public static async Task<Dictionary<string, (FileRecord File, Wiki Repository)>> FindAsync(WikiDbContext db, Wiki wiki, Wiki? shared, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        var found = (await GetManyAsync(db, wiki.Id, names, ct)).ToDictionary(p => p.Key, p => (p.Value, wiki), StringComparer.Ordinal);
        if (shared is not null && found.Count < names.Count)
        {
            foreach (var (name, file) in await GetManyAsync(db, shared.Id, [.. names.Where(n => !found.ContainsKey(n))], ct))
            {
                found[name] = (file, shared);
            }
        }

        return found;
    }

    /// <summary>The current version of a file, or null.</summary>
    public async Task<FileRecord?> GetAsync(string wikiId, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Files.AsNoTracking().FirstOrDefaultAsync(f => f.WikiId == wikiId && f.Name == name, ct);
    }

    /// <summary>The current versions of these files, by name.</summary>
    public async Task<Dictionary<string, FileRecord>> GetManyAsync(string wikiId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetManyAsync(db, wikiId, names, ct);
    }

    private static async Task<Dictionary<string, FileRecord>> GetManyAsync(WikiDbContext db, string wikiId, IReadOnlyCollection<string> names, CancellationToken ct) =>
        names.Count == 0
            ? []
            : await db.Files.AsNoTracking().Where(f => f.WikiId == wikiId && names.Contains(f.Name)).ToDictionaryAsync(f => f.Name, StringComparer.Ordinal, ct);

    /// <summary>The old versions of a file, newest first.</summary>
    public async Task<List<OldFileRecord>> HistoryAsync(string wikiId, string name, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.OldFiles.AsNoTracking().Where(f => f.WikiId == wikiId && f.Name == name)
            .OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>The names of the current files with this content (the <c>duplicate</c> warning).</summary>
    public async Task<List<string>> DuplicatesAsync(string wikiId, string sha1, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Files.AsNoTracking().Where(f => f.WikiId == wikiId && f.Sha1 == sha1).OrderBy(f => f.Name).Select(f => f.Name).ToListAsync(ct);
    }

    /// <summary>The old versions of a file with this content (the <c>duplicateversions</c> warning).</summary>
    public async Task<List<DateTime>> DuplicateVersionsAsync(string wikiId, string name, string sha1, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.OldFiles.AsNoTracking().Where(f => f.WikiId == wikiId && f.Name == name && f.Sha1 == sha1)
            .OrderByDescending(f => f.Timestamp).Select(f => f.Timestamp).ToListAsync(ct);
    }

    /// <summary>
    /// Publishes a verified local file as the current version of <paramref name="title"/>: an existing
    /// version goes to the archive (<c>oldimage</c>), and a File page that does not exist yet is created
    /// with <paramref name="pageText"/>.
    /// </summary>
    public async Task<FileRecord> PublishAsync(Wiki wiki, WikiUser user, Title title, string localPath, FileFacts facts, long size, string sha1,
        string comment, string pageText, CancellationToken ct)
    {
        var name = title.DbKey;
        await store.PutAsync(FileNames.PublicKey(wiki.Id, name) + ".new", localPath, facts.Mime, ct);
        FileRecord record;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            using var turn = await writes.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var current = await db.Files.FirstOrDefaultAsync(f => f.WikiId == wiki.Id && f.Name == name, ct);
            var now = NextTimestamp(current?.Timestamp);
            if (current is not null)
            {
                var archiveName = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "!" + name;
                await store.CopyAsync(FileNames.PublicKey(wiki.Id, name), FileNames.ArchiveKey(wiki.Id, name, archiveName), ct);
                db.OldFiles.Add(new OldFileRecord
                {
                    WikiId = wiki.Id, Name = name, ArchiveName = archiveName, Size = current.Size, Width = current.Width, Height = current.Height,
                    Mime = current.Mime, MediaType = current.MediaType, Sha1 = current.Sha1, Timestamp = current.Timestamp,
                    UserId = current.UserId, UserText = current.UserText, Description = current.Description,
                });
                db.Files.Remove(current);
                await db.SaveChangesAsync(ct);
            }

            record = new FileRecord
            {
                WikiId = wiki.Id, Name = name, Size = size, Width = facts.Width, Height = facts.Height, Mime = facts.Mime, MediaType = facts.MediaType,
                Sha1 = sha1, Timestamp = now, UserId = user.Id, UserText = user.Name, Description = comment,
            };
            db.Files.Add(record);
            await db.SaveChangesAsync(ct);

            // The new bytes take the public key inside the transaction's turn (a rename in a folder, not a copy): a
            // reader of the new record finds them.
            await store.MoveAsync(FileNames.PublicKey(wiki.Id, name) + ".new", FileNames.PublicKey(wiki.Id, name), ct);
            await transaction.CommitAsync(ct);
        }

        var page = await editor.SaveAsync(new PageEdit
        {
            Wiki = wiki,
            User = user,
            Title = title,
            Compose = _ => pageText,
            Summary = comment,
            CreateOnly = true,
            SuppressFeed = true,
        }, ct);
        await LogUploadAsync(wiki, user, title, record, replaced: page.Status != EditStatus.Saved, page, ct);
        return record;
    }

    /// <summary>
    /// The upload log's entry (<c>upload</c>, or <c>overwrite</c> for a new version) and its recent change, which
    /// stands for the File page's creation too (MediaWiki creates that page without a recent change of its own).
    /// </summary>
    private async Task LogUploadAsync(Wiki wiki, WikiUser user, Title title, FileRecord record, bool replaced, EditResult page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var parameters = new System.Text.Json.Nodes.JsonObject { ["img_sha1"] = record.Sha1, ["img_timestamp"] = ActionApi.Timestamps.Iso(record.Timestamp) };
        var entry = ChangeFeed.Entry(wiki.Id, "upload", replaced ? "overwrite" : "upload", title, page.PageId, user.Id, user.Name, record.Description, parameters, record.Timestamp);
        await ChangeFeed.LogAsync(db, entry, page.Saved?.Id ?? 0, page.Saved?.ParentId ?? 0, ChangeFlags.Of(user, askedForBot: true), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Now, to the second, and later than the version it replaces (two uploads in one second keep their order).</summary>
    private DateTime NextTimestamp(DateTime? previous)
    {
        var now = time.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return previous is { } p && p >= now ? p.AddSeconds(1) : now;
    }

    /// <summary>A new file key: random base-36 parts, the user's id and the extension (MediaWiki's stash key shape).</summary>
    public static string NewFileKey(int userId, string extension)
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        var first = Base36(bytes[..8]);
        var second = Base36(bytes[8..]);
        return first + "." + second + "." + userId.ToString(CultureInfo.InvariantCulture) + (extension.Length > 0 ? "." + extension : "");
    }

    /// <summary>Whether a text has the shape of a file key (MediaWiki's UploadFromStash::isValidKey).</summary>
    public static bool IsValidKey(string key) => System.Text.RegularExpressions.Regex.IsMatch(key, @"^[0-9a-z]+\.[0-9a-z]+\.\d+(\.[\w-]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Base36(ReadOnlySpan<byte> bytes)
    {
        var n = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new System.Text.StringBuilder();
        do
        {
            chars.Insert(0, Digits[(int)(n % 36)]);
            n /= 36;
        }
        while (n > 0);
        return chars.ToString();
    }

    /// <summary>Stashes a whole, verified file for its user; returns the file key.</summary>
    public async Task<string> StashAsync(Wiki wiki, WikiUser user, string localPath, string originalName, FileFacts facts, long size, string sha1, CancellationToken ct)
    {
        var key = NewFileKey(user.Id, FileVerifier.ExtensionOf(originalName));
        await store.PutAsync(FileNames.StashKey(wiki.Id, key), localPath, facts.Mime, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        db.Stash.Add(new StashedFile
        {
            WikiId = wiki.Id, Key = key, UserId = user.Id, OriginalName = originalName, Size = size, Stage = "finished",
            Mime = facts.Mime, MediaType = facts.MediaType, Width = facts.Width, Height = facts.Height, Sha1 = sha1, Timestamp = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        await ExpireAsync(db, ct);
        return key;
    }

    /// <summary>The stash entry of a key, if it is the user's and has not expired.</summary>
    public async Task<StashedFile?> GetStashedAsync(Wiki wiki, WikiUser user, string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.Stash.AsNoTracking().FirstOrDefaultAsync(s => s.WikiId == wiki.Id && s.Key == key, ct);
        return entry is not null && entry.UserId == user.Id && !user.IsAnonymous && time.GetUtcNow().UtcDateTime - entry.Timestamp < MaxStashAge ? entry : null;
    }

    /// <summary>Copies a finished stashed file into a local file (deleted with the response) to verify or publish it.</summary>
    public async Task<string> FetchStashedAsync(Wiki wiki, StashedFile entry, HttpResponse response, CancellationToken ct)
    {
        var path = NewTemporaryPath(response);
        await using var source = await store.OpenReadAsync(FileNames.StashKey(wiki.Id, entry.Key), ct);
        await using var target = LocalFileStore.NewFile(path);
        await source.CopyToAsync(target, 128 * 1024, ct);
        return path;
    }

    /// <summary>Removes a stashed file (published, or its chunks put together).</summary>
    public async Task UnstashAsync(Wiki wiki, StashedFile entry, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            using var turn = await writes.EnterAsync(ct);
            await db.Stash.Where(s => s.WikiId == wiki.Id && s.Key == entry.Key).ExecuteDeleteAsync(ct);
        }

        await DeleteObjectsAsync(wiki.Id, entry, ct);
    }

    /// <summary>Starts a chunked upload with its first chunk; returns its stash entry (with the file key).</summary>
    public async Task<StashedFile> StartChunksAsync(Wiki wiki, WikiUser user, string originalName, long expectedSize, UploadedFile chunk, CancellationToken ct)
    {
        var key = NewFileKey(user.Id, FileVerifier.ExtensionOf(originalName));
        await store.PutAsync(ChunkKey(wiki.Id, key, 0), chunk.Path, "application/octet-stream", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var entry = new StashedFile
        {
            WikiId = wiki.Id, Key = key, UserId = user.Id, OriginalName = originalName, Size = chunk.Length, ExpectedSize = expectedSize,
            Chunks = 1, Stage = "chunks", Timestamp = time.GetUtcNow().UtcDateTime,
        };
        db.Stash.Add(entry);
        await db.SaveChangesAsync(ct);
        await ExpireAsync(db, ct);
        return entry;
    }

    /// <summary>
    /// Adds the next chunk at <paramref name="offset"/>, which must be where the upload stands; on success
    /// <paramref name="entry"/> says where it stands after the chunk. False when the offset is not the
    /// expected one (nothing is stored then, and the entry is left as it was).
    /// </summary>
    public async Task<bool> AddChunkAsync(Wiki wiki, StashedFile entry, long offset, UploadedFile chunk, CancellationToken ct)
    {
        if (entry.Stage != "chunks" || offset != entry.Size)
        {
            return false;
        }

        await store.PutAsync(ChunkKey(wiki.Id, entry.Key, entry.Chunks), chunk.Path, "application/octet-stream", ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var updated = await db.Stash.Where(s => s.WikiId == wiki.Id && s.Key == entry.Key && s.Size == offset && s.Chunks == entry.Chunks)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Size, offset + chunk.Length).SetProperty(s => s.Chunks, entry.Chunks + 1)
                .SetProperty(s => s.Timestamp, now), ct);
        if (updated != 1)
        {
            return false;
        }

        (entry.Size, entry.Chunks, entry.Timestamp) = (offset + chunk.Length, entry.Chunks + 1, now);
        return true;
    }

    /// <summary>Puts the chunks of an upload together into a local file (deleted with the response), one chunk at a time.</summary>
    public async Task<string> AssembleAsync(Wiki wiki, StashedFile entry, HttpResponse response, CancellationToken ct)
    {
        var path = NewTemporaryPath(response);
        await using var target = LocalFileStore.NewFile(path);
        for (var i = 0; i < entry.Chunks; i++)
        {
            await using var chunk = await store.OpenReadAsync(ChunkKey(wiki.Id, entry.Key, i), ct);
            await chunk.CopyToAsync(target, 128 * 1024, ct);
        }

        return path;
    }

    private string NewTemporaryPath(HttpResponse response)
    {
        Directory.CreateDirectory(TemporaryDirectory);
        var path = Path.Combine(TemporaryDirectory, "file-" + Guid.NewGuid().ToString("N"));
        response.RegisterForDispose(new TemporaryFile(path));
        return path;
    }

    private static string ChunkKey(string wikiId, string key, int index) => FileNames.StashKey(wikiId, key) + ".chunk" + index.ToString(CultureInfo.InvariantCulture);

    private async Task DeleteObjectsAsync(string wikiId, StashedFile entry, CancellationToken ct)
    {
        if (entry.Stage == "chunks")
        {
            for (var i = 0; i < entry.Chunks; i++)
            {
                await store.DeleteAsync(ChunkKey(wikiId, entry.Key, i), ct);
            }
        }
        else
        {
            await store.DeleteAsync(FileNames.StashKey(wikiId, entry.Key), ct);
        }
    }

    /// <summary>Drops a few expired stash entries and their bytes (each stash write does some of this cleaning).</summary>
    private async Task ExpireAsync(WikiDbContext db, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - MaxStashAge;
        var expired = await db.Stash.AsNoTracking().Where(s => s.Timestamp < cutoff).OrderBy(s => s.Timestamp).Take(20).ToListAsync(ct);
        foreach (var entry in expired)
        {
            await DeleteObjectsAsync(entry.WikiId, entry, ct);
            await db.Stash.Where(s => s.WikiId == entry.WikiId && s.Key == entry.Key).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>A local file deleted when the response is done.</summary>
    private sealed class TemporaryFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
