using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
        new("title", ApiParamType.Title) { Help = "Title of the page to edit. Cannot be used together with pageid." },
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

        CheckPermissions(ctx, title, page is null);
        var current = page is null ? null : await db.Revisions.AsNoTracking().FirstAsync(r => r.Id == page.LatestRevisionId, ctx.Aborted);
        var currentText = current?.Text ?? "";
        var newText = Compose(p, currentText, page is not null, out var summary);
        if (p.Md5 is { } md5)
        {
            var hashed = p.Text ?? (p.PrependText ?? "") + (p.AppendText ?? "");
#pragma warning disable CA5351 // The md5 parameter is MediaWiki's transport checksum, not a security measure.
            if (!string.Equals(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(hashed))), md5.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new ApiError("badmd5", "The supplied MD5 hash was incorrect.");
            }
#pragma warning restore CA5351
        }

        newText = PreSaveTransform(newText);
        if (Encoding.UTF8.GetByteCount(newText) > EditLimits.MaxArticleBytes)
        {
            throw new ApiError("contenttoobig", $"The content you supplied exceeds the article size limit of {EditLimits.MaxArticleBytes / 1024} kibibytes.");
        }

        if (page is not null && current is not null && await IsConflictAsync(ctx, db, p, page, current))
        {
            throw new ApiError("editconflict", "Edit conflict.");
        }

        var result = new JsonObject();
        ctx.Result.Data["edit"] = result;
        if (page is not null && current is not null && newText == currentText)
        {
            result["result"] = "Success";
            result["pageid"] = page.Id;
            result["title"] = title.PrefixedText;
            result["contentmodel"] = "wikitext";
            ctx.Result.SetFlag(result, "nochange", true);
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

        ctx.Result.SetFlag(result, "new", page is null);
        result["result"] = "Success";
        result["pageid"] = saved.PageId;
        result["title"] = title.PrefixedText;
        result["contentmodel"] = "wikitext";
        result["oldrevid"] = saved.ParentId;
        result["newrevid"] = saved.Id;
        result["newtimestamp"] = Timestamps.Iso(saved.Timestamp);
    }

    private sealed record EditParams(
        string? Title, int? PageId, string? Section, string? SectionTitle, string? Text, string? Summary, string? PrependText,
        string? AppendText, bool Minor, bool CreateOnly, bool NoCreate, int? BaseRevId, DateTime? BaseTimestamp,
        DateTime? StartTimestamp, string? Md5);

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

        GetMulti(ctx, "tags");
        GetBool(ctx, "notminor");
        GetBool(ctx, "bot");
        GetBool(ctx, "recreate");
        GetBool(ctx, "watch");
        GetBool(ctx, "unwatch");
        GetString(ctx, "watchlist");
        GetBool(ctx, "redirect");
        GetString(ctx, "contentformat");
        GetString(ctx, "contentmodel");
        return new EditParams(
            title, pageId, section, GetString(ctx, "sectiontitle"), text, GetString(ctx, "summary"), prepend, append,
            GetBool(ctx, "minor"), GetBool(ctx, "createonly"), GetBool(ctx, "nocreate"), GetInt(ctx, "baserevid"),
            Stamp(ctx, "basetimestamp"), Stamp(ctx, "starttimestamp"), GetString(ctx, "md5"));
    }

    private DateTime? Stamp(ApiContext ctx, string name)
    {
        var raw = GetString(ctx, name);
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return Timestamps.TryParse(raw, ctx.Now, out var t)
            ? t
            : throw new ApiError("badtimestamp", $"Invalid value \"{raw}\" for timestamp parameter \"{name}\".");
    }

    private static void CheckPermissions(ApiContext ctx, Title title, bool creating)
    {
        if (!ctx.User.HasRight("edit"))
        {
            throw ctx.User.IsAnonymous
                ? new ApiError("noedit-anon", "Anonymous users can't edit pages.")
                : new ApiError("noedit", "You don't have permission to edit pages.");
        }

        var talk = title.Namespace > 0 && title.Namespace % 2 == 1;
        if (creating && !ctx.User.HasRight(talk ? "createtalk" : "createpage"))
        {
            throw ctx.User.IsAnonymous
                ? new ApiError("cantcreate-anon", $"{ctx.Wiki.Sitename} has restricted the ability to create new pages.\nYou can go back and edit an existing page, or [[Special:UserLogin|log in or create an account]].")
                : new ApiError("cantcreate", "You do not have permission to create new pages.");
        }
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
            var number = int.Parse(sectionId.StartsWith("T-", StringComparison.Ordinal) ? sectionId[2..] : sectionId, CultureInfo.InvariantCulture);
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

    /// <summary>MediaWiki's pre-save transform for wikitext: normalized newlines, no trailing whitespace.</summary>
    public static string PreSaveTransform(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd();

    /// <summary>
    /// An edit conflicts when it was based on an older revision than the latest and someone else saved
    /// in between; appends and new sections never conflict. A page created after the editor started
    /// (starttimestamp) conflicts too.
    /// </summary>
    private static async Task<bool> IsConflictAsync(ApiContext ctx, WikiDbContext db, EditParams p, Page page, Revision current)
    {
        var fullReplace = p.Section != "new" && p.PrependText is null && p.AppendText is null;
        if (!fullReplace)
        {
            return false;
        }

        int? baseId = p.BaseRevId;
        if (baseId is null && p.BaseTimestamp is { } bts)
        {
            if (current.Timestamp <= bts)
            {
                return false;
            }

            baseId = await db.Revisions.Where(r => r.PageId == page.Id && r.Timestamp <= bts).OrderByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ctx.Aborted) ?? 0;
        }

        if (baseId is null)
        {
            if (p.StartTimestamp is { } start)
            {
                var first = await db.Revisions.Where(r => r.PageId == page.Id).OrderBy(r => r.Id).Select(r => r.Timestamp).FirstAsync(ctx.Aborted);
                return first > start;
            }

            return false;
        }

        if (baseId >= current.Id)
        {
            return false;
        }

        // MediaWiki does not count the user's own intermediate edits as a conflict.
        var since = baseId.Value;
        var userId = ctx.User.Id;
        var userName = ctx.User.Name;
        return await db.Revisions.AnyAsync(r => r.PageId == page.Id && r.Id > since && (r.UserId != userId || r.UserText != userName), ctx.Aborted);
    }

    [GeneratedRegex(@"^((T-)?\d+|new)$")]
    private static partial Regex SectionRegex();
}
