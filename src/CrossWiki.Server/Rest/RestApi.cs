using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Rest;

/// <summary>
/// rest.php: the page routes of MediaWiki's REST API (spec §6.7) with REST CORS applied to every
/// answer, errors and preflights included. <see cref="RestError"/> is its only error type.
/// </summary>
internal sealed partial class RestApi(
    IDbContextFactory<WikiDbContext> dbFactory,
    RequestIdentities identities,
    TokenService tokens,
    RenderedPages rendered,
    PageEditor editor,
    FarmConfig farm,
    ILogger<RestApi> logger)
{
    private enum Route
    {
        PageSource,
        PageBare,
        PageHtml,
        PageWithHtml,
        PageUpdate,
        PageCreate,
        SearchPage,
        SearchTitle,
        History,
        HistoryCount,
        RevisionSource,
        RevisionBare,
        RevisionHtml,
        RevisionWithHtml,
        Compare,
        MediaLinks,
    }

    private sealed record RouteDef(string Method, string[] Pattern, Route Route, bool Writes);

    /// <summary>The routes; a <c>{name}</c> is one path segment (a <c>/</c> in a title is sent as %2F).</summary>
    private static readonly RouteDef[] Routes =
    [
        new("GET", ["v1", "page", "{title}"], Route.PageSource, false),
        new("PUT", ["v1", "page", "{title}"], Route.PageUpdate, true),
        new("GET", ["v1", "page", "{title}", "bare"], Route.PageBare, false),
        new("GET", ["v1", "page", "{title}", "html"], Route.PageHtml, false),
        new("GET", ["v1", "page", "{title}", "with_html"], Route.PageWithHtml, false),
        new("GET", ["page", "{title}", "html"], Route.PageHtml, false),
        new("POST", ["v1", "page"], Route.PageCreate, true),
        new("GET", ["v1", "search", "page"], Route.SearchPage, false),
        new("GET", ["v1", "search", "title"], Route.SearchTitle, false),
        new("GET", ["v1", "page", "{title}", "history"], Route.History, false),
        new("GET", ["v1", "page", "{title}", "history", "counts", "{type}"], Route.HistoryCount, false),
        new("GET", ["v1", "page", "{title}", "links", "media"], Route.MediaLinks, false),
        new("GET", ["v1", "revision", "{id}"], Route.RevisionSource, false),
        new("GET", ["v1", "revision", "{id}", "bare"], Route.RevisionBare, false),
        new("GET", ["v1", "revision", "{id}", "html"], Route.RevisionHtml, false),
        new("GET", ["v1", "revision", "{id}", "with_html"], Route.RevisionWithHtml, false),
        new("GET", ["v1", "revision", "{from}", "compare", "{to}"], Route.Compare, false),
    ];

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string BasePath(Wiki wiki) => wiki.RestPath;

    public async Task HandleAsync(HttpContext http, Wiki wiki)
    {
        var ct = http.RequestAborted;
        var method = http.Request.Method;
        var rawPath = (http.Request.PathBase + http.Request.Path).Value![BasePath(wiki).Length..];
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Uri.UnescapeDataString(segments[i]);
        }

        var origin = OriginHeader.Parse(http.Request.Headers.Origin);
        var route = Find(segments, method);

        // Authorization: CentralAuthToken <token> replaces the cookie session; a preflight never carries one
        // (spec foreignapi-centralauth.md §3.3.1). Who the user is is worked out only when the answer
        // depends on it: for writes, for a central token (spent, and refused when invalid), and for the
        // CORS headers of cookie-auth wikis (which echo the origin only to registered users).
        var centralToken = wiki.CentralAuth && method != "OPTIONS" ? CentralToken(http.Request.Headers.Authorization) : null;
        var needsIdentity = centralToken is not null || route?.Writes == true
            || (route is not null && wiki.RestCors.DependsOnUser(method, origin));
        var identity = needsIdentity ? await identities.ResolveAsync(http, wiki, centralToken, forceAnonymous: false) : null;
        var cors = new RestCorsRequest(method, origin, identity is { User.IsAnonymous: false });
        foreach (var (name, value) in wiki.RestCors.ResponseHeaders(cors))
        {
            http.Response.Headers.Append(name, value);
        }

        try
        {
            if (identity is { CentralTokenRejected: true })
            {
                // Sent with the CORS headers above, so the page can read why (a fix over MediaWiki, T421778).
                throw new RestError(403, "The centralauthtoken is not valid.");
            }

            if (route is null)
            {
                var matching = Routes.Where(r => Matches(r.Pattern, segments, null)).ToList();
                if (method == "OPTIONS")
                {
                    // The automatic preflight: never looks at the Access-Control-Request-* headers (spec §6.3).
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                    foreach (var (name, value) in wiki.RestCors.PreflightHeaders(AllowedMethods(matching)))
                    {
                        http.Response.Headers[name] = value;
                    }

                    return;
                }

                if (matching.Count > 0)
                {
                    var allowed = string.Join(", ", AllowedMethods(matching));
                    http.Response.Headers.Allow = allowed;
                    throw new RestError(405, $"The request method ({method}) was not one of the allowed methods for this path ({allowed})");
                }

                throw new RestError(404, $"The requested relative path ({rawPath}) did not match any known handler");
            }

            if (route.Writes && wiki.RestCors.IsAnonymousWriteRefused(cors))
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    LogAnonWriteRefused(logger, wiki.Id, origin.Trimmed);
                }

                throw new RestError(403, "rest-cross-origin-anon-write", errorKey: "rest-cross-origin-anon-write");
            }

            var pathParams = new Dictionary<string, string>(StringComparer.Ordinal);
            Matches(route.Pattern, segments, pathParams);
            var request = new RestRequest(http, wiki, identity, pathParams);
            await (route.Route switch
            {
                Route.PageSource => PageAsync(request, PageForm.Source),
                Route.PageBare => PageAsync(request, PageForm.Bare),
                Route.PageWithHtml => PageAsync(request, PageForm.WithHtml),
                Route.PageHtml => HtmlAsync(request),
                Route.PageUpdate => SaveAsync(request, create: false),
                Route.SearchPage => SearchAsync(request, titles: false),
                Route.SearchTitle => SearchAsync(request, titles: true),
                Route.History => HistoryAsync(request),
                Route.HistoryCount => HistoryCountAsync(request),
                Route.RevisionSource => RevisionAsync(request, PageForm.Source),
                Route.RevisionBare => RevisionAsync(request, PageForm.Bare),
                Route.RevisionWithHtml => RevisionAsync(request, PageForm.WithHtml),
                Route.RevisionHtml => RevisionHtmlAsync(request),
                Route.Compare => CompareAsync(request),
                Route.MediaLinks => MediaLinksAsync(request),
                _ => SaveAsync(request, create: true),
            });
        }
        catch (RestError e)
        {
            http.Response.StatusCode = e.Status;
            await WriteJsonAsync(http, e.Body());
        }
        catch (Exception e) when ((e is not OperationCanceledException || !ct.IsCancellationRequested) && !http.Response.HasStarted)
        {
            // As MediaWiki's ResponseFactory::createFromException: a 500 naming the exception's type, no trace;
            // the request id finds it in the log.
            var id = http.TraceIdentifier;
            LogInternalError(logger, e, id);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await WriteJsonAsync(http, new RestError(500, $"[{id}] Error: exception of type {e.GetType().FullName}").Body());
        }
    }

    /// <summary>The route for this path and method (HEAD is served by GET), or null.</summary>
    private static RouteDef? Find(string[] segments, string method)
    {
        foreach (var route in Routes)
        {
            if ((route.Method == method || (method == "HEAD" && route.Method == "GET")) && Matches(route.Pattern, segments, null))
            {
                return route;
            }
        }

        return null;
    }

    private static List<string> AllowedMethods(List<RouteDef> matching)
    {
        var methods = matching.Select(r => r.Method).Distinct().ToList();
        if (methods.Remove("GET"))
        {
            methods.InsertRange(0, ["HEAD", "GET"]);
        }

        return methods;
    }

    /// <summary>Whether the path has the pattern's segments; the segments of its <c>{name}</c>s go into <paramref name="pathParams"/> when given.</summary>
    private static bool Matches(string[] pattern, string[] segments, Dictionary<string, string>? pathParams)
    {
        if (pattern.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i].StartsWith('{'))
            {
                pathParams?.Add(pattern[i][1..^1], segments[i]);
            }
            else if (pattern[i] != segments[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="Identity">Who the request acts as; worked out for the routes whose answer depends on it (always for writes).</param>
    /// <param name="PathParams">The path's <c>{name}</c> segments by name.</param>
    private sealed record RestRequest(HttpContext Http, Wiki Wiki, RequestIdentity? Identity, IReadOnlyDictionary<string, string> PathParams)
    {
        public string? TitleText => PathParams.GetValueOrDefault("title");

        public Session Session => Identity?.Session ?? throw new InvalidOperationException("This route does not work out identity.");

        public WikiUser User => Identity?.User ?? throw new InvalidOperationException("This route does not work out identity.");
    }

    private enum PageForm
    {
        Source,
        Bare,
        WithHtml,
    }

    private async Task PageAsync(RestRequest r, PageForm form)
    {
        var (title, page, rev) = await LoadAsync(r);
        var body = PageJson(r.Wiki, title, page.Id, rev);
        await AddFormAsync(r, body, form, title, rev.Text, "/v1/page/" + Uri.EscapeDataString(title.PrefixedDbKey) + "/html");
        await WriteJsonAsync(r.Http, body);
    }

    /// <summary>What a form adds to a page's or revision's description: its source, the URL of its HTML (at <paramref name="htmlPath"/>), or its HTML.</summary>
    private async Task AddFormAsync(RestRequest r, JsonObject body, PageForm form, Title title, string text, string htmlPath)
    {
        switch (form)
        {
            case PageForm.Source:
                body["source"] = text;
                break;
            case PageForm.Bare:
                body["html_url"] = RouteUrl(r.Wiki, htmlPath);
                break;
            case PageForm.WithHtml:
                body["html"] = await HtmlDocumentAsync(r.Wiki, title, text, r.Http.RequestAborted);
                break;
        }
    }

    /// <summary>The full URL of a path of this wiki's rest.php (Router::getRouteUrl; path parameters are rawurlencoded by the caller).</summary>
    private static string RouteUrl(Wiki wiki, string path) => wiki.Server + BasePath(wiki) + path;

    /// <summary>
    /// GET /v1/search/page (full text, with excerpts) and /v1/search/title (title prefixes, the excerpt is the
    /// title): <c>q</c> required, <c>limit</c> 1-100 (10); the wiki's content namespace, as MediaWiki searches by default.
    /// </summary>
    private async Task SearchAsync(RestRequest r, bool titles)
    {
        var query = r.Http.Request.Query;
        var q = query["q"].ToString();
        if (q.Length == 0)
        {
            throw new RestError(400, "Parameter \"q\" is required.");
        }

        var limit = 10;
        if (query["limit"].ToString() is { Length: > 0 } raw && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw new RestError(400, $"Invalid value \"{raw}\" for parameter \"limit\": the value must be between 1 and 100.");
        }

        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pages = new JsonArray();
        if (titles)
        {
            foreach (var page in await PrefixSearch.FindAsync(db, r.Wiki.Id, r.Wiki.Namespaces, q, [NamespaceTable.Main], 0, limit, ct))
            {
                var title = Title.Create(r.Wiki.Namespaces, page.Namespace, page.DbKey);
                pages.Add(SearchResult(page.Id, title, title.PrefixedText));
            }
        }
        else
        {
            var search = SearchQuery.Parse(q);
            var (hits, _) = await SearchIndex.SearchAsync(db, r.Wiki.Id, search, titlesOnly: false, [NamespaceTable.Main], 0, limit, countAll: false, ct);
            var texts = await PageReads.LatestTextsAsync(db, r.Wiki.Id, [.. hits.Select(h => h.PageId)], ct);
            foreach (var hit in hits)
            {
                pages.Add(SearchResult(hit.PageId, Title.Create(r.Wiki.Namespaces, hit.Namespace, hit.DbKey), SearchSnippets.Snippet(texts.GetValueOrDefault(hit.PageId, ""), search)));
            }
        }

        await WriteJsonAsync(r.Http, new JsonObject { ["pages"] = pages });
    }

    /// <summary>MediaWiki's search result object; descriptions and thumbnails are not kept here, so they are null.</summary>
    private static JsonObject SearchResult(int id, Title title, string excerpt) => new()
    {
        ["id"] = id,
        ["key"] = title.PrefixedDbKey,
        ["title"] = title.PrefixedText,
        ["excerpt"] = excerpt,
        ["matched_title"] = null,
        ["description"] = null,
        ["thumbnail"] = null,
    };

    /// <summary>The page's HTML, rendered once per revision (<see cref="RenderedPages"/>) and sent with its length.</summary>
    private async Task HtmlAsync(RestRequest r)
    {
        var title = ParseTitle(r);
        var ct = r.Http.RequestAborted;
        PageHead page;
        Rendering rendering;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            page = await rendered.HeadAsync(db, r.Wiki, title, ct) ?? throw NonexistentTitle(r);
            rendering = await rendered.GetAsync(db, r.Wiki, page, ct);
        }

        var etag = $"\"{page.LatestRevisionId}/{page.Touched.Ticks.ToString("x", CultureInfo.InvariantCulture)}/view/html\"";
        var response = r.Http.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "max-age=5";
        response.Headers.LastModified = rendering.Timestamp.ToString("R", CultureInfo.InvariantCulture);
        if (IfNoneMatch(r.Http.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = "text/html; charset=utf-8";
        if (!HttpMethods.IsHead(r.Http.Request.Method))
        {
            // The document around the kept HTML, written in three pieces rather than copied into one.
            var head = System.Text.Encoding.UTF8.GetBytes(RenderedPages.DocumentHead(title));
            response.ContentLength = head.Length + rendering.Html.Length + RenderedPages.DocumentTailUtf8.Length;
            var body = response.BodyWriter;
            body.Write(head);
            body.Write(rendering.Html);
            body.Write(RenderedPages.DocumentTailUtf8);
            await body.FlushAsync(ct);
        }
    }

    /// <summary>Whether an <c>If-None-Match</c> field lists the ETag, or is <c>*</c>.</summary>
    private static bool IfNoneMatch(Microsoft.Extensions.Primitives.StringValues fields, string etag)
    {
        foreach (var v in fields)
        {
            if (v is not null && (v.Split(',').Select(s => s.Trim()).Contains(etag) || v.Trim() == "*"))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<string> HtmlDocumentAsync(Wiki wiki, Title title, string text, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = ContentModel.For(title);
        var html = model.IsCode ? WikiRendering.CodeHtml(model, text) : await WikiRendering.HtmlAsync(db, wiki, text, new Pages.Wikitext.ExpansionPage(title, rendered.Time.GetUtcNow()), ct, farm.SharedRepositoryFor(wiki));
        return RenderedPages.DocumentHead(title) + html + RenderedPages.DocumentTail;
    }

    private async Task<(Title Title, Page Page, Revision Revision)> LoadAsync(RestRequest r)
    {
        var title = ParseTitle(r);
        await using var db = await dbFactory.CreateDbContextAsync(r.Http.RequestAborted);
        var wikiId = r.Wiki.Id;
        var page = await PageReads.PageByTitleAsync(db, wikiId, title.Namespace, title.DbKey, r.Http.RequestAborted)
            ?? throw NonexistentTitle(r);
        var rev = await PageReads.LatestRevisionAsync(db, page.WikiId, page.Id, page.LatestRevisionId, r.Http.RequestAborted);
        return (title, page, rev);
    }

    private static RestError NonexistentTitle(RestRequest r) => new(404, $"The specified title ({r.TitleText}) does not exist");

    private static Title ParseTitle(RestRequest r) =>
        TitleParser.Parse(r.TitleText ?? "", r.Wiki.Namespaces).Title
        ?? throw new RestError(400, $"Invalid title: {r.TitleText}");

    private static JsonObject PageJson(Wiki wiki, Title title, int pageId, Revision rev) => new()
    {
        ["id"] = pageId,
        ["key"] = title.PrefixedDbKey,
        ["title"] = title.PrefixedText,
        ["latest"] = new JsonObject { ["id"] = rev.Id, ["timestamp"] = Timestamps.Iso(rev.Timestamp) },
        ["content_model"] = ContentModel.For(title).Name,
        ["license"] = License(),
    };

    /// <summary>The wiki's license (<c>$wgRightsUrl</c>, <c>$wgRightsText</c>): none is configured here.</summary>
    private static JsonObject License() => new() { ["url"] = "", ["title"] = "" };

    /// <summary>PUT /v1/page/{title} (create or update) and POST /v1/page (create), with a csrf token for cookie sessions.</summary>
    private async Task SaveAsync(RestRequest r, bool create)
    {
        var ct = r.Http.RequestAborted;
        if (r.Http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new RestError(415, "Unsupported Content-Type");
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(r.Http.Request.Body, cancellationToken: ct) as JsonObject
                ?? throw new RestError(400, "Bad request body: a JSON object is required");
        }
        catch (JsonException)
        {
            throw new RestError(400, "Bad request body: the JSON could not be parsed");
        }

        // Cookie sessions are not safe against CSRF, so a token is required in the body (spec §6.5); a
        // centralauthtoken session is (it comes from a header a page cannot make a browser send).
        if (!r.Session.IsCentral)
        {
            var token = Str(body, "token") ?? throw new RestError(400, "The \"token\" parameter must be set.", actionModuleErrorCode: "missingparam");
            if (!tokens.Validate(r.Session, r.User, "csrf", token))
            {
                throw new RestError(403, "Invalid CSRF token.");
            }
        }

        var source = Str(body, "source") ?? throw new RestError(400, "The \"source\" parameter must be set.", actionModuleErrorCode: "missingparam");
        var comment = Str(body, "comment") ?? "";
        int? latestId = body["latest"] is JsonObject latest && latest["id"] is JsonValue idValue && idValue.TryGetValue<int>(out var id) ? id : null;
        var title = create
            ? TitleParser.Parse(Str(body, "title") ?? throw new RestError(400, "The \"title\" parameter must be set.", actionModuleErrorCode: "missingparam"), r.Wiki.Namespaces).Title
                ?? throw new RestError(400, $"Invalid title: {Str(body, "title")}")
            : ParseTitle(r);
        // MediaWiki's UpdateHandler: without latest.id the PUT creates (and conflicts with an existing
        // page); with it, it edits that revision's page, which must exist.
        var outcome = await editor.SaveAsync(new PageEdit
        {
            Wiki = r.Wiki,
            User = r.User,
            Title = title,
            Compose = _ => source,
            Base = latestId is null ? EditBase.Latest : EditBase.Revision(latestId.Value),
            Summary = comment,
            CreateOnly = create || latestId is null,
            NoCreate = latestId is not null,
            Model = Str(body, "content_model"),
        }, ct);
        switch (outcome.Status)
        {
            case EditStatus.Saved or EditStatus.NoChange:
                var revision = outcome.Current!;
                var result = PageJson(r.Wiki, title, outcome.PageId, revision);
                result["source"] = revision.Text;
                r.Http.Response.StatusCode = outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
                await WriteJsonAsync(r.Http, result);
                return;
            case EditStatus.PageExists:
                throw new RestError(409, "The article you tried to create has been created already.");
            case EditStatus.MissingPage:
                throw new RestError(404, "The page you specified doesn't exist.");
            case EditStatus.CannotExist:
                throw new RestError(400, "Namespace doesn't allow actual pages.");
            case EditStatus.PermissionDenied:
                throw new RestError(403, outcome.Refusal!.Message);
            case EditStatus.InvalidContent:
                throw new RestError(400, "Invalid content data");
            case EditStatus.CannotChangeModel:
                throw new RestError(403, "You don't have permission to change the content model of a page.", actionModuleErrorCode: "cantchangecontentmodel");
            case EditStatus.TooBig:
                throw new RestError(413, $"The content you supplied exceeds the article size limit of {EditLimits.MaxArticleBytes / 1024} kibibytes.");
            default:
                throw new RestError(409, "Edit conflict.");
        }
    }

    /// <summary>The token of <c>Authorization: CentralAuthToken &lt;token&gt;</c> (scheme matched case-insensitively), or null.</summary>
    private static string? CentralToken(string? authorization)
    {
        const string Scheme = "CentralAuthToken";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || authorization.Length <= Scheme.Length || !char.IsWhiteSpace(authorization[Scheme.Length]))
        {
            return null;
        }

        return authorization[Scheme.Length..].Trim();
    }

    private static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static Task WriteJsonAsync(HttpContext http, JsonObject body)
    {
        http.Response.ContentType = "application/json";
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.WriteAsync(body.ToJsonString(Json), http.RequestAborted);
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "rest.php request {RequestId} failed with an internal error")]
    private static partial void LogInternalError(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "rest.php on {WikiId}: anonymous write from origin '{Origin}' refused")]
    private static partial void LogAnonWriteRefused(ILogger logger, string wikiId, string origin);
}
