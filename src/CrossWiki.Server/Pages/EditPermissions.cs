using CrossWiki.Server.Accounts;

namespace CrossWiki.Server.Pages;

/// <summary>Why a user may not save a page, in MediaWiki's codes and words; shared by api.php and rest.php.</summary>
internal sealed record EditRefusal(string Code, string Message);

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

        var talk = title.Namespace > 0 && title.Namespace % 2 == 1;
        if (creating && !user.HasRight(talk ? "createtalk" : "createpage"))
        {
            return user.IsAnonymous
                ? new EditRefusal("cantcreate-anon", $"{sitename} has restricted the ability to create new pages.\nYou can go back and edit an existing page, or [[Special:UserLogin|log in or create an account]].")
                : new EditRefusal("cantcreate", "You do not have permission to create new pages.");
        }

        return null;
    }
}
