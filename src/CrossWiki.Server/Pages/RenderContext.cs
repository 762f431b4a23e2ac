using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

internal static class RenderContext
{
    /// <summary>A renderer context whose red links come from this wiki's pages.</summary>
    public static WikitextContext For(Wiki wiki, IDbContextFactory<WikiDbContext> dbFactory) =>
        new(wiki.Namespaces, title =>
        {
            using var db = dbFactory.CreateDbContext();
            var wikiId = wiki.Id;
            return db.Pages.Any(p => p.WikiId == wikiId && p.Namespace == title.Namespace && p.DbKey == title.DbKey);
        }, wiki.ArticlePath, wiki.ScriptPath);
}
