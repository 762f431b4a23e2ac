using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

internal sealed record WikitextContext(
    NamespaceTable Namespaces,
    Func<Title, bool> PageExists,
    string ArticlePath,
    string ScriptPath);

internal static class WikitextRenderer
{
    /// <summary>Renders wikitext, asking <see cref="WikitextContext.PageExists"/> once per distinct link target.</summary>
    public static string Render(string wikitext, WikitextContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        LinkHolders holders = RenderWithHolders(wikitext, ctx.Namespaces, ctx.ArticlePath, ctx.ScriptPath);
        return holders.Fill([.. holders.Targets.Select(t => ctx.PageExists(Title.Create(ctx.Namespaces, t.Namespace, t.DbKey)))]);
    }

    /// <summary>Renders wikitext with its internal links left as holders, to be filled once their targets are looked up.</summary>
    public static LinkHolders RenderWithHolders(string wikitext, NamespaceTable namespaces, string articlePath, string scriptPath)
    {
        ArgumentNullException.ThrowIfNull(wikitext);
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(articlePath);
        ArgumentNullException.ThrowIfNull(scriptPath);
        var renderer = new Renderer(namespaces);
        string body = renderer.Run(wikitext);
        return new LinkHolders(body, renderer.Targets, renderer.Holders, namespaces, articlePath, scriptPath)
        {
            Categories = renderer.Categories,
            Images = renderer.Images,
            ExternalLinks = renderer.ExternalLinks,
            Switches = renderer.Switches,
        };
    }

    private enum PieceKind
    {
        Text,
        Html,
        Quote,
        Category,

        // An internal link: its label's HTML, and the holder its opening tag waits in (LinkHolders).
        Link,

        // An embedded file: the holder its opening HTML waits in (it needs the file's size), then its caption's HTML and closing tags.
        Image,
    }

    private enum QuoteState
    {
        None,
        Bold,
        Italic,
        BoldItalic,
        ItalicBold,
        Both,
    }

    private readonly record struct Piece(PieceKind Kind, string Value, int Holder = -1)
    {
        public static Piece Text(string value) => new(PieceKind.Text, value);

        public static Piece Html(string value) => new(PieceKind.Html, value);
    }

    private readonly record struct Atom(string Html, bool IsBlock);

    private sealed class Renderer(NamespaceTable namespaces)
    {
        // Like MediaWiki's strip markers, protected sections are replaced by DEL-delimited placeholders;
        // DEL is removed from the input first so user text can never forge one. Link holders use it too.
        private const char Marker = LinkHolders.Marker;

        private static readonly string[] Protocols = ["http://", "https://", "mailto:"];

        // Where a token may start: a strip marker, a link's "[", or the first letter of a free link's protocol.
        private static readonly SearchValues<char> LinkTokenStarts = SearchValues.Create("\u007F[hHmM");
        private static readonly SearchValues<char> AtomStarts = SearchValues.Create("\u007F");

        private readonly List<Atom> _atoms = [];
        private readonly HashSet<string> _usedIds = new(StringComparer.OrdinalIgnoreCase);
        private readonly StringBuilder _output = new();
        private int _autoNumber;
        private string _lastParagraph = string.Empty;
        private string? _paragraphStack;
        private readonly List<string> _openItems = [];
        private readonly Dictionary<string, int> _nextIdSuffix = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (int From, int Start, int End)> _closeTagSearch = new(StringComparer.Ordinal);
        private string? _labelScanSource;
        private int _labelScanFrom;
        private int _labelScanStop;
        private string _lastPrefix = string.Empty;
        private readonly Dictionary<(int Namespace, string DbKey), int> _targetIndex = [];

        public List<(int Namespace, string DbKey)> Targets { get; } = [];

        public List<LinkHolders.Holder> Holders { get; } = [];

        /// <summary>Category links: the category's key and the sort key prefix (the link's label), in text order.</summary>
        public List<(string Category, string SortKeyPrefix)> Categories { get; } = [];

