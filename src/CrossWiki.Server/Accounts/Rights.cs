namespace CrossWiki.Server.Accounts;

/// <summary>MediaWiki 1.39's default groups and the rights they grant (DefaultSettings <c>$wgGroupPermissions</c>).</summary>
internal static class Rights
{
    public static readonly IReadOnlyList<string> ExplicitGroups = ["bot", "sysop", "bureaucrat"];

    private static readonly string[] Everyone =
    [
        "createaccount", "read", "edit", "createpage", "createtalk", "writeapi", "viewmywatchlist",
        "editmywatchlist", "viewmyprivateinfo", "editmyprivateinfo", "editmyoptions",
    ];

    private static readonly string[] User =
    [
        "move", "move-subpages", "move-rootuserpages", "move-categorypages", "movefile", "read", "edit",
        "createpage", "createtalk", "writeapi", "upload", "reupload", "reupload-shared", "minoredit",
        "editmyusercss", "editmyuserjson", "editmyuserjs", "sendemail", "applychangetags", "changetags",
        "editcontentmodel", "purge",
    ];

    private static readonly string[] Autoconfirmed = ["autoconfirmed", "editsemiprotected"];

    private static readonly string[] Bot =
    [
        "bot", "autoconfirmed", "editsemiprotected", "nominornewtalk", "autopatrol", "suppressredirect",
        "apihighlimits", "writeapi",
    ];

    private static readonly string[] Sysop =
    [
        "block", "createaccount", "delete", "bigdelete", "deletedhistory", "deletedtext", "undelete",
        "editinterface", "editsitejson", "edituserjson", "import", "importupload", "move", "move-subpages",
        "move-rootuserpages", "move-categorypages", "patrol", "autopatrol", "protect", "editprotected",
        "rollback", "upload", "reupload", "reupload-shared", "unwatchedpages", "autoconfirmed",
        "editsemiprotected", "ipblock-exempt", "blockemail", "markbotedits", "apihighlimits", "browsearchive",
        "noratelimit", "movefile", "unblockself", "suppressredirect", "mergehistory", "managechangetags",
        "deletechangetags", "editsitecss", "editsitejs", "editusercss", "edituserjs",
    ];

    private static readonly string[] Bureaucrat = ["userrights", "noratelimit", "renameuser"];

    /// <summary>Effective groups as MediaWiki lists them: explicit groups, then <c>*</c>, <c>user</c>, <c>autoconfirmed</c>.</summary>
    public static IReadOnlyList<string> EffectiveGroups(IReadOnlyList<string> explicitGroups, bool registered) =>
        registered ? [.. explicitGroups, "*", "user", "autoconfirmed"] : ["*"];

    public static IReadOnlyList<string> ForGroups(IReadOnlyList<string> effectiveGroups)
    {
        var rights = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in effectiveGroups)
        {
            foreach (var right in Of(group))
            {
                if (seen.Add(right))
                {
                    rights.Add(right);
                }
            }
        }

        return rights;
    }

    private static string[] Of(string group) => group switch
    {
        "*" => Everyone,
        "user" => User,
        "autoconfirmed" => Autoconfirmed,
        "bot" => Bot,
        "sysop" => Sysop,
        "bureaucrat" => Bureaucrat,
        _ => [],
    };
}
