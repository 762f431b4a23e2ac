using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=edit: create and edit pages. Reads ApiEditPage's parameters (with its checks in its order)
/// and composes the text; <see cref="PageEditor"/> saves it with the one conflict rule
/// (baserevid, else basetimestamp), and its outcome becomes ApiEditPage's answer or error.
/// </summary>
internal sealed partial class EditModule : ApiModule
{
    public override string Name => "edit";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    public override string Description => "Create and edit pages.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Help = "Title of the page to edit. Cannot be used together with pageid." },
        new("pageid", ApiParamType.Integer) { Help = "Page ID of the page to edit. Cannot be used together with title." },
        new("section") { Help = "Section identifier. 0 for the top section, new for a new section." },
        new("sectiontitle") { Help = "The title for a new section when using section=new." },
        new("text", ApiParamType.Text) { Help = "Page content." },
        new("summary") { Help = "Edit summary." },
        new("tags") { Multi = true, Help = "Change tags to apply to the revision." },
        new("minor", ApiParamType.Boolean) { Help = "Mark this edit as a minor edit." },
        new("notminor", ApiParamType.Boolean) { Help = "Do not mark this edit as a minor edit." },
        new("bot", ApiParamType.Boolean) { Help = "Mark this edit as a bot edit." },
        new("baserevid", ApiParamType.Integer) { Help = "ID of the base revision, used to detect edit conflicts." },
        new("basetimestamp", ApiParamType.Timestamp) { Help = "Timestamp of the base revision, used to detect edit conflicts." },
        new("starttimestamp", ApiParamType.Timestamp) { Help = "Timestamp when the editing process began, used to detect edit conflicts." },
        new("recreate", ApiParamType.Boolean) { Help = "Override any errors about the page having been deleted in the meantime." },
        new("createonly", ApiParamType.Boolean) { Help = "Don't edit the page if it exists already." },
        new("nocreate", ApiParamType.Boolean) { Help = "Throw an error if the page doesn't exist." },
        new("watch", ApiParamType.Boolean) { Help = "Deprecated." },
        new("unwatch", ApiParamType.Boolean) { Help = "Deprecated." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        new("md5") { Help = "The MD5 hash of the text parameter, or the prependtext and appendtext parameters concatenated." },
        new("prependtext", ApiParamType.Text) { Help = "Add this text to the beginning of the page or section. Overrides text." },
        new("appendtext", ApiParamType.Text) { Help = "Add this text to the end of the page or section. Overrides text." },
        new("undo", ApiParamType.Integer) { Min = 0, Help = "Undo this revision. Overrides text, prependtext and appendtext." },
        new("undoafter", ApiParamType.Integer) { Min = 0, Help = "Undo all revisions from undo to this one. If not set, just undo one revision." },
        new("redirect", ApiParamType.Boolean) { Help = "Automatically resolve redirects." },
        new("contentformat", ApiParamType.Enum) { Values = ["text/x-wiki", "text/javascript", "text/css", "application/json"], Help = "Content serialization format used for the input text." },
        new("contentmodel", ApiParamType.Enum) { Values = ["wikitext", "javascript", "css", "json"], Help = "Content model of the new content." },
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var p = Read(ctx);

        // ApiBase::getTitleOrPageId; the page itself is looked up by the editor.
        Title? title = null;
        if (p.PageId is null)
        {
            var parsed = TitleParser.Parse(p.Title!, ctx.Wiki.Namespaces);
            title = parsed.Title ?? throw new ApiError("invalidtitle", $"Bad title \"{p.Title}\".");

            // ApiEditPage: the format must be one of the model's (the named model, else the page's).
            var model = (p.Model is null ? null : ContentModel.Named(p.Model)) ?? ContentModel.For(title);
            if (GetString(ctx, "contentformat") is { } format && format != model.Format)
            {
                throw new ApiError("badformat", $"The requested format {format} is not supported for content model {model.Name} used by {title.PrefixedText}.");
            }
        }

        var undone = p.Undo is null ? null : await UndoAsync(ctx, p, title);
        var summary = undone is not null && string.IsNullOrEmpty(p.Summary)
            ? $"Undo revision {undone.Undo.Id} by [[Special:Contributions/{undone.Undo.UserText}|{undone.Undo.UserText}]] ([[User talk:{undone.Undo.UserText}|talk]])"
            : Summary(p);
        var edit = new PageEdit
        {
            Wiki = ctx.Wiki,
            User = ctx.User,
            Title = title,
            PageId = p.PageId,
            Compose = current => undone is null ? Compose(p, current) : UndoText(undone, current),
            OnLatest = p.Section == "new" || p.PrependText is not null || p.AppendText is not null,
            Base = p.BaseRevId is { } id ? EditBase.Revision(id) : p.BaseTimestamp is { } ts ? EditBase.Time(ts) : EditBase.Latest,
            Summary = summary,
            Minor = p.Minor && ctx.User.HasRight("minoredit"),
            CreateOnly = p.CreateOnly,
            NoCreate = p.NoCreate,
            Model = p.Model,
            Bot = GetBool(ctx, "bot"),
        };
        var outcome = await ctx.Services.Editor.SaveAsync(edit, ctx.Aborted);
        var result = new JsonObject();
        switch (outcome.Status)
        {
            case EditStatus.Saved:
            {
                var saved = outcome.Saved!;

                // ApiEditPage's key order: new, result, pageid, title, contentmodel, oldrevid, newrevid, newtimestamp, watched.
                ctx.Result.SetFlag(result, "new", outcome.Created);
                result["result"] = "Success";
                result["pageid"] = saved.PageId;
                result["title"] = outcome.Title!.PrefixedText;
                result["contentmodel"] = ContentModel.For(outcome.Title!).Name;
                result["oldrevid"] = saved.ParentId;
                result["newrevid"] = saved.Id;
                result["newtimestamp"] = Timestamps.Iso(saved.Timestamp);
                await WatchAsync(ctx, result, p, outcome.Title!, outcome.Created);
                break;
            }

            case EditStatus.NoChange:
            {
                result["result"] = "Success";
                result["pageid"] = outcome.PageId;
                result["title"] = outcome.Title!.PrefixedText;
                result["contentmodel"] = ContentModel.For(outcome.Title!).Name;
                ctx.Result.SetFlag(result, "nochange", true);
                await WatchAsync(ctx, result, p, outcome.Title!, created: false);
                break;
            }

            default:
                throw Error(outcome, p);
        }

        ctx.Result.Data["edit"] = result;
    }

