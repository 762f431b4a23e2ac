using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Pages;

/// <summary>
/// What a revision's text links to, as the link tables keep it: pages, transcluded pages, categories
/// (with sort key prefixes), files, external links and the redirect target; each distinct, in text order;
/// and the page's properties (<c>page_props</c>), which MediaWiki's links update keeps with them.
/// </summary>
internal sealed record PageLinkSet(
    IReadOnlyList<(int Namespace, string DbKey)> Links,
    IReadOnlyList<(int Namespace, string DbKey)> Templates,
    IReadOnlyList<(string Category, string SortKeyPrefix)> Categories,
    IReadOnlyList<string> Images,
    IReadOnlyList<string> ExternalLinks,
    Title? Redirect)
{
    public static PageLinkSet Empty { get; } = new([], [], [], [], [], null);

    /// <summary>The page's properties by name: its behaviour switches (value "") for now.</summary>
    public IReadOnlyList<(string Name, string Value)> Properties { get; init; } = [];

    /// <summary>The links of a rendering; <paramref name="text"/> is its wikitext, for the transclusions and the redirect target.</summary>
    public static PageLinkSet From(LinkHolders holders, string text, NamespaceTable namespaces)
    {
        ArgumentNullException.ThrowIfNull(holders);
        var images = holders.Images.Distinct(StringComparer.Ordinal).ToList();
        var imageSet = images.ToHashSet(StringComparer.Ordinal);

        var links = holders.Targets.Where(t => IsPageLink(t, imageSet)).ToList();
        var expansion = holders.Expansion;
        if (expansion is not null)
        {
            // #ifexist targets are page links (MediaWiki's ParserFunctions records them so).
            var seen = links.ToHashSet();
            links.AddRange(expansion.Links.Select(t => (t.Namespace, t.DbKey)).Where(seen.Add));
        }

        var categories = holders.Categories.DistinctBy(c => c.Category, StringComparer.Ordinal).ToList();
        var templates = expansion is null ? TemplateTargets.Find(text, namespaces) : [.. expansion.Templates.Select(t => (t.Title.Namespace, t.Title.DbKey))];
        var properties = holders.Switches.Select(name => (name, "")).ToList();
        if (expansion?.DefaultSort is { } sortKey)
        {
            properties.Add(("defaultsort", sortKey));
        }

        if (expansion?.DisplayTitle is { } displayTitle)
        {
            properties.Add(("displaytitle", displayTitle));
        }

        return new PageLinkSet(links, templates, categories, images, holders.ExternalLinks.Distinct(StringComparer.Ordinal).ToList(), Redirects.Target(text, namespaces))
        {
            Properties = properties,
        };
    }

    /// <summary>
    /// Whether a link target is a page link: Special and Media pages are not linked to as pages, and a file
    /// embedded (<c>[[File:X]]</c>, in <paramref name="images"/>) is a file link, not a page link.
    /// </summary>
    public static bool IsPageLink((int Namespace, string DbKey) target, IReadOnlySet<string> images) =>
        target.Namespace >= 0 && !(target.Namespace == NamespaceTable.File && images.Contains(target.DbKey));

    /// <summary>
    /// The links of a page's text saved on <paramref name="wiki"/>, its templates expanded with the wiki's current ones
    /// (the templates used, nested and missing ones too, are its template links); code pages (JavaScript, CSS, JSON) link to nothing.
    /// </summary>
    public static async Task<PageLinkSet> FromTextAsync(Storage.WikiDbContext db, string text, Title title, Wiki wiki, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        return ContentModel.For(title).IsCode
            ? Empty
            : From(await WikiRendering.ExpandAndRenderAsync(db, wiki, text, new Wikitext.ExpansionPage(title, new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc))), ct), text, wiki.Namespaces);
    }
}
