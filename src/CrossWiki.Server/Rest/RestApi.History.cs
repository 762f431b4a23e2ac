using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Files;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Rest;

/// <summary>
/// The history, revision, compare and media-links routes of MediaWiki 1.39's REST API (PageHistoryHandler,
/// PageHistoryCountHandler, RevisionSourceHandler/RevisionHTMLHandler, CompareHandler, MediaLinksHandler).
/// All are reads that need no identity. Revisions of deleted pages are in the archive, which none of them reads.
/// </summary>
internal sealed partial class RestApi
{
    /// <summary>Revisions per history answer (PageHistoryHandler::REVISIONS_RETURN_LIMIT).</summary>
    private const int HistoryLimit = 20;

    private static readonly string[] HistoryFilters = ["anonymous", "bot", "reverted", "minor"];

    /// <summary>The most each count goes to (PageHistoryCountHandler::COUNT_LIMITS); a larger count is answered as the limit with <c>limit: true</c>.</summary>
    private static readonly Dictionary<string, int> CountLimits = new(StringComparer.Ordinal)
    {
        ["anonymous"] = 10_000,
        ["bot"] = 10_000,
        ["editors"] = 25_000,
        ["edits"] = 30_000,
        ["minor"] = 1_000,
        ["reverted"] = 30_000,
    };

    /// <summary>The count types of the first history API, still answered with a <c>Deprecation</c> header.</summary>
    private static readonly Dictionary<string, string> DeprecatedCountTypes = new(StringComparer.Ordinal)
    {
        ["anonedits"] = "anonymous",
        ["botedits"] = "bot",
        ["revertededits"] = "reverted",
    };

    /// <summary>Files a media-links answer may list (MediaLinksHandler::MAX_NUM_LINKS).</summary>
    private const int MaxMediaLinks = 100;

    /// <summary>The box the <c>preferred</c> rendition of a file fits in: <c>$wgImageLimits</c> at the default <c>imagesize</c> option (800×600).</summary>
    private const int PreferredWidth = 800;
    private const int PreferredHeight = 600;

    /// <summary>What a history entry needs of a revision (not its text).</summary>
    private sealed record HistoryRow(int Id, DateTime Timestamp, bool Minor, int Length, int ParentId, string Comment, int UserId, string UserText);

