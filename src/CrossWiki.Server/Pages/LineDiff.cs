using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Model;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The line-by-line difference of two texts that MediaWiki's diff formats lay out (the diff table rows of
/// <see cref="TableDiff"/>, wikidiff2's JSON of <see cref="JsonDiff"/>): hunks of changes with two lines of
/// context around each, changed lines paired with what they became. DiffPlex finds the differences.
/// </summary>
internal static partial class LineDiff
{
    /// <summary>Unchanged lines shown before and after a change (DiffFormatter's leading and trailing context, wikidiff2's numContextLines).</summary>
    private const int Context = 2;

    internal enum Kind
    {
        /// <summary>The same line in both texts.</summary>
        Context,

        /// <summary>A line of the old text only.</summary>
        Deleted,

        /// <summary>A line of the new text only.</summary>
        Added,

        /// <summary>A line of the old text edited into a line of the new one.</summary>
        Changed,
    }

    /// <summary>One line of a hunk: its index in the old and in the new text (for an added or deleted line, where it would be in the other).</summary>
    internal readonly record struct Row(Kind Kind, int Old, int New);

    /// <summary>Changes close enough to share their context, from line <see cref="OldStart"/> / <see cref="NewStart"/> (0-based) on.</summary>
    internal sealed record Hunk(int OldStart, int NewStart, List<Row> Rows);

    internal sealed record Result(IReadOnlyList<string> OldLines, IReadOnlyList<string> NewLines, List<Hunk> Hunks);

    /// <summary>The hunks of the difference, none when the texts are the same.</summary>
    public static Result Compute(string from, string to)
    {
        var diff = Differ.Instance.CreateDiffs(from, to, false, false, LineChunker.Instance);
        var oldLines = diff.PiecesOld;
        var newLines = diff.PiecesNew;
        var hunks = new List<Hunk>();
        foreach (var (hunkStart, newStart, blocks, hunkEnd) in Hunks(JoinAcrossBlankLines(diff.DiffBlocks, oldLines), oldLines.Count))
        {
            var rows = new List<Row>();
            var a = hunkStart;
            var b = newStart;
            foreach (var block in blocks)
            {
                for (; a < block.DeleteStartA; a++, b++)
                {
                    rows.Add(new Row(Kind.Context, a, b));
                }

                var pairs = Pair(oldLines, a, block.DeleteCountA, newLines, b, block.InsertCountB);
                var (i, j) = (0, 0);
                foreach (var (pi, pj) in pairs.Append((block.DeleteCountA, block.InsertCountB)))
                {
                    for (; i < pi; i++)
                    {
                        rows.Add(new Row(Kind.Deleted, a + i, b + j));
                    }

                    for (; j < pj; j++)
                    {
                        rows.Add(new Row(Kind.Added, a + i, b + j));
                    }

                    if (pi < block.DeleteCountA)
                    {
                        rows.Add(new Row(oldLines[a + pi] == newLines[b + pj] ? Kind.Context : Kind.Changed, a + pi, b + pj));
                        (i, j) = (pi + 1, pj + 1);
                    }
                }

                a += block.DeleteCountA;
                b += block.InsertCountB;
            }

            for (; a < hunkEnd; a++, b++)
            {
                rows.Add(new Row(Kind.Context, a, b));
            }

            hunks.Add(new Hunk(hunkStart, newStart, rows));
        }

        return new Result(oldLines, newLines, hunks);
    }

    /// <summary>The word-level difference of a changed line (WordLevelDiff's tokens).</summary>
    public static DiffResult Words(string oldLine, string newLine) =>
        Differ.Instance.CreateDiffs(oldLine, newLine, false, false, WordChunker.Instance);

    /// <summary>Changes at most leading + trailing context lines apart share a hunk: its first old and new line, its changes, its end in the old text.</summary>
    private static List<(int OldStart, int NewStart, List<DiffBlock> Blocks, int OldEnd)> Hunks(IList<DiffBlock> blocks, int oldCount)
    {
        var hunks = new List<(int OldStart, int NewStart, List<DiffBlock> Blocks, int OldEnd)>();
        foreach (var block in blocks)
        {
            var start = Math.Max(0, block.DeleteStartA - Context);
            if (hunks.Count == 0 || start > hunks[^1].OldEnd)
            {
                hunks.Add((start, block.InsertStartB - (block.DeleteStartA - start), [], 0));
            }

            hunks[^1].Blocks.Add(block);
            hunks[^1] = hunks[^1] with { OldEnd = Math.Min(oldCount, block.DeleteStartA + block.DeleteCountA + Context) };
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
        var oldWords = Enumerable.Range(a, deleted).Select(k => WordsOf(oldLines[k])).ToArray();
        var newWords = Enumerable.Range(b, inserted).Select(k => WordsOf(newLines[k])).ToArray();
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
    private static string[]? WordsOf(string line) =>
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
