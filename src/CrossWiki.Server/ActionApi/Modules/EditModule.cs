using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=edit: create and edit pages, with MediaWiki's checks in its order, conflict detection from
/// basetimestamp/baserevid/starttimestamp, and a save that can never lose a concurrent revision.
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
        new("watchlist", ApiParamType.Enum) { Values = ["nochange", "preferences", "unwatch", "watch"], Default = "preferences", Help = "Add or remove the page from the watchlist." },
        new("md5") { Help = "The MD5 hash of the text parameter, or the prependtext and appendtext parameters concatenated." },
        new("prependtext", ApiParamType.Text) { Help = "Add this text to the beginning of the page or section. Overrides text." },
        new("appendtext", ApiParamType.Text) { Help = "Add this text to the end of the page or section. Overrides text." },
        new("undo", ApiParamType.Integer) { Min = 0, Help = "Undo this revision. Not supported here." },
        new("undoafter", ApiParamType.Integer) { Min = 0, Help = "Undo all revisions from undo to this one." },
        new("redirect", ApiParamType.Boolean) { Help = "Automatically resolve redirects." },
        new("contentformat", ApiParamType.Enum) { Values = ["text/x-wiki"], Help = "Content serialization format used for the input text." },
        new("contentmodel", ApiParamType.Enum) { Values = ["wikitext"], Help = "Content model of the new content." },
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var p = Read(ctx);
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);

        // ApiBase::getTitleOrPageId.
        Page? page;
        Title title;
        if (p.PageId is { } pageId)
        {
            page = await db.Pages.FirstOrDefaultAsync(x => x.Id == pageId && x.WikiId == wikiId, ctx.Aborted)
                ?? throw new ApiError("nosuchpageid", $"There is no page with ID {pageId}.");
            title = PageSet.ToTitle(ctx, page);
        }
        else
        {
            var parsed = TitleParser.Parse(p.Title!, ctx.Wiki.Namespaces);
            title = parsed.Title ?? throw new ApiError("invalidtitle", $"Bad title \"{p.Title}\".");
            if (title.Namespace < 0)
            {
                throw new ApiError("pagecannotexist", "Namespace doesn't allow actual pages.");
            }

            page = await db.Pages.FirstOrDefaultAsync(x => x.WikiId == wikiId && x.Namespace == title.Namespace && x.DbKey == title.DbKey, ctx.Aborted);
        }

        if (p.CreateOnly && page is not null)
        {
            throw new ApiError("articleexists", "The article you tried to create has been created already.");
        }

        if (p.NoCreate && page is null)
        {
            throw new ApiError("missingtitle", "The page you specified doesn't exist.");
        }

        if (EditPermissions.Check(ctx.User, title, page is null, ctx.Wiki.Sitename) is { } refusal)
        {
            throw new ApiError(refusal.Code, refusal.Message);
        }

        var current = page is null ? null : await PageReads.LatestRevisionAsync(db, page.Id, page.LatestRevisionId, ctx.Aborted);
        var currentText = current?.Text ?? "";
        var newText = Compose(p, currentText, page is not null, out var summary);

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

        if (p.Section is { } section && section != "new" && section != "0" && (page is null || Sections.Get(currentText, SectionNumber(section)) is null))
        {
            throw new ApiError("nosuchsection", $"There is no section {section}.");
        }

        newText = EditText.PreSaveTransform(newText);
        if (Encoding.UTF8.GetByteCount(newText) > EditLimits.MaxArticleBytes)
        {
            throw new ApiError("contenttoobig", $"The content you supplied exceeds the article size limit of {EditLimits.MaxArticleBytes / 1024} kibibytes.");
        }

        if (page is not null && current is not null && await IsConflictAsync(ctx, db, p, page, current))
        {
            throw new ApiError("editconflict", "Edit conflict.");
        }

        var watch = await WatchAsync(ctx, db, p, page is not null);
        var result = new JsonObject();
        if (page is not null && current is not null && newText == currentText)
        {
            result["result"] = "Success";
            result["pageid"] = page.Id;
            result["title"] = title.PrefixedText;
            result["contentmodel"] = "wikitext";
            ctx.Result.SetFlag(result, "nochange", true);
            ctx.Result.SetFlag(result, "watched", watch);
            ctx.Result.Data["edit"] = result;
            return;
        }

        var saved = await PageWriter.SaveAsync(db, ctx.Wiki.Id, title, page, newText, summary,
            minor: p.Minor && page is not null && ctx.User.HasRight("minoredit"), ctx.User.Id, ctx.User.Name, ctx.Now, ctx.Aborted);
        if (saved is null)
        {
            // Another writer saved first: this edit was based on a revision that is no longer the latest.
            throw p.CreateOnly && page is null
                ? new ApiError("articleexists", "The article you tried to create has been created already.")
                : new ApiError("editconflict", "Edit conflict.");
        }

        // ApiEditPage's key order: new, result, pageid, title, contentmodel, oldrevid, newrevid, newtimestamp, watched.
        ctx.Result.SetFlag(result, "new", page is null);
        result["result"] = "Success";
        result["pageid"] = saved.PageId;
        result["title"] = title.PrefixedText;
        result["contentmodel"] = "wikitext";
        result["oldrevid"] = saved.ParentId;
        result["newrevid"] = saved.Id;
        result["newtimestamp"] = Timestamps.Iso(saved.Timestamp);
        ctx.Result.SetFlag(result, "watched", watch);
        ctx.Result.Data["edit"] = result;
    }

    private sealed record EditParams(
        string? Title, int? PageId, string? Section, string? SectionTitle, string? Text, string? Summary, string? PrependText,
        string? AppendText, bool Minor, bool CreateOnly, bool NoCreate, int? BaseRevId, DateTime? BaseTimestamp,
        string? Md5, bool Watch, bool Unwatch, string Watchlist);

    private EditParams Read(ApiContext ctx)
    {
        var text = GetString(ctx, "text");
        var prepend = GetString(ctx, "prependtext");
        var append = GetString(ctx, "appendtext");
        var undo = GetInt(ctx, "undo");
        GetInt(ctx, "undoafter");
        if (text is null && prepend is null && append is null && undo is null)
        {
            throw new ApiError("missingparam", "At least one of the parameters \"text\", \"appendtext\", \"prependtext\" and \"undo\" is required.");
        }

        var title = GetString(ctx, "title");
        var pageId = GetInt(ctx, "pageid");
        if (title is null && pageId is null)
        {
            throw new ApiError("missingparam", "One of the parameters \"title\" and \"pageid\" is required.");
        }

        if (title is not null && pageId is not null)
        {
            throw new ApiError("invalidparammix", "The parameters \"title\" and \"pageid\" can not be used together.");
        }

        if (undo is not null && text is null && prepend is null && append is null)
        {
            throw new ApiError("undofailure", "The edit could not be undone due to conflicting intermediate edits.");
        }

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
            baseTimestamp, GetString(ctx, "md5"), watch, unwatch, GetString(ctx, "watchlist")!);
    }

    private static int SectionNumber(string section) =>
        int.Parse(section.StartsWith("T-", StringComparison.Ordinal) ? section[2..] : section, CultureInfo.InvariantCulture);

    /// <summary>
    /// ApiWatchlistTrait::getWatchlistValue, which decides <c>watched</c> in the answer. Watchlists are not
    /// stored here, so no page is "already watched": <c>nochange</c> never watches, and
    /// <c>preferences</c> follows watchdefault, or watchcreations for a new page; bots never watch by preference.
    /// </summary>
    private static async Task<bool> WatchAsync(ApiContext ctx, WikiDbContext db, EditParams p, bool exists)
    {
        if (p.Watch || p.Unwatch)
        {
            return p.Watch;
        }

        switch (p.Watchlist)
        {
            case "watch":
                return true;
            case "preferences" when !ctx.User.Groups.Contains("bot"):
                return await BoolOptionAsync(ctx, db, "watchdefault") || (!exists && await BoolOptionAsync(ctx, db, "watchcreations"));
            default:
                return false;
        }
    }

    /// <summary>UserOptionsLookup::getBoolOption: the saved value, else the default; anonymous users have the defaults.</summary>
    private static async Task<bool> BoolOptionAsync(ApiContext ctx, WikiDbContext db, string name)
    {
        string? saved = null;
        if (!ctx.User.IsAnonymous)
        {
            var wikiId = ctx.Wiki.Id;
            var userId = ctx.User.Id;
            saved = await db.Preferences.AsNoTracking().Where(x => x.WikiId == wikiId && x.UserId == userId && x.Name == name)
                .Select(x => x.Value).FirstOrDefaultAsync(ctx.Aborted);
        }

        return saved is null ? Preferences.DefaultOf(name) is 1 or true : saved is not ("" or "0");
    }

    /// <summary>The text to save from text/appendtext/prependtext and section, as MediaWiki composes it.</summary>
    private static string Compose(EditParams p, string currentText, bool exists, out string summary)
    {
        summary = p.Summary ?? "";
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
                summary = p.SectionTitle is not null && p.Summary is not null ? p.Summary : $"/* {heading} */ new section";
            }

            return exists && currentText.Length > 0 ? currentText.TrimEnd() + "\n\n" + body : body;
        }

        if (p.Section is { } sectionId)
        {
            var number = SectionNumber(sectionId);
            if (!exists || Sections.Get(currentText, number) is not { } sectionText)
            {
                throw new ApiError("nosuchsection", $"There is no section {sectionId}.");
            }

            var replacement = p.PrependText is not null || p.AppendText is not null
                ? (p.PrependText ?? "") + sectionText + (p.AppendText ?? "")
                : p.Text!;
            return Sections.Replace(currentText, number, replacement)!;
        }

        if (p.PrependText is not null || p.AppendText is not null)
        {
            return (p.PrependText ?? "") + currentText + (p.AppendText ?? "");
        }

        return p.Text!;
    }

    /// <summary>
    /// EditPage::internalAttemptSave's conflict rule. The client's base is basetimestamp and/or baserevid
    /// (without either, ApiEditPage takes the page's latest revision, so there is no conflict). The edit
    /// conflicts when the page moved on since that base; for a whole-page edit based on a timestamp the
    /// conflict is suppressed when every later revision is the same registered user's
    /// (RevisionStore::userWasLastToEdit). New sections never conflict, and appended or prepended text is
    /// built on the latest text. MediaWiki then tries a three-way merge; this server does not merge.
    /// </summary>
    private static async Task<bool> IsConflictAsync(ApiContext ctx, WikiDbContext db, EditParams p, Page page, Revision current)
    {
        if (p.Section == "new" || p.PrependText is not null || p.AppendText is not null)
        {
            return false;
        }

        var moved = (p.BaseTimestamp is { } ts && ts != current.Timestamp) || (p.BaseRevId is { } id && id != current.Id);
        if (!moved)
        {
            return false;
        }

        if (p.Section is null && p.BaseTimestamp is { } since && !ctx.User.IsAnonymous)
        {
            var userId = ctx.User.Id;
            return await db.Revisions.AnyAsync(r => r.PageId == page.Id && r.Timestamp > since && r.UserId != userId, ctx.Aborted);
        }

        return true;
    }

    [GeneratedRegex(@"^((T-)?\d+|new)$")]
    private static partial Regex SectionRegex();
}
