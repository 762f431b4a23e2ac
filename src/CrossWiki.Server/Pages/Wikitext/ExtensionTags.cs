using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
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

        private string AddAtom(string html, bool isBlock, BlockMatch match = BlockMatch.None)
        {
            _atoms.Add(new Atom(html, isBlock, match));
            return Marker + (_atoms.Count - 1).ToString(CultureInfo.InvariantCulture) + Marker;
        }

        // Comments, extension tags (<nowiki>, <pre>, <ref>, ...) and HTML tags are found in one left-to-right pass, as
        // MediaWiki's preprocessor and Sanitizer do, so a comment inside <nowiki> is shown and a tag inside a comment is dropped.
        private string ExtractProtectedSections(string text, bool topLevel = false)
        {
            // Comments and tags all start with "<": a text without one is left as it is, not copied.
            if (!text.Contains('<', StringComparison.Ordinal))
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            var open = new OpenTags();
            int nextGreater = -1;
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

                    if (TryExtensionTag(text, i, sb, ref nextGreater, out int afterTag, out bool isExtension))
                    {
                        i = afterTag;
                        continue;
                    }

                    if (!isExtension && TryHtmlTag(text, i, sb, open, ref nextGreater, out afterTag))
                    {
                        i = afterTag;
                        continue;
                    }
                }

                sb.Append(text[i]);
                i++;
            }

            // Tags left open are closed at the end, as the HTML tidier does: a part (a note, a caption) closes its own; the
            // page's are closed by the block pass where the tidier would, inside the last paragraph or list item.
            var closers = new StringBuilder();
            bool inline = true;
            for (int k = open.Stack.Count - 1; k >= 0; k--)
            {
                closers.Append("</").Append(open.Stack[k]).Append('>');
                inline &= Matches(open.Stack[k], closing: true) == BlockMatch.None && Matches(open.Stack[k], closing: false) == BlockMatch.None;
            }

            if (topLevel)
            {
                _pendingClosers = closers.ToString();
                _pendingClosersInline = inline;
            }
            else if (closers.Length > 0)
            {
                sb.Append(AddAtom(closers.ToString(), isBlock: false));
            }

            return sb.ToString();
        }

        // The HTML tags open in the text, innermost last, and how many of each name.
        private sealed class OpenTags
        {
            public List<string> Stack { get; } = [];

            public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);
        }

        private static readonly System.Buffers.SearchValues<char> LanguageNameChars =
            System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#-_.");

        // Common Pygments lexer names and aliases.
        private static readonly HashSet<string> KnownLexers = new(StringComparer.Ordinal)
        {
            "text", "python", "py", "python3", "js", "javascript", "ts", "typescript", "c", "cpp", "c++", "csharp", "c#", "cs", "java",
            "php", "bash", "sh", "shell", "console", "shell-session", "powershell", "ps1", "html", "xml", "css", "scss", "less", "json",
            "yaml", "yml", "toml", "ini", "sql", "mysql", "postgresql", "ruby", "rb", "perl", "pl", "lua", "go", "golang", "rust", "rs",
            "diff", "udiff", "make", "makefile", "kotlin", "swift", "scala", "haskell", "hs", "r", "matlab", "latex", "tex", "wikitext",
            "mediawiki", "vb.net", "vbnet", "objective-c", "objc", "erlang", "elixir", "clojure", "lisp", "common-lisp", "scheme",
            "fortran", "pascal", "delphi", "groovy", "dart", "nginx", "apache", "apacheconf", "docker", "dockerfile", "http", "markdown",
            "md", "asm", "nasm", "awk", "batch", "bat", "cmake", "coffeescript", "d", "fsharp", "julia", "ocaml", "prolog", "tcl",
            "vim", "xslt", "graphql", "protobuf", "smalltalk", "sparql", "turtle", "verilog", "vhdl", "zig",
        };

        private static readonly string[] ExtensionTagNames = ["nowiki", "pre", "ref", "references", "gallery", "syntaxhighlight", "source", "poem"];

        // "<name" then whitespace, "/" or ">": the lower-case name, or null.
        private static string? TagName(string text, int start, out int nameEnd)
        {
            int i = start + 1;
            while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
            }

            nameEnd = i;
            if (i == start + 1 || !char.IsAsciiLetter(text[start + 1]) || i >= text.Length || !(text[i] is '/' or '>' || char.IsWhiteSpace(text[i])))
            {
                return null;
            }

            return text[(start + 1)..i].ToLowerInvariant();
        }

        // An extension tag with its content up to its closing tag (or self-closed), handed to its handler; an
        // extension tag without a closing tag stays text (isExtension tells the caller not to read it as HTML).
        private bool TryExtensionTag(string text, int start, StringBuilder sb, ref int nextGreater, out int next, out bool isExtension)
        {
            next = start;
            isExtension = false;
            string? name = TagName(text, start, out int nameEnd);
            if (name is null || Array.IndexOf(ExtensionTagNames, name) < 0)
            {
                return false;
            }

            isExtension = true;
            int greater = NextGreater(text, nameEnd, ref nextGreater);
            if (greater < 0)
            {
                return false;
            }

            bool selfClosing = text[greater - 1] == '/';
            string attributes = text[nameEnd..(selfClosing ? greater - 1 : greater)];
            string? content = null;
            next = greater + 1;
            if (!selfClosing)
            {
                if (!FindCloseTagCached(text, greater + 1, name, out int closeStart, out int closeEnd))
                {
                    next = start;
                    return false;
                }

                content = text[(greater + 1)..closeStart];
                next = closeEnd;
            }

            sb.Append(ExtensionTag(name, attributes, content));
            return true;
        }

        private string ExtensionTag(string name, string attributes, string? content)
        {
            switch (name)
            {
                case "nowiki":
                    // CoreTagHooks::nowiki: tags escaped, character references kept.
                    return AddAtom(Sanitizer.Text(content ?? string.Empty, frenchSpaces: true), isBlock: false);
                case "pre":
                    return AddAtom(PreHtml(attributes, content ?? string.Empty), isBlock: true, BlockMatch.Close);
                case "ref":
                    return AddAtom(Ref(attributes, content), isBlock: false);
                case "references":
                    return AddAtom(References(attributes, content), isBlock: true, BlockMatch.Close);
                case "syntaxhighlight" or "source":
                    return SyntaxHighlight(attributes, content ?? string.Empty);
                case "poem":
                    return AddAtom(Poem(attributes, content ?? string.Empty), isBlock: true, BlockMatch.Close);
                default:
                    return AddAtom(Gallery(attributes, content ?? string.Empty), isBlock: true, BlockMatch.Close);
            }
        }

        // CoreTagHooks::pre: <nowiki> tags inside are dropped, the rest shown as written (character references kept);
        // the HTML parser drops one newline right after <pre>.
        private static string PreHtml(string attributes, string content)
        {
            content = RemoveNowikiTags(content);
            if (content.StartsWith('\n'))
            {
                content = content[1..];
            }

            return "<pre" + Sanitizer.FixTagAttributes(attributes, "pre") + ">" + Sanitizer.Text(content, frenchSpaces: true) + "</pre>";
        }

        // SyntaxHighlight without Pygments: the code escaped in a <pre> (or a <code> when inline) with the language's classes.
        private string SyntaxHighlight(string attributes, string content)
        {
            var attrs = Sanitizer.ParseAttributes(attributes);
            string? lang = null;
            bool inline = false;
            string? extraClass = null;
            string? style = null;
            foreach ((string key, string value) in attrs)
            {
                switch (key)
                {
                    case "lang":
                        lang = value.Length > 0 && value.AsSpan().IndexOfAnyExcept(LanguageNameChars) < 0 && KnownLexers.Contains(value.ToLowerInvariant()) ? value.ToLowerInvariant() : null;
                        break;
                    case "inline" or "enclose" when key == "inline" || value == "none":
                        inline = true;
                        break;
                    case "class":
                        extraClass = value;
                        break;
                    case "style":
                        style = Sanitizer.CheckCss(value);
                        break;
                }
            }

            // The language's class only for a language Pygments knows; without one the code is shown as it is.
            string classes = "mw-highlight" + (lang is null ? "" : " mw-highlight-lang-" + lang) + " mw-content-ltr" + (extraClass is { Length: > 0 } ? " " + extraClass : "");
            string styleAttribute = style is null ? "" : " style=\"" + Sanitizer.SafeEncodeAttribute(style) + "\"";
            if (inline)
            {
                string code = content.Trim().ReplaceLineEndings(" ");
                return AddAtom("<code class=\"" + HtmlEscaper.Attribute(classes) + "\"" + styleAttribute + " dir=\"ltr\">" + HtmlEscaper.Text(code) + "</code>", isBlock: false);
            }

            // SyntaxHighlight::trimCode: leading blank lines and trailing whitespace go.
            string trimmed = content.TrimEnd();
            int firstLine = 0;
            for (int i = 0; i < trimmed.Length; i++)
            {
                if (trimmed[i] == '\n')
                {
                    firstLine = i + 1;
                }
                else if (!char.IsWhiteSpace(trimmed[i]))
                {
                    break;
                }
            }

            trimmed = trimmed[firstLine..];
            // Pygments starts its output with an empty span and ends it with a newline.
            string escaped = lang is null ? HtmlEscaper.Text(trimmed) : "<span></span>" + HtmlEscaper.Text(trimmed) + "\n";
            return AddAtom("<div class=\"" + HtmlEscaper.Attribute(classes) + "\"" + styleAttribute + " dir=\"ltr\"><pre>" + escaped + "</pre></div>", isBlock: true, BlockMatch.Close);
        }

        // Poem: lines end in <br />, leading spaces are no-break spaces, "----" lines are rules; the lines' wikitext is rendered.
        private string Poem(string attributes, string content)
        {
            string text = content;
            if (text.StartsWith('\n'))
            {
                text = text[1..];
            }

            if (text.EndsWith('\n'))
            {
                text = text[..^1];
            }

            // Each line ends in <br /> but the last and a rule; the lines then go into paragraphs, which a rule ends,
            // as the block pass that MediaWiki runs over the poem's text does.
            string[] lines = text.Split('\n');
            var sb = new StringBuilder(text.Length + 32);
            bool inParagraph = false;
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n];
                if (line == "----")
                {
                    if (inParagraph)
                    {
                        sb.Append("</p>\n");
                        inParagraph = false;
                    }

                    sb.Append("<hr />\n");
                    continue;
                }

                if (!inParagraph)
                {
                    sb.Append("<p>");
                    inParagraph = true;
                }

                int spaces = 0;
                while (spaces < line.Length && line[spaces] == ' ')
                {
                    spaces++;
                }

                for (int k = 0; k < spaces; k++)
                {
                    sb.Append("&#160;");
                }

                sb.Append(RenderInline(ExtractProtectedSections(line[spaces..]), allowLinks: true));
                sb.Append(n < lines.Length - 1 ? "<br />\n" : "\n");
            }

            if (inParagraph)
            {
                sb.Append("</p>\n");
            }

            string attrs = Sanitizer.FixTagAttributes(attributes, "div");
            string classes = "poem";
            var parsed = Sanitizer.ParseAttributes(attributes);
            foreach ((string key, string value) in parsed)
            {
                if (key == "class" && value.Length > 0)
                {
                    classes = "poem " + value;
                }
            }

            attrs = RemoveAttribute(attrs, "class");
            return "<div class=\"" + HtmlEscaper.Attribute(classes) + "\"" + attrs + ">\n" + sb + "</div>";
        }

        private static string RemoveAttribute(string attributes, string name)
        {
            int at = attributes.IndexOf(" " + name + "=\"", StringComparison.Ordinal);
            if (at < 0)
            {
                return attributes;
            }

            int end = attributes.IndexOf('"', at + name.Length + 3);
            return attributes[..at] + attributes[(end + 1)..];
        }

        // An HTML tag of the allow-list, its attributes sanitized; a closing tag with no open one is dropped, and
        // closing a tag closes the tags opened inside it, as the HTML tidier does. Anything else stays text.
        private bool TryHtmlTag(string text, int start, StringBuilder sb, OpenTags open, ref int nextGreater, out int next)
        {
            next = start;
            bool closing = start + 1 < text.Length && text[start + 1] == '/';
            int nameStart = closing ? start + 1 : start;
            string? name = TagName(text, nameStart, out int nameEnd);
            if (name is null || !Sanitizer.IsAllowedTag(name))
            {
                return false;
            }

            int greater = NextGreater(text, nameEnd, ref nextGreater);
            if (greater < 0)
            {
                return false;
            }

            next = greater + 1;
            bool selfClosing = text[greater - 1] == '/' && greater - 1 >= nameEnd;
            string attributes = text[nameEnd..(selfClosing ? greater - 1 : greater)];
            if (Sanitizer.IsVoidTag(name))
            {
                // <br>, <br/>, </br> and <br /> are all <br />.
                string html = "<" + name + (closing ? "" : Sanitizer.FixTagAttributes(attributes, name)) + " />";
                sb.Append(AddAtom(html, isBlock: false, Matches(name, closing: false)));
                return true;
            }

            if (closing)
            {
                // Most stray closing tags have no open tag of their name at all: no scan of the stack for them.
                int at = open.Counts.GetValueOrDefault(name) == 0 ? -1 : open.Stack.LastIndexOf(name);
                if (at < 0)
                {
                    return true;
                }

                var closers = new StringBuilder();
                BlockMatch match = BlockMatch.None;
                for (int k = open.Stack.Count - 1; k >= at; k--)
                {
                    closers.Append("</").Append(open.Stack[k]).Append('>');
                    match |= Matches(open.Stack[k], closing: true);
                    open.Counts[open.Stack[k]]--;
                }

                open.Stack.RemoveRange(at, open.Stack.Count - at);
                sb.Append(AddAtom(closers.ToString(), isBlock: false, match));
                return true;
            }

            // "<span/>" opens a span: HTML ignores the slash of a tag that is not void.
            string opening = "<" + name + Sanitizer.FixTagAttributes(attributes, name) + ">";
            // A row written right in a <table> goes in a <tbody>, as the HTML parser puts it.
            if (name == "tr" && open.Stack.Count > 0 && open.Stack[^1] == "table")
            {
                open.Stack.Add("tbody");
                open.Counts["tbody"] = open.Counts.GetValueOrDefault("tbody") + 1;
                opening = "<tbody>" + opening;
            }

            open.Stack.Add(name);
            open.Counts[name] = open.Counts.GetValueOrDefault(name) + 1;
            sb.Append(AddAtom(opening, isBlock: false, Matches(name, closing: false)));
            return true;
        }

        // One search for the next ">" serves every "<" before it, so a text of many "<" stays linear.
        private static int NextGreater(string text, int from, ref int nextGreater)
        {
            if (nextGreater < from)
            {
                nextGreater = text.IndexOf('>', from);
                if (nextGreater < 0)
                {
                    nextGreater = int.MaxValue;
                }
            }

            return nextGreater == int.MaxValue ? -1 : nextGreater;
        }

        // BlockLevelPass's two tests of a line: a tag that opens a block (no paragraph, and the lines after it stay
        // outside paragraphs), or one that closes it (no paragraph on this line).
        private static BlockMatch Matches(string name, bool closing)
        {
            if (closing)
            {
                return name switch
                {
                    "tr" or "td" or "th" => BlockMatch.Open,
                    "table" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "blockquote" or "div" or "pre" or "p" or "li" or "ul" or "ol" or "dl" or "center" => BlockMatch.Close,
                    _ => BlockMatch.None,
                };
            }

            return name switch
            {
                "table" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "pre" or "tr" or "p" or "ul" or "ol" or "dl" or "li" => BlockMatch.Open,
                "td" or "th" or "blockquote" or "div" or "hr" or "center" => BlockMatch.Close,
                _ => BlockMatch.None,
            };
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

        // Reuses the previous search for the same tag so many unclosed opening tags do not rescan the text.
        private bool FindCloseTagCached(string text, int from, string name, out int closeStart, out int closeEnd)
        {
            if (_closeTagSearch.TryGetValue(name, out var last) && ReferenceEquals(last.Source, text) && last.From <= from && (last.Start < 0 || from <= last.Start))
            {
                closeStart = last.Start;
                closeEnd = last.End;
                return closeStart >= 0;
            }

            bool found = TryFindCloseTag(text, from, name, out closeStart, out closeEnd);
            _closeTagSearch[name] = (text, from, closeStart, closeEnd);
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
