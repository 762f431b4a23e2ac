using System.Globalization;
using CrossWiki.Server.ActionApi.Modules;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>
/// What the HTML pages list from the link tables: a page's category box, a category page's members, and
/// the special pages AllPages, PrefixIndex, WhatLinksHere and Categories. Each is read here; WikiWeb shows it.
/// </summary>
internal static class WikiListings
{
    /// <summary>Members per list on a category page, as MediaWiki's <c>$wgCategoryPagingLimit</c>.</summary>
    public const int CategoryPageSize = 200;

    /// <summary>Entries per page of Special:AllPages and Special:PrefixIndex (MediaWiki's 345).</summary>
    public const int ListSize = 345;

    /// <summary>Entries per page of Special:WhatLinksHere and Special:Categories.</summary>
    public const int LinkListSize = 50;

    /// <summary>The page's categories, in key order, red where the category page does not exist.</summary>
    public static async Task<IReadOnlyList<ListedPage>> CategoriesOfAsync(WikiDbContext db, Wiki wiki, int pageId, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        // Hidden categories (__HIDDENCAT__) are not shown, as for a reader without the showhiddencats preference.
        var hidden = CategoryInfoModule.HiddenCategories(db, wikiId);
        var keys = await db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId && l.FromId == pageId && !hidden.Contains(l.Category))
            .Select(l => l.Category).OrderBy(c => c).ToListAsync(ct);
        var exists = await LinkBatch.ExistAsync(db, wikiId, [.. keys.Select(k => (NamespaceTable.Category, k))], ct);
        return [.. keys.Select((k, i) => Link(wiki, Title.Create(wiki.Namespaces, NamespaceTable.Category, k), exists[i], textWithoutNamespace: true))];
    }

    /// <summary>
    /// A category page's lists: subcategories, pages and files, each by sort key from its <c>subcatfrom</c>,
    /// <c>pagefrom</c> or <c>filefrom</c> parameter, <see cref="CategoryPageSize"/> at a time.
    /// </summary>
    public static async Task<IReadOnlyList<CategorySection>> CategoryMembersAsync(WikiDbContext db, Wiki wiki, Title category, IQueryCollection query, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        var key = category.DbKey;
        var counts = (await CategoryInfoModule.CountsAsync(db, wikiId, [key], ct)).GetValueOrDefault(key);
        var sections = new List<CategorySection>();
        foreach (var (type, id, total, message, heading) in new[]
        {
            ("subcat", "mw-subcategories", counts.Subcats, "category-subcat-count", "Subcategories"),
            ("page", "mw-pages", counts.Pages, "category-article-count", $"Pages in category \"{category.Text}\""),
            ("file", "mw-category-media", counts.Files, "category-file-count", $"Media in category \"{category.Text}\""),
        })
        {
            if (total == 0)
            {
                continue;
            }

            var start = query[type + "from"].ToString();
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; sort keys compare by code point.
            var rows = await (
                from l in db.CategoryLinks.AsNoTracking()
                where l.WikiId == wikiId && l.Category == key && l.Type == type && string.Compare(l.SortKey, start) >= 0
                join p in db.Pages.AsNoTracking() on new { l.WikiId, Id = l.FromId } equals new { p.WikiId, p.Id }
                orderby l.SortKey, l.FromId
                select new { l.SortKey, p.Namespace, p.DbKey }).Take(CategoryPageSize + 1).ToListAsync(ct);
#pragma warning restore CA1309
            var shown = rows.Take(CategoryPageSize).Select(r => Link(wiki, Title.Create(wiki.Namespaces, r.Namespace, r.DbKey), true)).ToList();
            var summary = InterfaceMessages.Expand(
                InterfaceMessages.WithParameters(InterfaceMessages.Defaults[message], [Number(shown.Count), Number(total)]), wiki.Sitename);
            var next = rows.Count > CategoryPageSize ? Index(wiki, category, (type + "from", rows[CategoryPageSize].SortKey)) : null;
            sections.Add(new CategorySection(id, heading, summary, shown, next));
        }

        return sections;
    }

    /// <summary>Special:AllPages (<c>from</c>) and Special:PrefixIndex (<c>prefix</c>): one namespace's pages in key order.</summary>
    public static async Task<(List<ListedPage> Items, string? NextKey)> PagesAsync(WikiDbContext db, Wiki wiki, int ns, string? from, string? prefix, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        var pages = db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == ns);
        if (prefix is { Length: > 0 })
        {
            pages = pages.Where(p => p.DbKey.StartsWith(prefix));
        }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; keys compare by code point.
        if (from is { Length: > 0 })
        {
            pages = pages.Where(p => string.Compare(p.DbKey, from) >= 0);
        }
