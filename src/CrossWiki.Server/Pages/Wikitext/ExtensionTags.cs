using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        private bool TryGetBlockAtom(string line, out string? html)
        {
            string trimmed = line.Trim(' ', '\t');
            html = null;
            if (trimmed.Length < 3 || trimmed[0] != Marker || trimmed[^1] != Marker
                || trimmed.AsSpan(1, trimmed.Length - 2).IndexOf(Marker) >= 0)
            {
                return false;
            }

            if (!TryGetAtom(trimmed, 0, out Atom atom, out _) || !atom.IsBlock)
            {
                return false;
            }

            html = atom.Html;
            return true;
        }

        private bool TryGetAtom(string s, int start, out Atom atom, out int next)
        {
            int end = s.IndexOf(Marker, start + 1);
            if (end > start + 1
                && int.TryParse(s.AsSpan(start + 1, end - start - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                && index < _atoms.Count)
            {
                atom = _atoms[index];
                next = end + 1;
                return true;
            }

            atom = default;
            next = start + 1;
            return false;
        }

        private string AddAtom(string html, bool isBlock)
        {
            _atoms.Add(new Atom(html, isBlock));
            return Marker + (_atoms.Count - 1).ToString(CultureInfo.InvariantCulture) + Marker;
        }

        // Comments, <nowiki> and <pre> are found in one left-to-right pass, as MediaWiki's preprocessor does,
        // so a comment inside <nowiki> is shown and a tag inside a comment is dropped.
        private string ExtractProtectedSections(string text)
        {
            // Comments and tags all start with "<": a text without one is left as it is, not copied.
            if (!text.Contains('<', StringComparison.Ordinal))
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            int i = 0;
            while (i < text.Length)
            {
                if (text[i] == '<')
                {
                    if (text.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
                    {
                        i = SkipComment(text, i, sb);
                        continue;
                    }

                    if (TryExtractTag(text, i, "nowiki", sb, out int afterNowiki)
                        || TryExtractTag(text, i, "pre", sb, out afterNowiki))
                    {
                        i = afterNowiki;
                        continue;
                    }
                }

                sb.Append(text[i]);
                i++;
            }

            return sb.ToString();
        }

        // A comment alone on its line takes the line's newline with it, so it leaves no blank line behind.
        private static int SkipComment(string text, int start, StringBuilder sb)
        {
            int close = text.IndexOf("-->", start + 4, StringComparison.Ordinal);
            int end = close < 0 ? text.Length : close + 3;

            int lineStart = start;
            while (lineStart > 0 && text[lineStart - 1] is ' ' or '\t')
            {
                lineStart--;
            }

            int lineEnd = end;
            while (lineEnd < text.Length && text[lineEnd] is ' ' or '\t')
            {
                lineEnd++;
            }

            bool ownLine = (lineStart == 0 || text[lineStart - 1] == '\n')
                && lineEnd < text.Length && text[lineEnd] == '\n'
                && sb.Length >= start - lineStart;
            if (ownLine)
            {
                sb.Length -= start - lineStart;
                return lineEnd + 1;
            }

            return end;
        }

        private bool TryExtractTag(string text, int start, string name, StringBuilder sb, out int next)
        {
            next = start;
            if (!TryMatchOpenTag(text, start, name, out int contentStart, out bool selfClosing))
            {
                return false;
            }

            if (selfClosing)
            {
                sb.Append(AddAtom(string.Empty, isBlock: false));
                next = contentStart;
                return true;
            }

            if (!FindCloseTagCached(text, contentStart, name, out int closeStart, out int closeEnd))
            {
                return false;
            }

            string content = text[contentStart..closeStart];
            if (name == "pre")
            {
                // <pre> behaves like <nowiki> with the formatting kept; nowiki tags inside it are dropped.
                content = RemoveNowikiTags(content);
                sb.Append(AddAtom("<pre>" + HtmlEscaper.Text(content) + "</pre>", isBlock: true));
            }
            else
            {
                sb.Append(AddAtom(HtmlEscaper.Text(content), isBlock: false));
            }

            next = closeEnd;
            return true;
        }

        // Reuses the previous search for the same tag so many unclosed opening tags do not rescan the text.
        private bool FindCloseTagCached(string text, int from, string name, out int closeStart, out int closeEnd)
        {
            if (_closeTagSearch.TryGetValue(name, out var last) && last.From <= from && (last.Start < 0 || from <= last.Start))
            {
                closeStart = last.Start;
                closeEnd = last.End;
                return closeStart >= 0;
            }

            bool found = TryFindCloseTag(text, from, name, out closeStart, out closeEnd);
            _closeTagSearch[name] = (from, closeStart, closeEnd);
            return found;
        }

        private static bool TryMatchOpenTag(string text, int start, string name, out int end, out bool selfClosing)
        {
            end = start;
            selfClosing = false;
            int i = start + 1;
            if (i + name.Length > text.Length || !text.AsSpan(i, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            i += name.Length;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == '>')
            {
                end = i + 1;
                return true;
            }

            if (i + 1 < text.Length && text[i] == '/' && text[i + 1] == '>')
            {
                end = i + 2;
                selfClosing = true;
                return true;
            }

            return false;
        }

        private static bool TryFindCloseTag(string text, int from, string name, out int closeStart, out int closeEnd)
        {
            int i = from;
            while ((i = text.IndexOf("</", i, StringComparison.Ordinal)) >= 0)
            {
                int j = i + 2;
                if (j + name.Length <= text.Length && text.AsSpan(j, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    j += name.Length;
                    while (j < text.Length && char.IsWhiteSpace(text[j]))
                    {
                        j++;
                    }

                    if (j < text.Length && text[j] == '>')
                    {
                        closeStart = i;
                        closeEnd = j + 1;
                        return true;
                    }
                }

                i += 2;
            }

            closeStart = closeEnd = -1;
            return false;
        }

        private static string RemoveNowikiTags(string content)
        {
            var sb = new StringBuilder(content.Length);
            int i = 0;
            while (i < content.Length)
            {
                if (content[i] == '<')
                {
                    if (TryMatchOpenTag(content, i, "nowiki", out int end, out _))
                    {
                        i = end;
                        continue;
                    }

                    if (i + 1 < content.Length && content[i + 1] == '/'
                        && TryMatchOpenTag(content, i + 1, "nowiki", out end, out bool selfClosing) && !selfClosing)
                    {
                        i = end;
                        continue;
                    }
                }

                sb.Append(content[i]);
                i++;
            }

            return sb.ToString();
        }
    }
}