    /// <summary>The api.php error of an edit that was not saved.</summary>
    private static ApiError Error(EditResult outcome, EditParams p) => outcome.Status switch
    {
        EditStatus.NoSuchPageId => new ApiError("nosuchpageid", $"There is no page with ID {p.PageId}."),
        EditStatus.CannotExist => new ApiError("pagecannotexist", "Namespace doesn't allow actual pages."),
        EditStatus.PageExists => new ApiError("articleexists", "The article you tried to create has been created already."),
        EditStatus.MissingPage => new ApiError("missingtitle", "The page you specified doesn't exist."),
        EditStatus.PermissionDenied => ApiError.Refused(outcome.Refusal!),
        EditStatus.InvalidContent => new ApiError("invalid-content-data", "Invalid content data"),
        EditStatus.CannotChangeModel => new ApiError("cantchangecontentmodel", "You don't have permission to change the content model of a page."),
        EditStatus.TooBig => new ApiError("contenttoobig", $"The content you supplied exceeds the article size limit of {EditLimits.MaxArticleBytes / 1024} kibibytes."),
        _ => new ApiError("editconflict", "Edit conflict."),
    };

    private sealed record EditParams(
        string? Title, int? PageId, string? Section, string? SectionTitle, string? Text, string? Summary, string? PrependText,
        string? AppendText, bool Minor, bool CreateOnly, bool NoCreate, int? BaseRevId, DateTime? BaseTimestamp,
        string? Md5, bool Watch, bool Unwatch, string Watchlist, DateTime? Expiry, bool ExpiryGiven, string? Model, int? Undo, int? UndoAfter);

