namespace CrossWiki.Server.Accounts;

/// <summary>
/// The user preferences a wiki knows, with MediaWiki 1.39's English defaults; <c>userjs-</c> options are
/// free-form (spec §7.3). Values keep their types in <c>uiprop=options</c>, as MediaWiki's do.
/// </summary>
internal static class Preferences
{
    public const string UserJsPrefix = "userjs-";

    /// <summary>Option values longer than this are refused (MediaWiki: 65,530 bytes).</summary>
    public const int MaxValueBytes = 65530;

    public const int MaxKeyBytes = 255;

    public static readonly IReadOnlyList<KeyValuePair<string, object>> Defaults =
    [
        new("ccmeonemails", 0), new("date", "default"), new("diffonly", 0), new("disablemail", 0),
        new("editfont", "monospace"), new("editondblclick", 0), new("editsectiononrightclick", 0),
        new("email-allow-new-users", 1), new("enotifminoredits", 0), new("enotifrevealaddr", 0),
        new("enotifusertalkpages", 1), new("enotifwatchlistpages", 1), new("extendwatchlist", 0),
        new("fancysig", 0), new("forceeditsummary", 0), new("gender", "unknown"), new("hideminor", 0),
        new("hidepatrolled", 0), new("hidecategorization", 1), new("imagesize", 2), new("minordefault", 0),
        new("newpageshidepatrolled", 0), new("nickname", ""), new("norollbackdiff", 0), new("numberheadings", 0),
        new("previewonfirst", 0), new("previewontop", 1), new("rcdays", 7), new("rcenhancedfilters-disable", 0),
        new("rclimit", 50), new("search-match-redirect", true), new("search-special-page", "Search"),
        new("searchlimit", 20), new("showhiddencats", 0), new("shownumberswatching", 1), new("showrollbackconfirmation", 0),
        new("skin", "vector"), new("thumbsize", 5), new("underline", 2), new("uselivepreview", 0),
        new("usenewrc", 1), new("watchcreations", 1), new("watchdefault", 1), new("watchdeletion", 0),
        new("watchuploads", 1), new("watchlistdays", 7), new("watchlisthideanons", 0), new("watchlisthidebots", 0),
        new("watchlisthideliu", 0), new("watchlisthideminor", 0), new("watchlisthideown", 0),
        new("watchlisthidepatrolled", 0), new("watchlisthidecategorization", 1), new("watchlistreloadautomatically", 0),
        new("watchlistunwatchlinks", 0), new("watchmoves", 0), new("watchrollback", 0), new("wlenhancedfilters-disable", 0),
        new("wllimit", 250), new("useeditwarning", 1), new("prefershttps", 1), new("requireemail", 0),
        new("skin-responsive", 1), new("timecorrection", "System|0"), new("language", "en"), new("variant", "en"),
        new("searchNs0", 1), new("searchNs1", 0), new("searchNs2", 0), new("searchNs3", 0), new("searchNs4", 0),
        new("searchNs5", 0), new("searchNs6", 0), new("searchNs7", 0), new("searchNs8", 0), new("searchNs9", 0),
        new("searchNs10", 0), new("searchNs11", 0), new("searchNs12", 0), new("searchNs13", 0), new("searchNs14", 0),
        new("searchNs15", 0),
    ];

    private static readonly Dictionary<string, object> ByName = Defaults.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static bool IsKnown(string name) => ByName.ContainsKey(name) || name.StartsWith(UserJsPrefix, StringComparison.Ordinal);

    public static object? DefaultOf(string name) => ByName.GetValueOrDefault(name);
}

/// <summary>Why an option cannot be set, in MediaWiki's words (apiwarn-validationfailed-*); shared by api.php and the preferences page.</summary>
internal static partial class PreferenceRules
{
    public static string? Problem(string name, string? value)
    {
        if (name.StartsWith(Preferences.UserJsPrefix, StringComparison.Ordinal))
        {
            if (System.Text.Encoding.UTF8.GetByteCount(name) > Preferences.MaxKeyBytes)
            {
                return "key too long (no more than 255 bytes allowed).";
            }

            if (!UserJsKeyRegex().IsMatch(name))
            {
                return "invalid characters in key (only \"a-z\", \"A-Z\", \"0-9\", \"_\", and \"-\" are allowed).";
            }
        }
        else if (!Preferences.IsKnown(name))
        {
            return "not a valid preference.";
        }

        return value is not null && System.Text.Encoding.UTF8.GetByteCount(value) > Preferences.MaxValueBytes
            ? "value too long (no more than 65,530 bytes allowed)."
            : null;
    }

    /// <summary>An option's value as a string, as it is stored and compared with saved values.</summary>
    public static string Format(object value) => value switch
    {
        bool b => b ? "1" : "0",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial System.Text.RegularExpressions.Regex UserJsKeyRegex();
}
