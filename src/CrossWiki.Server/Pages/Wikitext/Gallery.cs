using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        // <gallery>: core's traditional gallery (TraditionalImageGallery), one box per "File:Name|options|caption" line;
        // each box's thumbnail waits for its file like an embed does (LinkHolders).
        private string Gallery(string attributes, string content)
        {
            int widths = 120;
            int heights = 120;
            string? caption = null;
            string extraAttributes = string.Empty;
            string classes = "gallery mw-gallery-traditional";
            foreach ((string key, string value) in Sanitizer.ParseAttributes(attributes))
            {
                switch (key)
                {
                    case "widths":
                        widths = GallerySize(value, widths);
                        break;
                    case "heights":
                        heights = GallerySize(value, heights);
                        break;
                    case "caption":
                        caption = value;
                        break;
                    case "class" when value.Length > 0:
                        classes += " " + value;
                        break;
                }
            }

            extraAttributes = RemoveAttribute(Sanitizer.FixTagAttributes(attributes, "ul"), "class");
            var sb = new StringBuilder();
            sb.Append("<ul class=\"").Append(HtmlEscaper.Attribute(classes)).Append('"').Append(extraAttributes).Append('>');
            if (caption is not null)
            {
                sb.Append("\n\t<li class=\"gallerycaption\">").Append(RenderInline(ExtractProtectedSections(caption), allowLinks: true)).Append("</li>");
            }

            foreach (string raw in content.Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                List<string> parts = SplitTopLevel(line, 0, line.Length);
                TitleParseResult parsed = TitleParser.Parse(parts[0], namespaces, NamespaceTable.File);
                if (!parsed.IsValid || parsed.Title.Namespace != NamespaceTable.File)
                {
                    continue;
                }

                Title title = parsed.Title;
                ImageEmbed options = ImageEmbed.Parse(title.DbKey, parts.Count > 1 ? parts.GetRange(1, parts.Count - 1) : []);
                var embed = options with { Frame = ImageFrame.Gallery, Align = null, Width = widths, Height = heights, Border = false };
                Images.Add(title.DbKey);
                Holders.Add(new LinkHolders.Holder(TargetOf(title), null, embed));
                // The caption is a paragraph, as the block pass over it makes it.
                string text = embed.Caption is { } c && c.Trim().Length > 0 ? "<p>" + RenderInline(ExtractProtectedSections(c.Trim()), allowLinks: true) + "\n</p>\n" : string.Empty;
                sb.Append('<').Append(Marker).Append(Holders.Count - 1).Append(Marker).Append('>')
                    .Append(text).Append("\t\t\t</div>\n\t\t</div></li>");
            }

            return sb.Append("\n</ul>").ToString();
        }

        private static int GallerySize(string value, int fallback)
        {
            string digits = value.Trim();
            if (digits.EndsWith("px", StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[..^2].TrimEnd();
            }

            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : fallback;
        }
    }
}
