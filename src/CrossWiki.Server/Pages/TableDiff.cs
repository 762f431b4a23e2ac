using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The line-based difference between two texts in MediaWiki's diff table rows (the body of
/// <c>action=compare</c>, <c>rvdiffto</c> and the diff page): hunks headed "Line N:", two lines of context around
/// each change, changed lines paired in order with their changed words in <c>del</c>/<c>ins</c>. <see cref="LineDiff"/>
/// finds the differences; this class only lays them out.
/// </summary>
internal static class TableDiff
{
    /// <summary>The diff rows, or an empty string when the texts are the same.</summary>
    public static string Render(string from, string to)
    {
        if (from == to)
        {
            return "";
        }

        var diff = LineDiff.Compute(from, to);
        var html = new StringBuilder();
        foreach (var hunk in diff.Hunks)
        {
            html.Append("<tr>\n  <td colspan=\"2\" class=\"diff-lineno\">Line ").Append(hunk.OldStart + 1).Append(":</td>\n  <td colspan=\"2\" class=\"diff-lineno\">Line ")
                .Append(hunk.NewStart + 1).Append(":</td>\n</tr>\n");
            foreach (var row in hunk.Rows)
            {
                switch (row.Kind)
                {
                    case LineDiff.Kind.Context:
                        ContextRow(html, diff.OldLines[row.Old]);
                        break;
                    case LineDiff.Kind.Deleted:
                        DeletedRow(html, diff.OldLines[row.Old]);
                        break;
                    case LineDiff.Kind.Added:
                        AddedRow(html, diff.NewLines[row.New]);
                        break;
                    default:
                        ChangedRow(html, diff.OldLines[row.Old], diff.NewLines[row.New]);
                        break;
                }
            }
        }

        return html.ToString();
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
        var words = LineDiff.Words(oldLine, newLine);
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
}
