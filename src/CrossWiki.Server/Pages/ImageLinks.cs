using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>How an embedded file is framed: MediaWiki's image types.</summary>
internal enum ImageFrame
{
    /// <summary>The file inline, at its size or the one given.</summary>
    None,

    /// <summary><c>thumb</c>: a thumbnail in a box with its caption, on the right by default.</summary>
    Thumb,

    /// <summary><c>frame</c>: the file at its own size in a box with its caption.</summary>
    Frame,

    /// <summary><c>frameless</c>: like a thumbnail's size, without the box.</summary>
    Frameless,

    /// <summary>A box of a <c>&lt;gallery&gt;</c>: the file fitted in the gallery's width and height, then its caption.</summary>
    Gallery,
}

/// <summary>The options of one <c>[[File:Name|...]]</c> (MediaWiki's image options), and its caption's wikitext.</summary>
internal sealed record ImageEmbed(string Name, ImageFrame Frame, bool Border, string? Align, int Width, int Height, string? Link, string? Alt, string? Caption)
{
    /// <summary>The caption as plain text (links' labels, no quote marks): the title and alt text of an unboxed embed.</summary>
    public string CaptionText => field ??= Caption is null ? "" : PlainText(Caption);

    private static string PlainText(string wikitext)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(wikitext, @"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", "$1", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return text.Replace("'''", "", StringComparison.Ordinal).Replace("''", "", StringComparison.Ordinal).Trim();
    }

    /// <summary>MediaWiki's default thumbnail width (<c>$wgThumbLimits[$wgDefaultUserOptions['thumbsize']]</c>, 300 in 1.39).</summary>
    public const int DefaultThumbWidth = 300;

    /// <summary>
    /// Reads the options after the file name, as MediaWiki's Parser::makeImage: frame types, <c>border</c>,
    /// alignments, sizes (<c>200px</c>, <c>x100px</c>, <c>200x100px</c>), <c>link=</c>, <c>alt=</c>; the last part
    /// that is none of these is the caption. Unknown options MediaWiki ignores (<c>upright</c>, <c>page=</c>,
    /// vertical alignments) are dropped.
    /// </summary>
    public static ImageEmbed Parse(string name, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var frame = ImageFrame.None;
        var border = false;
        string? align = null;
        int width = 0, height = 0;
        string? link = null, alt = null, caption = null;
        foreach (var raw in options)
        {
            var option = raw.Trim();
            switch (option)
            {
                case "thumb" or "thumbnail":
                    frame = ImageFrame.Thumb;
                    continue;
                case "frame" or "framed" or "enframed":
                    frame = ImageFrame.Frame;
                    continue;
                case "frameless":
                    frame = ImageFrame.Frameless;
                    continue;
                case "border":
                    border = true;
                    continue;
                case "left" or "right" or "center" or "centre" or "none":
                    align = option == "centre" ? "center" : option;
                    continue;
                case "upright" or "baseline" or "sub" or "super" or "top" or "text-top" or "middle" or "bottom" or "text-bottom":
                    continue;
            }

            if (option.StartsWith("link=", StringComparison.Ordinal))
            {
                link = option[5..];
            }
            else if (option.StartsWith("alt=", StringComparison.Ordinal))
            {
                alt = option[4..];
            }
            else if (option.StartsWith("upright", StringComparison.Ordinal) || option.StartsWith("page=", StringComparison.Ordinal) || option.StartsWith("lang=", StringComparison.Ordinal))
            {
                continue;
            }
            else if (TrySize(option, out var w, out var h))
            {
                (width, height) = (w, h);
            }
            else
            {
                caption = raw;
            }
        }

        return new ImageEmbed(name, frame, border, align, width, height, link, alt, caption);
    }

