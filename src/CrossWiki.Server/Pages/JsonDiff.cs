using System.Text;
using System.Text.Json.Nodes;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The difference between two texts in wikidiff2's inline JSON format (wikidiff2_inline_json_diff with two
/// context lines, what rest.php's compare route answers): one object per line shown, <c>type</c> 0 context,
/// 1 added, 2 deleted, 3 changed; <c>lineNumber</c> in the new text (1-based; none for a deleted line);
/// <c>offset</c> the line's byte offset in each text (null in the text it is not in); a changed line's text
/// holds both versions' words, the differing ones marked by <c>highlightRanges</c> in bytes (type 0 added, 1
/// deleted). <see cref="LineDiff"/> finds the differences; moved paragraphs (types 4 and 5) are not detected.
/// </summary>
internal static class JsonDiff
{
    private const int Context = 0;
    private const int AddLine = 1;
    private const int DeleteLine = 2;
    private const int Change = 3;
    private const int HighlightAdd = 0;
    private const int HighlightDelete = 1;

    public static JsonArray Diff(string from, string to)
    {
        var diff = LineDiff.Compute(from, to);
        var oldOffsets = Offsets(diff.OldLines);
        var newOffsets = Offsets(diff.NewLines);
        var lines = new JsonArray();
        foreach (var row in diff.Hunks.SelectMany(h => h.Rows))
        {
            var o = new JsonObject();
            switch (row.Kind)
            {
                case LineDiff.Kind.Context:
                    Line(o, Context, row.New, diff.NewLines[row.New], oldOffsets[row.Old], newOffsets[row.New]);
                    break;
                case LineDiff.Kind.Added:
                    Line(o, AddLine, row.New, diff.NewLines[row.New], null, newOffsets[row.New]);
                    break;
                case LineDiff.Kind.Deleted:
                    Line(o, DeleteLine, null, diff.OldLines[row.Old], oldOffsets[row.Old], null);
                    break;
                default:
                    var (text, ranges) = Inline(diff.OldLines[row.Old], diff.NewLines[row.New]);
                    Line(o, Change, row.New, text, oldOffsets[row.Old], newOffsets[row.New]);
                    o["highlightRanges"] = ranges;
                    break;
            }

            lines.Add(o);
        }

        return lines;
    }

    private static void Line(JsonObject o, int type, int? index, string text, int? from, int? to)
    {
        o["type"] = type;
        if (index is { } i)
        {
            o["lineNumber"] = i + 1;
        }

        o["text"] = text;
        o["offset"] = new JsonObject { ["from"] = from, ["to"] = to };
    }

    /// <summary>The byte offset at which each line starts in its text (lines are separated by one <c>\n</c>).</summary>
    private static int[] Offsets(IReadOnlyList<string> lines)
    {
        var offsets = new int[lines.Count];
        for (var i = 1; i < lines.Count; i++)
        {
            offsets[i] = offsets[i - 1] + Encoding.UTF8.GetByteCount(lines[i - 1]) + 1;
        }

        return offsets;
    }

    /// <summary>A changed line as wikidiff2 writes it: the shared words, each deleted run then the run added in its place, with their byte ranges.</summary>
    private static (string Text, JsonArray Ranges) Inline(string oldLine, string newLine)
    {
        var words = LineDiff.Words(oldLine, newLine);
        var text = new StringBuilder();
        var ranges = new JsonArray();
        var bytes = 0;
        void Append(IReadOnlyList<string> pieces, int start, int count, int? highlight)
        {
            var at = bytes;
            for (var k = start; k < start + count; k++)
            {
                text.Append(pieces[k]);
                bytes += Encoding.UTF8.GetByteCount(pieces[k]);
            }

            if (highlight is { } type && count > 0)
            {
                ranges.Add(new JsonObject { ["start"] = at, ["length"] = bytes - at, ["type"] = type });
            }
        }

        var a = 0;
        foreach (var block in words.DiffBlocks)
        {
            Append(words.PiecesOld, a, block.DeleteStartA - a, null);
            Append(words.PiecesOld, block.DeleteStartA, block.DeleteCountA, HighlightDelete);
            Append(words.PiecesNew, block.InsertStartB, block.InsertCountB, HighlightAdd);
            a = block.DeleteStartA + block.DeleteCountA;
        }

        Append(words.PiecesOld, a, words.PiecesOld.Count - a, null);
        return (text.ToString(), ranges);
    }
}
