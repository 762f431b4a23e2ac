using System.Net;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Web;

/// <summary>Category pages and boxes, redirects on view, and the listing special pages, over real HTTP.</summary>
public sealed partial class WikiListingsTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _run;

    private TestFarm Farm => fixture.Farm;

    [System.Text.RegularExpressions.GeneratedRegex(@">\s+<")]
    private static partial System.Text.RegularExpressions.Regex BetweenTags();

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var client = Farm.Client();
        using var response = await client.Http.GetAsync(Farm.AlphaServer + path);
        // Compared without the layout's line breaks between elements.
        return (response.StatusCode, BetweenTags().Replace(await response.Content.ReadAsStringAsync(), "><"));
    }

    [Fact]
    public async Task CategoryPage_WithoutText_ListsSubcategoriesPagesAndFilesAndMembersShowTheBox()
    {
        var n = Interlocked.Increment(ref _run);
        await Farm.EditPagesAsync(($"Wl member {n}", $"Text. [[Category:Wl cat {n}]] [[Category:Wl other {n}]]"), ($"Category:Wl sub {n}", $"[[Category:Wl cat {n}]]"),
            ($"File:Wl {n}.png", $"[[Category:Wl cat {n}]]"), ($"Category:Wl other {n}", "It exists."));

        var category = await GetAsync($"/wiki/Category:Wl_cat_{n}");
        var member = await GetAsync($"/wiki/Wl_member_{n}");

        Assert.Equal(HttpStatusCode.OK, category.Status);
        Assert.Contains($"<h2>Subcategories</h2><p>This category has only the following subcategory.</p><ul><li><a href=\"/wiki/Category:Wl_sub_{n}\" title=\"Category:Wl sub {n}\">Category:Wl sub {n}</a></li></ul>", category.Body, StringComparison.Ordinal);
        Assert.Contains($"<h2>Pages in category &quot;Wl cat {n}&quot;</h2><p>This category contains only the following page.</p><ul><li><a href=\"/wiki/Wl_member_{n}\"", category.Body, StringComparison.Ordinal);
        Assert.Contains($"<div id=\"mw-category-media\"><h2>Media in category &quot;Wl cat {n}&quot;</h2>", category.Body, StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"/w/index.php?title=Category:Wl_cat_{n}&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Wl cat {n}\">Wl cat {n}</a></li>", member.Body, StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"/wiki/Category:Wl_other_{n}\" title=\"Wl other {n}\">Wl other {n}</a></li>", member.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/wiki/Category:Wl_empty_{n}")).Status);
    }

    [Fact]
    public async Task Redirect_View_ShowsTheTargetWithRedirectedFromAndRedirectNoShowsItself()
    {
        var n = Interlocked.Increment(ref _run);
        await Farm.EditPagesAsync(($"Wl target {n}", "The target's '''text'''."), ($"Wl redirect {n}", $"#REDIRECT [[Wl target {n}]]"));

        var followed = await GetAsync($"/wiki/Wl_redirect_{n}");
        var itself = await GetAsync($"/w/index.php?title=Wl_redirect_{n}&redirect=no");

        Assert.Contains($"<h1 id=\"firstHeading\">Wl target {n}</h1>", followed.Body, StringComparison.Ordinal);
        Assert.Contains($"(Redirected from <a href=\"/w/index.php?title=Wl_redirect_{n}&amp;redirect=no\" class=\"mw-redirect\" title=\"Wl redirect {n}\">Wl redirect {n}</a>)", followed.Body, StringComparison.Ordinal);
        Assert.Contains("<b>text</b>", followed.Body, StringComparison.Ordinal);
        Assert.Contains($"<h1 id=\"firstHeading\">Wl redirect {n}</h1>", itself.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Redirected from", itself.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecialPages_AllPagesPrefixIndexWhatLinksHereCategoriesRandom_ListTheWiki()
    {
        var n = Interlocked.Increment(ref _run);
        await Farm.EditPagesAsync(($"Wls {n} a", $"[[Wls {n} b]] [[Category:Wls cat {n}]]"), ($"Wls {n} b", "B."), ($"Wls {n} redirect", $"#REDIRECT [[Wls {n} b]]"), ($"Talk:Wls {n} a", "Talk."));

        var all = await GetAsync($"/wiki/Special:AllPages?from=Wls_{n}_b");
        var prefix = await GetAsync($"/wiki/Special:PrefixIndex/Wls_{n}");
        var talk = await GetAsync($"/w/index.php?title=Special:PrefixIndex&prefix=Wls&namespace=1");
        var links = await GetAsync($"/wiki/Special:WhatLinksHere/Wls_{n}_b");
        var categories = await GetAsync($"/wiki/Special:Categories?from=Wls_cat_{n}");
        var bad = await GetAsync("/wiki/Special:WhatLinksHere/%5B%5B");
        using var client = Farm.Client();
        using var random = await client.Http.GetAsync(Farm.AlphaServer + "/wiki/Special:Random");

        Assert.StartsWith($"<ul class=\"mw-special-list\" id=\"mw-special-list\"><li><a href=\"/wiki/Wls_{n}_b\" title=\"Wls {n} b\">Wls {n} b</a></li><li><a href=\"/wiki/Wls_{n}_redirect\" title=\"Wls {n} redirect\">Wls {n} redirect</a><span class=\"mw-special-note\"> (redirect)</span></li>",
            all.Body[all.Body.IndexOf("<ul class=\"mw-special-list\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains($">Wls {n} a</a></li><li><a href=\"/wiki/Wls_{n}_b\"", prefix.Body, StringComparison.Ordinal);
        Assert.Contains($">Talk:Wls {n} a</a>", talk.Body, StringComparison.Ordinal);
        Assert.Contains($">Wls {n} a</a></li><li><a href=\"/wiki/Wls_{n}_redirect\" title=\"Wls {n} redirect\">Wls {n} redirect</a><span class=\"mw-special-note\"> (redirect page)</span>", links.Body, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/w/index.php?title=Category:Wls_cat_{n}&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Wls cat {n}\">Wls cat {n}</a><span class=\"mw-special-note\"> (1 member)</span>", categories.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(HttpStatusCode.Redirect, random.StatusCode);
        Assert.StartsWith(Farm.AlphaServer + "/wiki/", random.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
