using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Wikitext of a wiki rendered with its links' existence looked up afterwards, all targets at once
/// (<see cref="LinkHolders"/>, <see cref="LinkBatch"/>).
/// </summary>
internal static class WikiRendering
{
    /// <summary>The rendering with its link holders, and whether each of its targets exists.</summary>
    public static async Task<(LinkHolders Holders, bool[] Exists)> RenderAsync(WikiDbContext db, Wiki wiki, string wikitext, CancellationToken ct, Wiki? sharedRepository = null)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        var holders = WikitextRenderer.RenderWithHolders(wikitext, wiki.Namespaces, wiki.ArticlePath, wiki.ScriptPath);
        var exists = await LinkBatch.ExistAsync(db, wiki.Id, holders.Targets, ct);
        var names = holders.EmbeddedNames.ToList();
        var files = await EmbeddedFilesAsync(db, wiki, names, relative: true, ct);
        if (sharedRepository is not null && names.Count > files.Count)
        {
            // A name with no file here is the shared repository's, shown from its server (Commons on Wikipedia).
            foreach (var (name, file) in await EmbeddedFilesAsync(db, sharedRepository, [.. names.Where(n => !files.ContainsKey(n))], relative: false, ct))
            {
                files[name] = file;
            }
        }

        holders.Files = files;
        return (holders, exists);
    }

    /// <summary>The files the embeds of a rendering show (their size and renditions), by name; one query for all of them.</summary>
    private static async Task<Dictionary<string, EmbeddedFile>> EmbeddedFilesAsync(WikiDbContext db, Wiki wiki, List<string> names, bool relative, CancellationToken ct)
    {
        var found = new Dictionary<string, EmbeddedFile>(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return found;
        }

        var wikiId = wiki.Id;
        foreach (var file in await db.Files.AsNoTracking().Where(f => f.WikiId == wikiId && names.Contains(f.Name)).ToListAsync(ct))
        {
            // Page HTML names this wiki's files by path, as MediaWiki's $wgUploadPath does; another wiki's by URL.
            var server = relative ? wiki.Server.Length : 0;
            found[file.Name] = new EmbeddedFile(file.Width, file.Height, Files.FileNames.Url(wiki, file.Name)[server..],
                (width, height) => Files.Thumbnails.For(wiki, file, width, height) is { } t ? (t.Url[server..], t.Width, t.Height) : null);
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
    public static async Task<string> HtmlAsync(WikiDbContext db, Wiki wiki, string wikitext, CancellationToken ct, Wiki? sharedRepository = null)
    {
        var (holders, exists) = await RenderAsync(db, wiki, wikitext, ct, sharedRepository);
        return holders.Fill(exists);
    }
}
