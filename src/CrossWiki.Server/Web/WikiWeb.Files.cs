using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Files;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <content>The file pages: a File page's file section, Special:Upload and Special:ListFiles.</content>
internal sealed partial class WikiWeb
{
    /// <summary>Special:ListFiles' default and largest number of files on a page (MediaWiki's).</summary>
    private const int ListFilesLimit = 50, ListFilesMaxLimit = 500;

    /// <summary>A size as MediaWiki's Language::formatSize says it (bytes, KB, MB).</summary>
    private static string FileSize(long size) => size < 1024 ? size.ToString(CultureInfo.InvariantCulture) + " bytes"
        : size < 1024 * 1024 ? (size / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
        : (size / 1024.0 / 1024.0).ToString("0.##", CultureInfo.InvariantCulture) + " MB";

    private static string FileDate(DateTime timestamp) => timestamp.ToString("HH:mm, d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The file a File page shows, with its versions; null when there is no such file.</summary>
    private async Task<FileSection?> FileSectionAsync(WebRequest r)
    {
        var ct = r.Http.RequestAborted;
        if ((await files.FindAsync(r.Wiki, [r.Title.DbKey], ct)).GetValueOrDefault(r.Title.DbKey) is not ({ } current, var repository))
        {
            return null;
        }

        static FileHistoryRow Row(string url, FileVersion v, bool current) =>
            new(url, FileDate(v.Timestamp), current, v.Width, v.Height, FileSize(v.Size), v.UserText, v.Description);
        var url = FileNames.Url(repository, current.Name);
        var history = new List<FileHistoryRow> { Row(url, FileVersion.Of(current), current: true) };
        foreach (var old in await files.HistoryAsync(repository.Id, current.Name, 50, ct))
        {
            history.Add(Row(FileNames.ArchiveUrl(repository, old.Name, old.ArchiveName), FileVersion.Of(old), current: false));
        }

        return new FileSection(url, current.Width, current.Height, FileSize(current.Size), current.Mime, history) { Repository = repository == r.Wiki ? null : repository.Sitename };
    }

    /// <summary>Special:Upload's form, empty or with what the last try left; anonymous users are asked to log in, as MediaWiki does.</summary>
    private async Task UploadFormAsync(WebRequest r, string? error = null, IReadOnlyList<UploadWarningText>? warnings = null, string? sessionKey = null,
        string? destFile = null, string? description = null, int status = 200)
    {
        try
        {
            await uploader.CheckRightAsync(r.Wiki, r.User, r.Http.RequestAborted);
        }
        catch (UploadRefusedException refusal)
        {
            await MessageAsync(r, r.User.IsAnonymous ? "Login required" : "Permission error",
                r.User.IsAnonymous ? "Please log in to upload files." : refusal.Message, r.User.IsAnonymous ? 401 : 403);
            return;
        }

        var extensions = string.Join(", ", UploadRules.Default.FileExtensions);
        await RenderAsync<UploadPage>(r.Http, new UploadModel(Chrome(r), IndexUrl(r.Wiki, r.Title, null), tokens.For(r.Session, r.User, "csrf"),
            destFile ?? r.Http.Request.Query["wpDestFile"].ToString(), description ?? "", error, warnings ?? [], sessionKey,
            FileSize(ApiRequest.MaxUploadBytes), extensions, r.Wiki.ArticleUrl("Special:ListFiles")), status);
    }

    /// <summary>
    /// Special:Upload's POST: the file (or, after warnings, the stashed one) through the same <see cref="Uploader"/> as
    /// api.php; warnings keep the file in the stash and show the form again with "Upload anyway"; a saved file
    /// goes to its File page. The page text is the summary, as MediaWiki's without a license.
    /// </summary>
    private async Task UploadPostAsync(WebRequest r)
    {
        var http = r.Http;
        var ct = http.RequestAborted;
        IFormCollection form;
        try
        {
            form = await ReadUploadFormAsync(http);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            // Past the form reader's or Kestrel's size limit.
            await UploadFormAsync(r, "The file you submitted was too large.", status: 413);
            return;
        }
        catch (IOException e)
        {
            // A multipart body that ends before its closing boundary.
            await UploadFormAsync(r, "The form could not be read: " + e.Message, status: 400);
            return;
        }

        if (r.User.IsAnonymous || !tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
        {
            await UploadFormAsync(r, "Sorry! We could not process your file upload because your session data was lost. Please try again.", status: 400);
            return;
        }

        var destFile = form["wpDestFile"].ToString().Trim();
        var description = form["wpUploadDescription"].ToString();
        var sessionKey = form["wpSessionKey"].ToString();
        try
        {
            await uploader.CheckRightAsync(r.Wiki, r.User, r.Http.RequestAborted);
            StashedFile? stashed = null;
            UploadedFile? sent = null;
            if (sessionKey.Length > 0)
            {
                stashed = await uploader.FindStashedAsync(r.Wiki, r.User, sessionKey, ct);
            }
            else if (form.Files["wpUploadFile"] is { Length: > 0 } part)
            {
                await using var content = part.OpenReadStream();
                sent = await UploadedFile.ReceiveAsync(content, part.FileName, files.TemporaryDirectory, ApiRequest.MaxUploadBytes, ct);
                http.Response.RegisterForDispose(sent);
            }
            else
            {
                throw new UploadRefusedException("empty-file", "The file you submitted was empty.");
            }

            if (destFile.Length == 0)
            {
                destFile = sent?.FileName ?? stashed!.OriginalName;
            }

            var upload = uploader.Start(r.Wiki, r.User, destFile, sent, stashed, http.Response, ct);
            await upload.VerifyAsync();
            await upload.CheckTitlePermissionsAsync();
            var warnings = await upload.WarningsAsync();
            if (warnings.Count > 0 && form["wpIgnoreWarning"] != "1" && !form.ContainsKey("wpUploadIgnoreWarning"))
            {
                await UploadFormAsync(r, null, [.. warnings.Select(w => WarningText(r, w.Key, w.Value))], await upload.StashAsync(), destFile, description);
                return;
            }

            var record = await upload.PublishAsync(description, null);
            http.Response.Redirect(r.Wiki.FullArticleUrl("File:" + record.Name));
        }
        catch (UploadRefusedException refusal)
        {
            await UploadFormAsync(r, refusal.Message, null, refusal.FileKey ?? (sessionKey.Length > 0 ? sessionKey : null), destFile, description, 400);
        }
    }

    /// <summary>The form, with room for a file as large as api.php takes; one that does not come as a form is an empty one.</summary>
    private static async Task<IFormCollection> ReadUploadFormAsync(HttpContext http)
    {
        const long Limit = ApiRequest.MaxUploadBytes + ApiRequest.MaxBodyBytes;
        if (!http.Request.HasFormContentType)
        {
            return FormCollection.Empty;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = Limit;
        }

        // ASP.NET Core's form reader keeps a large file on disk, not in memory.
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = Limit }));
        return await http.Request.ReadFormAsync(http.RequestAborted);
    }

