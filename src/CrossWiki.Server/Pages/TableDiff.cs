using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Model;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The line-based difference between two texts in MediaWiki's diff table rows (the body of
/// <c>action=compare</c>, <c>rvdiffto</c> and the diff page): hunks headed "Line N:", two lines of context around
/// each change, changed lines paired in order with their changed words in <c>del</c>/<c>ins</c>. DiffPlex finds
/// the differences; this class only lays them out.
/// </summary>
internal static partial class TableDiff
{
    /// <summary>Unchanged lines shown before and after a change (DiffFormatter's leading and trailing context).</summary>
    private const int Context = 2;

    /// <summary>The diff rows, or an empty string when the texts are the same.</summary>
    public static string Render(string from, string to)
    {
        if (from == to)
        {
            return "";
        }

        var diff = Differ.Instance.CreateDiffs(from, to, false, false, LineChunker.Instance);
        var oldLines = diff.PiecesOld;
        var newLines = diff.PiecesNew;
        var html = new StringBuilder();
        foreach (var hunk in Hunks(JoinAcrossBlankLines(diff.DiffBlocks, oldLines), oldLines.Count))
        {
            html.Append("<tr>\n  <td colspan=\"2\" class=\"diff-lineno\">Line ").Append(hunk.OldStart + 1).Append(":</td>\n  <td colspan=\"2\" class=\"diff-lineno\">Line ")
                .Append(hunk.NewStart + 1).Append(":</td>\n</tr>\n");
            var a = hunk.OldStart;
            var b = hunk.NewStart;
            foreach (var block in hunk.Blocks)
            {
                for (; a < block.DeleteStartA; a++, b++)
                {
                    ContextRow(html, oldLines[a]);
                }

                var pairs = Pair(oldLines, a, block.DeleteCountA, newLines, b, block.InsertCountB);
                var (i, j) = (0, 0);
                foreach (var (pi, pj) in pairs.Append((block.DeleteCountA, block.InsertCountB)))
                {
                    for (; i < pi; i++)
                    {
                        DeletedRow(html, oldLines[a + i]);
                    }

                    for (; j < pj; j++)
                    {
                        AddedRow(html, newLines[b + j]);
                    }

                    if (pi < block.DeleteCountA)
                    {
                        if (oldLines[a + pi] == newLines[b + pj])
                        {
                            ContextRow(html, oldLines[a + pi]);
                        }
                        else
                        {
                            ChangedRow(html, oldLines[a + pi], newLines[b + pj]);
                        }

                        (i, j) = (pi + 1, pj + 1);
                    }
                }

                a += block.DeleteCountA;
                b += block.InsertCountB;
            }

            for (; a < hunk.OldEnd; a++)
            {
                ContextRow(html, oldLines[a]);
            }
        }

        return html.ToString();
    }

    /// <summary>Changes close enough to share their context (at most leading + trailing context lines apart), and the old lines shown.</summary>
    private sealed class Hunk(int oldStart, int newStart)
    {
        public int OldStart { get; } = oldStart;

        public int NewStart { get; } = newStart;

        public int OldEnd { get; set; }

        public List<DiffBlock> Blocks { get; } = [];
    }

    private static List<Hunk> Hunks(IList<DiffBlock> blocks, int oldCount)
    {
        var hunks = new List<Hunk>();
        foreach (var block in blocks)
        {
            var start = Math.Max(0, block.DeleteStartA - Context);
            if (hunks.Count == 0 || start > hunks[^1].OldEnd)
            {
                hunks.Add(new Hunk(start, block.InsertStartB - (block.DeleteStartA - start)));
            }

            var hunk = hunks[^1];
            hunk.Blocks.Add(block);
            hunk.OldEnd = Math.Min(oldCount, block.DeleteStartA + block.DeleteCountA + Context);
        }

        return hunks;
    }

