using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

public sealed class TableDiffTests
{
    [Fact]
    public void Render_SameText_Empty() => Assert.Equal("", TableDiff.Render("a\nb", "a\nb"));

    [Fact]
    public void Render_ChangedWordAndAddedLine_MediaWikisRowsWithInlineMarks()
    {
        var html = TableDiff.Render("== Head ==\nold <word> here", "== Head ==\nnew <word> here\nadded");

        Assert.Equal(
            "<tr>\n  <td colspan=\"2\" class=\"diff-lineno\">Line 1:</td>\n  <td colspan=\"2\" class=\"diff-lineno\">Line 1:</td>\n</tr>\n"
            + "<tr>\n  <td class=\"diff-marker\"></td>\n  <td class=\"diff-context diff-side-deleted\"><div>== Head ==</div></td>\n  <td class=\"diff-marker\"></td>\n  <td class=\"diff-context diff-side-added\"><div>== Head ==</div></td>\n</tr>\n"
            + "<tr>\n  <td class=\"diff-marker\" data-marker=\"\u2212\"></td>\n  <td class=\"diff-deletedline diff-side-deleted\"><div><del class=\"diffchange diffchange-inline\">old</del> &lt;word&gt; here</div></td>\n"
            + "  <td class=\"diff-marker\" data-marker=\"+\"></td>\n  <td class=\"diff-addedline diff-side-added\"><div><ins class=\"diffchange diffchange-inline\">new</ins> &lt;word&gt; here</div></td>\n</tr>\n"
            + "<tr>\n  <td colspan=\"2\" class=\"diff-empty diff-side-deleted\"></td>\n  <td class=\"diff-marker\" data-marker=\"+\"></td>\n  <td class=\"diff-addedline diff-side-added\"><div>added</div></td>\n</tr>\n",
            html);
    }

    [Fact]
    public void Render_ChangesFarApart_TwoHunksWithTwoLinesOfContextAndLineNumbers()
    {
        var lines = Enumerable.Range(1, 20).Select(i => "line " + i).ToArray();
        var changed = (string[])lines.Clone();
        changed[1] = "second";
        changed[15] = "sixteenth";

        var html = TableDiff.Render(string.Join('\n', lines), string.Join('\n', changed));

        Assert.Contains("class=\"diff-lineno\">Line 1:</td>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"diff-lineno\">Line 14:</td>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("diff-lineno\">Line").Length / 2);
        Assert.Contains("<div>line 14</div>", html, StringComparison.Ordinal);
        Assert.Contains("<div>line 18</div>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>line 13</div>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>line 19</div>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>line 5</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ChangesFourLinesApart_OneHunkWithTheLinesBetween()
    {
        var html = TableDiff.Render("a\n1\n2\n3\n4\nb", "A\n1\n2\n3\n4\nB");

        // One header (two cells) for both changes.
        Assert.Equal(2, html.Split("diff-lineno").Length - 1);
        Assert.Contains("<div>3</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FromEmpty_EveryLineAdded()
    {
        var html = TableDiff.Render("", "one\n\ntwo");

        Assert.Equal(3, html.Split("diff-addedline").Length - 1);
        Assert.Contains("<br />", html, StringComparison.Ordinal);
        Assert.DoesNotContain("diff-deletedline", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ParagraphAddedAfterAnEditedOne_EditedLinesPairedAcrossTheBlankLine()
    {
        var html = TableDiff.Render("The quick fox.\n\nSecond paragraph.", "The quick brown fox.\n\nSecond paragraph, longer.\n\nA third.");

        Assert.Contains("<ins class=\"diffchange diffchange-inline\">, longer</ins>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"diff-addedline diff-side-added\"><div>A third.</div></td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<del", html.Split("Second paragraph")[0].Split("brown")[1], StringComparison.Ordinal);
    }
}
