using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Wikitext of a wiki rendered with its links' existence looked up afterwards, all targets at once
/// (<see cref="LinkHolders"/>, <see cref="LinkBatch"/>).
/// </summary>
internal static class WikiRendering
{
    /// <summary>The rendering with its link holders, and whether each of its targets exists.</summary>
    public static async Task<(LinkHolders Holders, bool[] Exists)> RenderAsync(WikiDbContext db, Wiki wiki, string wikitext, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        var holders = WikitextRenderer.RenderWithHolders(wikitext, wiki.Namespaces, wiki.ArticlePath, wiki.ScriptPath);
        var exists = await LinkBatch.ExistAsync(db, wiki.Id, holders.Targets, ct);
        return (holders, exists);
    }

    /// <summary>A code page's HTML: its text escaped in a <c>pre</c>, as MediaWiki shows JavaScript, CSS and JSON pages.</summary>
    public static string CodeHtml(ContentModel model, string text)
    {
        ArgumentNullException.ThrowIfNull(model);
        var language = model == ContentModel.JavaScript ? "js" : model.Name;
        return $"<pre class=\"mw-code mw-{language}\" dir=\"ltr\">{HtmlEscaper.Text(text)}\n</pre>";
    }

    /// <summary>The rendered HTML as a string (for the rest.php with_html body).</summary>
    public static async Task<string> HtmlAsync(WikiDbContext db, Wiki wiki, string wikitext, CancellationToken ct)
    {
        var (holders, exists) = await RenderAsync(db, wiki, wikitext, ct);
        return holders.Fill(exists);
    }
}
