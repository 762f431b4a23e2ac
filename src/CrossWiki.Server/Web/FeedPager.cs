using System.Globalization;
using CrossWiki.Server.ActionApi;

namespace CrossWiki.Server.Web;

/// <summary>
/// Paging of Special:Contributions and Special:Log as MediaWiki's IndexPager: <c>offset</c> is the timestamp and id of the
/// last row shown (<c>20261204123456|42</c>; a bare timestamp is taken too); rows older than it follow, or with
/// <c>dir=prev</c> the rows newer than it. <c>limit</c> is 50 unless given, at most 500.
/// </summary>
internal sealed record FeedPager(DateTime? At, long Id, bool Newer, int Limit)
{
    public static readonly IReadOnlyList<int> Limits = [20, 50, 100, 250, 500];

    public static FeedPager Parse(IQueryCollection query)
    {
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 500) : 50;
        var newer = query["dir"] == "prev";
        var parts = query["offset"].ToString().Split('|');
        if (parts[0].Length == 14 && DateTime.TryParseExact(parts[0], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            // A bare timestamp: every row of that second is on the far side of it.
            var id = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : newer ? 0 : long.MaxValue;
            return new FeedPager(at, id, newer, limit);
        }

        return new FeedPager(null, 0, newer, limit);
    }

    /// <summary>
    /// The links around a page of rows read by this pager (at most <see cref="Limit"/> + 1, in reading order): the rows to
    /// show, newest first, and the pager's links built by <paramref name="url"/> from the parameters to add.
    /// </summary>
    public (List<T> Shown, PagerLinks Links) Page<T>(List<T> rows, Func<T, (DateTime At, long Id)> key, Func<(string Name, string Value)[], string> url)
    {
        var more = rows.Count > Limit;
        var shown = rows.Take(Limit).ToList();
        if (Newer)
        {
            shown.Reverse();
        }

        var (hasNewer, hasOlder) = Newer ? (more, At is not null) : (At is not null, more);
        string Offset(T row) => OffsetText(key(row).At, key(row).Id);
        var limit = ("limit", Limit.ToString(CultureInfo.InvariantCulture));
        var current = new List<(string, string)>();
        if (At is { } at)
        {
            current.Add(("offset", OffsetText(at, Id)));
        }

        if (Newer)
        {
            current.Add(("dir", "prev"));
        }

        var links = new PagerLinks(
            hasNewer ? url([limit]) : null,
            hasOlder ? url([limit, ("dir", "prev")]) : null,
            hasNewer && shown.Count > 0 ? url([limit, ("offset", Offset(shown[0])), ("dir", "prev")]) : null,
            hasOlder && shown.Count > 0 ? url([limit, ("offset", Offset(shown[^1]))]) : null,
            Limit,
            [.. Limits.Select(n => new FilterLink(n.ToString(CultureInfo.InvariantCulture), url([("limit", n.ToString(CultureInfo.InvariantCulture)), .. current]), n == Limit))]);
        return (shown, links);
    }

    private static string OffsetText(DateTime at, long id) => Timestamps.Mw(at) + "|" + id.ToString(CultureInfo.InvariantCulture);
}
