using System.Globalization;
using System.Text;
using CrossWiki.Server.Pages;
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