    /// <summary>
    /// GET /v1/page/{title}/history: 20 revisions, newest first, <c>older_than</c> or <c>newer_than</c> a revision
    /// of the page, <c>filter</c> anonymous, bot (users in a group with the bot right), minor or reverted (no change
    /// is tagged mw-undo or mw-rollback here, so none, as MediaWiki answers a wiki without those tags); the
    /// <c>latest</c>, <c>older</c> and <c>newer</c> URLs (the last two only when there are such revisions).
    /// </summary>
    private async Task HistoryAsync(RestRequest r)
    {
        var query = r.Http.Request.Query;
        var olderThan = QueryInt(query, "older_than");
        var newerThan = QueryInt(query, "newer_than");
        var filter = query["filter"].ToString() is { Length: > 0 } f ? f : null;
        if (filter is not null && !HistoryFilters.Contains(filter))
        {
            throw RestError.BadValue("filter", filter);
        }

        if (olderThan is not null && newerThan is not null)
        {
            throw new RestError(400, "Parameters \"older_than\" and \"newer_than\" cannot both be specified");
        }

        if (olderThan < 1 || newerThan < 1)
        {
            throw new RestError(400, "Revision id must be greater than 0");
        }

        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (title, page) = await ExistingPageAsync(db, r, ct);

        // The page's latest revision tags every history answer of it (PageHistoryHandler::getETag).
        var etag = "\"" + page.LatestRevisionId.ToString(CultureInfo.InvariantCulture) + "\"";
        r.Http.Response.Headers.ETag = etag;
        if (IfNoneMatch(r.Http.Request.Headers.IfNoneMatch, etag))
        {
            r.Http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var revisions = db.Revisions.AsNoTracking().Where(x => x.WikiId == page.WikiId && x.PageId == page.Id);
        revisions = filter switch
        {
            "anonymous" => revisions.Where(x => x.UserId == 0),
            "bot" => BotRevisions(db, revisions),
            "minor" => revisions.Where(x => x.Minor),
            _ => revisions,
        };

        if ((olderThan ?? newerThan) is { } relativeId)
        {
            var relative = await PageReads.RevisionByIdAsync(db, page.WikiId, relativeId, ct);
            if (relative is null || relative.PageId != page.Id)
            {
                throw new RestError(404, $"The specified revision ({relativeId}) does not exist for the specified title ({r.TitleText})");
            }

            var ts = relative.Timestamp;
            revisions = olderThan is not null
                ? revisions.Where(x => x.Timestamp < ts || (x.Timestamp == ts && x.Id < relativeId)).OrderByDescending(x => x.Timestamp).ThenByDescending(x => x.Id)
                : revisions.Where(x => x.Timestamp > ts || (x.Timestamp == ts && x.Id > relativeId)).OrderBy(x => x.Timestamp).ThenBy(x => x.Id);
        }
        else
        {
            revisions = revisions.OrderByDescending(x => x.Timestamp).ThenByDescending(x => x.Id);
        }

        // One more than is answered, to learn whether there are more.
        var rows = filter == "reverted"
            ? []
            : await revisions.Take(HistoryLimit + 1)
                .Select(x => new HistoryRow(x.Id, x.Timestamp, x.Minor, x.Length, x.ParentId, x.Comment, x.UserId, x.UserText)).ToListAsync(ct);
        var more = rows.Count > HistoryLimit;
        var shown = rows.Take(HistoryLimit).ToList();
        var sizes = shown.ToDictionary(x => x.Id, x => x.Length);
        var unknown = shown.Where(x => x.ParentId != 0 && !sizes.ContainsKey(x.ParentId)).Select(x => x.ParentId).ToList();
        if (unknown.Count > 0)
        {
            foreach (var parent in await db.Revisions.AsNoTracking().Where(x => x.WikiId == page.WikiId && unknown.Contains(x.Id)).Select(x => new { x.Id, x.Length }).ToListAsync(ct))
            {
                sizes[parent.Id] = parent.Length;
            }
        }

        if (newerThan is not null)
        {
            shown.Reverse();
        }

        var list = new JsonArray();
        foreach (var x in shown)
        {
            list.Add(new JsonObject
            {
                ["id"] = x.Id,
                ["timestamp"] = Timestamps.Iso(x.Timestamp),
                ["minor"] = x.Minor,
                ["size"] = x.Length,
                ["comment"] = x.Comment,
                ["user"] = UserJson(x.UserId, x.UserText),
                ["delta"] = x.ParentId != 0 && sizes.TryGetValue(x.ParentId, out var parentSize) ? x.Length - parentSize : null,
            });
        }

        // The filter is kept in every URL, before the paging parameter (PageHistoryHandler::processDbResults).
        string Url(string? paging)
        {
            var parameters = string.Join('&', new[] { filter is null ? null : "filter=" + filter, paging }.OfType<string>());
            return RouteUrl(r.Wiki, "/v1/page/" + Uri.EscapeDataString(title.PrefixedDbKey) + "/history") + (parameters.Length == 0 ? "" : "?" + parameters);
        }

        var body = new JsonObject { ["revisions"] = list, ["latest"] = Url(null) };
        if (shown.Count > 0)
        {
            if (newerThan is not null || more)
            {
                body["older"] = Url("older_than=" + shown[^1].Id.ToString(CultureInfo.InvariantCulture));
            }

            if (olderThan is not null || (newerThan is not null && more))
            {
                body["newer"] = Url("newer_than=" + shown[0].Id.ToString(CultureInfo.InvariantCulture));
            }
        }

        await WriteJsonAsync(r.Http, body);
    }

    /// <summary>
    /// GET /v1/page/{title}/history/counts/{type}: <c>{count, limit}</c>, the count capped at the type's limit.
    /// <c>from</c> and <c>to</c> (both, for edits and editors only) count the revisions between two revisions,
    /// both left out. Reverted edits are 0: no change is tagged mw-undo or mw-rollback here.
    /// </summary>
    private async Task HistoryCountAsync(RestRequest r)
    {
        var requested = r.PathParams["type"];
        var type = DeprecatedCountTypes.GetValueOrDefault(requested, requested);
        if (!CountLimits.TryGetValue(type, out var limit))
        {
            throw RestError.BadValue("type", requested);
        }

        var query = r.Http.Request.Query;
        var fromId = QueryInt(query, "from");
        var toId = QueryInt(query, "to");
        if ((fromId is not null || toId is not null) && (type is not ("edits" or "editors") || fromId is null || toId is null))
        {
            throw new RestError(400, "The specified combination of parameters is not supported.");
        }

        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, page) = await ExistingPageAsync(db, r, ct);
        var revisions = db.Revisions.AsNoTracking().Where(x => x.WikiId == page.WikiId && x.PageId == page.Id);
        if (fromId is { } f && toId is { } t)
        {
            var from = await PageReads.RevisionByIdAsync(db, page.WikiId, f, ct) ?? throw NonexistentRevision(f);
            var to = await PageReads.RevisionByIdAsync(db, page.WikiId, t, ct) ?? throw NonexistentRevision(t);
            if (from.Timestamp > to.Timestamp || (from.Timestamp == to.Timestamp && from.Id > to.Id))
            {
                (from, to) = (to, from);
            }

            var (fromTs, fromRevId, toTs, toRevId) = (from.Timestamp, from.Id, to.Timestamp, to.Id);
            revisions = revisions.Where(x => (x.Timestamp > fromTs || (x.Timestamp == fromTs && x.Id > fromRevId)) && (x.Timestamp < toTs || (x.Timestamp == toTs && x.Id < toRevId)));
        }

        // Counting stops one past the limit, which is enough to know the limit was passed.
        var count = type switch
        {
            "anonymous" => await revisions.Where(x => x.UserId == 0).Take(limit + 1).CountAsync(ct),
            "bot" => await BotRevisions(db, revisions).Take(limit + 1).CountAsync(ct),
            "editors" => await revisions.Select(x => x.UserText).Distinct().Take(limit + 1).CountAsync(ct),
            "edits" => await revisions.Take(limit + 1).CountAsync(ct),
            "minor" => await MinorCountAsync(revisions, limit, ct),
            _ => 0,
        };

        var response = r.Http.Response;
        response.Headers.CacheControl = "max-age=60";
        if (requested != type)
        {
            response.Headers["Deprecation"] = "version=\"v1\"";
            response.Headers.Link = "<https://www.mediawiki.org/wiki/API:REST/History_API#Get_page_history_counts>; rel=\"deprecation\"";
        }

        await WriteJsonAsync(r.Http, new JsonObject { ["count"] = Math.Min(count, limit), ["limit"] = count > limit });
    }

