using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages.Wikitext;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Wikitext of a wiki rendered with its links' existence looked up afterwards, all targets at once
/// (<see cref="LinkHolders"/>, <see cref="LinkBatch"/>).
/// </summary>
internal static class WikiRendering
{
    /// <summary>
    /// The rendering with its link holders, and whether each of its targets exists: the text's templates, parser
    /// functions and magic words are expanded first (<see cref="TemplateExpansion"/>), as the page <paramref name="page"/>.
    /// </summary>
    public static async Task<(LinkHolders Holders, bool[] Exists)> RenderAsync(
        WikiDbContext db, Wiki wiki, string wikitext, ExpansionPage page, CancellationToken ct, Wiki? sharedRepository = null, RenderOptions? options = null)
    {
        var holders = await ExpandAndRenderAsync(db, wiki, wikitext, page, ct, options);
        var exists = await LinkBatch.ExistAsync(db, wiki.Id, holders.Targets, ct);
        holders.Files = await EmbeddedFilesAsync(db, wiki, sharedRepository, [.. holders.EmbeddedNames], ct);
        return (holders, exists);
    }

    /// <summary>
    /// The rendering of the expanded text, its categories with the DEFAULTSORT key and the expansion's tracking categories.
    /// Without <paramref name="options"/>, it is rendered as the page's view is (section edit links to the page).
    /// </summary>
    public static async Task<LinkHolders> ExpandAndRenderAsync(WikiDbContext db, Wiki wiki, string wikitext, ExpansionPage page, CancellationToken ct, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        ArgumentNullException.ThrowIfNull(page);
        var expansion = await TemplateExpansion.ExpandAsync(db, wiki, page, wikitext, ct);
        var holders = WikitextRenderer.RenderWithHolders(expansion.Text, wiki.Namespaces, wiki.ArticlePath, wiki.ScriptPath, options ?? new RenderOptions(Title: page.Title));
        holders.Expansion = expansion;
        var sortKey = expansion.DefaultSort ?? "";
        var categories = holders.Categories.Select(c => c.SortKeyPrefix.Length == 0 ? (c.Category, sortKey) : c).ToList();
        foreach (var tracking in expansion.TrackingCategories)
        {
            if (!categories.Exists(c => c.Category == tracking))
            {
                categories.Add((tracking, sortKey));
            }
        }

        holders.Categories = categories;
        return holders;
    }

    /// <summary>
    /// The files the embeds of a rendering show (their size and renditions), by name: this wiki's, else the shared
    /// repository's (<see cref="Files.FileRepository.FindAsync(WikiDbContext, Wiki, Wiki?, IReadOnlyCollection{string}, CancellationToken)"/>).
    /// </summary>
    private static async Task<Dictionary<string, EmbeddedFile>> EmbeddedFilesAsync(WikiDbContext db, Wiki wiki, Wiki? sharedRepository, List<string> names, CancellationToken ct)
    {
        var found = new Dictionary<string, EmbeddedFile>(StringComparer.Ordinal);
        foreach (var (name, (file, repository)) in await Files.FileRepository.FindAsync(db, wiki, sharedRepository, names, ct))
        {
            // Page HTML names this wiki's files by path, as MediaWiki's $wgUploadPath does; the shared repository's by URL.
            var server = repository == wiki ? wiki.Server.Length : 0;
            found[name] = new EmbeddedFile(file.Width, file.Height, Files.FileNames.Url(repository, name)[server..],
                (width, height) => Files.Thumbnails.For(repository, file, width, height) is { } t ? (t.Url[server..], t.Width, t.Height) : null);
        }

        return found;
    }

    /// <summary>A code page's HTML: its text escaped in a <c>pre</c>, as MediaWiki shows JavaScript, CSS and JSON pages.</summary>
    public static string CodeHtml(ContentModel model, string text)
    {
        ArgumentNullException.ThrowIfNull(model);
        var language = model == ContentModel.JavaScript ? "js" : model.Name;
        return $"<pre class=\"mw-code mw-{language}\" dir=\"ltr\">{HtmlEscaper.Text(text)}\n</pre>";
    }

    /// <summary>The rendered HTML as a string (for the rest.php with_html body).</summary>
    public static async Task<string> HtmlAsync(WikiDbContext db, Wiki wiki, string wikitext, ExpansionPage page, CancellationToken ct, Wiki? sharedRepository = null)
    {
        var (holders, exists) = await RenderAsync(db, wiki, wikitext, page, ct, sharedRepository);
        return holders.Fill(exists);
    }
}
