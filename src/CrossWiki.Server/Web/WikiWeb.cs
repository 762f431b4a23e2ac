using System.Globalization;
using System.Text.Json;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.ActionApi.Modules;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>
/// The wiki's HTML side: page views at ArticlePath and index.php (view, edit, submit, raw) and the
/// special pages UserLogin, UserLogout, Preferences and CrossWikiDemo. Forms carry MediaWiki-style
/// tokens bound to the session. Pages are Razor components, so every value is HTML-encoded.
/// </summary>
internal sealed partial class WikiWeb(
    IDbContextFactory<WikiDbContext> dbFactory,
    SessionStore sessions,
    UserDirectory users,
    RequestIdentities identities,
    TokenService tokens,
    FarmConfig farm,
    TimeProvider time,
    RazorRenderer razor,
    RenderedPages rendered,
    PageEditor editor,
    WriteGate writes,
    Files.FileRepository files,
    Files.Uploader uploader,
    Files.FileServer fileServer,
    AccountAdmin accounts,
    PageAdmin admin,
    ILogger<WikiWeb> logger)
{
    private sealed record WebRequest(HttpContext Http, Wiki Wiki, Session Session, WikiUser User, Title Title);

    public async Task HandleAsync(HttpContext http, Wiki wiki)
    {
        var titleText = TitleFromRequest(http, wiki);
        if (titleText is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // HTML pages run in the cookie session only: no page can send a central token to them.
        var (session, user, _) = await identities.ResolveAsync(http, wiki, centralToken: null, forceAnonymous: false);
        var parsed = TitleParser.Parse(titleText.Length == 0 ? "Main Page" : titleText, wiki.Namespaces);
        if (parsed.Title is not { } title)
        {
            await RenderAsync<MessagePage>(http, new MessageModel(Chrome(wiki, user, session, null), "Bad title", parsed.Message ?? "", 400), 400);
            return;
        }

        var request = new WebRequest(http, wiki, session, user, title);
        try
        {
            await DispatchAsync(request, HttpMethods.IsPost(http.Request.Method));
        }
        catch (WebFormError e) when (!http.Response.HasStarted)
        {
            await MessageAsync(request, e.Heading, e.Message, e.Status);
        }
        catch (Exception e) when ((e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested) && !http.Response.HasStarted)
        {
            // MediaWiki's internal error page: the exception's type and the request id that finds it in the log, no trace.
            var id = http.TraceIdentifier;
            LogInternalError(logger, e, id);
            http.Response.Clear();
            await MessageAsync(request, "Internal error", $"[{id}] Fatal exception of type \"{e.GetType().FullName}\"", StatusCodes.Status500InternalServerError);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "index.php request {RequestId} failed with an internal error")]
    private static partial void LogInternalError(ILogger logger, Exception exception, string requestId);

    private async Task DispatchAsync(WebRequest request, bool post)
    {
        var http = request.Http;
        var title = request.Title;
        if (title.Namespace == NamespaceTable.Special)
        {
            // Special:Name/subpage; names are matched without regard to case, as MediaWiki's aliases are.
            var slash = title.DbKey.IndexOf('/', StringComparison.Ordinal);
            var name = (slash < 0 ? title.DbKey : title.DbKey[..slash]).ToLowerInvariant();
            var subpage = slash < 0 ? null : title.DbKey[(slash + 1)..];
            await (name switch
            {
                "userlogin" => post ? LoginPostAsync(request) : LoginFormAsync(request, null, ""),
                "createaccount" => post ? CreateAccountPostAsync(request) : CreateAccountFormAsync(request),
                "userlogout" => post ? LogoutPostAsync(request) : LogoutFormAsync(request),
                "preferences" => post ? PreferencesPostAsync(request) : PreferencesFormAsync(request, null),
                "crosswikidemo" => DemoAsync(request),
                "search" => SearchAsync(request),
                "allpages" => PageListAsync(request, subpage, prefixIndex: false),
                "prefixindex" => PageListAsync(request, subpage, prefixIndex: true),
                "whatlinkshere" => WhatLinksHereAsync(request, subpage),
                "categories" => CategoriesAsync(request),
                "random" or "randompage" => RandomAsync(request),
                "recentchanges" => RecentChangesAsync(request),
                "watchlist" => WatchlistAsync(request),
                "editwatchlist" => EditWatchlistAsync(request, post),
                "contributions" or "contribs" => ContributionsAsync(request, subpage),
                "log" => LogAsync(request, subpage),
                "specialpages" => SpecialPagesAsync(request),
                "version" => VersionAsync(request),
                "upload" => post ? UploadPostAsync(request) : UploadFormAsync(request),
                "listfiles" or "imagelist" => ListFilesAsync(request),
                "uploadstash" => UploadStashAsync(request, subpage),
                "movepage" => MovePageAsync(request, subpage),
                _ => MessageAsync(request, "No such special page", "You have requested an invalid special page.", 404),
            });
            return;
        }

        var action = http.Request.Query["action"].ToString();
        var query = http.Request.Query;
        if (action is "" or "view" && query["diff"].ToString() is { Length: > 0 } diff)
        {
            await DiffAsync(request, diff);
            return;
        }

        if (action is "" or "view" && int.TryParse(query["oldid"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var oldId))
        {
            await OldRevisionAsync(request, oldId);
            return;
        }

        await (action switch
        {
            "info" => InfoAsync(request),
            "raw" => RawAsync(request),
            "history" => HistoryAsync(request),
            "edit" => EditFormAsync(request),
            "delete" => DeletePageAsync(request),
            "protect" or "unprotect" => ProtectPageAsync(request),
            "submit" when post => SubmitAsync(request),
            _ => ViewAsync(request),
        });
    }

    private static string? TitleFromRequest(HttpContext http, Wiki wiki)
    {
        // index.php first: an ArticlePath of /$1 would otherwise read it as the page "w/index.php".
        var path = http.Request.Path.Value ?? "";
        if (path == wiki.ScriptPath + "/index.php")
        {
            return http.Request.Query["title"].ToString();
        }

        var prefix = wiki.ArticlePath[..wiki.ArticlePath.IndexOf("$1", StringComparison.Ordinal)];
        return wiki.ArticlePath.EndsWith("$1", StringComparison.Ordinal) && path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length
            ? Uri.UnescapeDataString(path[prefix.Length..])
            : null;
    }

    private async Task<(Page? Page, Revision? Revision)> LoadAsync(WebRequest r)
    {
        await using var db = await dbFactory.CreateDbContextAsync(r.Http.RequestAborted);
        var page = await PageReads.PageByTitleAsync(db, r.Wiki.Id, r.Title.Namespace, r.Title.DbKey, r.Http.RequestAborted);
        if (page is null)
        {
            return (null, null);
        }

        return (page, await PageReads.LatestRevisionAsync(db, page.WikiId, page.Id, page.LatestRevisionId, r.Http.RequestAborted));
    }

    /// <summary>
    /// A page view: a redirect shows its target with "(Redirected from ...)" unless <c>redirect=no</c>; the
    /// category box under the text; a category page lists its members, also when it has no text of its own.
    /// </summary>
    private async Task ViewAsync(WebRequest r)
    {
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = r.Title.Namespace < 0 ? null : await rendered.HeadAsync(db, r.Wiki, r.Title, ct);
        ListedPage? redirectedFrom = null;
        if (page is not null && r.Http.Request.Query["redirect"] != "no"
            && await db.Redirects.AsNoTracking().FirstOrDefaultAsync(d => d.WikiId == r.Wiki.Id && d.FromId == page.Id, ct) is { Namespace: >= 0 } target)
        {
            var targetTitle = Title.Create(r.Wiki.Namespaces, target.Namespace, target.Title);
            if (await rendered.HeadAsync(db, r.Wiki, targetTitle, ct) is { } targetPage)
            {
                redirectedFrom = new ListedPage(r.Title.PrefixedText, WikiListings.Index(r.Wiki, r.Title, ("redirect", "no")));
                r = r with { Title = targetTitle };
                page = targetPage;
            }
        }

        var members = r.Title.Namespace == NamespaceTable.Category
            ? await WikiListings.CategoryMembersAsync(db, r.Wiki, r.Title, r.Http.Request.Query, ct)
            : [];
        var file = r.Title.Namespace == NamespaceTable.File ? await FileSectionAsync(r) : null;
        if (page is null && members.Count == 0 && file is null)
        {
            await MessageAsync(r, r.Title.PrefixedText, "There is currently no text in this page.", 404);
            return;
        }

        if (page is not null && !r.User.IsAnonymous)
        {
            // The reader has seen the latest revision: it is no longer new on their watchlist.
            await Watchlist.SeenAsync(db, dbFactory, writes, r.Wiki.Id, r.User.Id, r.Title, ct);
        }

        var html = page is null ? "<p>There is currently no text in this page.</p>" : System.Text.Encoding.UTF8.GetString((await rendered.GetAsync(db, r.Wiki, page, ct)).Html);
        var categories = page is null ? [] : await WikiListings.CategoriesOfAsync(db, r.Wiki, page.Id, ct);
        await RenderAsync<ArticlePage>(r.Http, new ArticleModel(Chrome(r), r.Title.PrefixedText, html, IndexUrl(r.Wiki, r.Title, "edit"), IndexUrl(r.Wiki, r.Title, "raw"), page?.LatestRevisionId ?? 0)
        {
            Categories = categories,
            RedirectedFrom = redirectedFrom,
            CategoryMembers = members,
            File = file,
        });
    }

    /// <summary>Special:AllPages (<c>from</c>, <c>namespace</c>) and Special:PrefixIndex (<c>prefix</c>, or the subpage).</summary>
    private async Task PageListAsync(WebRequest r, string? subpage, bool prefixIndex)
    {
        var query = r.Http.Request.Query;
        var ns = int.TryParse(query["namespace"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && r.Wiki.Namespaces.TryGet(n, out _) && n >= 0 ? n : 0;
        string? Key(string? text) => string.IsNullOrWhiteSpace(text) ? null : (TitleParser.Parse(text, r.Wiki.Namespaces, ns).Title is { } t && t.Namespace == ns ? t.DbKey : null);
        var prefixText = prefixIndex ? (query["prefix"].ToString() is { Length: > 0 } p ? p : subpage ?? "") : "";
        var fromText = query["from"].ToString() is { Length: > 0 } f ? f : prefixIndex ? "" : subpage ?? "";
        var (prefix, from) = (prefixText.Length > 0 ? Key(prefixText + "x")?[..^1] : null, Key(fromText));
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var noMatch = (prefixText.Length > 0 && prefix is null) || (fromText.Length > 0 && from is null);
        var (items, next) = noMatch ? ([], null) : await WikiListings.PagesAsync(db, r.Wiki, ns, from, prefix, ct);
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, prefixIndex ? "PrefixIndex" : "AllPages");
        var nsValue = ns.ToString(CultureInfo.InvariantCulture);
        FormField[] fields = prefixIndex
            ? [new("prefix", "Display pages with prefix:", prefixText), new("namespace", "Namespace:", nsValue)]
            : [new("from", "Display pages starting at:", fromText), new("namespace", "Namespace:", nsValue)];
        var nextUrl = next is null ? null : WikiListings.Index(r.Wiki, special, [("from", next), ("namespace", nsValue), .. prefixIndex ? new[] { ("prefix", prefixText) } : []]);
        await RenderAsync<SpecialListPage>(r.Http, new SpecialListModel(Chrome(r), prefixIndex ? "Pages with prefix" : "All pages",
            new SpecialForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, fields), null, items, "There are no pages to list.", null, nextUrl));
    }

    /// <summary>Special:WhatLinksHere/Target (or <c>target=</c>): the pages that link to, transclude, use or redirect to it.</summary>
    private async Task WhatLinksHereAsync(WebRequest r, string? subpage)
    {
        var query = r.Http.Request.Query;
        var text = query["target"].ToString() is { Length: > 0 } t ? t : subpage ?? "";
        var target = text.Length > 0 ? TitleParser.Parse(text, r.Wiki.Namespaces).Title : null;
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "WhatLinksHere");
        var form = new SpecialForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, [new("target", "Page:", target?.PrefixedText ?? text)]);
        if (target is not { Namespace: >= 0 })
        {
            var status = text.Length == 0 ? 200 : 400;
            await RenderAsync<SpecialListPage>(r.Http, new SpecialListModel(Chrome(r), "What links here", form,
                text.Length == 0 ? "Enter a page name to see which pages link to it." : $"\"{text}\" is not a valid page name.", [], "", null, null), status);
            return;
        }

        var fromId = int.TryParse(query["from"], NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (items, next) = await WikiListings.LinksHereAsync(db, r.Wiki, target, fromId, ct);
        var nextUrl = next is { } id ? WikiListings.Index(r.Wiki, special, ("target", target.PrefixedDbKey), ("from", id.ToString(CultureInfo.InvariantCulture))) : null;
        await RenderAsync<SpecialListPage>(r.Http, new SpecialListModel(Chrome(r), $"Pages that link to \"{target.PrefixedText}\"", form,
            "The following pages link to " + target.PrefixedText + ":", items, $"No pages link to {target.PrefixedText}.", null, nextUrl));
    }

    /// <summary>Special:Categories: the categories that have members, with their sizes, from <c>from</c>.</summary>
    private async Task CategoriesAsync(WebRequest r)
    {
        var fromText = r.Http.Request.Query["from"].ToString();
        var from = fromText.Length == 0 ? null : TitleParser.Parse(fromText, r.Wiki.Namespaces, NamespaceTable.Category).Title?.DbKey ?? fromText;
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (items, next) = await WikiListings.CategoriesAsync(db, r.Wiki, from, ct);
        var special = Title.Create(r.Wiki.Namespaces, NamespaceTable.Special, "Categories");
        await RenderAsync<SpecialListPage>(r.Http, new SpecialListModel(Chrome(r), "Categories",
            new SpecialForm(r.Wiki.ScriptPath + "/index.php", special.PrefixedDbKey, [new("from", "Display categories starting at:", fromText)]),
            "The following categories have pages or media in them.", items, "There are no categories.", null,
            next is null ? null : WikiListings.Index(r.Wiki, special, ("from", next))));
    }

    /// <summary>Special:Random: to a random page of the main namespace.</summary>
    private async Task RandomAsync(WebRequest r)
    {
        await using var db = await dbFactory.CreateDbContextAsync(r.Http.RequestAborted);
        var title = await WikiListings.RandomAsync(db, r.Wiki, r.Http.RequestAborted) ?? Title.Create(r.Wiki.Namespaces, 0, "Main_Page");
        r.Http.Response.Redirect(r.Wiki.FullArticleUrl(title.PrefixedDbKey));
    }

    private async Task RawAsync(WebRequest r)
    {
        var (_, rev) = await LoadAsync(r);
        r.Http.Response.StatusCode = rev is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        // RawAction: the page's own type, or ctype where MediaWiki allows it; script and style only from code pages.
        r.Http.Response.ContentType = ContentModel.RawContentType(r.Title, r.Http.Request.Query["ctype"].FirstOrDefault()) + "; charset=UTF-8";
        r.Http.Response.Headers.XContentTypeOptions = "nosniff";
        await r.Http.Response.WriteAsync(rev?.Text ?? "", r.Http.RequestAborted);
    }

    private async Task EditFormAsync(WebRequest r)
    {
        var (page, rev) = await LoadAsync(r);
        await RenderAsync<EditPage>(r.Http, new EditModel(Chrome(r), r.Title.PrefixedText, IndexUrl(r.Wiki, r.Title, "submit"), rev?.Text ?? "", "",
            tokens.For(r.Session, r.User, "csrf"), page?.LatestRevisionId ?? 0, ActionApi.Timestamps.Mw(time.GetUtcNow().UtcDateTime), false, null, null));
    }

    /// <summary>
    /// Saves the edit form through <see cref="PageEditor"/>: its base is the form's <c>baseRevId</c> (0: the
    /// page did not exist). A refusal re-shows the form with the message; a conflict shows the current text.
    /// </summary>
    private async Task SubmitAsync(WebRequest r)
    {
        var form = await ReadFormAsync(r);
        var text = form["wpTextbox1"].ToString();
        var summary = form["wpSummary"].ToString();
        _ = int.TryParse(form["baseRevId"], out var baseRevId);
        EditModel Form(bool conflict, string? current, string? error) =>
            new(Chrome(r), r.Title.PrefixedText, IndexUrl(r.Wiki, r.Title, "submit"), EditText.PreSaveTransform(text), summary, tokens.For(r.Session, r.User, "csrf"),
                baseRevId, form["wpStarttime"].ToString(), conflict, current, error);

        if (!tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
        {
            await RenderAsync<EditPage>(r.Http, Form(false, null, "Sorry! We could not process your edit due to a loss of session data. Please try again."), 400);
            return;
        }

        var outcome = await editor.SaveAsync(new PageEdit
        {
            Wiki = r.Wiki,
            User = r.User,
            Title = r.Title,
            Compose = _ => text,
            Base = baseRevId > 0 ? EditBase.Revision(baseRevId) : EditBase.NoPage,
            Summary = summary,
        }, r.Http.RequestAborted);
        switch (outcome.Status)
        {
            case EditStatus.Saved or EditStatus.NoChange:
                r.Http.Response.Redirect(r.Wiki.FullArticleUrl(r.Title.PrefixedDbKey));
                return;
            case EditStatus.PermissionDenied:
                await RenderAsync<EditPage>(r.Http, Form(false, null, outcome.Refusal!.Message), 403);
                return;
            case EditStatus.TooBig:
                // MediaWiki's longpageerror, with its kilobytes to three decimals.
                var size = Math.Round(outcome.Bytes / 1024.0, 3).ToString("#,##0.###", CultureInfo.InvariantCulture);
                var limit = (EditLimits.MaxArticleBytes / 1024).ToString("#,##0", CultureInfo.InvariantCulture);
                await RenderAsync<EditPage>(r.Http, Form(false, null,
                    $"Error: The text you have submitted is {size} kilobytes long, which is longer than the maximum of {limit} kilobytes. It cannot be saved."), 413);
                return;
            case EditStatus.CannotExist:
                await MessageAsync(r, r.Title.PrefixedText, "Namespace doesn't allow actual pages.", 400);
                return;
            case EditStatus.InvalidContent:
                // The form keeps the text, so nothing typed is lost.
                await RenderAsync<EditPage>(r.Http, Form(false, null, "Invalid content data"), 400);
                return;
            default:
                var current = outcome.Current ?? (await LoadAsync(r)).Revision;
                await RenderAsync<EditPage>(r.Http, Form(true, current?.Text, null) with { BaseRevisionId = current?.Id ?? 0 }, 409);
                return;
        }
    }

    private Task LoginFormAsync(WebRequest r, string? error, string name, int status = 200)
    {
        // The login token is bound to this (anonymous) session, so the session cookie must reach the browser.
        SessionCookie.Append(r.Http.Response, r.Wiki, r.Session.Id);
        var returnTo = r.Http.Request.Query["returnto"].ToString();
        return RenderAsync<LoginPage>(r.Http, new LoginModel(Chrome(r), IndexUrl(r.Wiki, r.Title, null), tokens.For(r.Session, r.User, "login"), name, returnTo, error), status);
    }

    private async Task LoginPostAsync(WebRequest r)
    {
        var form = await ReadFormAsync(r);
        var name = UserNames.Normalize(form["wpName"].ToString());
        if (!tokens.Validate(r.Session, r.User, "login", form["wpLoginToken"]))
        {
            await LoginFormAsync(r, "There seems to be a problem with your login session; this action has been canceled as a precaution against session hijacking. Please resubmit the form.", name, 400);
            return;
        }

        var attempt = await users.LogInAsync(name, form["wpPassword"].ToString(), ClientAddress(r), r.Http.RequestAborted);
        if (attempt.Account is not { } account)
        {
            await LoginFormAsync(r, attempt.Throttled is null ? LoginModule.WrongPassword : attempt.ThrottledMessage, name, 403);
            return;
        }

        await sessions.LogInAsync(r.Wiki, r.Session, account.Id, r.Http.RequestAborted);
        SessionCookie.Append(r.Http.Response, r.Wiki, r.Session.Id);
        RedirectToReturnTo(r, form["returnto"].ToString());
    }

    /// <summary>After logging in or signing up: to the page of <c>returnto</c>, or the main page when there is none or it is no title.</summary>
    private static void RedirectToReturnTo(WebRequest r, string returnTo)
    {
        var target = TitleParser.Parse(returnTo.Length > 0 ? returnTo : "Main Page", r.Wiki.Namespaces).Title
            ?? Title.Create(r.Wiki.Namespaces, 0, "Main_Page");
        r.Http.Response.Redirect(r.Wiki.FullArticleUrl(target.PrefixedDbKey));
    }

    private Task LogoutFormAsync(WebRequest r) =>
        RenderAsync<LogoutPage>(r.Http, new LogoutModel(Chrome(r), IndexUrl(r.Wiki, r.Title, null), tokens.For(r.Session, r.User, "csrf")));

    private async Task LogoutPostAsync(WebRequest r)
    {
        var form = await ReadFormAsync(r);
        if (r.User.IsAnonymous || !tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
        {
            await MessageAsync(r, "Log out", "Your session data was lost or you are not logged in; you were not logged out.", 400);
            return;
        }

        await sessions.LogOutAsync(r.Session, r.Http.RequestAborted);
        SessionCookie.Append(r.Http.Response, r.Wiki, r.Session.Id);
        r.Http.Response.Redirect(r.Wiki.FullArticleUrl("Main_Page"));
    }

    private async Task PreferencesFormAsync(WebRequest r, string? message, int status = 200)
    {
        if (r.User.IsAnonymous)
        {
            await MessageAsync(r, "Preferences", "You must be logged in to edit your preferences.", 403);
            return;
        }

        var saved = await PreferenceStore.LoadAsync(dbFactory, r.Wiki.Id, r.User.Id, r.Http.RequestAborted);
        var options = Preferences.Defaults
            .Select(d => KeyValuePair.Create(d.Key, saved.TryGetValue(d.Key, out var v) ? v : PreferenceRules.Format(d.Value)))
            .Concat(saved.Where(s => Preferences.DefaultOf(s.Key) is null).OrderBy(s => s.Key, StringComparer.Ordinal))
            .ToList();
        await RenderAsync<PreferencesPage>(r.Http, new PreferencesModel(Chrome(r), IndexUrl(r.Wiki, r.Title, null), tokens.For(r.Session, r.User, "csrf"), options, message), status);
    }

    private async Task PreferencesPostAsync(WebRequest r)
    {
        var form = await ReadFormAsync(r);
        if (r.User.IsAnonymous || !tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
        {
            await PreferencesFormAsync(r, "Your session data was lost; the preference was not saved. Please try again.", 400);
            return;
        }

        var name = form["wpName"].ToString().Trim();
        var value = form["wpValue"].ToString();
        if (PreferenceRules.Problem(name, value) is { } problem)
        {
            await PreferencesFormAsync(r, $"Validation error for \"{name}\": {problem}", 400);
            return;
        }

        await PreferenceStore.SetAsync(dbFactory, writes, r.Wiki.Id, r.User.Id, [(name, value)], r.Http.RequestAborted);
        await PreferencesFormAsync(r, $"Saved \"{name}\".");
    }

    private Task DemoAsync(WebRequest r)
    {
        var origin = r.Wiki.ServerUri.GetLeftPart(UriPartial.Authority);
        var targets = farm.Wikis.Where(w => w.Id != r.Wiki.Id).Select(w =>
        {
            var match = w.OriginRules.Match(origin);
            var explanation = match.Allowed
                ? $"{w.Sitename} allows {origin} (rule '{match.AllowRule}' of its CrossSiteAJAXdomains): credentialed calls are readable."
                : match.ExceptionRule is { } ex
                    ? $"{w.Sitename} refuses {origin}: rule '{match.AllowRule}' matches but exception '{ex}' of CrossSiteAJAXdomainExceptions excludes it. The answer carries MediaWiki-CORS-Rejection: Origin mismatch and no Access-Control-Allow-Origin, so the browser hides it."
                    : $"{w.Sitename} refuses {origin}: no rule of its CrossSiteAJAXdomains matches. The answer carries MediaWiki-CORS-Rejection: Origin mismatch and no Access-Control-Allow-Origin, so the browser hides it; anonymous calls (origin=*) still work.";
            return new DemoTarget(w.Id, w.Sitename, w.ApiUrl, w.Server + w.ScriptPath + "/rest.php", match.Allowed, explanation);
        }).ToList();
        return RenderAsync<CrossWikiDemoPage>(r.Http, new DemoModel(Chrome(r), origin, targets, files.SharedRepositoryFor(r.Wiki)?.Sitename));
    }

    /// <summary>
    /// Special:Search. Without <c>fulltext</c> (the search box's "go") a page with exactly that title is
    /// opened; otherwise the full-text results of the content namespace, 20 a page, with <c>offset</c>.
    /// </summary>
    private async Task SearchAsync(WebRequest r)
    {
        const int Limit = 20;
        var query = r.Http.Request.Query;
        var text = query["search"].ToString().Trim();
        var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? Math.Min(o, 10_000) : 0;
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var near = text.Length > 0 ? await PrefixSearch.NearMatchAsync(db, r.Wiki.Id, r.Wiki.Namespaces, text, ct) : null;
        if (near is not null && query["fulltext"].Count == 0)
        {
            r.Http.Response.Redirect(r.Wiki.FullArticleUrl(Title.Create(r.Wiki.Namespaces, near.Namespace, near.DbKey).PrefixedDbKey));
            return;
        }

        var exact = near is not null ? Title.Create(r.Wiki.Namespaces, near.Namespace, near.DbKey) : text.Length > 0 ? TitleParser.Parse(text, r.Wiki.Namespaces).Title : null;

        var search = SearchQuery.Parse(text);
        var (hits, total) = text.Length == 0 ? ([], 0) : await SearchIndex.SearchAsync(db, r.Wiki.Id, search, titlesOnly: false, [NamespaceTable.Main], offset, Limit + 1, countAll: true, ct);
        var texts = await PageReads.LatestTextsAsync(db, r.Wiki.Id, [.. hits.Select(h => h.PageId)], ct);
        var rows = hits.Take(Limit).Select(h =>
        {
            var title = Title.Create(r.Wiki.Namespaces, h.Namespace, h.DbKey);
            var body = texts.GetValueOrDefault(h.PageId, "");
            var info = string.Create(CultureInfo.InvariantCulture,
                $"{Math.Max(1, (h.Length + 512) / 1024)} KB ({SearchSnippets.WordCount(body)} words) - {h.Touched:HH:mm, d MMMM yyyy}");
            return new SearchResultRow(title.PrefixedText, r.Wiki.ArticleUrl(title.PrefixedDbKey), SearchSnippets.Snippet(body, search), info);
        }).ToList();
        string Page(int at) => r.Wiki.ScriptPath + "/index.php?title=Special:Search&fulltext=1&search=" + Uri.EscapeDataString(text)
            + (at > 0 ? "&offset=" + at.ToString(CultureInfo.InvariantCulture) : "");
        await RenderAsync<SearchPage>(r.Http, new SearchModel(Chrome(r), text, rows, total, offset, Limit,
            offset > 0 ? Page(Math.Max(0, offset - Limit)) : null,
            hits.Count > Limit ? Page(offset + Limit) : null,
            exact?.PrefixedText,
            near is not null ? r.Wiki.ArticleUrl(exact!.PrefixedDbKey) : null,
            exact is { Namespace: >= 0 } && near is null ? IndexUrl(r.Wiki, exact, "edit") : null));
    }

    /// <summary>
    /// The posted form. A body that is not a form (another or no <c>Content-Type</c>) or a malformed one is the
    /// client's error: 415 or 400, answered with a message page (<see cref="WebFormError"/>), never a 500.
    /// </summary>
    private static async Task<IFormCollection> ReadFormAsync(WebRequest r)
    {
        var request = r.Http.Request;
        if (!request.HasFormContentType)
        {
            throw new WebFormError(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "This page takes a form: application/x-www-form-urlencoded or multipart/form-data.");
        }

        try
        {
            return await request.ReadFormAsync(r.Http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // IOException: also a multipart body that ends before its boundary (and BadHttpRequestException, one).
            throw new WebFormError(StatusCodes.Status400BadRequest, "Bad request", "The form could not be read: " + e.Message);
        }
    }

    /// <summary>The address the request came from, as throttles count it (MediaWiki's WebRequest::getIP).</summary>
    private static string ClientAddress(WebRequest r) => RequestIdentities.ClientAddress(r.Http);

    /// <summary>A posted body that is not a form the page can read.</summary>
    private sealed class WebFormError(int status, string heading, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Heading { get; } = heading;
    }

    private Task MessageAsync(WebRequest r, string heading, string message, int status) =>
        RenderAsync<MessagePage>(r.Http, new MessageModel(Chrome(r), heading, message, status), status);

    private WikiChrome Chrome(WebRequest r) => Chrome(r.Wiki, r.User, r.Session, r.Title, r.Http.Request.Query["action"].ToString());

    private WikiChrome Chrome(Wiki wiki, WikiUser user, Session session, Title? title, string action = "")
    {
        var special = (string page) => wiki.ArticleUrl("Special:" + page);
        var config = new Dictionary<string, object?>
        {
            ["wgServer"] = wiki.Server,
            ["wgCanonicalServer"] = wiki.Server,
            ["wgScriptPath"] = wiki.ScriptPath,
            ["wgScript"] = wiki.ScriptPath + "/index.php",
            ["wgArticlePath"] = wiki.ArticlePath,
            ["wgSiteName"] = wiki.Sitename,
            ["wgDBname"] = wiki.Id,
            ["wgPageName"] = title?.PrefixedDbKey ?? "Main_Page",
            ["wgTitle"] = title?.Text ?? "Main Page",
            ["wgNamespaceNumber"] = title?.Namespace ?? 0,
            ["wgUserName"] = user.IsAnonymous ? null : user.Name,
            ["wgUserId"] = user.Id,
            ["wgUserGroups"] = user.Groups,
            ["wgCsrfToken"] = tokens.For(session, user, "csrf"),
            // crosswiki.js's mw.ForeignApi and mw.ForeignRest ask this wiki for central tokens
            // (action=centralauthtoken) only when it is not false.
            ["wgCentralAuth"] = wiki.CentralAuth,

            // mw.ForeignUpload's default target: the farm's shared repository, as Commons is Wikipedia's.
            ["wgForeignUploadTargets"] = files.SharedRepositoryFor(wiki) is null ? new[] { "local" } : new[] { "shared" },
        };

        // The default encoder escapes <, > and &, so the JSON is safe inside a script element.
        return new WikiChrome(wiki.Sitename, wiki.ScriptPath, wiki.ArticleUrl("Main_Page"), user.IsAnonymous ? null : user.Name,
            special("UserLogin") + (title is null ? "" : "?returnto=" + Uri.EscapeDataString(title.PrefixedDbKey)),
            special("UserLogout"), special("Preferences"), special("CrossWikiDemo"), special("Upload"), wiki.ScriptPath + "/index.php", JsonSerializer.Serialize(config))
        {
            Tabs = title is { Namespace: >= 0 } t ? Tabs(wiki, user, t, action) : [],
            CreateAccountUrl = user.IsAnonymous && AccountAdmin.MayCreateAccounts(user, farm.SelfRegistration)
                ? special("CreateAccount") + (title is null ? "" : "?returnto=" + Uri.EscapeDataString(title.PrefixedDbKey))
                : null,
            Links = new ChromeLinks(special("RecentChanges"), special("Random"), special("SpecialPages"),
                user.IsAnonymous ? null : special("Contributions/" + user.Name.Replace(' ', '_')),
                user.IsAnonymous ? null : special("Watchlist"),
                title is { Namespace: >= 0 } page ? IndexUrl(wiki, page, "info") : null,
                title is { Namespace: >= 0 } linked ? special("WhatLinksHere/" + linked.PrefixedDbKey) : null),
        };
    }

    /// <summary>
    /// MediaWiki's page tabs: the subject page and its talk page, then read, edit and view history, then move, delete
    /// and protect for users with those rights (MediaWiki's "More" menu).
    /// </summary>
    private static List<PageTab> Tabs(Wiki wiki, WikiUser user, Title title, string action)
    {
        var (subjectNs, talkNs) = Watchlist.Pair(title.Namespace);
        var subject = Title.Create(wiki.Namespaces, subjectNs, title.DbKey);
        var talk = Title.Create(wiki.Namespaces, talkNs, title.DbKey);
        var onTalk = title.Namespace == talkNs;
        var subjectId = subjectNs switch { NamespaceTable.User => "ca-nstab-user", NamespaceTable.File => "ca-nstab-image", NamespaceTable.Category => "ca-nstab-category", 0 => "ca-nstab-main", _ => "ca-nstab-project" };
        return
        [
            new(subjectId, subjectNs == 0 ? "Page" : subject.NamespaceName, wiki.ArticleUrl(subject.PrefixedDbKey), !onTalk),
            new("ca-talk", "Talk", wiki.ArticleUrl(talk.PrefixedDbKey), onTalk),
            new("ca-view", "Read", wiki.ArticleUrl(title.PrefixedDbKey), action is "" or "view"),
            new("ca-edit", "Edit", IndexUrl(wiki, title, "edit"), action is "edit" or "submit"),
            new("ca-history", "View history", IndexUrl(wiki, title, "history"), action == "history"),
            .. user.HasRight("move") ? [new PageTab("ca-move", "Move", wiki.ArticleUrl("Special:MovePage/" + title.PrefixedDbKey), false)] : Array.Empty<PageTab>(),
            .. user.HasRight("delete") ? [new PageTab("ca-delete", "Delete", IndexUrl(wiki, title, "delete"), action == "delete")] : Array.Empty<PageTab>(),
            .. user.HasRight("protect") ? [new PageTab("ca-protect", "Protect", IndexUrl(wiki, title, "protect"), action == "protect")] : Array.Empty<PageTab>(),
        ];
    }

    private static string IndexUrl(Wiki wiki, Title title, string? action) =>
        wiki.ScriptPath + "/index.php?title=" + WikiUrl.Encode(title.PrefixedDbKey) + (action is null ? "" : "&action=" + action);

    private async Task RenderAsync<TComponent>(HttpContext http, object model, int status = 200)
        where TComponent : IComponent
    {
        var html = await razor.RenderAsync<TComponent>(model);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.XFrameOptions = "DENY";

        // As MediaWiki's OutputPage without a CDN: a page may carry the reader's name and CSRF token, so no
        // shared cache keeps it and a browser asks again each time (OutputPage::sendCacheControl).
        http.Response.Headers.CacheControl = "private, must-revalidate, max-age=0";
        http.Response.Headers.Vary = "Accept-Encoding, Cookie";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }
}
