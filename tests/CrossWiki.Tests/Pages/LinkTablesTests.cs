using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Tests.Pages;

/// <summary>The link tables the save path keeps, and what action=parse reports of a text's links.</summary>
public sealed class LinkTablesTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private const string Text =
        "See [[Main Page]], [[Nowhere yet]] and [[main Page#Part|again]], [[Special:Random]], [[Talk:Tea]].\n"
        + "[[File:Cat.png]] and [[:File:Dog.png]]; [https://example.org/a a site] and https://example.org/b.\n"
        + "[[Category:Drinks|Tea]] [[Category:Nowhere cat]]";

    private static int _page;

    private TestFarm Farm => fixture.Farm;

    private static string NewTitle(string what) => $"Link tables {what} {Interlocked.Increment(ref _page)}";

    private async Task<int> EditAsync(string title, string text)
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"));
        return answer.Json["edit"]!["pageid"]!.GetValue<int>();
    }

    private WikiDbContext Db() => Farm.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>().CreateDbContext();

    [Fact]
    public async Task Parse_TextWithEveryKindOfLink_ListsThemAsMediaWikiDoes_FormatVersion2()
    {
        await EditAsync("Category:Drinks", "Things to drink.");
        using var client = Farm.Client();

        var answer = await client.PostAsync(("action", "parse"), ("text", Text), ("title", "Sandbox"), ("prop", "categories|links|images|externallinks"),
            ("format", "json"), ("formatversion", "2"));

        Assert.Equal(
            """{"parse":{"title":"Sandbox","pageid":0,"categories":[{"sortkey":"Tea","category":"Drinks"},{"sortkey":"","category":"Nowhere_cat","missing":true}],"""
            + """ "links":[{"ns":0,"title":"Main Page","exists":true},{"ns":0,"title":"Nowhere yet","exists":false},{"ns":1,"title":"Talk:Tea","exists":false},{"ns":6,"title":"File:Dog.png","exists":false}],""".TrimStart()
            + """ "images":["Cat.png"],"externallinks":["https://example.org/a","https://example.org/b"]}}""".TrimStart(),
            answer.Body);
    }

    [Fact]
    public async Task Parse_Links_FormatVersion1MarksExistingWithAnEmptyString()
    {
        using var client = Farm.Client();

        var answer = await client.PostAsync(("action", "parse"), ("text", "[[Main Page]] [[Nowhere yet]] [[Category:Nowhere cat]]"), ("title", "Sandbox"),
            ("prop", "links|categories"), ("format", "json"));

        Assert.Equal(
            """{"parse":{"title":"Sandbox","pageid":0,"categories":[{"sortkey":"","missing":"","*":"Nowhere_cat"}],"links":[{"ns":0,"exists":"","*":"Main Page"},{"ns":0,"*":"Nowhere yet"}]}}""",
            answer.Body);
    }

    [Fact]
    public async Task Edit_TextWithLinks_WritesEachTableAndAReEditReplacesTheRows()
    {
        var title = NewTitle("page");
        var pageId = await EditAsync(title, Text);

        await using (var db = Db())
        {
            Assert.Equal(["0:Main_Page", "0:Nowhere_yet", "1:Tea", "6:Dog.png"],
                await db.PageLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).OrderBy(l => l.Namespace).ThenBy(l => l.Title).Select(l => l.Namespace + ":" + l.Title).ToListAsync());
            Assert.Equal(["Drinks:Tea:TEA\n" + title.ToUpperInvariant() + ":page", "Nowhere_cat::" + title.ToUpperInvariant() + ":page"],
                await db.CategoryLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).OrderBy(l => l.Category).Select(l => l.Category + ":" + l.SortKeyPrefix + ":" + l.SortKey + ":" + l.Type).ToListAsync());
            Assert.Equal(["Cat.png"], await db.ImageLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).Select(l => l.To).ToListAsync());
            Assert.Equal(["https://example.org/a", "https://example.org/b"],
                await db.ExternalLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).OrderBy(l => l.Index).Select(l => l.Url).ToListAsync());
            Assert.False(await db.Redirects.AnyAsync(l => l.WikiId == "alpha" && l.FromId == pageId));
        }

        await EditAsync(title, "#REDIRECT [[Talk:Tea#Milk]]");

        await using (var db = Db())
        {
            Assert.Equal(["1:Tea"], await db.PageLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).Select(l => l.Namespace + ":" + l.Title).ToListAsync());
            Assert.False(await db.CategoryLinks.AnyAsync(l => l.WikiId == "alpha" && l.FromId == pageId));
            Assert.False(await db.ExternalLinks.AnyAsync(l => l.WikiId == "alpha" && l.FromId == pageId));
            var redirect = await db.Redirects.SingleAsync(l => l.WikiId == "alpha" && l.FromId == pageId);
            Assert.Equal((1, "Tea", "Milk"), (redirect.Namespace, redirect.Title, redirect.Fragment));
        }
    }

    [Fact]
    public async Task Backfill_PagesSavedBeforeTheTables_GetTheirLinksOnce()
    {
        var title = NewTitle("old");
        var pageId = await EditAsync(title, "[[Old target]] [[Category:Old cat]]");
        await using (var db = Db())
        {
            // As a farm from before the link tables: no rows, and not marked as filled.
            await db.PageLinks.Where(l => l.FromId == pageId && l.WikiId == "alpha").ExecuteDeleteAsync();
            await db.CategoryLinks.Where(l => l.FromId == pageId && l.WikiId == "alpha").ExecuteDeleteAsync();
            await db.Settings.Where(s => s.Name == LinkTablesBackfill.DoneSetting).ExecuteDeleteAsync();
        }

        await LinkTablesBackfill.RunAsync(Farm.Services, CancellationToken.None);

        await using (var db = Db())
        {
            Assert.Equal(["Old_target"], await db.PageLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).Select(l => l.Title).ToListAsync());
            Assert.Equal(["Old_cat"], await db.CategoryLinks.Where(l => l.WikiId == "alpha" && l.FromId == pageId).Select(l => l.Category).ToListAsync());
            Assert.True(await db.Settings.AnyAsync(s => s.Name == LinkTablesBackfill.DoneSetting));
        }
    }

    [Theory]
    [InlineData("#REDIRECT [[Foo]]", "Foo")]
    [InlineData("  #redirect:[[Talk:Foo bar|x]] more", "Talk:Foo bar")]
    [InlineData("#REDIRECT[[foo#Sec]]", "Foo")]
    [InlineData("Text #REDIRECT [[Foo]]", null)]
    [InlineData("#REDIRECT Foo", null)]
    [InlineData("#REDIRECT [[Special:Random]]", "Special:Random")]
    [InlineData("#REDIRECT [[<bad>]]", null)]
    public void Redirects_Target_AsMediaWikiReadsTheFirstLink(string text, string? expected)
    {
        var target = Redirects.Target(text, NamespaceTable.Create("W"));

        Assert.Equal(expected, target?.PrefixedText);
    }
}