    /// <summary>Minor edits, refused (500, as MediaWiki) for a page with more than twice as many revisions as the count's limit.</summary>
    private static async Task<int> MinorCountAsync(IQueryable<Revision> revisions, int limit, CancellationToken ct) =>
        await revisions.Take((2 * limit) + 1).CountAsync(ct) > 2 * limit
            ? throw new RestError(500, "The specified title contains too many revisions to retrieve this count.")
            : await revisions.Where(x => x.Minor).Take(limit + 1).CountAsync(ct);

    /// <summary>Revisions by users in the bot group (the only group with the bot right); groups are kept comma-separated.</summary>
    private static IQueryable<Revision> BotRevisions(WikiDbContext db, IQueryable<Revision> revisions) =>
        revisions.Where(x => x.UserId != 0 && db.Users.Any(u => u.Id == x.UserId && ("," + u.Groups + ",").Contains(",bot,")));

    /// <summary>
    /// GET /v1/revision/{id} (with <c>source</c>), <c>/bare</c> (with <c>html_url</c>) and <c>/with_html</c> (with
    /// <c>html</c>): the revision's metadata, its page and its size change from the revision before it.
    /// </summary>
    private async Task RevisionAsync(RestRequest r, PageForm form)
    {
        var (title, rev, parent) = await LoadRevisionAsync(r);
        var body = new JsonObject
        {
            ["id"] = rev.Id,
            ["size"] = rev.Length,
            ["minor"] = rev.Minor,
            ["timestamp"] = Timestamps.Iso(rev.Timestamp),
            ["content_model"] = ContentModel.For(title).Name,
            ["page"] = new JsonObject { ["id"] = rev.PageId, ["key"] = title.PrefixedDbKey, ["title"] = title.PrefixedText },
            ["license"] = License(),
            ["user"] = UserJson(rev.UserId, rev.UserText),
            ["comment"] = rev.Comment,
            ["delta"] = parent is null ? null : rev.Length - parent.Length,
        };
        await AddFormAsync(r, body, form, title, rev.Text, "/v1/revision/" + rev.Id.ToString(CultureInfo.InvariantCulture) + "/html");
        await WriteJsonAsync(r.Http, body);
    }

