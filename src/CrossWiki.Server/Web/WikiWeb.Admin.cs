using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;

namespace CrossWiki.Server.Web;

/// <content>
/// The page administration forms: Special:MovePage, <c>action=delete</c> and <c>action=protect</c>, each a form with a
/// csrf token whose answer goes through the one page administrator (<see cref="PageAdmin"/>), as api.php's does.
/// </content>
internal sealed partial class WikiWeb
{
    private static readonly IReadOnlyList<(string Value, string Text)> LevelChoices =
        [("", "Allow all users"), ("autoconfirmed", Protection.LevelName("autoconfirmed")), ("sysop", Protection.LevelName("sysop"))];

    /// <summary>The form's token, or a refusal page when it is missing or stale (the form is then shown again by the caller).</summary>
    private async Task<IFormCollection?> AdminFormAsync(WebRequest r, string right, string refusal)
    {
        if (!r.User.HasRight(right))
        {
            await MessageAsync(r, "Permission error", refusal, 403);
            return null;
        }

        return HttpMethods.IsPost(r.Http.Request.Method) ? await ReadFormAsync(r) : new FormCollection([]);
    }

    /// <summary>
    /// What every administration form does: on GET it is shown; a POST needs its token, then valid input, then the
    /// action, whose refusal shows the form again with MediaWiki's message.
    /// </summary>
    private async Task SubmitAdminFormAsync(WebRequest r, IFormCollection form, Func<string?, int, Task> formAsync, Func<string?> invalid, Func<Task> act)
    {
        if (!HttpMethods.IsPost(r.Http.Request.Method))
        {
            await formAsync(null, 200);
        }
        else if (!tokens.Validate(r.Session, r.User, "csrf", form["wpEditToken"]))
        {
            await formAsync(SessionLost, 400);
        }
        else if (invalid() is { } problem)
        {
            await formAsync(problem, 400);
        }
        else
        {
            try
            {
                await act();
            }
            catch (PageActionRefusedException e)
            {
                await formAsync(e.Refusal.Message, 403);
            }
        }
    }

    private const string SessionLost = "There seems to be a problem with your login session; this action has been canceled as a precaution against session hijacking. Please resubmit the form.";

    private Task AdminFormPageAsync(WebRequest r, string heading, string intro, string formId, string legend, IReadOnlyList<AdminField> fields, string submit, string submitId, string? error, int status = 200) =>
        RenderAsync<AdminFormPage>(r.Http, new AdminFormModel(Chrome(r), heading, intro, r.Http.Request.Path + r.Http.Request.QueryString, formId, legend, fields,
            tokens.For(r.Session, r.User, "csrf"), submit, submitId, error), status);

    /// <summary>Special:MovePage/Title: the new title, the reason, the talk page and subpages, the redirect left behind.</summary>
    private async Task MovePageAsync(WebRequest r, string? subpage)
    {
        if (await AdminFormAsync(r, "move", r.User.IsAnonymous ? "You must be a registered user and logged in to move a page." : "You do not have permission to move pages.") is not { } form)
        {
            return;
        }

        var targetText = subpage ?? r.Http.Request.Query["target"].ToString();
        if (TitleParser.Parse(targetText.Replace('_', ' '), r.Wiki.Namespaces).Title is not { Namespace: >= 0 } from)
        {
            await MessageAsync(r, "Move page", "Bad title: no page to move was given.", 400);
            return;
        }

        var post = HttpMethods.IsPost(r.Http.Request.Method);
        var newTitle = post ? form["wpNewTitleMain"].ToString() : from.PrefixedText;
        var reason = form["wpReason"].ToString();
        bool Ticked(string name, bool byDefault) => post ? form[name] == "1" : byDefault;
        var moveTalk = Ticked("wpMovetalk", true);
        var subpages = Ticked("wpMovesubpages", false);
        var leaveRedirect = Ticked("wpLeaveRedirect", true);
        Task FormAsync(string? error, int status = 200)
        {
            List<AdminField> fields =
            [
                new("wpNewTitleMain", "New title:", AdminFieldKind.Text, newTitle),
                new("wpReason", "Reason:", AdminFieldKind.Text, reason),
                new("wpMovetalk", "Move associated talk page", AdminFieldKind.Check, moveTalk ? "1" : ""),
                new("wpMovesubpages", "Move subpages (up to 100)", AdminFieldKind.Check, subpages ? "1" : ""),
            ];
            if (r.User.HasRight("suppressredirect"))
            {
                fields.Add(new("wpLeaveRedirect", "Leave a redirect behind", AdminFieldKind.Check, leaveRedirect ? "1" : ""));
            }

            return AdminFormPageAsync(r, $"Move {from.PrefixedText}",
                "Using the form below will rename a page, moving all of its history to the new name. The old title will become a redirect page to the new title.",
                "movepage", "Move page", fields, "Move page", "wpMove", error, status);
        }

        Title? to = null;
        await SubmitAdminFormAsync(r, form, FormAsync,
            () => (to = TitleParser.Parse(newTitle, r.Wiki.Namespaces).Title) is null ? "The requested page title is invalid, empty, or an incorrectly linked inter-language or inter-wiki title." : null,
            async () =>
            {
                var outcome = await admin.MoveAsync(new PageMove(r.Wiki, r.User, from, to!, reason) { MoveTalk = moveTalk, MoveSubpages = subpages, NoRedirect = !leaveRedirect }, r.Http.RequestAborted);
                await MessageAsync(r, "Move succeeded", $"\"{outcome.Page.From.PrefixedText}\" has been moved to \"{outcome.Page.To.PrefixedText}\".", 200);
            });
    }