    /// <summary><c>200px</c>, <c>x100px</c>, <c>200x100px</c> (spaces before <c>px</c> allowed, as MediaWiki's img_width).</summary>
    private static bool TrySize(string option, out int width, out int height)
    {
        width = height = 0;
        if (!option.EndsWith("px", StringComparison.Ordinal))
        {
            return false;
        }

        var size = option[..^2].TrimEnd();
        var x = size.IndexOf('x', StringComparison.Ordinal);
        var ok = x < 0
            ? int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out width)
            : (x == 0 || int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width))
              && int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height);
        return ok && (width > 0 || height > 0);
    }

    /// <summary>Whether the caption goes under the file in the box (thumb and frame) rather than into its title.</summary>
    public bool Boxed => Frame is ImageFrame.Thumb or ImageFrame.Frame;

    /// <summary>The HTML after the caption: the box's closing tags.</summary>
    public string Closing => Boxed ? "</div></div></div>" : "";
}

/// <summary>A file an embed can show: its size, its URL and its renditions at other sizes (URLs relative to the wiki's server).</summary>
internal sealed record EmbeddedFile(int Width, int Height, string Url, Func<int, int, (string Url, int Width, int Height)?> Rendition);

/// <summary>The HTML MediaWiki's Linker writes for an embedded file (Linker::makeImageLink and makeThumbLink2), up to its caption.</summary>
internal static class ImageHtml
{
    /// <summary>
    /// The opening HTML of <paramref name="embed"/>: the box and the file (or, for a file that does not
    /// exist, a red link to <paramref name="missingUrl"/>, its upload form), then, for a boxed embed, the caption's
    /// opening tags; the caption's own HTML and <see cref="ImageEmbed.Closing"/> follow it.
    /// </summary>
    public static string Opening(ImageEmbed embed, EmbeddedFile? file, string pageUrl, string missingUrl, string pageTitle, string captionText)
    {
        ArgumentNullException.ThrowIfNull(embed);
        if (embed.Frame == ImageFrame.Gallery)
        {
            return GalleryBox(embed, file, pageUrl, pageTitle);
        }

        var sb = new StringBuilder();
        var align = embed.Align ?? (embed.Boxed ? "right" : null);
        int boxWidth;
        string inner;
        if (file is null)
        {
            // Linker::makeThumbLink2 frames a missing file at 180px when no width is given (not the 300px thumb size).
            boxWidth = (embed.Width > 0 ? embed.Width : 180) + 2;
            inner = $"<a href=\"{HtmlEscaper.Attribute(missingUrl)}\" class=\"new\" title=\"{HtmlEscaper.Attribute(pageTitle)}\">{HtmlEscaper.Text(pageTitle)}</a>";
        }
        else
        {
            var (url, width, height) = Size(embed, file);
            boxWidth = width + 2;
            var alt = embed.Alt ?? (embed.Boxed ? "" : captionText.Length > 0 ? captionText : embed.Name.Replace('_', ' '));
            var classes = embed.Boxed && embed.Frame == ImageFrame.Thumb ? " class=\"thumbimage\"" : embed.Border ? " class=\"thumbborder\"" : "";
            var img = $"<img alt=\"{HtmlEscaper.Attribute(alt)}\" src=\"{HtmlEscaper.Attribute(url)}\" decoding=\"async\" width=\"{width.ToString(CultureInfo.InvariantCulture)}\" height=\"{height.ToString(CultureInfo.InvariantCulture)}\"{classes} />";
            var title = !embed.Boxed && captionText.Length > 0 ? $" title=\"{HtmlEscaper.Attribute(captionText)}\"" : "";
            inner = embed.Link switch
            {
                "" => img,
                { } target when target.Contains("://", StringComparison.Ordinal) => $"<a href=\"{HtmlEscaper.Attribute(target)}\" rel=\"nofollow\" class=\"external\"{title}>{img}</a>",
                _ => $"<a href=\"{HtmlEscaper.Attribute(pageUrl)}\" class=\"image\"{title}>{img}</a>",
            };
        }

        if (embed.Boxed)
        {
            sb.Append("<div class=\"thumb t").Append(align).Append("\"><div class=\"thumbinner\" style=\"width:")
                .Append(boxWidth.ToString(CultureInfo.InvariantCulture)).Append("px;\">").Append(inner).Append("  <div class=\"thumbcaption\">");
            if (file is not null && embed.Frame == ImageFrame.Thumb)
            {
                sb.Append("<div class=\"magnify\"><a href=\"").Append(HtmlEscaper.Attribute(pageUrl)).Append("\" class=\"internal\" title=\"Enlarge\"></a></div>");
            }

            return sb.ToString();
        }

        return align switch
        {
            "center" => $"<div class=\"center\"><div class=\"floatnone\">{inner}</div></div>",
            "left" or "right" or "none" => $"<div class=\"float{align}\">{inner}</div>",
            _ => inner,
        };
    }