    /// <summary>An upload warning in Special:Upload's words (MediaWiki's messages for them).</summary>
    private static UploadWarningText WarningText(WebRequest r, string code, JsonNode? value)
    {
        ListedPage File(string name) => new("File:" + name.Replace('_', ' '), r.Wiki.ArticleUrl("File:" + name));
        var name = value is JsonValue ? value.GetValue<string>() : r.Title.DbKey;
        return code switch
        {
            "exists" => new("A file with this name exists already. Please check the file below if you are not sure if you want to change it.", [File(name)]),
            "nochange" => new("This file is an exact duplicate of the current version of the file of this name.", []),
            "exists-normalized" => new("A file with a similar name exists. Please choose a different name.", [File(name)]),
            "badfilename" => new($"The file name has been changed to \"{name.Replace('_', ' ')}\".", []),
            "duplicate" => new("This file is a duplicate of the following files:", [.. value!.AsArray().Select(d => File(d!.GetValue<string>()))]),
            "duplicateversions" => new("This file is a duplicate of an older version of the file of this name.", []),
            _ => new(code, []),
        };
    }

    /// <summary>
    /// Special:ListFiles: the wiki's files, newest first (<c>limit</c>, at most 500; <c>user</c> for one uploader's;
    /// <c>offset</c>, a timestamp, for the next part), each with its thumbnail, size, uploader and description.
    /// </summary>
    private async Task ListFilesAsync(WebRequest r)
    {
        var query = r.Http.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, ListFilesMaxLimit) : ListFilesLimit;
        var user = query["user"].ToString().Replace('_', ' ').Trim();
        DateTime? before = DateTime.TryParseExact(query["offset"], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var o) ? o : null;
        var ct = r.Http.RequestAborted;
        List<FileRecord> found;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var files = db.Files.AsNoTracking().Where(f => f.WikiId == r.Wiki.Id);
            if (user.Length > 0)
            {
                files = files.Where(f => f.UserText == user);
            }

            if (before is { } b)
            {
                files = files.Where(f => f.Timestamp < b);
            }

            found = await files.OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Name).Take(limit + 1).ToListAsync(ct);
        }

        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "ListFiles");
        var rows = found.Take(limit).Select(f =>
        {
            var thumb = Thumbnails.For(r.Wiki, f, 180, 180);
            return new ListedFile(FileDate(f.Timestamp), f.Name.Replace('_', ' '), r.Wiki.ArticleUrl("File:" + f.Name), FileNames.Url(r.Wiki, f.Name),
                thumb?.Url, thumb?.Width ?? 0, thumb?.Height ?? 0, FileSize(f.Size), f.UserText, f.Description);
        }).ToList();
        var nextUrl = found.Count > limit
            ? WikiListings.Index(r.Wiki, special, [("limit", limit.ToString(CultureInfo.InvariantCulture)), ("user", user), ("offset", found[limit - 1].Timestamp.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture))])
            : null;
        var form = new SpecialForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, [new("user", "Username:", user), new("limit", "Number of files:", limit.ToString(CultureInfo.InvariantCulture))]);
        await RenderAsync<ListFilesPage>(r.Http, new ListFilesModel(Chrome(r), form, rows, nextUrl));
    }

    /// <summary>Special:UploadStash/file/KEY: one of the user's stashed files (prop=stashimageinfo's <c>url</c>), to that user only.</summary>
    private async Task UploadStashAsync(WebRequest r, string? subpage)
    {
        if (r.User.IsAnonymous)
        {
            await MessageAsync(r, "Login required", "You must be logged in to access your upload stash.", 401);
            return;
        }

        var key = subpage is not null && subpage.StartsWith("file/", StringComparison.Ordinal) ? subpage["file/".Length..] : null;
        var stashed = key is not null && FileRepository.IsValidKey(key) ? await files.GetStashedAsync(r.Wiki, r.User, key, r.Http.RequestAborted) : null;
        if (stashed is not { Stage: "finished" })
        {
            await MessageAsync(r, "Upload stash", "The file you asked for is not in your upload stash.", 404);
            return;
        }

        await fileServer.ServeStashedAsync(r.Http, r.Wiki, stashed);
    }
}
