using System.Globalization;
using System.Net;
using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>
/// A heading as action=parse's <c>prop=sections</c> lists it (Parser::finalizeHeadings): its level in the table of
/// contents and in the text, its HTML for the table of contents, its number there, its section index and its anchor.
/// </summary>
internal sealed record SectionInfo(int TocLevel, int Level, string Line, string Number, int Index, string Anchor);

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        // Where __TOC__ asked the table of contents to go; DEL never reaches the output otherwise but in "<DEL n DEL>".
        private const string TocPlace = "\u007Ftoc\u007F";

        private readonly List<SectionInfo> _sections = [];
        private int _firstHeadingAt = -1;
        private bool _tocPlaced;

        public IReadOnlyList<SectionInfo> Sections => _sections;

        // The first __TOC__ marks the table of contents' place; the others are dropped (a case-insensitive magic word).
        private string TakeTocMarker(string text)
        {
            int at = text.IndexOf("__TOC__", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            sb.Append(text, 0, at).Append(AddAtom(TocPlace, isBlock: false, BlockMatch.Close));
            int from = at + 7;
            while ((at = text.IndexOf("__TOC__", from, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                sb.Append(text, from, at - from);
                from = at + 7;
            }

            _tocPlaced = true;
            return sb.Append(text, from, text.Length - from).ToString();
        }

        private string RenderHeading(int level, string inner)
        {
            string html = RenderInline(inner.Trim(' ', '\t'), allowLinks: true);
            string id = UniqueId(AnchorFromHtml(html));
            string tag = "h" + level.ToString(CultureInfo.InvariantCulture);
            string tocLine = TocLine(html);
            int index = _sections.Count + 1;
            _sections.Add(new SectionInfo(0, level, tocLine, "", index, id));
            if (_firstHeadingAt < 0)
            {
                _firstHeadingAt = _output.Length;
            }

            string edit = EditSectionLink(index, tocLine);

            // $wgFragmentMode [html5, legacy]: the legacy anchor is kept in an empty span when it differs, so old links still land.
            string legacy = LegacyAnchor(id);
            string fallback = legacy == id ? "" : $"<span id=\"{HtmlEscaper.Attribute(legacy)}\"></span>";
            return $"<{tag}>{fallback}<span class=\"mw-headline\" id=\"{HtmlEscaper.Attribute(id)}\">{html}</span>{edit}</{tag}>";
        }

        // Sanitizer::escapeIdInternal's legacy mode: PHP's urlencode, then "%3A" back to ":" and "%" as ".".
        private static string LegacyAnchor(string id)
        {
            var sb = new StringBuilder(id.Length);
            foreach (byte b in Encoding.UTF8.GetBytes(id))
            {
                char c = (char)b;
                if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    sb.Append(c);
                }
                else if (c == ' ')
                {
                    sb.Append('+');
                }
                else if (c == ':')
                {
                    sb.Append(':');
                }
                else
                {
                    sb.Append('.').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return sb.ToString();
        }

        // Linker's section edit link, unless __NOEDITSECTION__ or the caller turned them off; it needs the page's title.
        private string EditSectionLink(int index, string tocLine)
        {
            if (options.Title is not { } title || !options.EditSections || Switches.Contains("noeditsection"))
            {
                return string.Empty;
            }

            // The hint has runs of spaces and underscores collapsed to one space, like a section name.
            string headline = CollapseSpacesAndUnderscores(WebUtility.HtmlDecode(StripTags(tocLine)));
            return "<span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span><a href=\""
                + HtmlEscaper.Attribute(scriptPath + "/index.php?title=" + WikiUrl.Encode(title.PrefixedDbKey) + "&action=edit&section=" + index.ToString(CultureInfo.InvariantCulture))
                + "\" title=\"" + HtmlEscaper.Attribute("Edit section: " + headline) + "\">edit</a><span class=\"mw-editsection-bracket\">]</span></span>";
        }

        private static string CollapseSpacesAndUnderscores(string text)
        {
            var sb = new StringBuilder(text.Length);
            bool pending = false;
            foreach (char c in text)
            {
                if (c is ' ' or '_')
                {
                    pending = true;
                    continue;
                }

                if (pending && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                pending = false;
                sb.Append(c);
            }

            return sb.ToString().Trim();
        }

        // The heading's HTML for the table of contents: links and other tags dropped, except the few kept bare
        // (span with dir, sup, sub, bdi, i, b, s, strike).
        private static string TocLine(string html)
        {
            if (!html.Contains('<', StringComparison.Ordinal))
            {
                return html;
            }

            var sb = new StringBuilder(html.Length);
            int i = 0;
            while (i < html.Length)
            {
                int open = html.IndexOf('<', i);
                if (open < 0)
                {
                    sb.Append(html, i, html.Length - i);
                    break;
                }

                sb.Append(html, i, open - i);
                int close = html.IndexOf('>', open);
                if (close < 0)
                {
                    break;
                }

                ReadOnlySpan<char> tag = html.AsSpan(open + 1, close - open - 1);
                bool closing = tag.StartsWith("/");
                ReadOnlySpan<char> body = closing ? tag[1..] : tag;
                int space = body.IndexOf(' ');
                ReadOnlySpan<char> name = space < 0 ? body : body[..space];
                if (name is "sup" or "sub" or "bdi" or "i" or "b" or "s" or "strike")
                {
                    sb.Append('<').Append(closing ? "/" : "").Append(name).Append('>');
                }
                else if (name is "span")
                {
                    string kept = !closing && body.Contains("dir=\"rtl\"", StringComparison.Ordinal) ? " dir=\"rtl\""
                        : !closing && body.Contains("dir=\"ltr\"", StringComparison.Ordinal) ? " dir=\"ltr\"" : "";
                    sb.Append('<').Append(closing ? "/" : "").Append("span").Append(kept).Append('>');
                }

                i = close + 1;
            }

            return sb.ToString();
        }

        private static string StripTags(string html)
        {
            var sb = new StringBuilder(html.Length);
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
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        // Parser::finalizeHeadings: TOC levels follow the heading levels as they rise and fall, numbered "1", "1.1", ...;
        // the table is shown for four headings or more, or with __FORCETOC__ or __TOC__, never with __NOTOC__.
        private void PlaceToc()
        {
            NumberSections();
            bool wanted = !Switches.Contains("notoc") && _sections.Count > 0
                && (_sections.Count >= 4 || _tocPlaced || Switches.Contains("forcetoc"));
            bool show = options.Toc && wanted;
            int place = -1;
            if (_tocPlaced)
            {
                string output = _output.ToString();
                place = output.IndexOf(TocPlace, StringComparison.Ordinal);
                _output.Replace(TocPlace, string.Empty);
            }

            if (!show)
            {
                // With the table turned off by the caller (disabletoc), the blank line it would have had stays.
                if (wanted && place < 0)
                {
                    _output.Insert(_firstHeadingAt, "\n");
                }

                return;
            }

            // Before the first heading, the table is followed by a blank line; at __TOC__, by that line's end.
            string toc = TocHtml();
            if (place < 0)
            {
                place = _firstHeadingAt;
                toc += "\n";
            }

            _output.Insert(place, toc);
        }

        private void NumberSections()
        {
            var levelCount = new Dictionary<int, int>();
            var sublevelCount = new Dictionary<int, int>();
            int tocLevel = 0;
            int previousLevel = 0;
            for (int n = 0; n < _sections.Count; n++)
            {
                int level = _sections[n].Level;
                if (level > previousLevel)
                {
                    tocLevel++;
                    sublevelCount[tocLevel] = 0;
                }
                else if (level < previousLevel && tocLevel > 1)
                {
                    int i;
                    for (i = tocLevel; i > 0; i--)
                    {
                        int seen = levelCount.GetValueOrDefault(i);
                        if (seen == level)
                        {
                            tocLevel = i;
                            break;
                        }

                        if (seen < level)
                        {
                            tocLevel = i + 1;
                            break;
                        }
                    }

                    if (i == 0)
                    {
                        tocLevel = 1;
                    }
                }

                levelCount[tocLevel] = level;
                sublevelCount[tocLevel] = sublevelCount.GetValueOrDefault(tocLevel) + 1;
                var number = new StringBuilder();
                for (int i = 1; i <= tocLevel; i++)
                {
                    if (sublevelCount.GetValueOrDefault(i) > 0)
                    {
                        if (number.Length > 0)
                        {
                            number.Append('.');
                        }

                        number.Append(sublevelCount[i].ToString(CultureInfo.InvariantCulture));
                    }
                }

                _sections[n] = _sections[n] with { TocLevel = tocLevel, Number = number.ToString() };
                previousLevel = level;
            }
        }

        // Linker::tocIndent, tocLine, tocLineEnd, tocUnindent and tocList.
        private string TocHtml()
        {
            var toc = new StringBuilder();
            int previous = 0;
            foreach (SectionInfo section in _sections)
            {
                if (section.TocLevel > previous)
                {
                    for (int k = previous; k < section.TocLevel; k++)
                    {
                        toc.Append("\n<ul>\n");
                    }
                }
                else if (section.TocLevel < previous)
                {
                    toc.Append("</li>\n");
                    for (int k = section.TocLevel; k < previous; k++)
                    {
                        toc.Append("</ul>\n</li>\n");
                    }
                }
                else
                {
                    toc.Append("</li>\n");
                }

                string tocLevel = section.TocLevel.ToString(CultureInfo.InvariantCulture);
                toc.Append("<li class=\"toclevel-").Append(tocLevel).Append(" tocsection-").Append(section.Index.ToString(CultureInfo.InvariantCulture))
                    .Append("\"><a href=\"#").Append(HtmlEscaper.Attribute(LinkHolders.EncodeFragment(section.Anchor)))
                    .Append("\"><span class=\"tocnumber\">").Append(section.Number).Append("</span> <span class=\"toctext\">")
                    .Append(section.Line).Append("</span></a>");
                previous = section.TocLevel;
            }

            toc.Append("</li>\n");
            for (int k = 1; k < previous; k++)
            {
                toc.Append("</ul>\n</li>\n");
            }

            return "<div id=\"toc\" class=\"toc\" role=\"navigation\" aria-labelledby=\"mw-toc-heading\"><input type=\"checkbox\" role=\"button\" id=\"toctogglecheckbox\" class=\"toctogglecheckbox\" style=\"display:none\" /><div class=\"toctitle\" lang=\"en\" dir=\"ltr\"><h2 id=\"mw-toc-heading\">Contents</h2><span class=\"toctogglespan\"><label class=\"toctogglelabel\" for=\"toctogglecheckbox\"></label></span></div>"
                + toc + "</ul>\n</div>\n";
        }
    }
}