    /// <summary>GET /v1/revision/{id}/html: the revision's HTML document.</summary>
    private async Task RevisionHtmlAsync(RestRequest r)
    {
        var (title, rev, _) = await LoadRevisionAsync(r);
        var html = await HtmlDocumentAsync(r.Wiki, title, rev.Text, r.Http.RequestAborted);
        r.Http.Response.ContentType = "text/html; charset=utf-8";
        if (!HttpMethods.IsHead(r.Http.Request.Method))
        {
            await r.Http.Response.WriteAsync(html, r.Http.RequestAborted);
        }
    }

    /// <summary>
    /// GET /v1/revision/{from}/compare/{to}: each revision's id, slot and sections, and the diff in wikidiff2's
    /// JSON format (<see cref="JsonDiff"/>). Both must be revisions of one page (<c>rest-compare-page-mismatch</c>), as on MediaWiki.
    /// </summary>
    private async Task CompareAsync(RestRequest r)
    {
        var fromId = PathInt(r, "from");
        var toId = PathInt(r, "to");
        var ct = r.Http.RequestAborted;
        Revision from, to;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            from = await PageReads.RevisionByIdAsync(db, r.Wiki.Id, fromId, ct) ?? throw new RestError(404, "The revision specified by the from parameter does not exist.");
            to = await PageReads.RevisionByIdAsync(db, r.Wiki.Id, toId, ct) ?? throw new RestError(404, "The revision specified by the to parameter does not exist.");
        }

        if (from.PageId != to.PageId)
        {
            throw new RestError(400, "The revisions provided are not for the same page.");
        }

        static JsonObject Side(Revision rev)
        {
            var sections = new JsonArray();
            foreach (var (level, heading, offset) in Sections.Flat(rev.Text))
            {
                sections.Add(new JsonObject { ["level"] = level, ["heading"] = heading, ["offset"] = offset });
            }

            return new JsonObject { ["id"] = rev.Id, ["slot_role"] = "main", ["sections"] = sections };
        }