    /// <summary>
    /// Changes separated only by empty lines become one change, so that its lines can be paired across them
    /// (a paragraph added before an edited one otherwise takes the empty line between them as its anchor).
    /// </summary>
    private static List<DiffBlock> JoinAcrossBlankLines(IList<DiffBlock> blocks, IReadOnlyList<string> oldLines)
    {
        var joined = new List<DiffBlock>(blocks.Count);
        foreach (var block in blocks)
        {
            if (joined.Count > 0 && joined[^1] is var last && last.DeleteStartA + last.DeleteCountA is var gapStart
                && Enumerable.Range(gapStart, block.DeleteStartA - gapStart).All(k => oldLines[k].Length == 0))
            {
                joined[^1] = new DiffBlock(last.DeleteStartA, block.DeleteStartA + block.DeleteCountA - last.DeleteStartA,
                    last.InsertStartB, block.InsertStartB + block.InsertCountB - last.InsertStartB);
                continue;
            }

            joined.Add(block);
        }

        return joined;
    }

    /// <summary>
    /// Which deleted and inserted lines of a change are the same line edited: the longest in-order run of
    /// similar pairs (half their words in common, or both empty), so an inserted paragraph does not get paired
    /// with the paragraph after it. Large changes, and changes with as many lines on both sides and none alike, are
    /// paired in order.
    /// </summary>
    private static List<(int Old, int New)> Pair(IReadOnlyList<string> oldLines, int a, int deleted, IReadOnlyList<string> newLines, int b, int inserted)
    {
        if (deleted == 0 || inserted == 0)
        {
            return [];
        }

        if ((long)deleted * inserted > 10_000)
        {
            return [.. Enumerable.Range(0, Math.Min(deleted, inserted)).Select(k => (k, k))];
        }

        // Each line is split into words once, and each pair compared once.
        var oldWords = Enumerable.Range(a, deleted).Select(k => Words(oldLines[k])).ToArray();
        var newWords = Enumerable.Range(b, inserted).Select(k => Words(newLines[k])).ToArray();
        var similar = new bool[deleted, inserted];
        var best = new int[deleted + 1, inserted + 1];
        for (var i = deleted - 1; i >= 0; i--)
        {
            for (var j = inserted - 1; j >= 0; j--)
            {
                similar[i, j] = Similar(oldWords[i], newWords[j]);
                best[i, j] = similar[i, j] ? best[i + 1, j + 1] + 1 : Math.Max(best[i + 1, j], best[i, j + 1]);
            }
        }

        var pairs = new List<(int, int)>();
        for (int i = 0, j = 0; i < deleted && j < inserted;)
        {
            if (similar[i, j] && best[i, j] == best[i + 1, j + 1] + 1)
            {
                pairs.Add((i++, j++));
            }
            else if (best[i + 1, j] >= best[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        // Nothing alike, line for line (a rewritten line): paired in order, as MediaWiki's own diff engine does.
        return pairs.Count == 0 && deleted == inserted ? [.. Enumerable.Range(0, deleted).Select(k => (k, k))] : pairs;
    }

    /// <summary>A line's words (its tokens without the spaces); null for an empty line.</summary>
    private static string[]? Words(string line) =>
        line.Length == 0 ? null : [.. WordChunker.Instance.Chunk(line).Where(w => !string.IsNullOrWhiteSpace(w))];

    /// <summary>Two lines are alike when both are empty, or when half their words are shared (Dice's coefficient at least 0.5).</summary>
    private static bool Similar(string[]? x, string[]? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        var others = new List<string>(y);
        var common = x.Count(others.Remove);
        return 4 * common >= x.Length + y.Length;
    }

    private static void DeletedRow(StringBuilder html, string line)
    {
        html.Append("<tr>\n  <td class=\"diff-marker\" data-marker=\"\u2212\"></td>\n  <td class=\"diff-deletedline diff-side-deleted\">");
        Line(html, line);
        html.Append("</td>\n  <td colspan=\"2\" class=\"diff-empty diff-side-added\"></td>\n</tr>\n");
    }

    private static void AddedRow(StringBuilder html, string line)
    {
        html.Append("<tr>\n  <td colspan=\"2\" class=\"diff-empty diff-side-deleted\"></td>\n  <td class=\"diff-marker\" data-marker=\"+\"></td>\n  <td class=\"diff-addedline diff-side-added\">");
        Line(html, line);
        html.Append("</td>\n</tr>\n");
    }

    private static void ContextRow(StringBuilder html, string line)
    {
        html.Append("<tr>\n  <td class=\"diff-marker\"></td>\n  <td class=\"diff-context diff-side-deleted\">");
        Line(html, line);
        html.Append("</td>\n  <td class=\"diff-marker\"></td>\n  <td class=\"diff-context diff-side-added\">");
        Line(html, line);
        html.Append("</td>\n</tr>\n");
    }

    /// <summary>A line as a cell's content: <c>&lt;div&gt;</c>-wrapped and escaped, or a line break when empty.</summary>
    private static void Line(StringBuilder html, string line)
    {
        if (line.Length == 0)
        {
            html.Append("<br />");
            return;
        }

        html.Append("<div>").Append(WebUtility.HtmlEncode(line)).Append("</div>");
    }

    /// <summary>A changed line beside what it became, the words that differ marked on each side.</summary>
    private static void ChangedRow(StringBuilder html, string oldLine, string newLine)
    {
        var words = Differ.Instance.CreateDiffs(oldLine, newLine, false, false, WordChunker.Instance);
        html.Append("<tr>\n  <td class=\"diff-marker\" data-marker=\"\u2212\"></td>\n  <td class=\"diff-deletedline diff-side-deleted\"><div>");
        Marked(html, words.PiecesOld, words.DiffBlocks.Select(d => (d.DeleteStartA, d.DeleteCountA)), "del");
        html.Append("</div></td>\n  <td class=\"diff-marker\" data-marker=\"+\"></td>\n  <td class=\"diff-addedline diff-side-added\"><div>");
        Marked(html, words.PiecesNew, words.DiffBlocks.Select(d => (d.InsertStartB, d.InsertCountB)), "ins");
        html.Append("</div></td>\n</tr>\n");
    }

    private static void Marked(StringBuilder html, IReadOnlyList<string> pieces, IEnumerable<(int Start, int Count)> changes, string tag)
    {
        var at = 0;
        foreach (var (start, count) in changes)
        {
            for (; at < start; at++)
            {
                html.Append(WebUtility.HtmlEncode(pieces[at]));
            }

            if (count == 0)
            {
                continue;
            }

            html.Append('<').Append(tag).Append(" class=\"diffchange diffchange-inline\">");
            for (; at < start + count; at++)
            {
                html.Append(WebUtility.HtmlEncode(pieces[at]));
            }

            html.Append("</").Append(tag).Append('>');
        }

        for (; at < pieces.Count; at++)
        {
            html.Append(WebUtility.HtmlEncode(pieces[at]));
        }
    }

    /// <summary>Lines split on <c>\n</c> only, as MediaWiki splits them (an empty text has no lines).</summary>
    internal sealed class LineChunker : IChunker
    {
        public static LineChunker Instance { get; } = new();

        public IReadOnlyList<string> Chunk(string text) => text.Length == 0 ? [] : text.Split('\n');
    }

    /// <summary>Words, runs of spaces and single other characters (WordLevelDiff's tokens), which together are the line.</summary>
    internal sealed partial class WordChunker : IChunker
    {
        public static WordChunker Instance { get; } = new();

        public IReadOnlyList<string> Chunk(string text) => [.. Token().Matches(text).Select(m => m.Value)];

        [GeneratedRegex(@"\w+|[ \t]+|.", RegexOptions.CultureInvariant)]
        private static partial Regex Token();
    }
}
