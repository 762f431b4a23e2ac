using CrossWiki.Server.Accounts;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Why a user may not save, move, delete or protect a page, in MediaWiki's codes and words; shared by the three
/// front ends. <see cref="Data"/> is what api.php adds to the error (a block's <c>blockinfo</c>).
/// </summary>
internal sealed record EditRefusal(string Code, string Message)
{
    public System.Text.Json.Nodes.JsonObject? Data { get; init; }
}

/// <summary>A page action refused by the core (move, delete, undelete, protect, rollback); each front end answers it in its protocol.</summary>
internal sealed class PageActionRefusedException(EditRefusal refusal) : Exception(refusal.Message)
{
    public EditRefusal Refusal { get; } = refusal;

    public PageActionRefusedException(string code, string message)
        : this(new EditRefusal(code, message))
    {
    }
}

internal static class EditPermissions
{
    public static EditRefusal? Check(WikiUser user, Title title, bool creating, string sitename)
    {
        if (!user.HasRight("edit"))
        {
            return user.IsAnonymous
                ? new EditRefusal("noedit-anon", "Anonymous users can't edit pages.")
                : new EditRefusal("noedit", "You don't have permission to edit pages.");
        }

        var talk = title.IsTalk;
        if (creating && !user.HasRight(talk ? "createtalk" : "createpage"))
        {
            return user.IsAnonymous
                ? new EditRefusal("cantcreate-anon", $"{sitename} has restricted the ability to create new pages.\nYou can go back and edit an existing page, or [[Special:UserLogin|log in or create an account]].")
                : new EditRefusal("cantcreate", "You do not have permission to create new pages.");
        }

        return ConfigPageRefusal(user, title);
    }

    /// <summary>
    /// MediaWiki's rules for pages that change how the wiki runs: the MediaWiki namespace needs
    /// <c>editinterface</c> (and <c>editsitecss</c>/<c>js</c>/<c>json</c> for those pages); a user's
    /// <c>.css</c>/<c>.js</c>/<c>.json</c> subpages need <c>editmyuser*</c> for one's own and <c>edituser*</c> for others'.
    /// </summary>
    private static EditRefusal? ConfigPageRefusal(WikiUser user, Title title)
    {
        var kind = title.DbKey.EndsWith(".css", StringComparison.Ordinal) ? "css"
            : title.DbKey.EndsWith(".js", StringComparison.Ordinal) ? "js"
            : title.DbKey.EndsWith(".json", StringComparison.Ordinal) ? "json"
            : null;
        var what = kind switch { "css" => "CSS", "js" => "JavaScript", _ => "JSON" };
        if (title.Namespace == NamespaceTable.MediaWiki)
        {
            if (!user.HasRight("editinterface"))
            {
                return new EditRefusal("protectednamespace-interface",
                    "This page provides interface text for the software on this wiki, and is protected to prevent abuse.\nTo add or change translations for all wikis, please use [https://translatewiki.net/ translatewiki.net], the MediaWiki localisation project.");
            }

            return kind is not null && !user.HasRight("editsite" + kind)
                ? new EditRefusal($"site{kind}protected", $"You do not have permission to edit this {what} page because it may affect all visitors.")
                : null;
        }

        var slash = title.DbKey.IndexOf('/', StringComparison.Ordinal);
        if (title.Namespace != NamespaceTable.User || kind is null || slash < 0)
        {
            return null;
        }

        var own = !user.IsAnonymous && title.DbKey[..slash].Replace('_', ' ') == user.Name;
        if (own)
        {
            return user.HasRight("editmyuser" + kind) ? null : new EditRefusal($"mycustom{kind}protected", $"You do not have permission to edit this {what} page.");
        }

        return user.HasRight("edituser" + kind)
            ? null
            : new EditRefusal($"custom{kind}protected", $"You do not have permission to edit this {what} page because it contains another user's personal settings.");
    }
}
