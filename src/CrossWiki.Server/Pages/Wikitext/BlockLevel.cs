using System.Globalization;
using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        private void ProcessLine(string line)
        {
            if (TryParseHeading(line, out int level, out string inner))
            {
                LeaveList(appendNewline: true);
                _paragraphStack = null;
                _output.Append(CloseParagraph());
                _output.Append(RenderHeading(level, inner)).Append('\n');
                return;
            }

            if (line.StartsWith("----", StringComparison.Ordinal))
            {
                int dashes = 0;
                while (dashes < line.Length && line[dashes] == '-')
                {
                    dashes++;
                }

                LeaveList(appendNewline: true);
                _paragraphStack = null;
                _output.Append(CloseParagraph());
                _output.Append("<hr />");
                ApplyQuotes(Tokenize(line[dashes..], allowLinks: true), _output);
                _output.Append('\n');
                return;
            }

            int prefixLength = 0;
            while (prefixLength < line.Length && line[prefixLength] is '*' or '#' or ':' or ';')
            {
                prefixLength++;
            }

            if (prefixLength > 0)
            {
                ProcessListLine(line, prefixLength);
                return;
            }

            LeaveList(appendNewline: true);

            // BlockLevelPass: a line with a block tag is written as it is, outside paragraphs; after an opening
            // one (<table>, <ul>, <tr>, ...) the lines stay outside paragraphs until a closing one (</table>, <td>, <div>, ...).
            BlockMatch match = LineMatch(line);
            if (match != BlockMatch.None)
            {
                _paragraphStack = null;
                _output.Append(CloseParagraph());
                _inBlockElement = (match & BlockMatch.Close) == 0;
                ApplyQuotes(Tokenize(line, allowLinks: true), _output);
                _output.Append('\n');
                return;
            }

            if (_inBlockElement)
            {
                ApplyQuotes(Tokenize(line, allowLinks: true), _output);
                _output.Append('\n');
                return;
            }

            // A leading space starts preformatted text, but a whitespace-only line only continues an open block.
            if (line.Length > 0 && line[0] == ' ' && (_lastParagraph == "pre" || !IsBlank(line)))
            {
                if (_lastParagraph != "pre")
                {
                    _paragraphStack = null;
                    _output.Append(CloseParagraph()).Append("<pre>");
                    _lastParagraph = "pre";
                }

                ApplyQuotes(Tokenize(line[1..], allowLinks: true), _output);
                _output.Append('\n');
                return;
            }

            ProcessTextLine(line);
        }

        private BlockMatch LineMatch(string line)
        {
            BlockMatch match = BlockMatch.None;
            int at = line.IndexOf(Marker);
            while (at >= 0)
            {
                if (TryGetAtom(line, at, out Atom atom, out int next))
                {
                    match |= atom.Match;
                    at = line.IndexOf(Marker, next);
                }
                else
                {
                    at = line.IndexOf(Marker, at + 1);
                }
            }

            return match;
        }

        // Mirrors the paragraph state machine of MediaWiki's BlockLevelPass: one blank line separates paragraphs,
        // each further blank line adds a <br />.
        private void ProcessTextLine(string line)
        {
            if (IsBlank(line))
            {
                if (_paragraphStack is not null)
                {
                    _output.Append(_paragraphStack).Append("<br />\n");
                    _paragraphStack = null;
                    _lastParagraph = "p";
                }
                else if (_lastParagraph != "p")
                {
                    _output.Append(CloseParagraph());
                    _paragraphStack = "<p>";
                }
                else
                {
                    _paragraphStack = "</p><p>";
                }

                return;
            }

            List<Piece> pieces = Tokenize(line, allowLinks: true);

            // A line holding only category links vanishes: categories render in the page footer, not inline.
            if (IsOnlyCategoryLinks(pieces))
            {
                return;
            }

            if (_paragraphStack is not null)
            {
                _output.Append(_paragraphStack);
                _paragraphStack = null;
                _lastParagraph = "p";
            }
            else if (_lastParagraph != "p")
            {
                _output.Append(CloseParagraph()).Append("<p>");
                _lastParagraph = "p";
            }

            ApplyQuotes(pieces, _output);
            _output.Append('\n');
        }

        private string CloseParagraph()
        {
            if (_lastParagraph.Length == 0)
            {
                return string.Empty;
            }

            string result = "</" + _lastParagraph + ">\n";
            _lastParagraph = string.Empty;
            return result;
        }

        private void ProcessListLine(string line, int prefixLength)
        {
            string prefix = line[..prefixLength];
            string content = line[prefixLength..];

            // ";" and ":" share one <dl>, so the remembered prefix treats them alike.
            string normalizedPrefix = prefix.Replace(';', ':');
            _paragraphStack = null;

            if (normalizedPrefix == _lastPrefix)
            {
                _output.Append(NextItem(prefix[^1]));
                if (prefix[^1] == ';' && TrySplitTerm(content, out string term, out string definition))
                {
                    _output.Append(RenderInline(term.Trim(), allowLinks: true)).Append(NextItem(':'));
                    content = definition;
                }
            }
            else
            {
                string previous = _lastPrefix;
                int common = 0;
                while (common < prefix.Length && common < previous.Length && prefix[common] == previous[common])
                {
                    common++;
                }

                for (int open = previous.Length; open > common; open--)
                {
                    _output.Append(CloseList(previous[open - 1]));
                }

                if (prefixLength <= common && common > 0)
                {
                    _output.Append(NextItem(prefix[common - 1]));
                }

                if (previous.Length > 0 && prefixLength > common)
                {
                    _output.Append('\n');
                }

                for (; common < prefixLength; common++)
                {
                    char c = prefix[common];
                    _output.Append(OpenList(c));
                    if (c == ';' && TrySplitTerm(content, out string term, out string definition))
                    {
                        _output.Append(RenderInline(term.Trim(), allowLinks: true)).Append(NextItem(':'));
                        content = definition;
                    }
                }

                _lastPrefix = normalizedPrefix;
            }

            ApplyQuotes(Tokenize(content.Trim(), allowLinks: true), _output);
        }

        private void LeaveList(bool appendNewline)
        {
            if (_lastPrefix.Length == 0)
            {
                return;
            }

            for (int i = _lastPrefix.Length - 1; i >= 0; i--)
            {
                _output.Append(CloseList(_lastPrefix[i]));
            }

            _lastPrefix = string.Empty;
            if (appendNewline)
            {
                _output.Append('\n');
            }
        }

        // MediaWiki tracks a single "<dt> open" flag and can emit mismatched </dt>/</dd> for ";:" prefixes
        // (its HTML tidier repairs them); tracking the open item per level keeps the output well-formed.
        private string OpenList(char c)
        {
            (string list, string item) = c switch
            {
                '*' => ("ul", "li"),
                '#' => ("ol", "li"),
                ':' => ("dl", "dd"),
                _ => ("dl", "dt"),
            };
            _openItems.Add(item);
            return CloseParagraph() + "<" + list + "><" + item + ">";
        }

        private string NextItem(char c)
        {
            string item = c switch
            {
                '*' or '#' => "li",
                ';' => "dt",
                _ => "dd",
            };
            string closing = _openItems.Count > 0 ? _openItems[^1] : item;
            if (_openItems.Count > 0)
            {
                _openItems[^1] = item;
            }

            return "</" + closing + ">\n<" + item + ">";
        }

        private string CloseList(char c)
        {
            string list = c switch
            {
                '*' => "ul",
                '#' => "ol",
                _ => "dl",
            };
            string item = _openItems.Count > 0 ? _openItems[^1] : "li";
            if (_openItems.Count > 0)
            {
                _openItems.RemoveAt(_openItems.Count - 1);
            }

            return "</" + item + "></" + list + ">";
        }

        // "; term : definition" splits at the first colon outside link brackets and not starting "://".
        private static bool TrySplitTerm(string content, out string term, out string definition)
        {
            int depth = 0;
            for (int i = 0; i < content.Length; i++)
            {
                char c = content[i];
                if (c == '[')
                {
                    depth++;
                }
                else if (c == ']')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (c == ':' && depth == 0 && !content.AsSpan(i).StartsWith("://", StringComparison.Ordinal))
                {
                    term = content[..i];
                    definition = content[(i + 1)..];
                    return true;
                }
            }

            term = content;
            definition = string.Empty;
            return false;
        }

        // The heading regex is ^(={1,6})(.+)\1\s*$: the level is the longest run that also closes the line.
        private static bool TryParseHeading(string line, out int level, out string inner)
        {
            string s = line.TrimEnd(' ', '\t');
            int leading = 0;
            while (leading < s.Length && s[leading] == '=')
            {
                leading++;
            }

            for (int n = Math.Min(6, leading); n >= 1; n--)
            {
                if (s.Length >= (2 * n) + 1 && s.AsSpan(s.Length - n).IndexOfAnyExcept('=') < 0)
                {
                    level = n;
                    inner = s.Substring(n, s.Length - (2 * n));
                    return true;
                }
            }

            level = 0;
            inner = string.Empty;
            return false;
        }

        // $wgFragmentMode 'html5': the id is the heading's plain text with whitespace runs turned into underscores.
        private static string AnchorFromHtml(string html)
        {
            string decoded = WebUtility.HtmlDecode(StripTags(html));
            var id = new StringBuilder(decoded.Length);
            bool pending = false;
            foreach (char c in decoded)
            {
                if (c == '_' || char.IsWhiteSpace(c))
                {
                    pending = id.Length > 0;
                    continue;
                }

                if (pending)
                {
                    id.Append('_');
                    pending = false;
                }

                id.Append(c);
            }

            return id.ToString();
        }

        // Repeated headings get "_2", "_3", ... so every anchor stays unique, as in MediaWiki.
        private string UniqueId(string id)
        {
            if (_usedIds.Add(id))
            {
                return id;
            }

            for (int n = _nextIdSuffix.GetValueOrDefault(id, 2); ; n++)
            {
                string candidate = id + "_" + n.ToString(CultureInfo.InvariantCulture);
                if (_usedIds.Add(candidate))
                {
                    _nextIdSuffix[id] = n + 1;
                    return candidate;
                }
            }
        }
    }
}