    /// <summary><c>action=delete</c>: the reason, then the page's revisions go to the archive.</summary>
    private async Task DeletePageAsync(WebRequest r)
    {
        if (await AdminFormAsync(r, "delete", "You do not have permission to delete pages.") is not { } form)
        {
            return;
        }

        var reason = form["wpReason"].ToString();
        Task FormAsync(string? error, int status = 200) => AdminFormPageAsync(r, $"Delete \"{r.Title.PrefixedText}\"",
            "You are about to delete a page along with all of its history. Please confirm that you intend to do this, that you understand the consequences, and that you are doing this in accordance with the policy.",
            "deleteconfirm", "Delete", [new("wpReason", "Reason:", AdminFieldKind.Text, reason)], "Delete page", "wpConfirmB", error, status);
        await SubmitAdminFormAsync(r, form, FormAsync, () => null, async () =>
        {
            await admin.DeleteAsync(r.Wiki, r.User, r.Title, reason, r.Http.RequestAborted);
            await MessageAsync(r, "Action complete", $"\"{r.Title.PrefixedText}\" has been deleted. See the deletion log for a record of recent deletions.", 200);
        });
    }

    /// <summary><c>action=protect</c>: a level per protection type of the page (create for a missing one), one expiry, the reason.</summary>
    private async Task ProtectPageAsync(WebRequest r)
    {
        if (await AdminFormAsync(r, "protect", "You do not have permission to change protection levels for this page.") is not { } form)
        {
            return;
        }

        var ct = r.Http.RequestAborted;
        var now = time.GetUtcNow().UtcDateTime;
        Dictionary<string, string> current;
        bool exists;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var page = await PageReads.PageByTitleAsync(db, r.Wiki.Id, r.Title.Namespace, r.Title.DbKey, ct);
            exists = page is not null;
            current = page is not null
                ? (await Protection.ActiveAsync(db, r.Wiki.Id, page.Id, now, ct)).ToDictionary(p => p.Type, p => p.Level, StringComparer.Ordinal)
                : await Protection.OfTitleAsync(db, r.Wiki.Id, r.Title, now, ct) is { } protectedTitle ? new(StringComparer.Ordinal) { ["create"] = protectedTitle.Level } : new(StringComparer.Ordinal);
        }

        var post = HttpMethods.IsPost(r.Http.Request.Method);
        var types = Protection.TypesFor(r.Title, exists);
        var levels = types.ToDictionary(t => t, t => post ? form["mwProtect-level-" + t].ToString() : current.GetValueOrDefault(t, ""), StringComparer.Ordinal);
        var expiryText = post ? form["mwProtect-expiry"].ToString() : "infinite";
        var reason = form["mwProtect-reason"].ToString();
        Task FormAsync(string? error, int status = 200) => AdminFormPageAsync(r, $"Change protection level for \"{r.Title.PrefixedText}\"",
            $"Here you may view and change the protection level for the page \"{r.Title.PrefixedText}\".", "mw-Protect-Form", "Protection settings",
            [
                .. types.Select(t => new AdminField("mwProtect-level-" + t, char.ToUpperInvariant(t[0]) + t[1..], AdminFieldKind.Choice, levels[t]) { Options = LevelChoices }),
                new("mwProtect-expiry", "Expires:", AdminFieldKind.Text, expiryText),
                new("mwProtect-reason", "Reason:", AdminFieldKind.Text, reason),
            ], "Confirm", "mw-Protect-submit", error, status);
        var expiry = Expiries.Parse(expiryText, now);
        await SubmitAdminFormAsync(r, form, FormAsync,
            () => levels.Values.FirstOrDefault(l => l.Length > 0 && !Protection.Levels.Contains(l)) is { } level ? $"Invalid protection level \"{level}\"."
                : expiry.ErrorCode == "badexpiry-past" ? $"Expiry time \"{expiryText}\" is in the past."
                : expiry.ErrorCode is not null ? $"Invalid expiry time \"{expiryText}\"."
                : null,
            async () =>
            {
                await admin.ProtectAsync(r.Wiki, r.User, r.Title, [.. types.Select(t => new ProtectionChange(t, levels[t], levels[t].Length == 0 ? null : expiry.Expiry))], reason, cascade: false, ct);
                r.Http.Response.Redirect(r.Wiki.FullArticleUrl(r.Title.PrefixedDbKey));
            });
    }
}