    private EditParams Read(ApiContext ctx)
    {
        var text = GetString(ctx, "text");
        var prepend = GetString(ctx, "prependtext");
        var append = GetString(ctx, "appendtext");
        var undo = GetInt(ctx, "undo");
        var undoAfter = GetInt(ctx, "undoafter");
        if (text is null && prepend is null && append is null && undo is null)
        {
            throw new ApiError("missingparam", "At least one of the parameters \"text\", \"appendtext\", \"prependtext\" and \"undo\" is required.");
        }

        var title = GetString(ctx, "title");
        var pageId = GetInt(ctx, "pageid");
        RequireOnlyOne("title", title, "pageid", pageId);

        var section = GetString(ctx, "section");
        if (section is not null && !SectionRegex().IsMatch(section))
        {
            throw new ApiError("invalidsection", "The \"section\" parameter must be a valid section ID or \"new\".");
        }

        var watch = GetBool(ctx, "watch");
        var unwatch = GetBool(ctx, "unwatch");
        foreach (var (used, name) in new[] { (watch, "watch"), (unwatch, "unwatch") })
        {
            if (used)
            {
                ctx.Result.Deprecate(Path, "deprecation", $"The parameter \"{name}\" has been deprecated.");
            }
        }

        // Skipped for baserevid 0 and for an empty basetimestamp, as ApiEditPage does.
        var baseRevId = GetInt(ctx, "baserevid");
        var baseTimestamp = string.IsNullOrEmpty(ctx.Request.Peek("basetimestamp")) || ctx.Request.Peek("basetimestamp") == "0" ? null : GetTimestamp(ctx, "basetimestamp");
        GetTimestamp(ctx, "starttimestamp");
        return new EditParams(
            title, pageId, section, GetString(ctx, "sectiontitle"), text, GetString(ctx, "summary"), prepend, append,
            GetBool(ctx, "minor"), GetBool(ctx, "createonly"), GetBool(ctx, "nocreate"), baseRevId is 0 ? null : baseRevId,
            baseTimestamp, GetString(ctx, "md5"), watch, unwatch, GetString(ctx, "watchlist")!,
            ApiWatchlist.Expiry(ctx, Name, GetString(ctx, "watchlistexpiry"), out var expiryGiven), expiryGiven, GetString(ctx, "contentmodel"),
            undo is 0 ? null : undo, undoAfter is 0 ? null : undoAfter);
    }

    private static int SectionNumber(string section) =>
        int.Parse(section.StartsWith("T-", StringComparison.Ordinal) ? section[2..] : section, CultureInfo.InvariantCulture);

    /// <summary>The revisions an undo takes back: from <see cref="After"/> (excluded) to <see cref="Undo"/>.</summary>
    private sealed record UndoRange(Storage.Revision Undo, Storage.Revision After);

    /// <summary>
    /// ApiEditPage's undo checks: both revisions exist (<c>nosuchrevid</c>) and belong to the page
    /// (<c>revwrongpage</c>); <c>undoafter</c> defaults to the revision before <c>undo</c>, and a later one is swapped.
    /// </summary>
    private static async Task<UndoRange> UndoAsync(ApiContext ctx, EditParams p, Title? title)
    {
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var page = title is not null
            ? await Storage.PageReads.PageByTitleAsync(db, wikiId, title.Namespace, title.DbKey, ctx.Aborted)
            : await db.Pages.AsNoTracking().FirstOrDefaultAsync(x => x.WikiId == wikiId && x.Id == p.PageId, ctx.Aborted);
        var undo = await Storage.PageReads.RevisionByIdAsync(db, wikiId, p.Undo!.Value, ctx.Aborted) ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {p.Undo}.");
        var pageTitle = page is null ? title?.PrefixedText ?? "" : Title.Create(ctx.Wiki.Namespaces, page.Namespace, page.DbKey).PrefixedText;
        if (page is null || undo.PageId != page.Id)
        {
            throw new ApiError("revwrongpage", $"r{undo.Id} is not a revision of {pageTitle}.");
        }

        var afterId = p.UndoAfter ?? undo.ParentId;
        var after = afterId == 0 ? null : await Storage.PageReads.RevisionByIdAsync(db, wikiId, afterId, ctx.Aborted);
        if (after is null)
        {
            throw p.UndoAfter is not null
                ? new ApiError("nosuchrevid", $"There is no revision with ID {p.UndoAfter}.")
                : new ApiError("undofailure", "The edit could not be undone due to conflicting intermediate edits.");
        }

        if (after.PageId != page.Id)
        {
            throw new ApiError("revwrongpage", $"r{after.Id} is not a revision of {pageTitle}.");
        }

        return after.Id > undo.Id ? new UndoRange(after, undo) : new UndoRange(undo, after);
    }

