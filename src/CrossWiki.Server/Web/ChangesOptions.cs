using System.Globalization;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Web;

/// <summary>
/// The URL options of Special:RecentChanges and Special:Watchlist, as MediaWiki's old-style form reads them
/// (ChangesListSpecialPage's FormOptions): <c>namespace</c> with <c>invert</c> and <c>associated</c>, the
/// <c>hide*</c> filters, <c>limit</c> and <c>days</c>. A value that is missing or not understood keeps the default.
/// </summary>
internal sealed record ChangesOptions(
    int? Namespace,
    bool Invert,
    bool Associated,
    bool HideBots,
    bool HideMinor,
    bool HideMyself,
    bool HideAnons,
    bool HideLiu,
    int Limit,
    int Days)
{
    /// <summary>The longest <c>days</c> (MediaWiki's <c>$wgRCMaxAge</c>, 90 days) and <c>limit</c> (as list=recentchanges).</summary>
    public const int MaxDays = 90, MaxLimit = 500;

    public static readonly IReadOnlyList<int> Limits = [50, 100, 250, 500];

    /// <summary>Special:RecentChanges' defaults: bots hidden, 50 changes of the last 7 days.</summary>
    public static readonly ChangesOptions RecentChanges = new(null, false, false, HideBots: true, false, false, false, false, 50, 7);

    /// <summary>Special:Watchlist's defaults (watchlistdays 3; bots shown, as MediaWiki's watchlisthidebots is off).</summary>
    public static readonly ChangesOptions Watchlist = new(null, false, false, HideBots: false, false, false, false, false, 250, 3);

    public static ChangesOptions Parse(IQueryCollection query, ChangesOptions defaults)
    {
        bool Bool(string name, bool fallback) => query[name].ToString() is { Length: > 0 } v ? v is not ("0" or "false") : fallback;
        int Int(string name, int fallback, int max) =>
            int.TryParse(query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? Math.Min(v, max) : fallback;
        int? ns = int.TryParse(query["namespace"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
        return new ChangesOptions(ns, Bool("invert", false), Bool("associated", false), Bool("hidebots", defaults.HideBots), Bool("hideminor", defaults.HideMinor),
            Bool("hidemyself", defaults.HideMyself), Bool("hideanons", defaults.HideAnons), Bool("hideliu", defaults.HideLiu),
            Int("limit", defaults.Limit, MaxLimit), Int("days", defaults.Days, MaxDays));
    }

    /// <summary>The <c>rcshow</c> criteria the hide filters stand for.</summary>
    public HashSet<string> Show() =>
        [.. new[] { HideBots ? "!bot" : null, HideMinor ? "!minor" : null, HideAnons ? "!anon" : null, HideLiu ? "anon" : null }.OfType<string>()];

    /// <summary>The namespaces the filter keeps (null: all), or leaves out when <see cref="Invert"/>: the chosen one and, with <see cref="Associated"/>, its pair.</summary>
    public List<int>? Namespaces() => Namespace is not { } ns ? null : Associated ? [Pages.Watchlist.Pair(ns).Subject, Pages.Watchlist.Pair(ns).Talk] : [ns];

    /// <summary>The changes these options keep, of the last <see cref="Days"/> days before <paramref name="now"/>, newest first, one more than <see cref="Limit"/>.</summary>
    public IQueryable<RecentChange> Apply(IQueryable<RecentChange> changes, WikiDbContext db, string wikiId, string userName, DateTime now)
    {
        var since = now.AddDays(-Days);
        changes = ChangeFeed.Show(changes.Where(c => c.Timestamp >= since), Show(), db, wikiId);
        if (Namespaces() is { } namespaces)
        {
            changes = Invert ? changes.Where(c => !namespaces.Contains(c.Namespace)) : changes.Where(c => namespaces.Contains(c.Namespace));
        }

        if (HideMyself)
        {
            changes = changes.Where(c => c.UserText != userName);
        }

        return changes.OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id).Take(Limit + 1);
    }

    /// <summary>The query parameters of these options that differ from <paramref name="defaults"/>, in MediaWiki's order.</summary>
    public List<(string Name, string Value)> Parameters(ChangesOptions defaults)
    {
        var list = new List<(string, string)>();
        void Flag(string name, bool value, bool fallback)
        {
            if (value != fallback)
            {
                list.Add((name, value ? "1" : "0"));
            }
        }

        Flag("hidebots", HideBots, defaults.HideBots);
        Flag("hideminor", HideMinor, defaults.HideMinor);
        Flag("hidemyself", HideMyself, defaults.HideMyself);
        Flag("hideanons", HideAnons, defaults.HideAnons);
        Flag("hideliu", HideLiu, defaults.HideLiu);
        if (Limit != defaults.Limit)
        {
            list.Add(("limit", Limit.ToString(CultureInfo.InvariantCulture)));
        }

        if (Days != defaults.Days)
        {
            list.Add(("days", Days.ToString(CultureInfo.InvariantCulture)));
        }

        if (Namespace is { } ns)
        {
            list.Add(("namespace", ns.ToString(CultureInfo.InvariantCulture)));
            Flag("invert", Invert, false);
            Flag("associated", Associated, false);
        }

        return list;
    }
}
