using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        private string RenderInline(string text, bool allowLinks)
        {
            // Most link labels are plain text: without a strip marker or an apostrophe there is nothing to tokenize.
            if (!allowLinks && text.AsSpan().IndexOfAny(Marker, '\'') < 0)
            {
                return Sanitizer.Text(text, frenchSpaces: true);
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
            if (SubpageLink(written) is { } subpage)
            {
                written = subpage.Target;
                display = (label ?? subpage.Text) + trail;
            }

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

            // A link to the page being rendered, without a fragment, is Linker::makeSelfLinkObj's bare anchor
            // (no href, not recorded as a link); with a fragment it stays an ordinary link.
            if (options.Title is { } self && self.Namespace == title.Namespace && string.Equals(self.DbKey, title.DbKey, StringComparison.Ordinal)
                && string.IsNullOrEmpty(title.Fragment))
            {
                piece = Piece.Html("<a class=\"mw-selflink selflink\">" + RenderInline(display, allowLinks: false) + "</a>");
                return LinkOutcome.Link;
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
            Holders.Add(new LinkHolders.Holder(TargetOf(title), null, embed));
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

        /// <summary>
        /// A relative link on a page of a namespace with subpages (Parser::maybeDoSubpageLink): <c>[[/Sub]]</c> is the page's
        /// subpage, shown as written (or as <c>Sub</c> when written <c>[[/Sub/]]</c>); <c>[[../Up]]</c> goes up a level per
        /// <c>../</c>, shown as the resolved title (or its last part with a trailing slash). Null when the link is not relative,
        /// the page is unknown or its namespace has no subpages, or it goes above the root.
        /// </summary>
        private (string Target, string Text)? SubpageLink(string written)
        {
            if (options.Title is not { } page || !(written.StartsWith('/') || written.StartsWith("../", StringComparison.Ordinal))
                || !namespaces.TryGet(page.Namespace, out var info) || !info.Subpages)
            {
                return null;
            }

            bool trailingSlash = written.Length > 1 && written.EndsWith('/');
            string relative = trailingSlash ? written[..^1] : written;
            if (relative.StartsWith('/'))
            {
                return (page.PrefixedText + relative, trailingSlash ? relative[1..] : written);
            }

            string baseText = page.PrefixedText;
            while (relative.StartsWith("../", StringComparison.Ordinal))
            {
                int slash = baseText.LastIndexOf('/');
                if (slash < 0)
                {
                    return null;
                }

                baseText = baseText[..slash];
                relative = relative[3..];
            }

            string target = relative.Length == 0 ? baseText : baseText + "/" + relative;
            return (target, trailingSlash ? target[(target.LastIndexOf('/') + 1)..] : target);
        }

        /// <summary>The index of a link target among <see cref="Targets"/>, each distinct target looked up once.</summary>
        private int TargetOf(Title title)
        {
            var page = (title.Namespace, title.DbKey);
            if (!_targetIndex.TryGetValue(page, out int target))
            {
                target = Targets.Count;
                _targetIndex.Add(page, target);
                Targets.Add(page);
            }

            return target;
        }

        // The opening tag waits for the target's existence (LinkHolders); the label and closing tag do not.
        private Piece BuildInternalLink(Title title, string labelHtml, bool media = false)
        {
            Holders.Add(new LinkHolders.Holder(TargetOf(title), media ? null : title.Fragment, Media: media));
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
    }
}