#pragma warning restore CA1309

        var rows = await pages.OrderBy(p => p.DbKey)
            .Select(p => new { p.Namespace, p.DbKey, Redirect = db.Redirects.Any(r => r.WikiId == wikiId && r.FromId == p.Id) })
            .Take(ListSize + 1).ToListAsync(ct);
        var items = rows.Take(ListSize).Select(r => Link(wiki, Title.Create(wiki.Namespaces, r.Namespace, r.DbKey), true) with { Note = r.Redirect ? "(redirect)" : null }).ToList();
        return (items, rows.Count > ListSize ? rows[ListSize].DbKey : null);
    }

    /// <summary>Special:WhatLinksHere: the pages that link to, transclude, use as a file or redirect to a page, by page id from <paramref name="fromId"/>.</summary>
    public static async Task<(List<ListedPage> Items, int? NextId)> LinksHereAsync(WikiDbContext db, Wiki wiki, Title target, int fromId, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        var (ns, key) = (target.Namespace, target.DbKey);
        IQueryable<int> To(IQueryable<LinkTableRow> rows) => rows.Where(l => l.Namespace == ns && l.Title == key).Select(l => l.FromId);
        var links = To(LinkTableRows.PageLinks(db, wikiId));
        var transclusions = To(LinkTableRows.TemplateLinks(db, wikiId));
        var files = To(LinkTableRows.ImageLinks(db, wikiId));
        var redirects = To(LinkTableRows.Redirects(db, wikiId));
        var rows = await db.Pages.AsNoTracking()
            .Where(p => p.WikiId == wikiId && p.Id >= fromId && (links.Contains(p.Id) || transclusions.Contains(p.Id) || files.Contains(p.Id) || redirects.Contains(p.Id)))
            .OrderBy(p => p.Id)
            .Select(p => new
            {
                p.Id, p.Namespace, p.DbKey,
                Redirect = redirects.Contains(p.Id), Transclusion = transclusions.Contains(p.Id), File = files.Contains(p.Id),
            })
            .Take(LinkListSize + 1).ToListAsync(ct);
        var items = rows.Take(LinkListSize).Select(r =>
        {
            string[] notes = [.. new[] { r.Redirect ? "redirect page" : null, r.Transclusion ? "transclusion" : null, r.File ? "file link" : null }.OfType<string>()];
            return Link(wiki, Title.Create(wiki.Namespaces, r.Namespace, r.DbKey), true) with { Note = notes.Length == 0 ? null : $"({string.Join(", ", notes)})" };
        }).ToList();
        return (items, rows.Count > LinkListSize ? rows[LinkListSize].Id : null);
    }

    /// <summary>Special:Categories: the categories with members, in key order from <paramref name="from"/>, with their sizes.</summary>
    public static async Task<(List<ListedPage> Items, string? NextKey)> CategoriesAsync(WikiDbContext db, Wiki wiki, string? from, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        var start = from ?? "";
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; keys compare by code point.
        var rows = await db.CategoryLinks.AsNoTracking().Where(l => l.WikiId == wikiId && string.Compare(l.Category, start) >= 0)
            .GroupBy(l => l.Category).Select(g => new { Key = g.Key, Count = g.Count() })
            .OrderBy(g => g.Key).Take(LinkListSize + 1).ToListAsync(ct);
#pragma warning restore CA1309
        var shown = rows.Take(LinkListSize).ToList();
        var exists = await LinkBatch.ExistAsync(db, wikiId, [.. shown.Select(r => (NamespaceTable.Category, r.Key))], ct);
        var items = shown.Select((r, i) => Link(wiki, Title.Create(wiki.Namespaces, NamespaceTable.Category, r.Key), exists[i], textWithoutNamespace: true)
            with { Note = $"({Number(r.Count)} {(r.Count == 1 ? "member" : "members")})" }).ToList();
        return (items, rows.Count > LinkListSize ? rows[LinkListSize].Key : null);
    }

    /// <summary>Special:Random: a page of the main namespace that is not a redirect, at a random point of the pages' random order.</summary>
    public static async Task<Title?> RandomAsync(WikiDbContext db, Wiki wiki, CancellationToken ct)
    {
        var wikiId = wiki.Id;
        var point = Random.Shared.NextDouble();
        var pages = db.Pages.AsNoTracking().Where(p => p.WikiId == wikiId && p.Namespace == NamespaceTable.Main && !db.Redirects.Any(r => r.WikiId == wikiId && r.FromId == p.Id));
        var page = await pages.Where(p => p.Random >= point).OrderBy(p => p.Random).FirstOrDefaultAsync(ct)
            ?? await pages.OrderBy(p => p.Random).FirstOrDefaultAsync(ct);
        return page is null ? null : Title.Create(wiki.Namespaces, page.Namespace, page.DbKey);
    }

    public static ListedPage Link(Wiki wiki, Title title, bool exists, bool textWithoutNamespace = false) =>
        new(textWithoutNamespace ? title.Text : title.PrefixedText,
            exists ? wiki.ArticleUrl(title.PrefixedDbKey) : Index(wiki, title, ("action", "edit"), ("redlink", "1")), exists);

    /// <summary>index.php with a title and parameters, as MediaWiki links its paging and red links.</summary>
    public static string Index(Wiki wiki, Title title, params (string Name, string Value)[] parameters) =>
        wiki.ScriptPath + "/index.php?title=" + WikiUrl.Encode(title.PrefixedDbKey)
        + string.Concat(parameters.Select(p => "&" + p.Name + "=" + Uri.EscapeDataString(p.Value)));

    private static string Number(int n) => n.ToString("#,##0", CultureInfo.InvariantCulture);
}