    // TraditionalImageGallery::toHTML: a box 30px wider than the thumbnails plus 5px, the thumbnail centred in a square
    // 30px taller than them; a file that does not exist shows its name. The caption and the box's end follow.
    private static string GalleryBox(ImageEmbed embed, EmbeddedFile? file, string pageUrl, string pageTitle)
    {
        const int ThumbPadding = 30;
        const int BoxPadding = 5;
        var boxWidth = (embed.Width + ThumbPadding + BoxPadding).ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("\n\t\t<li class=\"gallerybox\" style=\"width: ").Append(boxWidth).Append("px\"><div style=\"width: ").Append(boxWidth).Append("px\">\n\t\t\t");
        if (file is null)
        {
            sb.Append("<div class=\"thumb\" style=\"height: ").Append((embed.Height + ThumbPadding).ToString(CultureInfo.InvariantCulture)).Append("px;\">")
                .Append(HtmlEscaper.Text(pageTitle[(pageTitle.IndexOf(':', StringComparison.Ordinal) + 1)..])).Append("</div>");
        }
        else
        {
            var (url, width, height) = file.Rendition(embed.Width, embed.Height) ?? (file.Url, file.Width, file.Height);
            var margin = Math.Max(0, (ThumbPadding + embed.Height - height) / 2).ToString(CultureInfo.InvariantCulture);
            var img = $"<img alt=\"{HtmlEscaper.Attribute(embed.Alt ?? "")}\" src=\"{HtmlEscaper.Attribute(url)}\" decoding=\"async\" width=\"{width.ToString(CultureInfo.InvariantCulture)}\" height=\"{height.ToString(CultureInfo.InvariantCulture)}\" />";
            var link = embed.Link switch
            {
                "" => img,
                { } target when target.Contains("://", StringComparison.Ordinal) => $"<a href=\"{HtmlEscaper.Attribute(target)}\" rel=\"nofollow\" class=\"external\">{img}</a>",
                _ => $"<a href=\"{HtmlEscaper.Attribute(pageUrl)}\" class=\"image\">{img}</a>",
            };
            sb.Append("<div class=\"thumb\" style=\"width: ").Append((embed.Width + ThumbPadding).ToString(CultureInfo.InvariantCulture))
                .Append("px;\"><div style=\"margin:").Append(margin).Append("px auto;\">").Append(link).Append("</div></div>");
        }

        return sb.Append("\n\t\t\t<div class=\"gallerytext\">\n").ToString();
    }

    /// <summary>The rendition an embed shows: a thumbnail's default width, the size asked for, or the file's own (a frame is never scaled).</summary>
    private static (string Url, int Width, int Height) Size(ImageEmbed embed, EmbeddedFile file)
    {
        var width = embed.Frame == ImageFrame.Frame ? 0 : embed.Width;
        if (width == 0 && embed.Height == 0 && embed.Frame is ImageFrame.Thumb or ImageFrame.Frameless)
        {
            width = ImageEmbed.DefaultThumbWidth;
        }

        var height = embed.Frame == ImageFrame.Frame ? 0 : embed.Height;
        return (width > 0 || height > 0) && file.Rendition(width, height) is { } rendition ? rendition : (file.Url, file.Width, file.Height);
    }
}
