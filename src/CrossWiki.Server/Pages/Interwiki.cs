namespace CrossWiki.Server.Pages;

/// <summary>
/// An interwiki prefix (MediaWiki's <c>interwiki</c> table row): <c>[[prefix:Page]]</c> links to
/// <see cref="Url"/> with the page in place of <c>$1</c>. The farm's other wikis are local prefixes, with their API.
/// </summary>
internal sealed record InterwikiPrefix(string Prefix, string Url, bool Local, string? WikiId = null, string? Api = null)
{
    /// <summary>The URL of a page (its key, spaces as underscores) and fragment on the other site.</summary>
    public string PageUrl(string page, string? fragment) =>
        Url.Replace("$1", WikiUrl.Encode(page.Replace(' ', '_')), StringComparison.Ordinal)
        + (string.IsNullOrEmpty(fragment) ? "" : "#" + LinkHolders.EncodeFragment(fragment));
}

/// <summary>A wiki's interwiki prefixes, matched without regard to case (as MediaWiki stores them in lower case).</summary>
internal sealed class InterwikiMap
{
    private readonly Dictionary<string, InterwikiPrefix> _byPrefix;

    public InterwikiMap(IEnumerable<InterwikiPrefix> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        _byPrefix = new Dictionary<string, InterwikiPrefix>(StringComparer.OrdinalIgnoreCase);
        foreach (var prefix in prefixes)
        {
            _byPrefix.TryAdd(prefix.Prefix, prefix);
        }

        All = [.. _byPrefix.Values.OrderBy(p => p.Prefix, StringComparer.Ordinal)];
    }

    public static InterwikiMap Empty { get; } = new([]);

    /// <summary>The prefixes in order, as siteinfo lists them.</summary>
    public IReadOnlyList<InterwikiPrefix> All { get; }

    /// <summary>
    /// Whether a link target (<c>metawiki:Page#Part</c>, after any leading colon) names a page on another
    /// site: its prefix, the page and the fragment.
    /// </summary>
    public bool TryMatch(string target, out InterwikiPrefix prefix, out string page, out string? fragment)
    {
        ArgumentNullException.ThrowIfNull(target);
        (prefix, page, fragment) = (null!, "", null);
        var text = target.TrimStart(':', ' ');
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !_byPrefix.TryGetValue(text[..colon].Trim(' ', '_'), out var found))
        {
            return false;
        }

        prefix = found;
        var rest = text[(colon + 1)..].Trim(' ', '_');
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        (page, fragment) = hash < 0 ? (rest, null) : (rest[..hash].TrimEnd(' ', '_'), rest[(hash + 1)..]);
        return true;
    }
}