        /// <summary>Keys of the files linked or embedded (File: and Media: links), in text order.</summary>
        public List<string> Images { get; } = [];

        /// <summary>External links' URLs, in text order.</summary>
        public List<string> ExternalLinks { get; } = [];

        /// <summary>The page properties of the behaviour switches the text has (<see cref="BehaviorSwitches"/>).</summary>
        public List<string> Switches { get; } = [];

        public string Run(string wikitext)
        {
            string text = wikitext
                .Replace("\r\n", "\n", StringComparison.Ordinal)
                .Replace('\r', '\n')
                .Replace("\u007F", string.Empty, StringComparison.Ordinal);
            text = ExtractProtectedSections(text);
            text = BehaviorSwitches.Take(text, Switches);

            // Room for every link the text may hold, so that a page of 200,000 links does not grow these step by step.
            int links = Math.Min(text.AsSpan().Count("[["), text.AsSpan().Count("]]"));
            _targetIndex.EnsureCapacity(links);
            Targets.Capacity = links;
            Holders.Capacity = links;

            // And for the HTML, about the size of the text: one buffer, not a chain of chunks that each
            // collection during a big rendering copies.
            _output.EnsureCapacity(2 * text.Length);

            foreach (string line in text.Split('\n'))
            {
                ProcessLine(line);
            }

            LeaveList(appendNewline: false);
            _output.Append(CloseParagraph());
            int end = _output.Length;
            while (end > 0 && _output[end - 1] == '\n')
            {
                end--;
            }

            return _output.ToString(0, end);
        }

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

