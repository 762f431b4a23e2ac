using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>
/// MediaWiki's magic variables (<c>{{PAGENAME}}</c>, <c>{{CURRENTYEAR}}</c>, ...) and the title words used as functions
/// (<c>{{PAGENAME:Other}}</c>), with MessagesEn.php's case sensitivity and MagicWordFactory's cache lifetimes.
/// </summary>
internal static class MagicWords
{
    /// <summary>Variables matched whatever their case (MessagesEn.php marks them 0); all others are case-sensitive.</summary>
    private static readonly HashSet<string> CaseInsensitive = new(StringComparer.OrdinalIgnoreCase)
    {
        "SERVER", "SERVERNAME", "SCRIPTPATH", "STYLEPATH", "PAGEID", "CONTENTLANGUAGE", "CONTENTLANG",
    };

    /// <summary>MagicWordFactory::$mCacheTTLs, in seconds.</summary>
    private static readonly Dictionary<string, int> CacheTtls = new(StringComparer.Ordinal)
    {
        ["CURRENTMONTH"] = 86400, ["CURRENTMONTH2"] = 86400, ["CURRENTMONTH1"] = 86400, ["CURRENTMONTHNAME"] = 86400, ["CURRENTMONTHNAMEGEN"] = 86400,
        ["CURRENTMONTHABBREV"] = 86400, ["CURRENTDAY"] = 3600, ["CURRENTDAY2"] = 3600, ["CURRENTDAYNAME"] = 3600, ["CURRENTYEAR"] = 86400,
        ["CURRENTTIME"] = 3600, ["CURRENTHOUR"] = 3600, ["CURRENTWEEK"] = 3600, ["CURRENTDOW"] = 3600, ["CURRENTTIMESTAMP"] = 3600,
        ["LOCALMONTH"] = 86400, ["LOCALMONTH2"] = 86400, ["LOCALMONTH1"] = 86400, ["LOCALMONTHNAME"] = 86400, ["LOCALMONTHNAMEGEN"] = 86400,
        ["LOCALMONTHABBREV"] = 86400, ["LOCALDAY"] = 3600, ["LOCALDAY2"] = 3600, ["LOCALDAYNAME"] = 3600, ["LOCALYEAR"] = 86400,
        ["LOCALTIME"] = 3600, ["LOCALHOUR"] = 3600, ["LOCALWEEK"] = 3600, ["LOCALDOW"] = 3600, ["LOCALTIMESTAMP"] = 3600,
        ["NUMBEROFARTICLES"] = 3600, ["NUMBEROFPAGES"] = 3600, ["NUMBEROFFILES"] = 3600, ["NUMBEROFUSERS"] = 3600, ["NUMBEROFACTIVEUSERS"] = 3600,
        ["NUMBEROFEDITS"] = 3600, ["NUMBEROFADMINS"] = 3600, ["CURRENTVERSION"] = 86400,
    };

