using System.Globalization;
using System.Text;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>What the link-table modules (categorymembers, backlinks, prop=categories, prop=links) share.</summary>
internal static class LinkQueries
{
    /// <summary>The namespace values the modules accept (MediaWiki's <c>namespace</c> parameter type).</summary>
    public static readonly string[] Namespaces =
        [.. NamespaceTable.Create("Wiki").All.Where(ns => ns.Id >= 0).Select(ns => ns.Id.ToString(CultureInfo.InvariantCulture))];

    public static IReadOnlyList<int> NamespaceIds(IReadOnlyList<string> values) =>
        [.. values.Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>
    /// The page a list module works on, given by <paramref name="text"/> or <paramref name="pageId"/> (the
    /// module has checked that exactly one is given), as a title of the wiki.
    /// </summary>
    public static async Task<Title> TitleOrPageIdAsync(ApiContext ctx, string? text, int? pageId)
    {
        if (pageId is { } id)
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var wikiId = ctx.Wiki.Id;
            var page = await db.Pages.AsNoTracking().FirstOrDefaultAsync(p => p.WikiId == wikiId && p.Id == id, ctx.Aborted)
                ?? throw new ApiError("nosuchpageid", $"There is no page with ID {id}.");
            return PageSet.ToTitle(ctx, page);
        }

        return TitleParser.Parse(text!, ctx.Wiki.Namespaces).Title ?? throw new ApiError("invalidtitle", $"Bad title \"{text}\".");
    }

    /// <summary>A continuation value's parts (<c>a|b|c</c>); <c>badcontinue</c> when it has not that many.</summary>
    public static string[] ContinueParts(string? value, int count)
    {
        if (value is null)
        {
            return [];
        }

        var parts = value.Split('|');
        if (parts.Length != count)
        {
            throw BadContinue();
        }

        return parts;
    }

    public static int ContinueInt(string part) =>
        int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw BadContinue();

    public static ApiError BadContinue() => new("badcontinue", "Invalid continue param. You should pass the original value returned by the previous query.");

    public static string Hex(string s) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s));

    public static string FromHex(string hex)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw BadContinue();
        }
    }
}

/// <summary>A row of any of the link tables by its target (settable members, so that EF can filter and order by them).</summary>
internal sealed class LinkTableRow
{
    public int Namespace { get; init; }

    public required string Title { get; init; }

    public int FromId { get; init; }

    /// <summary>The section a redirect points to; empty for the other tables.</summary>
    public required string Fragment { get; init; }
}

/// <summary>The link tables of a wiki as <see cref="LinkTableRow"/>s, for the modules that read any of them alike.</summary>
internal static class LinkTableRows
{
    public static IQueryable<LinkTableRow> PageLinks(WikiDbContext db, string wikiId) =>
        db.PageLinks.Where(l => l.WikiId == wikiId).Select(l => new LinkTableRow { Namespace = l.Namespace, Title = l.Title, FromId = l.FromId, Fragment = "" });

    public static IQueryable<LinkTableRow> TemplateLinks(WikiDbContext db, string wikiId) =>
        db.TemplateLinks.Where(l => l.WikiId == wikiId).Select(l => new LinkTableRow { Namespace = l.Namespace, Title = l.Title, FromId = l.FromId, Fragment = "" });

    public static IQueryable<LinkTableRow> ImageLinks(WikiDbContext db, string wikiId) =>
        db.ImageLinks.Where(l => l.WikiId == wikiId).Select(l => new LinkTableRow { Namespace = NamespaceTable.File, Title = l.To, FromId = l.FromId, Fragment = "" });

    public static IQueryable<LinkTableRow> Redirects(WikiDbContext db, string wikiId) =>
        db.Redirects.Where(l => l.WikiId == wikiId).Select(l => new LinkTableRow { Namespace = l.Namespace, Title = l.Title, FromId = l.FromId, Fragment = l.Fragment });
}