        await WriteJsonAsync(r.Http, new JsonObject { ["from"] = Side(from), ["to"] = Side(to), ["diff"] = JsonDiff.Diff(from.Text, to.Text) });
    }

    /// <summary>
    /// GET /v1/page/{title}/links/media: the files the page uses that exist (on the wiki or its shared repository), by
    /// name, each with its description page, its latest upload, a rendition fitting 800×600 (<c>preferred</c>) and the
    /// original. A page using more than 100 files gets a 400 (MediaWiki 1.39 answered 500; later versions 400).
    /// </summary>
    private async Task MediaLinksAsync(RestRequest r)
    {
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, page) = await ExistingPageAsync(db, r, ct);
        var names = await db.ImageLinks.AsNoTracking().Where(l => l.WikiId == page.WikiId && l.FromId == page.Id)
            .OrderBy(l => l.To).Select(l => l.To).Take(MaxMediaLinks + 1).ToListAsync(ct);
        if (names.Count > MaxMediaLinks)
        {
            throw new RestError(400, $"Too many media links found on title {r.TitleText} ({MaxMediaLinks} allowed)");
        }

        var found = await FileRepository.FindAsync(db, r.Wiki, farm.SharedRepositoryFor(r.Wiki), names, ct);
        var files = new JsonArray();
        foreach (var name in names)
        {
            if (found.TryGetValue(name, out var hit))
            {
                files.Add(MediaFileJson(hit.Repository, hit.File));
            }
        }

        await WriteJsonAsync(r.Http, new JsonObject { ["files"] = files });
    }

    /// <summary>A file as MediaFileTrait::getFileInfo describes it; no file here has a duration (no audio or video handler).</summary>
    private static JsonObject MediaFileJson(Wiki repository, FileRecord file)
    {
        // The preferred rendition is never larger than the file (File::getDisplayWidthHeight).
        JsonObject? preferred = null;
        if (file.Width > 0 && file.Height > 0)
        {
            var (width, height) = (file.Width, file.Height);
            if (width > PreferredWidth || height > PreferredHeight)
            {
                (width, height) = (double)width / height > (double)PreferredWidth / PreferredHeight
                    ? (PreferredWidth, (int)Math.Round(height * (double)PreferredWidth / width))
                    : ((int)Math.Round(width * (double)PreferredHeight / height), PreferredHeight);
            }

            if (Thumbnails.For(repository, file, width, height) is { } rendition)
            {
                preferred = MediaJson(file.MediaType, rendition.Width == file.Width && rendition.Height == file.Height ? file.Size : null, rendition.Width, rendition.Height, rendition.Url);
            }
        }

        return new JsonObject
        {
            ["title"] = file.Name.Replace('_', ' '),
            ["file_description_url"] = FileNames.DescriptionUrl(repository, file.Name),
            ["latest"] = new JsonObject { ["timestamp"] = Timestamps.Iso(file.Timestamp), ["user"] = new JsonObject { ["id"] = file.UserId, ["name"] = file.UserText } },
            ["preferred"] = preferred,
            ["original"] = MediaJson(file.MediaType, file.Size, file.Width, file.Height, FileNames.Url(repository, file.Name)),
        };
    }

    private static JsonObject MediaJson(string mediaType, long? size, int width, int height, string url) => new()
    {
        ["mediatype"] = mediaType,
        ["size"] = size,
        ["width"] = width > 0 ? width : null,
        ["height"] = height > 0 ? height : null,
        ["duration"] = null,
        ["url"] = url,
    };

    /// <summary>A revision of this wiki by the id in the path (not one in the archive), its page's title and the revision before it.</summary>
    private async Task<(Title Title, Revision Revision, Revision? Parent)> LoadRevisionAsync(RestRequest r)
    {
        var id = PathInt(r, "id");
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rev = await PageReads.RevisionByIdAsync(db, r.Wiki.Id, id, ct) ?? throw NonexistentRevision(id);
        return (await PageReads.TitleOfRevisionAsync(db, r.Wiki.Namespaces, rev, ct), rev, await PageReads.PreviousRevisionAsync(db, rev, ct));
    }

    /// <summary>The page of the path's title; an invalid title is a page that does not exist (404), as these handlers answer.</summary>
    private static async Task<(Title Title, Page Page)> ExistingPageAsync(WikiDbContext db, RestRequest r, CancellationToken ct)
    {
        var title = TitleParser.Parse(r.TitleText ?? "", r.Wiki.Namespaces).Title;
        var page = title is null ? null : await PageReads.PageByTitleAsync(db, r.Wiki.Id, title.Namespace, title.DbKey, ct);
        return page is null ? throw NonexistentTitle(r) : (title!, page);
    }

    private static RestError NonexistentRevision(int id) => new(404, $"The specified revision ({id}) does not exist");

    /// <summary>A revision's author: id null for an anonymous user.</summary>
    private static JsonObject UserJson(int userId, string userText) => new() { ["id"] = userId == 0 ? null : userId, ["name"] = userText };

    private static int PathInt(RestRequest r, string name) => ParseInt(name, r.PathParams[name]);

    private static int? QueryInt(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } raw ? ParseInt(name, raw) : null;

    /// <summary>An integer parameter as ParamValidator reads one (an optional sign and digits).</summary>
    private static int ParseInt(string name, string raw) =>
        int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw RestError.BadInteger(name, raw);
}