    /// <summary>The value of a variable, or null when <paramref name="name"/> is none.</summary>
    public static string? TryVariable(Preprocessor pp, string name, Preprocessor.Frame frame)
    {
        _ = frame;
        var key = CaseInsensitive.Contains(name) ? name.ToUpperInvariant() : name;
        if (TitleWord(pp, key, pp.Page.Title) is { } titleValue)
        {
            return titleValue;
        }

        var site = pp.Site;
        var now = pp.Page.Now.ToUniversalTime();
        string? value = key switch
        {
            "!" => "|",
            "=" => "=",
            "SITENAME" => site.Sitename,
            "SERVER" => site.Server,
            "SERVERNAME" => site.ServerName,
            "SCRIPTPATH" => site.ScriptPath,
            "STYLEPATH" => site.ScriptPath + "/skins",
            "CURRENTVERSION" => "1.39.0",
            "CONTENTLANGUAGE" or "CONTENTLANG" => "en",
            "DIRMARK" or "DIRECTIONMARK" => "\u200E",
            "PAGEID" => pp.Page.PageId > 0 ? pp.Page.PageId.ToString(CultureInfo.InvariantCulture) : "",
            "REVISIONID" => Revision(pp, r => pp.Page.RevisionId?.ToString(CultureInfo.InvariantCulture) ?? ""),
            "REVISIONDAY" => Revision(pp, _ => TimeFormat.Format("j", RevisionTime(pp))),
            "REVISIONDAY2" => Revision(pp, _ => TimeFormat.Format("d", RevisionTime(pp))),
            "REVISIONMONTH" => Revision(pp, _ => TimeFormat.Format("m", RevisionTime(pp))),
            "REVISIONMONTH1" => Revision(pp, _ => TimeFormat.Format("n", RevisionTime(pp))),
            "REVISIONYEAR" => Revision(pp, _ => TimeFormat.Format("Y", RevisionTime(pp))),
            "REVISIONTIMESTAMP" => Revision(pp, _ => TimeFormat.Format("YmdHis", RevisionTime(pp))),
            "REVISIONUSER" => Revision(pp, _ => pp.Page.RevisionUser ?? ""),
            "NUMBEROFPAGES" => Statistic(pp, s => s.Pages),
            "NUMBEROFARTICLES" => Statistic(pp, s => s.Articles),
            "NUMBEROFEDITS" => Statistic(pp, s => s.Edits),
            "NUMBEROFUSERS" => Statistic(pp, s => s.Users),
            "NUMBEROFACTIVEUSERS" => Statistic(pp, s => s.Users),
            "NUMBEROFFILES" => Statistic(pp, s => s.Files),
            "NUMBEROFADMINS" => Statistic(pp, s => s.Admins),
            _ => null,
        };
        if (value is null && (key.StartsWith("CURRENT", StringComparison.Ordinal) || key.StartsWith("LOCAL", StringComparison.Ordinal)))
        {
            // $wgLocaltimezone defaults to UTC: LOCAL* are CURRENT*.
            var word = key.StartsWith("CURRENT", StringComparison.Ordinal) ? key["CURRENT".Length..] : key["LOCAL".Length..];
            value = word switch
            {
                "YEAR" => TimeFormat.Format("Y", now),
                "MONTH" or "MONTH2" => TimeFormat.Format("m", now),
                "MONTH1" => TimeFormat.Format("n", now),
                "MONTHNAME" or "MONTHNAMEGEN" => TimeFormat.Format("F", now),
                "MONTHABBREV" => TimeFormat.Format("M", now),
                "DAY" => TimeFormat.Format("j", now),
                "DAY2" => TimeFormat.Format("d", now),
                "DOW" => TimeFormat.Format("w", now),
                "DAYNAME" => TimeFormat.Format("l", now),
                "TIME" => TimeFormat.Format("H:i", now),
                "HOUR" => TimeFormat.Format("H", now),
                "WEEK" => int.Parse(TimeFormat.Format("W", now), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                "TIMESTAMP" => TimeFormat.Format("YmdHis", now),
                _ => null,
            };
        }

        if (value is not null && CacheTtls.TryGetValue(key, out var ttl))
        {
            pp.LowerCacheTtl(ttl);
        }

        return value;
    }

    private static DateTimeOffset RevisionTime(Preprocessor pp) => (pp.Page.RevisionTimestamp ?? pp.Page.Now).ToUniversalTime();

    private static string Revision(Preprocessor pp, Func<int, string> value)
    {
        pp.Volatile = true;
        return value(0);
    }

    private static string Statistic(Preprocessor pp, Func<SiteStatistics, long> value)
    {
        if (pp.Sources.Statistics is not { } stats)
        {
            pp.Sources.WantsStatistics = true;
            return "";
        }

        return value(stats).ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>The title words (PAGENAME and its family, NAMESPACE and its family) of a title; null when <paramref name="word"/> is none.</summary>
    public static string? TitleWord(Preprocessor pp, string word, Title t)
    {
        var ns = pp.Site.Namespaces;
        var subpages = ns.TryGet(t.Namespace, out var info) && info.Subpages;
        var canTalk = t.Namespace >= 0;
        return word switch
        {
            "PAGENAME" => EscapeWikiText(t.Text),
            "PAGENAMEE" => EscapeWikiText(WikiUrl.Encode(t.DbKey)),
            "FULLPAGENAME" => EscapeWikiText(t.PrefixedText),
            "FULLPAGENAMEE" => EscapeWikiText(WikiUrl.Encode(t.PrefixedDbKey)),
            "BASEPAGENAME" => EscapeWikiText(BaseText(t, subpages)),
            "BASEPAGENAMEE" => EscapeWikiText(WikiUrl.Encode(BaseText(t, subpages).Replace(' ', '_'))),
            "ROOTPAGENAME" => EscapeWikiText(RootText(t, subpages)),
            "ROOTPAGENAMEE" => EscapeWikiText(WikiUrl.Encode(RootText(t, subpages).Replace(' ', '_'))),
            "SUBPAGENAME" => EscapeWikiText(SubpageText(t, subpages)),
            "SUBPAGENAMEE" => EscapeWikiText(WikiUrl.Encode(SubpageText(t, subpages).Replace(' ', '_'))),
            "TALKPAGENAME" => canTalk ? EscapeWikiText(Talk(ns, t).PrefixedText) : "",
            "TALKPAGENAMEE" => canTalk ? EscapeWikiText(WikiUrl.Encode(Talk(ns, t).PrefixedDbKey)) : "",
            "SUBJECTPAGENAME" or "ARTICLEPAGENAME" => EscapeWikiText(Subject(ns, t).PrefixedText),
            "SUBJECTPAGENAMEE" or "ARTICLEPAGENAMEE" => EscapeWikiText(WikiUrl.Encode(Subject(ns, t).PrefixedDbKey)),
            "NAMESPACE" => ns[t.Namespace].Name,
            "NAMESPACEE" => WikiUrl.Encode(ns[t.Namespace].Name.Replace(' ', '_')),
            "NAMESPACENUMBER" => t.Namespace.ToString(CultureInfo.InvariantCulture),
            "TALKSPACE" => canTalk ? ns[t.Namespace | 1].Name : "",
            "TALKSPACEE" => canTalk ? WikiUrl.Encode(ns[t.Namespace | 1].Name.Replace(' ', '_')) : "",
            "SUBJECTSPACE" or "ARTICLESPACE" => ns[t.Namespace < 0 ? t.Namespace : t.Namespace & ~1].Name,
            "SUBJECTSPACEE" or "ARTICLESPACEE" => WikiUrl.Encode(ns[t.Namespace < 0 ? t.Namespace : t.Namespace & ~1].Name.Replace(' ', '_')),
            _ => null,
        };
    }

    private static Title Talk(NamespaceTable ns, Title t) => Title.Create(ns, t.Namespace | 1, t.DbKey);

    private static Title Subject(NamespaceTable ns, Title t) => t.Namespace < 0 ? t : Title.Create(ns, t.Namespace & ~1, t.DbKey);

    private static string BaseText(Title t, bool subpages)
    {
        var text = t.Text;
        var slash = text.LastIndexOf('/');
        return subpages && slash > 0 ? text[..slash] : text;
    }

    private static string RootText(Title t, bool subpages)
    {
        var text = t.Text;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return subpages && slash > 0 ? text[..slash] : text;
    }

    private static string SubpageText(Title t, bool subpages)
    {
        var text = t.Text;
        var slash = text.LastIndexOf('/');
        return subpages && slash >= 0 ? text[(slash + 1)..] : text;
    }

    private static readonly (string From, string To)[] EscapePairs =
    [
        ("\n----", "\n&#45;---"), ("://", "&#58;//"), ("~~~", "~~&#126;"), ("ISBN ", "ISBN&#32;"), ("RFC ", "RFC&#32;"), ("PMID ", "PMID&#32;"),
        ("!!", "&#33;!"), ("__", "_&#95;"), ("\n!", "\n&#33;"), ("\n#", "\n&#35;"), ("\n*", "\n&#42;"), ("\n:", "\n&#58;"), ("\n ", "\n&#32;"),
        ("\n\n", "\n&#10;"), ("\n\t", "\n&#9;"),
        ("\"", "&#34;"), ("&", "&#38;"), ("'", "&#39;"), ("<", "&#60;"), ("=", "&#61;"), (">", "&#62;"), ("[", "&#91;"), ("]", "&#93;"),
        ("{", "&#123;"), ("|", "&#124;"), ("}", "&#125;"), (";", "&#59;"),
    ];

    /// <summary>wfEscapeWikiText: the characters that would mean wikitext, as character references (longest match first, as strtr).</summary>
    public static string EscapeWikiText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = "\n" + text;
        var sb = new StringBuilder(source.Length + 8);
        var i = 0;
        while (i < source.Length)
        {
            var matched = false;
            foreach (var (from, to) in EscapePairs)
            {
                if (string.CompareOrdinal(source, i, from, 0, from.Length) == 0)
                {
                    sb.Append(to);
                    i += from.Length;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                sb.Append(source[i]);
                i++;
            }
        }

        return sb.ToString(1, sb.Length - 1);
    }
}
