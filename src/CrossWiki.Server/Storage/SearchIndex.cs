using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Storage;

/// <summary>
/// The full-text index of each page's latest text and title, in the database's own engine: SQLite FTS5
/// (<c>search_index</c>, a virtual table whose rowids <c>search_docs</c> gives out per page) or PostgreSQL
/// full-text search (<c>search_index</c> with generated <c>tsvector</c> columns and GIN indexes). Neither
/// table is in the EF model; the migration <c>SearchIndex</c> makes them. The save path writes a page's row
/// in the save's transaction.
/// </summary>
internal static class SearchIndex
{
    /// <summary>Replaces a page's entry with its title (without namespace, with spaces) and text.</summary>
    public static async Task WriteAsync(WikiDbContext db, string wikiId, int pageId, string title, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO search_index ("WikiId", "PageId", "Title", "Text") VALUES ({wikiId}, {pageId}, {title}, {text})
                ON CONFLICT ("WikiId", "PageId") DO UPDATE SET "Title" = excluded."Title", "Text" = excluded."Text"
                """, ct);
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO search_docs ("WikiId", "PageId") VALUES ({wikiId}, {pageId}) ON CONFLICT DO NOTHING;
            DELETE FROM search_index WHERE rowid = (SELECT "Id" FROM search_docs WHERE "WikiId" = {wikiId} AND "PageId" = {pageId});
            INSERT INTO search_index (rowid, title, text) SELECT "Id", {title}, {text} FROM search_docs WHERE "WikiId" = {wikiId} AND "PageId" = {pageId};
            """, ct);
    }

    /// <summary>Removes a deleted page's entry.</summary>
    public static async Task DeleteAsync(WikiDbContext db, string wikiId, int pageId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"""DELETE FROM search_index WHERE "WikiId" = {wikiId} AND "PageId" = {pageId}""", ct);
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM search_index WHERE rowid = (SELECT "Id" FROM search_docs WHERE "WikiId" = {wikiId} AND "PageId" = {pageId});
            DELETE FROM search_docs WHERE "WikiId" = {wikiId} AND "PageId" = {pageId};
            """, ct);
    }

    /// <summary>
    /// The pages of <paramref name="namespaces"/> that match, best first (title matches weigh more), from
    /// <paramref name="offset"/>; and how many match in all.
    /// </summary>
    public static async Task<(List<SearchHit> Hits, int Total)> SearchAsync(
        WikiDbContext db, string wikiId, SearchQuery query, bool titlesOnly, IReadOnlyList<int> namespaces, int offset, int limit, bool countAll, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        if (!query.CanMatch || namespaces.Count == 0)
        {
            return ([], 0);
        }

        // One query gives the page of hits and, by a window over every match, their number (the ranking reads
        // every match anyway). Past the last hit there is no row to carry it, so it is asked for once more.
        var rows = await db.Database.SqlQuery<SearchHit>(HitsSql(db, wikiId, query, titlesOnly, namespaces, offset, limit)).ToListAsync(ct);
        var total = rows.Count > 0 ? rows[0].Total
            : countAll && offset > 0 ? (await db.Database.SqlQuery<SearchHit>(HitsSql(db, wikiId, query, titlesOnly, namespaces, 0, 1)).ToListAsync(ct)).FirstOrDefault()?.Total ?? 0
            : 0;
        return (rows, total);
    }

    /// <summary>
    /// The engine's query for hits <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/>,
    /// with the number of all matches on each row. The values are parameters; only the PostgreSQL column
    /// searched (the title's or the whole document's) is written into the SQL.
    /// </summary>
    private static FormattableString HitsSql(WikiDbContext db, string wikiId, SearchQuery query, bool titlesOnly, IReadOnlyList<int> namespaces, int offset, int limit)
    {
        if (db.Database.IsNpgsql())
        {
            var document = titlesOnly ? "s.\"TitleDocument\"" : "s.\"Document\"";
            return FormattableStringFactory.Create(
                "SELECT p.\"Id\" AS \"PageId\", p.\"Namespace\", p.\"DbKey\", p.\"Length\", p.\"Touched\", (COUNT(*) OVER ())::int AS \"Total\" "
                + "FROM search_index s JOIN pages p ON p.\"WikiId\" = s.\"WikiId\" AND p.\"Id\" = s.\"PageId\" "
                + $"WHERE s.\"WikiId\" = {{0}} AND {document} @@ websearch_to_tsquery('simple', {{1}}) AND p.\"Namespace\" = ANY({{2}}) "
                + $"ORDER BY ts_rank({document}, websearch_to_tsquery('simple', {{1}})) DESC, p.\"Namespace\", p.\"DbKey\" OFFSET {{3}} LIMIT {{4}}",
                wikiId, query.Text, namespaces.ToArray(), offset, limit);
        }

        var match = query.Fts5Match(titlesOnly ? "title" : null);
        var nsJson = JsonSerializer.Serialize(namespaces);

        // bm25's weights: a match in the title counts ten times one in the text. FTS5 computes bm25 only in
        // the query that matches, so it is taken there, below the window that counts.
        return $"""
            SELECT p."Id" AS "PageId", p."Namespace", p."DbKey", p."Length", p."Touched", COUNT(*) OVER () AS "Total"
            FROM (SELECT rowid AS doc, bm25(search_index, 10.0, 1.0) AS score FROM search_index WHERE search_index MATCH {match}) m
            JOIN search_docs d ON d."Id" = m.doc
            JOIN pages p ON p."WikiId" = d."WikiId" AND p."Id" = d."PageId"
            WHERE d."WikiId" = {wikiId} AND p."Namespace" IN (SELECT value FROM json_each({nsJson}))
            ORDER BY m.score, p."Namespace", p."DbKey"
            LIMIT {limit} OFFSET {offset}
            """;
    }
}

/// <summary>One page a search found.</summary>
internal sealed class SearchHit
{
    public int PageId { get; init; }

    public int Namespace { get; init; }

    public required string DbKey { get; init; }

    public int Length { get; init; }

    public DateTime Touched { get; init; }

    /// <summary>How many pages match in all (the same on every row of one search).</summary>
    public int Total { get; init; }
}

/// <summary>
/// A search text as words and quoted phrases that must all be found, and words after a <c>-</c> that must
/// not; what the index is asked and what snippets highlight.
/// </summary>
internal sealed class SearchQuery
{
    private SearchQuery(string text, List<string> phrases, List<string> excluded)
    {
        Text = text;
        Phrases = phrases;
        Excluded = excluded;
    }

    /// <summary>The text as the user typed it (PostgreSQL's <c>websearch_to_tsquery</c> reads it so).</summary>
    public string Text { get; }

    /// <summary>Words and phrases that must all match, in the order given.</summary>
    public IReadOnlyList<string> Phrases { get; }

    public IReadOnlyList<string> Excluded { get; }

    /// <summary>Whether anything can match: at least one word that is not excluded.</summary>
    public bool CanMatch => Phrases.Count > 0;

    public static SearchQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var phrases = new List<string>();
        var excluded = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var negated = text[i] == '-';
            if (negated)
            {
                i++;
            }

            string phrase;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                phrase = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                phrase = text[i..end];
                i = end;
            }

            // Only letters and digits are words to the index; a phrase of none matches nothing and is dropped.
            if (Words(phrase).Count > 0)
            {
                (negated ? excluded : phrases).Add(phrase);
            }
        }

        return new SearchQuery(text, phrases, excluded);
    }

    /// <summary>The FTS5 query: each phrase quoted (so no character of the text is an operator), ANDed, excluded ones NOTed.</summary>
    public string Fts5Match(string? column)
    {
        var sb = new StringBuilder();
        foreach (var phrase in Phrases)
        {
            sb.Append(sb.Length == 0 ? "" : " AND ").Append(Quoted(phrase, column));
        }

        foreach (var phrase in Excluded)
        {
            sb.Append(" NOT ").Append(Quoted(phrase, column));
        }

        return sb.ToString();
    }

    private static string Quoted(string phrase, string? column) =>
        (column is null ? "" : column + " : ") + "\"" + string.Join(' ', Words(phrase)) + "\"";

    /// <summary>The words of a text as the index splits it: runs of letters, digits and marks, in lower case.</summary>
    public static List<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    public static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
