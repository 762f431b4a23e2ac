namespace CrossWiki.Server.Accounts;

/// <summary>
/// MediaWiki 1.39's default groups and the rights they grant (DefaultSettings <c>$wgGroupPermissions</c>),
/// of which a group grants only the rights of what this server does (<see cref="Served"/>): a client that
/// reads <c>rights</c> in <c>meta=userinfo</c> or <c>usergroups</c> in siteinfo must not be told it may move,
/// delete or upload where there is no such action.
/// </summary>
internal static class Rights
{
    /// <summary>
    /// The rights whose actions exist here: reading, editing (and creating, minor and bot edits, the api.php
    /// writes), the edit rights of interface, site and user script/style/JSON pages, one's own preferences and
    /// private information, one's watchlist (and, for sysops, how many watch a page), and the high api.php limits. The others are added as their actions are built.
    /// </summary>
    private static readonly System.Collections.Frozen.FrozenSet<string> Served = System.Collections.Frozen.FrozenSet.ToFrozenSet(
    [
        "read", "edit", "createpage", "createtalk", "minoredit", "writeapi", "bot", "apihighlimits",
        "editmyoptions", "viewmyprivateinfo", "editmyusercss", "editmyuserjson", "editmyuserjs",
        "editinterface", "editsitecss", "editsitejson", "editsitejs", "editusercss", "edituserjson", "edituserjs",
        "upload", "reupload", "reupload-own", "viewmywatchlist", "editmywatchlist", "unwatchedpages", "purge",
        "move", "move-subpages", "move-rootuserpages", "move-categorypages", "suppressredirect", "delete", "undelete",
        "deletedhistory", "deletedtext", "protect", "editprotected", "editsemiprotected", "rollback", "markbotedits",
        "block", "unblockself", "createaccount", "userrights", "noratelimit",
    ], StringComparer.Ordinal);

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

    /// <summary>Every group a user can be in, implicit ones included (the values of <c>augroup</c>, <c>pcgroup</c>).</summary>
    public static readonly IReadOnlyList<string> AllGroups = ["*", "user", "autoconfirmed", .. ExplicitGroups];

    /// <summary>Every right some group grants (the values of <c>aurights</c>, <c>pcrights</c>), sorted.</summary>
    public static IReadOnlyList<string> AllRights => field ??= [.. ForGroups(AllGroups).Order(StringComparer.Ordinal)];

    /// <summary>Effective groups as MediaWiki lists them: explicit groups, then <c>*</c>, <c>user</c>, <c>autoconfirmed</c>.</summary>
    public static IReadOnlyList<string> EffectiveGroups(IReadOnlyList<string> explicitGroups, bool registered) =>
        registered ? [.. explicitGroups, "*", "user", "autoconfirmed"] : ["*"];

    /// <summary>
    /// The rights of these effective groups, less those <paramref name="revoked"/> from any of them
    /// (<c>$wgRevokePermissions</c>, which wins over every grant).
    /// </summary>
    public static IReadOnlyList<string> ForGroups(IReadOnlyList<string> effectiveGroups, IReadOnlyDictionary<string, IReadOnlyList<string>>? revoked = null)
    {
        var rights = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in effectiveGroups)
        {
            if (revoked?.GetValueOrDefault(group) is { } taken)
            {
                seen.UnionWith(taken);
            }
        }

        foreach (var group in effectiveGroups)
        {
            foreach (var right in Of(group))
            {
                if (Served.Contains(right) && seen.Add(right))
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

    /// <summary>
    /// Whether a registered user with these explicit groups passes a list filter (<c>augroup</c>,
    /// <c>auexcludegroup</c>, <c>aurights</c> and their <c>pc</c> twins): in one of the groups, in none of the
    /// excluded ones, with one of the rights, with none of the excluded rights. An empty filter lets everyone through.
    /// </summary>
    public static bool Passes(IReadOnlyList<string> explicitGroups, UserFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var groups = EffectiveGroups(explicitGroups, registered: true);
        if ((filter.Groups.Count > 0 && !filter.Groups.Any(groups.Contains)) || filter.ExcludeGroups.Any(groups.Contains))
        {
            return false;
        }

        if (filter.Rights.Count == 0 && filter.ExcludeRights.Count == 0)
        {
            return true;
        }

        var rights = ForGroups(groups);
        return (filter.Rights.Count == 0 || filter.Rights.Any(rights.Contains)) && !filter.ExcludeRights.Any(rights.Contains);
    }
}

/// <summary>Which users a list keeps, by group and right (empty lists keep everyone).</summary>
internal sealed record UserFilter(IReadOnlyList<string> Groups, IReadOnlyList<string> ExcludeGroups, IReadOnlyList<string> Rights, IReadOnlyList<string> ExcludeRights)
{
    public bool IsEmpty => Groups.Count == 0 && ExcludeGroups.Count == 0 && Rights.Count == 0 && ExcludeRights.Count == 0;
}
