using CrossWiki.Server.Accounts;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Page protection as MediaWiki's defaults have it (<c>$wgRestrictionTypes</c>, <c>$wgRestrictionLevels</c>): an
/// existing page is protected for <c>edit</c> and <c>move</c> (a file also for <c>upload</c>), a missing title for
/// <c>create</c>; a level is <c>autoconfirmed</c> (needs <c>editsemiprotected</c>) or <c>sysop</c> (needs
/// <c>editprotected</c>). Protections past their expiry no longer apply.
/// </summary>
internal static class Protection
{
    public static readonly IReadOnlyList<string> Levels = ["autoconfirmed", "sysop"];

    /// <summary>What a title can be protected from: an existing page's actions, or a missing title's creation.</summary>
    public static IReadOnlyList<string> TypesFor(Title title, bool exists) =>
        !exists ? ["create"] : title.Namespace == NamespaceTable.File ? ["edit", "move", "upload"] : ["edit", "move"];

    /// <summary>Whether <paramref name="user"/> may act at a protection level.</summary>
    public static bool Allows(WikiUser user, string level) => level switch
    {
        "sysop" => user.HasRight("editprotected"),
        "autoconfirmed" => user.HasRight("editsemiprotected"),
        _ => true,
    };

    /// <summary>The page's protections in force.</summary>
    public static async Task<List<PageRestriction>> ActiveAsync(WikiDbContext db, string wikiId, int pageId, DateTime now, CancellationToken ct) =>
        await db.Restrictions.AsNoTracking().Where(r => r.WikiId == wikiId && r.PageId == pageId && (r.Expiry == null || r.Expiry > now)).ToListAsync(ct);

    /// <summary>The creation protection of a missing title in force, if any.</summary>
    public static async Task<ProtectedTitle?> OfTitleAsync(WikiDbContext db, string wikiId, Title title, DateTime now, CancellationToken ct)
    {
        var (ns, key) = (title.Namespace, title.DbKey);
        var row = await db.ProtectedTitles.AsNoTracking().FirstOrDefaultAsync(t => t.WikiId == wikiId && t.Namespace == ns && t.Title == key, ct);
        return row is not null && (row.Expiry is null || row.Expiry > now) ? row : null;
    }

    /// <summary>
    /// The refusal of <paramref name="action"/> on a page (or the creation of a missing title) that is protected
    /// above the user, in MediaWiki's words; null when the protections let the user through.
    /// </summary>
    public static async Task<EditRefusal?> CheckAsync(WikiDbContext db, string wikiId, WikiUser user, Title title, int? pageId, string action, DateTime now, CancellationToken ct)
    {
        if (pageId is not { } id)
        {
            return await OfTitleAsync(db, wikiId, title, now, ct) is { } created && !Allows(user, created.Level)
                ? new EditRefusal("protectedtitle", $"This title has been protected from creation by [[User:{created.UserText}|{created.UserText}]].\nThe reason given is <em>{created.Reason}</em>.")
                : null;
        }

        foreach (var restriction in await ActiveAsync(db, wikiId, id, now, ct))
        {
            if (restriction.Type == action && !Allows(user, restriction.Level))
            {
                return new EditRefusal("protectedpage", "This page has been protected to prevent editing or other actions.");
            }
        }

        return null;
    }

    /// <summary>The level's words in a protection summary (<c>protect-level-sysop</c>, <c>protect-level-autoconfirmed</c>).</summary>
    public static string LevelName(string level) => level == "sysop" ? "Allow only administrators" : "Allow only autoconfirmed users";
}