            if (TryGetBlockAtom(line, out string? blockHtml))
            {
                _paragraphStack = null;
                _output.Append(CloseParagraph());
                _output.Append(blockHtml).Append('\n');
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

        private string RenderHeading(int level, string inner)
        {
            string html = RenderInline(inner.Trim(' ', '\t'), allowLinks: true);
            string id = UniqueId(AnchorFromHtml(html));
            string tag = "h" + level.ToString(CultureInfo.InvariantCulture);
            return $"<{tag}><span class=\"mw-headline\" id=\"{HtmlEscaper.Attribute(id)}\">{html}</span></{tag}>";
        }

        // $wgFragmentMode 'html5': the id is the heading's plain text with whitespace runs turned into underscores.
        private static string AnchorFromHtml(string html)
        {
            var plain = new StringBuilder(html.Length);
            bool inTag = false;
            foreach (char c in html)
            {
                if (c == '<')
                {
                    inTag = true;
                }
                else if (c == '>' && inTag)
                {
                    inTag = false;
                }
                else if (!inTag)
                {
                    plain.Append(c);
                }
            }

            string decoded = WebUtility.HtmlDecode(plain.ToString());
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

        private string RenderInline(string text, bool allowLinks)
        {
            // Most link labels are plain text: without a strip marker or an apostrophe there is nothing to tokenize.
            if (!allowLinks && text.AsSpan().IndexOfAny(Marker, '\'') < 0)
            {
                return HtmlEscaper.Text(text);
            }

            return ApplyQuotes(Tokenize(text, allowLinks));
        }

        private List<Piece> Tokenize(string s, bool allowLinks)
        {
            var pieces = new List<Piece>();
            var text = new StringBuilder();

            void Flush()
            {
                if (text.Length > 0)
                {
                    // Most text between links is one space.
                    pieces.Add(Piece.Text(text.Length == 1 && text[0] == ' ' ? " " : text.ToString()));
                    text.Clear();
                }
            }

            int i = 0;
            while (i < s.Length)
            {
                char c = s[i];
                if (c == Marker)
                {
                    if (TryGetAtom(s, i, out Atom atom, out int afterAtom))
                    {
                        Flush();
                        pieces.Add(Piece.Html(atom.Html));
                    }

                    i = afterAtom;
                    continue;
                }

                if (allowLinks && c == '[')
                {
                    if (i + 1 < s.Length && s[i + 1] == '[')
                    {
                        LinkOutcome outcome = TryInternalLink(s, i, out Piece link, out int afterLink);
                        if (outcome == LinkOutcome.Link)
                        {
                            Flush();
                            pieces.Add(link);
                            i = afterLink;
                            continue;
                        }

                        // A target that is really a URL is left for the external-link rule, as MediaWiki does.
                        if (outcome == LinkOutcome.NotLink)
                        {
                            text.Append("[[");
                            i += 2;
                            continue;
                        }

                        text.Append('[');
                        i++;
                        continue;
                    }

                    if (TryExternalLink(s, i, out string extHtml, out int afterExt))
                    {
                        Flush();
                        pieces.Add(Piece.Html(extHtml));
                        i = afterExt;
                        continue;
                    }
                }

                if (allowLinks && (c | 0x20) is 'h' or 'm' && TryFreeLink(s, i, out string freeHtml, out int afterFree))
                {
                    Flush();
                    pieces.Add(Piece.Html(freeHtml));
                    i = afterFree;
                    continue;
                }

                // Plain text up to the next character that may start a token.
                int stop = s.AsSpan(i + 1).IndexOfAny(allowLinks ? LinkTokenStarts : AtomStarts);
                int end = stop < 0 ? s.Length : i + 1 + stop;
                text.Append(s, i, end - i);
                i = end;
            }

            Flush();
            return pieces;
        }

        private enum LinkOutcome
        {
            Link,
            NotLink,
            UrlTarget,
        }

        private LinkOutcome TryInternalLink(string s, int start, out Piece piece, out int next)
        {
            piece = default;
            next = start;

            int contentStart = start + 2;
            if (StartsWithFilePrefix(s, contentStart) && TryImage(s, start, out piece, out next))
            {
                return LinkOutcome.Link;
            }

            // Like MediaWiki, which splits the text at every "[[", a link cannot reach past the next "[[";
            // this also keeps the scan linear.
            int nextOpen = s.IndexOf("[[", contentStart, StringComparison.Ordinal);
            int segmentEnd = nextOpen < 0 ? s.Length : nextOpen;
            int close = s.AsSpan(contentStart, segmentEnd - contentStart).IndexOf("]]", StringComparison.Ordinal);
            if (close < 0)
            {
                return LinkOutcome.NotLink;
            }

            close += contentStart;
            string inner = s[contentStart..close];
            int pipe = inner.IndexOf('|', StringComparison.Ordinal);
            string target = pipe >= 0 ? inner[..pipe] : inner;
            string? label = pipe >= 0 ? inner[(pipe + 1)..] : null;

            if (target.Length == 0 || !IsLinkTarget(target))
            {
                return LinkOutcome.NotLink;
            }

            // An empty label is the pre-save "pipe trick"; left unexpanded it is not link syntax.
            if (label is { Length: 0 })
            {
                return LinkOutcome.NotLink;
            }

            string written = target.TrimStart(' ');
            if (MatchProtocol(written, 0, allowRelative: true) > 0)
            {
                return LinkOutcome.UrlTarget;
            }

            // MediaWiki url-decodes link targets so [[Foo%20bar]] reaches "Foo bar".
            if (written.Contains('%', StringComparison.Ordinal))
            {
                written = Uri.UnescapeDataString(written);

                // A decoded control character or DEL could forge a strip marker in the displayed text.
                if (written.Any(c => c < 0x20 || c == Marker))
                {
                    return LinkOutcome.NotLink;
                }
            }

            int trailEnd = close + 2;
            while (trailEnd < s.Length && char.IsAsciiLetterLower(s[trailEnd]))
            {
                trailEnd++;
            }

            string trail = s[(close + 2)..trailEnd];
            bool leadingColon = written.StartsWith(':');
            string display = (label ?? (leadingColon ? written[1..] : written)) + trail;

            if (written.TrimStart(' ', '_').StartsWith('#'))
            {
                string fragment = written.Trim(' ', '_')[1..];
                string href = "#" + LinkHolders.EncodeFragment(fragment);
                piece = Piece.Html($"<a href=\"{HtmlEscaper.Attribute(href)}\">{RenderInline(display, allowLinks: false)}</a>");
                next = trailEnd;
                return LinkOutcome.Link;
            }

            // [[metawiki:Page]]: a page of another site (MediaWiki's class "extiw"); no page link of this wiki.
            if (namespaces.Interwiki.TryMatch(written, out InterwikiPrefix? prefix, out string? page, out string? iwFragment))
            {
                string shown = written.TrimStart(':').Trim();
                piece = Piece.Html($"<a href=\"{HtmlEscaper.Attribute(prefix.PageUrl(page, iwFragment))}\" class=\"extiw\" title=\"{HtmlEscaper.Attribute(shown)}\">{RenderInline(display, allowLinks: false)}</a>");
                next = trailEnd;
                return LinkOutcome.Link;
            }

            TitleParseResult parsed = TitleParser.Parse(written, namespaces);
            if (!parsed.IsValid)
            {
                return LinkOutcome.NotLink;
            }

            Title title = parsed.Title;
            next = trailEnd;
            if (!leadingColon && title.Namespace == NamespaceTable.Category)
            {
                // The label of a category link is the page's sort key prefix in that category.
                Categories.Add((title.DbKey, label ?? ""));
                piece = new Piece(PieceKind.Category, trail);
                return LinkOutcome.Link;
            }

            if (title.Namespace == NamespaceTable.Media)
            {
                // [[Media:X.png]], with or without a leading colon: a link to the file itself (Linker::makeMediaLinkFile).
                Images.Add(title.DbKey);
                piece = BuildInternalLink(Title.Create(namespaces, NamespaceTable.File, title.DbKey), RenderInline(display, allowLinks: false), media: true);
                return LinkOutcome.Link;
            }

            if (title.Namespace == NamespaceTable.File && !leadingColon)
            {
                Images.Add(title.DbKey);
            }

            piece = BuildInternalLink(title, RenderInline(display, allowLinks: false));
            return LinkOutcome.Link;
        }

        // A cheap test before an embed is tried: "File:" (or "Image:", or the wiki's name of the namespace) right after "[[".
        private bool StartsWithFilePrefix(string s, int at)
        {
            int colon = s.IndexOf(':', at, Math.Min(s.Length - at, 48));
            if (colon < 0)
            {
                return false;
            }

            var prefix = s.AsSpan(at, colon - at).Trim();
            return prefix.Equals("File", StringComparison.OrdinalIgnoreCase) || prefix.Equals("Image", StringComparison.OrdinalIgnoreCase)
                || prefix.Equals(namespaces[NamespaceTable.File].Name, StringComparison.OrdinalIgnoreCase);
        }

        // [[File:Name|options|caption]] (Parser::makeImage): the whole embed up to its matching "]]", so that the
        // caption may hold links; the parts are split at the pipes outside nested links and templates.
        private bool TryImage(string s, int start, out Piece piece, out int next)
        {
            piece = default;
            next = start;
            int i = start + 2;
            int depth = 1;
            while (i < s.Length - 1)
            {
                if (s[i] == '[' && s[i + 1] == '[')
                {
                    depth++;
                    i += 2;
                }
                else if (s[i] == ']' && s[i + 1] == ']')
                {
                    if (--depth == 0)
                    {
                        break;
                    }

                    i += 2;
                }
                else
                {
                    i++;
                }
            }

            if (depth != 0)
            {
                return false;
            }

            var parts = SplitTopLevel(s, start + 2, i);
            if (!IsLinkTarget(parts[0]) || TitleParser.Parse(parts[0], namespaces) is not { IsValid: true, Title: { Namespace: NamespaceTable.File } title })
            {
                return false;
            }

            var embed = ImageEmbed.Parse(title.DbKey, parts.Count > 1 ? parts.GetRange(1, parts.Count - 1) : []);
            Images.Add(title.DbKey);
            var page = (title.Namespace, title.DbKey);
            if (!_targetIndex.TryGetValue(page, out int target))
            {
                target = Targets.Count;
                _targetIndex.Add(page, target);
                Targets.Add(page);
            }

            Holders.Add(new LinkHolders.Holder(target, null, embed));
            int holder = Holders.Count - 1;
            var caption = embed.Boxed && embed.Caption is { } text ? RenderInline(text, allowLinks: true) : "";
            piece = new Piece(PieceKind.Image, caption + embed.Closing, holder);
            next = i + 2;
            return true;
        }

        private static List<string> SplitTopLevel(string s, int from, int to)
        {
            var parts = new List<string>();
            int depth = 0;
            int partStart = from;
            for (int i = from; i < to; i++)
            {
                if (i + 1 < to && ((s[i] == '[' && s[i + 1] == '[') || (s[i] == '{' && s[i + 1] == '{')))
                {
                    depth++;
                    i++;
                }
                else if (i + 1 < to && ((s[i] == ']' && s[i + 1] == ']') || (s[i] == '}' && s[i + 1] == '}')))
                {
                    depth--;
                    i++;
                }
                else if (s[i] == '|' && depth == 0)
                {
                    parts.Add(s[partStart..i]);
                    partStart = i + 1;
                }
            }

            parts.Add(s[partStart..to]);
            return parts;
        }

        private static bool IsLinkTarget(string target)
        {
            foreach (char c in target)
            {
                if (c != '#' && !TitleParser.IsLegalTitleChar(c))
                {
                    return false;
                }
            }

            return true;
        }

        // The opening tag waits for the target's existence (LinkHolders); the label and closing tag do not.
        private Piece BuildInternalLink(Title title, string labelHtml, bool media = false)
        {
            var page = (title.Namespace, title.DbKey);
            if (!_targetIndex.TryGetValue(page, out int target))
            {
                target = Targets.Count;
                _targetIndex.Add(page, target);
                Targets.Add(page);
            }

            Holders.Add(new LinkHolders.Holder(target, media ? null : title.Fragment, Media: media));
            return new Piece(PieceKind.Link, labelHtml, Holders.Count - 1);
        }

        private bool TryExternalLink(string s, int start, out string html, out int next)
        {
            html = string.Empty;
            next = start;
            int urlStart = start + 1;
            int protocolLength = MatchProtocol(s, urlStart, allowRelative: true);
            if (protocolLength == 0)
            {
                return false;
            }

            int urlEnd = urlStart + protocolLength;
            while (urlEnd < s.Length && IsUrlChar(s[urlEnd]))
            {
                urlEnd++;
            }

            if (urlEnd == urlStart + protocolLength)
            {
                return false;
            }

            int labelStart = urlEnd;
            while (labelStart < s.Length && CharUnicodeInfo.GetUnicodeCategory(s[labelStart]) == UnicodeCategory.SpaceSeparator)
            {
                labelStart++;
            }

            int labelEnd = NextLabelStop(s, labelStart);
            if (labelEnd >= s.Length || s[labelEnd] != ']')
            {
                return false;
            }

            string url = s[urlStart..urlEnd];
            string label = s[labelStart..labelEnd];
            ExternalLinks.Add(url);
            if (label.Length == 0)
            {
                _autoNumber++;
                html = $"<a rel=\"nofollow\" class=\"external autonumber\" href=\"{HtmlEscaper.Attribute(url)}\">[{_autoNumber.ToString(CultureInfo.InvariantCulture)}]</a>";
            }
            else
            {
                html = $"<a rel=\"nofollow\" class=\"external text\" href=\"{HtmlEscaper.Attribute(url)}\">{RenderInline(label, allowLinks: false)}</a>";
            }

            next = labelEnd + 1;
            return true;
        }

        // Remembers the last label scan so a line full of unclosed "[http://..." stays linear.
        private int NextLabelStop(string s, int from)
        {
            if (ReferenceEquals(s, _labelScanSource) && _labelScanFrom <= from && from <= _labelScanStop)
            {
                return _labelScanStop;
            }

            int stop = from;
            while (stop < s.Length && s[stop] != ']' && IsExternalLabelChar(s[stop]))
            {
                stop++;
            }

            _labelScanSource = s;
            _labelScanFrom = from;
            _labelScanStop = stop;
            return stop;
        }

        private bool TryFreeLink(string s, int start, out string html, out int next)
        {
            html = string.Empty;
            next = start;
            if (start > 0 && (char.IsLetterOrDigit(s[start - 1]) || s[start - 1] == '_'))
            {
                return false;
            }

            int protocolLength = MatchProtocol(s, start, allowRelative: false);
            if (protocolLength == 0)
            {
                return false;
            }

            int end = start + protocolLength;
            while (end < s.Length && IsUrlChar(s[end]) && !(s[end] == '\'' && end + 1 < s.Length && s[end + 1] == '\''))
            {
                end++;
            }

            // Trailing punctuation belongs to the sentence, not the URL; ")" too unless the URL opened one.
            string url = s[start..end];
            bool keepParen = url.Contains('(', StringComparison.Ordinal);
            int cut = url.Length;
            while (cut > protocolLength && (url[cut - 1] is ',' or ';' or '.' or ':' or '!' or '?' || (!keepParen && url[cut - 1] == ')')))
            {
                cut--;
            }

            if (cut == protocolLength)
            {
                return false;
            }

            url = url[..cut];
            string escaped = HtmlEscaper.Attribute(url);
            html = $"<a rel=\"nofollow\" class=\"external free\" href=\"{escaped}\">{HtmlEscaper.Text(url)}</a>";
            ExternalLinks.Add(url);
            next = start + cut;
            return true;
        }

        // Only these schemes are linkable; anything else (javascript:, data:, ...) stays plain text.
        private static int MatchProtocol(string s, int start, bool allowRelative)
        {
            ReadOnlySpan<char> rest = s.AsSpan(start);
            foreach (string protocol in Protocols)
            {
                if (rest.StartsWith(protocol, StringComparison.OrdinalIgnoreCase))
                {
                    return protocol.Length;
                }
            }

            return allowRelative && rest.StartsWith("//", StringComparison.Ordinal) ? 2 : 0;
        }

        private static bool IsUrlChar(char c) =>
            c > 0x20 && c != 0x7F && c != '\uFFFD'
            && c is not ('[' or ']' or '<' or '>' or '"')
            && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.SpaceSeparator;

        private static bool IsExternalLabelChar(char c) => c == '\t' || (c >= 0x20 && c != '\uFFFD');

        private static bool IsOnlyCategoryLinks(List<Piece> pieces)
        {
            bool sawCategory = false;
            foreach (Piece piece in pieces)
            {
                if (piece.Kind == PieceKind.Category)
                {
                    sawCategory = true;
                    if (!IsBlank(piece.Value))
                    {
                        return false;
                    }
                }
                else if (piece.Kind != PieceKind.Text || !IsBlank(piece.Value))
                {
                    return false;
                }
            }

            return sawCategory;
        }

        private static bool IsBlank(string s) => s.AsSpan().IndexOfAnyExcept(" \t") < 0;

        // MediaWiki's doQuotes: apostrophe runs toggle <i> (2), <b> (3) or both (5); an odd count of both kinds
        // turns one bold run into an apostrophe plus italics, preferring one after a single-letter word.
        private static string ApplyQuotes(List<Piece> input)
        {
            var _output = new StringBuilder();
            ApplyQuotes(input, _output);
            return _output.ToString();
        }

        // Appends to _output (the page being written), so a paragraph's HTML goes straight into the page's.
        private static void ApplyQuotes(List<Piece> input, StringBuilder _output)
        {
            List<Piece> pieces = SplitQuotes(input, out int italics, out int bolds);
            if (italics % 2 == 1 && bolds % 2 == 1)
            {
                DemoteOneBold(pieces);
            }

            var buffer = new StringBuilder();
            QuoteState state = QuoteState.None;
            foreach (Piece piece in pieces)
            {
                StringBuilder target = state == QuoteState.Both ? buffer : _output;
                switch (piece.Kind)
                {
                    case PieceKind.Text:
                    case PieceKind.Category:
                        target.Append(HtmlEscaper.Text(piece.Value));
                        break;
                    case PieceKind.Html:
                        target.Append(piece.Value);
                        break;
                    case PieceKind.Link:
                        // The holder has the shape of a tag, so heading anchors drop it as they drop <a>.
                        target.Append('<').Append(Marker).Append(piece.Holder).Append(Marker).Append('>')
                            .Append(piece.Value).Append("</a>");
                        break;
                    case PieceKind.Image:
                        target.Append('<').Append(Marker).Append(piece.Holder).Append(Marker).Append('>').Append(piece.Value);
                        break;
                    default:
                        state = ApplyQuoteRun(piece.Value.Length, state, _output, buffer);
                        break;
                }
            }

            if (state is QuoteState.Bold or QuoteState.ItalicBold)
            {
                _output.Append("</b>");
            }

            if (state is QuoteState.Italic or QuoteState.BoldItalic or QuoteState.ItalicBold)
            {
                _output.Append("</i>");
            }

            if (state == QuoteState.BoldItalic)
            {
                _output.Append("</b>");
            }

            if (state == QuoteState.Both && buffer.Length > 0)
            {
                _output.Append("<b><i>").Append(buffer).Append("</i></b>");
            }
        }

        private static QuoteState ApplyQuoteRun(int length, QuoteState state, StringBuilder _output, StringBuilder buffer)
        {
            switch (length)
            {
                case 2:
                    switch (state)
                    {
                        case QuoteState.Italic:
                            _output.Append("</i>");
                            return QuoteState.None;
                        case QuoteState.BoldItalic:
                            _output.Append("</i>");
                            return QuoteState.Bold;
                        case QuoteState.ItalicBold:
                            _output.Append("</b></i><b>");
                            return QuoteState.Bold;
                        case QuoteState.Both:
                            _output.Append("<b><i>").Append(buffer).Append("</i>");
                            return QuoteState.Bold;
                        default:
                            _output.Append("<i>");
                            return state == QuoteState.Bold ? QuoteState.BoldItalic : QuoteState.Italic;
                    }

                case 3:
                    switch (state)
                    {
                        case QuoteState.Bold:
                            _output.Append("</b>");
                            return QuoteState.None;
                        case QuoteState.BoldItalic:
                            _output.Append("</i></b><i>");
                            return QuoteState.Italic;
                        case QuoteState.ItalicBold:
                            _output.Append("</b>");
                            return QuoteState.Italic;
                        case QuoteState.Both:
                            _output.Append("<i><b>").Append(buffer).Append("</b>");
                            return QuoteState.Italic;
                        default:
                            _output.Append("<b>");
                            return state == QuoteState.Italic ? QuoteState.ItalicBold : QuoteState.Bold;
                    }

                default:
                    switch (state)
                    {
                        case QuoteState.Bold:
                            _output.Append("</b><i>");
                            return QuoteState.Italic;
                        case QuoteState.Italic:
                            _output.Append("</i><b>");
                            return QuoteState.Bold;
                        case QuoteState.BoldItalic:
                            _output.Append("</i></b>");
                            return QuoteState.None;
                        case QuoteState.ItalicBold:
                            _output.Append("</b></i>");
                            return QuoteState.None;
                        case QuoteState.Both:
                            _output.Append("<i><b>").Append(buffer).Append("</b></i>");
                            return QuoteState.None;
                        default:
                            buffer.Clear();
                            return QuoteState.Both;
                    }
            }
        }

        private static List<Piece> SplitQuotes(List<Piece> input, out int italics, out int bolds)
        {
            italics = 0;
            bolds = 0;
            var result = new List<Piece>(input.Count);
            foreach (Piece piece in input)
            {
                if (piece.Kind != PieceKind.Text)
                {
                    result.Add(piece);
                    continue;
                }

                string s = piece.Value;
                int textStart = 0;
                int i = 0;
                while (i < s.Length)
                {
                    if (s[i] != '\'')
                    {
                        i++;
                        continue;
                    }

                    int runEnd = i;
                    while (runEnd < s.Length && s[runEnd] == '\'')
                    {
                        runEnd++;
                    }

                    int run = runEnd - i;
                    if (run < 2)
                    {
                        i = runEnd;
                        continue;
                    }

                    // Four apostrophes are an apostrophe plus bold; more than five keep the extras as text.
                    int literal = run == 4 ? 1 : run > 5 ? run - 5 : 0;
                    int quote = run - literal;
                    int textEnd = i + literal;
                    if (textEnd > textStart)
                    {
                        result.Add(Piece.Text(s[textStart..textEnd]));
                    }

                    result.Add(new Piece(PieceKind.Quote, new string('\'', quote)));
                    if (quote == 2)
                    {
                        italics++;
                    }
                    else if (quote == 3)
                    {
                        bolds++;
                    }
                    else
                    {
                        italics++;
                        bolds++;
                    }

                    textStart = runEnd;
                    i = runEnd;
                }

                if (textStart < s.Length)
                {
                    result.Add(Piece.Text(s[textStart..]));
                }
            }

            return result;
        }

        private static void DemoteOneBold(List<Piece> pieces)
        {
            int singleLetter = -1;
            int multiLetter = -1;
            int space = -1;
            var before = new StringBuilder();
            for (int i = 0; i < pieces.Count; i++)
            {
                Piece piece = pieces[i];
                if (piece.Kind != PieceKind.Quote)
                {
                    before.Append(piece.Kind is PieceKind.Html or PieceKind.Link ? "x" : piece.Value);
                    continue;
                }

                if (piece.Value.Length == 3)
                {
                    char x1 = before.Length >= 1 ? before[^1] : '\0';
                    char x2 = before.Length >= 2 ? before[^2] : before.Length == 1 ? before[0] : '\0';
                    if (x1 == ' ')
                    {
                        if (space < 0)
                        {
                            space = i;
                        }
                    }
                    else if (x2 == ' ')
                    {
                        singleLetter = i;
                        break;
                    }
                    else if (multiLetter < 0)
                    {
                        multiLetter = i;
                    }
                }

                before.Clear();
            }

            int chosen = singleLetter >= 0 ? singleLetter : multiLetter >= 0 ? multiLetter : space;
            if (chosen >= 0)
            {
                pieces[chosen] = new Piece(PieceKind.Quote, "''");
                pieces.Insert(chosen, Piece.Text("'"));
            }
        }
    }
}

internal static class HtmlEscaper
{
    // MediaWiki escapes only what HTML requires (htmlspecialchars), leaving other characters as raw UTF-8.
    public static string Text(string value) => Escape(value, quotes: false);

    public static string Attribute(string value) => Escape(value, quotes: true);

    private static string Escape(string value, bool quotes)
    {
        ReadOnlySpan<char> special = quotes ? "&<>\"" : "&<>";
        if (value.AsSpan().IndexOfAny(special) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        foreach (char c in value)
        {
            switch (c)
            {
                case '&':
                    sb.Append("&amp;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '"' when quotes:
                    sb.Append("&quot;");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }
}

internal static class WikiUrl
{
    // wfUrlencode: PHP urlencode, then these characters are restored because they are safe in MediaWiki paths.
    private const string Unescaped = "-_.;@$!*(),/~:";

    private static readonly System.Buffers.SearchValues<char> Plain =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + Unescaped);

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || (b < 0x80 && Unescaped.Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
