using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    /// <summary>The state of one open table of MediaWiki's doTableStuff: whether a cell and a row are open, and the row's attributes.</summary>
    private sealed class OpenTable(int indent)
    {
        public int Indent { get; } = indent;

        public bool InCell { get; set; }

        public string CellTag { get; set; } = string.Empty;

        public bool InRow { get; set; }

        public bool HadRow { get; set; }

        public string RowAttributes { get; set; } = string.Empty;

        // The HTML parser puts the rows in a <tbody> (MediaWiki's output is tidied by RemexHtml).
        public bool InBody { get; set; }
    }

    private sealed partial class Renderer
    {
        // Table syntax ({| |+ |- | || ! !! |}) becomes the tags of the table, as strip markers, line by line as
        // MediaWiki's doTableStuff writes them; cell contents stay wikitext for the passes after it.
        private string TableStuff(string text)
        {
            if (!text.Contains("{|", StringComparison.Ordinal))
            {
                return text;
            }

            var output = new StringBuilder(text.Length + 256);
            var tables = new List<OpenTable>();
            int lineStart = 0;
            while (lineStart <= text.Length)
            {
                int lineEnd = text.IndexOf('\n', lineStart);
                if (lineEnd < 0)
                {
                    lineEnd = text.Length;
                }

                string outLine = text[lineStart..lineEnd];
                TableLine(outLine, tables, output);
                output.Append('\n');
                lineStart = lineEnd + 1;
            }

            while (tables.Count > 0)
            {
                OpenTable table = tables[^1];
                tables.RemoveAt(tables.Count - 1);
                if (table.InCell)
                {
                    output.Append(Tag("</" + table.CellTag + ">")).Append('\n');
                }

                if (table.InRow)
                {
                    output.Append(Tag("</tr>")).Append('\n');
                }

                if (!table.HadRow)
                {
                    output.Append(Tag(Body(table) + "<tr>")).Append(Tag("<td>")).Append(Tag("</td>")).Append(Tag("</tr>")).Append('\n');
                }

                output.Append(Tag(table.InBody ? "</tbody></table>" : "</table>"));

                // A table in a list item left open: the tidier closes the item and the list too.
                for (int k = 0; k < table.Indent; k++)
                {
                    output.Append(Tag("</dd>")).Append(Tag("</dl>"));
                }

                output.Append('\n');
            }

            output.Length--;
            return output.ToString();
        }

        private void TableLine(string outLine, List<OpenTable> tables, StringBuilder output)
        {
            string line = outLine.Trim();
            if (line.Length == 0)
            {
                output.Append(outLine);
                return;
            }

            int colons = 0;
            while (colons < line.Length && line[colons] == ':')
            {
                colons++;
            }

            int brace = colons;
            while (brace < line.Length && char.IsWhiteSpace(line[brace]))
            {
                brace++;
            }

            if (line.AsSpan(brace).StartsWith("{|", StringComparison.Ordinal))
            {
                for (int k = 0; k < colons; k++)
                {
                    output.Append(Tag("<dl>")).Append(Tag("<dd>"));
                }

                output.Append(Tag("<table" + Sanitizer.FixTagAttributes(line[(brace + 2)..], "table") + ">"));
                tables.Add(new OpenTable(colons));
                return;
            }

            if (tables.Count == 0)
            {
                output.Append(outLine);
                return;
            }

            OpenTable table = tables[^1];
            if (line.StartsWith("|}", StringComparison.Ordinal))
            {
                tables.RemoveAt(tables.Count - 1);
                if (table.InCell)
                {
                    output.Append(Tag("</" + table.CellTag + ">"));
                }

                if (table.InRow)
                {
                    output.Append(Tag("</tr>"));
                }

                if (!table.HadRow)
                {
                    output.Append(Tag(Body(table) + "<tr>")).Append(Tag("<td>")).Append(Tag("</td>")).Append(Tag("</tr>"));
                }

                output.Append(Tag(table.InBody ? "</tbody></table>" : "</table>"));
                string rest = line[2..];
                if (table.Indent > 0)
                {
                    output.Append(rest.TrimEnd());
                    for (int k = 0; k < table.Indent; k++)
                    {
                        output.Append(Tag("</dd>")).Append(Tag("</dl>"));
                    }
                }
                else
                {
                    output.Append(rest);
                }

                return;
            }

            if (line.StartsWith("|-", StringComparison.Ordinal))
            {
                int dashes = 1;
                while (dashes < line.Length && line[dashes] == '-')
                {
                    dashes++;
                }

                table.RowAttributes = Sanitizer.FixTagAttributes(line[dashes..], "tr");
                table.HadRow = true;
                if (table.InCell)
                {
                    output.Append(Tag("</" + table.CellTag + ">"));
                }

                if (table.InRow)
                {
                    output.Append(Tag("</tr>"));
                }

                table.InRow = false;
                table.InCell = false;
                table.CellTag = string.Empty;
                return;
            }

            char first = line[0];
            if (first is not ('|' or '!'))
            {
                output.Append(outLine);
                return;
            }

            bool caption = line.StartsWith("|+", StringComparison.Ordinal);
            string cellsText = line[(caption ? 2 : 1)..];
            if (first == '!')
            {
                cellsText = cellsText.Replace("!!", "||", StringComparison.Ordinal);
            }

            string tag = caption ? "caption" : first == '!' ? "th" : "td";
            foreach (string cell in cellsText.Split("||"))
            {
                var previous = new StringBuilder();
                if (table.InCell)
                {
                    previous.Append(Tag("</" + table.CellTag + ">")).Append('\n');
                }

                if (!caption)
                {
                    if (!table.InRow)
                    {
                        previous.Append(Tag(Body(table) + "<tr" + table.RowAttributes + ">")).Append('\n');
                    }

                    table.InRow = true;
                    table.RowAttributes = string.Empty;
                    table.HadRow = true;
                }

                table.CellTag = tag;
                table.InCell = true;
                output.Append(previous);

                // "attributes | content", unless the first "|" is inside a link (T2553).
                int pipe = cell.IndexOf('|', StringComparison.Ordinal);
                if (pipe < 0 || cell.AsSpan(0, pipe).IndexOf("[[", StringComparison.Ordinal) >= 0 || cell.AsSpan(0, pipe).IndexOf("-{", StringComparison.Ordinal) >= 0)
                {
                    output.Append(Tag("<" + tag + ">")).Append(cell.Trim());
                }
                else
                {
                    output.Append(Tag("<" + tag + Sanitizer.FixTagAttributes(cell[..pipe], tag) + ">")).Append(cell[(pipe + 1)..].Trim());
                }
            }
        }

        private static string Body(OpenTable table)
        {
            if (table.InBody)
            {
                return string.Empty;
            }

            table.InBody = true;
            return "<tbody>";
        }

        // A table tag as a strip marker, with what BlockLevelPass would see in it.
        private string Tag(string html)
        {
            // "<tbody><tr>" and "</tbody></table>" are seen as their last tag.
            int last = html.LastIndexOf('<');
            bool closing = html[last + 1] == '/';
            int nameStart = last + (closing ? 2 : 1);
            int nameEnd = html.AsSpan(nameStart).IndexOfAny(' ', '>') + nameStart;
            return AddAtom(html, isBlock: false, Matches(html[nameStart..nameEnd], closing));
        }
    }
}