    private static string UndoText(UndoRange range, string? current) =>
        Pages.Undo.Apply(current ?? "", range.Undo.Text, range.After.Text)
            ?? throw new ApiError("undofailure", "The edit could not be undone due to conflicting intermediate edits.");

    /// <summary>
    /// The watchlist after the edit (ApiWatchlistTrait), and the answer's <c>watched</c> and <c>watchlistexpiry</c>; the
    /// deprecated <c>watch</c> and <c>unwatch</c> win over <c>watchlist</c>.
    /// </summary>
    private static async Task WatchAsync(ApiContext ctx, JsonObject result, EditParams p, Title title, bool created)
    {
        var watchlist = p.Watch ? "watch" : p.Unwatch ? "unwatch" : p.Watchlist;
        var watch = await ApiWatchlist.ApplyAsync(ctx, title, watchlist, p.Expiry, p.ExpiryGiven, created);
        ctx.Result.SetFlag(result, "watched", watch);
        if (watch && p.Expiry is { } expiry)
        {
            result["watchlistexpiry"] = Timestamps.Iso(expiry);
        }
    }

    /// <summary>The edit summary; for a new section with a heading, MediaWiki's <c>/* heading */ new section</c>.</summary>
    private static string Summary(EditParams p)
    {
        if (p.Section == "new")
        {
            var heading = p.SectionTitle ?? p.Summary ?? "";
            if (heading.Length > 0 && !(p.SectionTitle is not null && p.Summary is not null))
            {
                return $"/* {heading} */ new section";
            }
        }

        return p.Summary ?? "";
    }

    /// <summary>
    /// The text to save from text/appendtext/prependtext and section, as MediaWiki composes it, on the
    /// latest text (null: no page); then ApiEditPage's md5 check. Runs inside the editor's write.
    /// </summary>
    private static string Compose(EditParams p, string? current)
    {
        var currentText = current ?? "";
        var exists = current is not null;
        string text;
        if (p.Section == "new")
        {
            var body = p.Text ?? (p.PrependText ?? "") + (p.AppendText ?? "");
            if (body.Length == 0)
            {
                throw new ApiError("missingcommenttext", "Please enter a comment.");
            }

            var heading = p.SectionTitle ?? p.Summary ?? "";
            if (heading.Length > 0)
            {
                body = $"== {heading} ==\n\n{body}";
            }

            text = exists && currentText.Length > 0 ? currentText.TrimEnd() + "\n\n" + body : body;
        }
        else if (p.Section is { } sectionId)
        {
            var number = SectionNumber(sectionId);
            if (!exists || Sections.Get(currentText, number) is not { } sectionText)
            {
                throw new ApiError("nosuchsection", $"There is no section {sectionId}.");
            }

            var replacement = p.PrependText is not null || p.AppendText is not null
                ? (p.PrependText ?? "") + sectionText + (p.AppendText ?? "")
                : p.Text!;
            text = Sections.Replace(currentText, number, replacement)!;
        }
        else if (p.PrependText is not null || p.AppendText is not null)
        {
            text = (p.PrependText ?? "") + currentText + (p.AppendText ?? "");
        }
        else
        {
            text = p.Text!;
        }

        // ApiEditPage: the hash is of text, or of prependtext and appendtext; compared exactly (md5() is lower-case hex).
        if (p.Md5 is { } md5)
        {
            var hashed = p.PrependText is not null || p.AppendText is not null ? (p.PrependText ?? "") + (p.AppendText ?? "") : p.Text ?? "";
#pragma warning disable CA5351 // The md5 parameter is MediaWiki's transport checksum, not a security measure.
            if (Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(hashed))) != md5)
            {
                throw new ApiError("badmd5", "The supplied MD5 hash was incorrect.");
            }
#pragma warning restore CA5351
        }

        return text;
    }

    [GeneratedRegex(@"^((T-)?\d+|new)$")]
    private static partial Regex SectionRegex();
}
