using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrossWiki.Tests.Storage;

/// <summary>The full-text index on SQLite (FTS5) and PostgreSQL, kept by the save path.</summary>
public sealed class SearchIndexTests : IDisposable
{
    private static readonly NamespaceTable Namespaces = NamespaceTable.Create("S");

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<DbContextOptions<WikiDbContext>> OptionsAsync(string provider) =>
        provider == "sqlite"
            ? new DbContextOptionsBuilder<WikiDbContext>().UseSqlite(StorageSetup.SqliteConnectionString(_database.Folder)).Options
            : await TestDatabases.NewPostgresAsync("crosswiki_search_");

    private static async Task<string> SaveAsync(WikiDbContext db, string wiki, string key, string text, int ns = 0)
    {
        var title = Title.Create(Namespaces, ns, key);
        var page = await db.Pages.FirstOrDefaultAsync(p => p.WikiId == wiki && p.Namespace == ns && p.DbKey == key);
        var saved = await PageWriter.SaveAsync(db, wiki, title, page, text, PageLinkSet.Empty, "", minor: false, 0, "x", DateTime.UtcNow, new ChangeFlags(), CancellationToken.None);
        Assert.NotNull(saved);
        db.ChangeTracker.Clear();
        return key;
    }

    private static async Task<List<string>> FindAsync(WikiDbContext db, string wiki, string text, bool titles = false, int[]? namespaces = null)
    {
        var (hits, total) = await SearchIndex.SearchAsync(db, wiki, SearchQuery.Parse(text), titles, namespaces ?? [0], 0, 50, countAll: true, CancellationToken.None);
        Assert.Equal(hits.Count, total);
        return [.. hits.Select(h => h.DbKey)];
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Search_SavedPages_MatchedByWordsPhrasesAndTitlesOfTheirWikiOnly(string provider)
    {
        await using var db = new WikiDbContext(await OptionsAsync(provider));
        await db.Database.MigrateAsync();
        await SaveAsync(db, "a", "Apple_pie", "A dessert with fruit and pastry.");
        await SaveAsync(db, "a", "Orchard", "An apple orchard grows fruit trees. Pie is not grown.");
        await SaveAsync(db, "a", "Talk_page", "Apple talk.", ns: 1);
        await SaveAsync(db, "b", "Apple", "Apple on the other wiki.");

        Assert.Equal(["Apple_pie", "Orchard"], await FindAsync(db, "a", "apple"));
        Assert.Equal(["Orchard"], await FindAsync(db, "a", "\"fruit trees\""));
        Assert.Equal(["Apple_pie"], await FindAsync(db, "a", "apple -orchard"));
        Assert.Equal(["Apple_pie"], await FindAsync(db, "a", "pie", titles: true));
        Assert.Equal(["Talk_page"], await FindAsync(db, "a", "APPLE", namespaces: [1]));
        Assert.Equal(["Apple"], await FindAsync(db, "b", "apple"));
        Assert.Empty(await FindAsync(db, "a", "\"\" -apple"));

        // A new revision replaces the page's words.
        await SaveAsync(db, "a", "Orchard", "Now about pears.");
        Assert.Equal(["Apple_pie"], await FindAsync(db, "a", "apple"));
        Assert.Equal(["Orchard"], await FindAsync(db, "a", "pears"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Migration_PagesSavedBefore_AreIndexed(string provider)
    {
        var options = await OptionsAsync(provider);
        await using (var old = new WikiDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261202193613_PageRandom");
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO pages ("Id", "WikiId", "Namespace", "DbKey", "LatestRevisionId", "Touched", "Length", "IsNew", "Random") VALUES
                    (1, 'a', 0, 'Old_page', 2, '2026-01-01 00:00:02', 1, false, 0.5);
                INSERT INTO revisions ("Id", "PageId", "WikiId", "ParentId", "UserId", "UserText", "Timestamp", "Comment", "Minor", "Text", "Length", "Sha1") VALUES
                    (1, 1, 'a', 0, 0, 'x', '2026-01-01 00:00:01', '', false, 'An older text.', 1, ''),
                    (2, 1, 'a', 1, 0, 'x', '2026-01-01 00:00:02', '', false, 'Written before the index existed.', 1, '');
                """);
        }

        await using var db = new WikiDbContext(options);
        await db.Database.MigrateAsync();

        Assert.Equal(["Old_page"], await FindAsync(db, "a", "existed"));
        Assert.Equal(["Old_page"], await FindAsync(db, "a", "old", titles: true));
        Assert.Empty(await FindAsync(db, "a", "older"));
    }

    [Theory]
    [InlineData("apple pie", new[] { "apple", "pie" }, new string[0])]
    [InlineData("\"fruit trees\" -worm", new[] { "fruit trees" }, new[] { "worm" })]
    [InlineData("NEAR( ) OR * ^", new[] { "NEAR(", "OR" }, new string[0])]
    [InlineData("\"unterminated phrase", new[] { "unterminated phrase" }, new string[0])]
    public void SearchQuery_Text_PhrasesAndExclusions(string text, string[] phrases, string[] excluded)
    {
        var query = SearchQuery.Parse(text);

        Assert.Equal(phrases, query.Phrases);
        Assert.Equal(excluded, query.Excluded);
    }

    [Fact]
    public void SearchQuery_OperatorsInText_QuotedForFts5()
    {
        Assert.Equal("\"near\" AND \"or\"", SearchQuery.Parse("NEAR( ) OR * ^").Fts5Match(null));
        Assert.Equal("title : \"a\" NOT title : \"b c\"", SearchQuery.Parse("a -\"b c\"").Fts5Match("title"));
    }

    [Fact]
    public void Snippet_TextWithTheWords_WindowEscapedAndHighlighted()
    {
        var query = SearchQuery.Parse("apple");
        var text = string.Concat(Enumerable.Repeat("filler words here ", 20)) + "an <b>apple</b> & Apple\n\nthen more text";

        var snippet = SearchSnippets.Snippet(text, query);

        Assert.StartsWith("filler", snippet, StringComparison.Ordinal);
        Assert.Contains("an &lt;b&gt;<span class=\"searchmatch\">apple</span>&lt;/b&gt; &amp; <span class=\"searchmatch\">Apple</span> then more text", snippet, StringComparison.Ordinal);
        Assert.True(snippet.Length < 400, snippet);
        Assert.Equal("", SearchSnippets.Snippet("no such word", query));
        Assert.Equal("<span class=\"searchmatch\">Apple</span> pie", SearchSnippets.TitleSnippet("Apple pie", query));
    }
}
