using System.Text;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The text around a search's words, as HTML with each word in <c>&lt;span class="searchmatch"&gt;</c>
/// (MediaWiki's search highlighter), for list=search, rest.php search and Special:Search.
/// </summary>
internal static class SearchSnippets
{
    /// <summary>Characters of context before the first match; the snippet is about three times as long.</summary>
    private const int Context = 60;

    /// <summary>
    /// A window of <paramref name="text"/> (wikitext, its line breaks and repeated spaces folded) that starts
    /// a little before the first of the query's words, escaped and highlighted; empty when no word is in it.
    /// </summary>
    public static string Snippet(string text, SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(query);
        var words = QueryWords(query);
        var flat = Fold(text.Length > 100_000 ? text[..100_000] : text);
        var first = Matches(flat, words).Select(m => m.Start).DefaultIfEmpty(-1).First();
        if (first < 0)
        {
            return "";
        }

        var start = Math.Max(0, first - Context);
        while (start > 0 && start < first && !char.IsWhiteSpace(flat[start - 1]))
        {
            start++;
        }

        var end = Math.Min(flat.Length, first + (2 * Context) + 40);
        while (end < flat.Length && end > first && !char.IsWhiteSpace(flat[end]))
        {
            end--;
        }

        return Highlight(flat[start..end].Trim(), words);
    }

    /// <summary>The whole of <paramref name="title"/> escaped, with the query's words highlighted.</summary>
    public static string TitleSnippet(string title, SearchQuery query) => Highlight(title, QueryWords(query));

    /// <summary>MediaWiki's word count of a text (PHP's <c>str_word_count</c>): runs of letters.</summary>
    public static int WordCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetter(c) || c is '\'' or '-';
            if (letter && !inWord)
            {
                count++;
            }

            inWord = letter;
        }

        return count;
    }

    private static HashSet<string> QueryWords(SearchQuery query) =>
        query.Phrases.SelectMany(SearchQuery.Words).ToHashSet(StringComparer.Ordinal);

    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0)
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Where the query's words are in <paramref name="text"/>, as whole words in any case.</summary>
    private static IEnumerable<(int Start, int Length)> Matches(string text, HashSet<string> words)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!SearchQuery.IsWordChar(text[i]))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && SearchQuery.IsWordChar(text[end]))
            {
                end++;
            }

            if (words.Contains(text[i..end].ToLowerInvariant()))
            {
                yield return (i, end - i);
            }

            i = end;
        }
    }

    private static string Highlight(string text, HashSet<string> words)
    {
        var sb = new StringBuilder(text.Length + 64);
        var at = 0;
        foreach (var (start, length) in Matches(text, words))
        {
            sb.Append(HtmlEscaper.Text(text[at..start]))
                .Append("<span class=\"searchmatch\">").Append(HtmlEscaper.Text(text.Substring(start, length))).Append("</span>");
            at = start + length;
        }

        return sb.Append(HtmlEscaper.Text(text[at..])).ToString();
    }
}
