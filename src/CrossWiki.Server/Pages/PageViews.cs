using System.Net;
using System.Text.Encodings.Web;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>Page views at ArticlePath and <c>index.php?action=raw</c>. Every value is HTML-encoded.</summary>
internal static class PageViews
{
    public static async Task HandleAsync(HttpContext ctx, Wiki wiki, IServiceProvider services)
    {
        var path = ctx.Request.Path.Value ?? "";
        string? titleText = null;
        var prefix = wiki.ArticlePath[..wiki.ArticlePath.IndexOf("$1", StringComparison.Ordinal)];
        if (path.StartsWith(prefix, StringComparison.Ordinal) && wiki.ArticlePath.EndsWith("$1", StringComparison.Ordinal))
        {
            titleText = Uri.UnescapeDataString(path[prefix.Length..]);
        }
        else if (path == wiki.ScriptPath + "/index.php")
        {
            titleText = ctx.Request.Query["title"].ToString();
        }

        if (titleText is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var parsed = TitleParser.Parse(titleText.Length == 0 ? "Main Page" : titleText, wiki.Namespaces);
        if (parsed.Title is not { } title)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteHtmlAsync(ctx, wiki, "Bad title", "<p>" + HtmlEncoder.Default.Encode(parsed.Message ?? "") + "</p>");
            return;
        }

        var dbFactory = services.GetRequiredService<IDbContextFactory<WikiDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(ctx.RequestAborted);
        var wikiId = wiki.Id;
        var page = await db.Pages.AsNoTracking().FirstOrDefaultAsync(p => p.WikiId == wikiId && p.Namespace == title.Namespace && p.DbKey == title.DbKey, ctx.RequestAborted);
        var latest = page?.LatestRevisionId ?? 0;
        var text = page is null ? null : await db.Revisions.AsNoTracking().Where(r => r.Id == latest).Select(r => r.Text).FirstAsync(ctx.RequestAborted);
        if (ctx.Request.Query["action"] == "raw")
        {
            ctx.Response.StatusCode = text is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            ctx.Response.ContentType = "text/x-wiki; charset=UTF-8";
            await ctx.Response.WriteAsync(text ?? "", ctx.RequestAborted);
            return;
        }

        if (text is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteHtmlAsync(ctx, wiki, title.PrefixedText, "<p>There is currently no text in this page.</p>");
            return;
        }

        await WriteHtmlAsync(ctx, wiki, title.PrefixedText, WikitextRenderer.Render(text, RenderContext.For(wiki, dbFactory)));
    }

    private static Task WriteHtmlAsync(HttpContext ctx, Wiki wiki, string heading, string bodyHtml)
    {
        var enc = HtmlEncoder.Default;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>" + enc.Encode(heading) + " - " + enc.Encode(wiki.Sitename)
            + "</title></head><body><h1 id=\"firstHeading\">" + enc.Encode(heading) + "</h1><div id=\"mw-content-text\">" + bodyHtml
            + "</div><script src=\"" + WebUtility.HtmlEncode(wiki.ScriptPath) + "/resources/crosswiki.js\"></script></body></html>";
        return ctx.Response.WriteAsync(html, ctx.RequestAborted);
    }
}
