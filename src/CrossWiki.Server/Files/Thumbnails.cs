using System.Collections.Concurrent;
using System.Globalization;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Files;

/// <summary>The size a file is shown at and where that rendition is.</summary>
/// <param name="Url">The thumbnail's URL, or the file's own when it is shown at its own size.</param>
internal sealed record Thumbnail(string Url, int Width, int Height);

/// <summary>
/// Thumbnails made on demand with libvips (NetVips), kept in the file store beside the files, in MediaWiki's
/// layout (<c>thumb/a/ab/Name.png/200px-Name.png</c>; an SVG's are PNGs, <c>200px-Name.svg.png</c>). A
/// bitmap is never scaled up: asked for its own width or more, it is shown as it is (MediaWiki's
/// File::transform). Thumbnails that several requests want at once are made once.
/// </summary>
internal sealed class Thumbnails(IFileStore store, FileRepository files)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _making = new(StringComparer.Ordinal);

    /// <summary>The widest thumbnail made (MediaWiki sizes go up to a few thousand pixels).</summary>
    public const int MaxWidth = 4000;

    /// <summary>
    /// The rendition of a file for a wanted width and/or height (a box to fit in; 0 or less for none), as
    /// <c>iiurlwidth</c>/<c>iiurlheight</c> and <c>[[File:X|200px]]</c> ask; null when the file has no size to scale.
    /// </summary>
    public static Thumbnail? For(Wiki wiki, FileRecord file, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Width <= 0 || file.Height <= 0 || (width <= 0 && height <= 0))
        {
            return null;
        }

        // Fit in the box: a height alone gives the width it implies (MediaWiki's ImageHandler::normaliseParams).
        var w = width > 0 ? width : int.MaxValue;
        if (height > 0)
        {
            var byHeight = (int)Math.Round(file.Width * (double)height / file.Height);
            w = Math.Min(w, Math.Max(1, byHeight));
        }

        var drawing = file.MediaType == "DRAWING";
        if (!drawing && w >= file.Width)
        {
            return new Thumbnail(FileNames.Url(wiki, file.Name), file.Width, file.Height);
        }

        w = Math.Clamp(w, 1, MaxWidth);
        var h = Math.Max(1, (int)Math.Round(file.Height * (double)w / file.Width));
        return new Thumbnail(wiki.Server + wiki.UploadPath + "/thumb/" + FileNames.HashPath(file.Name) + "/" + Uri.EscapeDataString(file.Name) + "/" + Uri.EscapeDataString(ThumbName(file.Name, w)), w, h);
    }

    /// <summary><c>200px-Name.png</c>; an SVG's thumbnail is a PNG (<c>200px-Name.svg.png</c>).</summary>
    public static string ThumbName(string name, int width) =>
        width.ToString(CultureInfo.InvariantCulture) + "px-" + name + (name.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? ".png" : "");

    /// <summary>
    /// The store key and type of the thumbnail a path under <c>thumb/</c> names (<c>/a/ab/Name.png/200px-Name.png</c>),
    /// made first when it is not stored yet; null when the path names no thumbnail of an existing file.
    /// </summary>
    public async Task<(string Key, string Mime)?> GetAsync(Wiki wiki, string pathUnderThumb, CancellationToken ct)
    {
        if (Parse(pathUnderThumb) is not var (name, thumbName, width))
        {
            return null;
        }

        if (await files.GetAsync(wiki.Id, name, ct) is not { } file || For(wiki, file, width, 0) is not { } thumb || thumb.Width != width)
        {
            return null;
        }

        var key = ThumbKey(wiki.Id, name, thumbName);
        var mime = file.MediaType == "DRAWING" ? "image/png" : file.Mime;
        if (await store.StatAsync(key, ct) is null)
        {
            var making = _making.GetOrAdd(key, k => new Lazy<Task>(() => MakeAsync(wiki, file, width, k)));
            try
            {
                await making.Value.WaitAsync(ct);
            }
            finally
            {
                _making.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, making));
            }
        }

        return (key, mime);
    }

    /// <summary>The file's name, the thumbnail's name and its width from a path under <c>thumb/</c>; null when it names no thumbnail.</summary>
    private static (string Name, string ThumbName, int Width)? Parse(string pathUnderThumb)
    {
        var parts = pathUnderThumb.TrimStart('/').Split('/');
        if (parts.Length != 4 || parts[0] + "/" + parts[1] != FileNames.HashPath(parts[2]))
        {
            return null;
        }

        var thumbName = parts[3];
        var px = thumbName.IndexOf("px-", StringComparison.Ordinal);
        return px > 0 && int.TryParse(thumbName.AsSpan(0, px), NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width is >= 1 and <= MaxWidth
            && ThumbName(parts[2], width) == thumbName
            ? (parts[2], thumbName, width)
            : null;
    }

    /// <summary>The store key of the thumbnail a path under <c>thumb/</c> names, whether or not it is made yet; null when it names none.</summary>
    public static string? KeyOfPath(string wikiId, string pathUnderThumb) =>
        Parse(pathUnderThumb) is var (name, thumbName, _) ? ThumbKey(wikiId, name, thumbName) : null;

    private static string ThumbKey(string wikiId, string name, string thumbName) => wikiId + "/thumb/" + FileNames.HashPath(name) + "/" + name + "/" + thumbName;

    /// <summary>Scales the file with libvips (shrink-on-load for JPEG and WebP, so a big photo is never decoded whole) and stores the result.</summary>
    private async Task MakeAsync(Wiki wiki, FileRecord file, int width, string key)
    {
        var directory = files.TemporaryDirectory;
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "thumb-source-" + Guid.NewGuid().ToString("N"));
        var target = Path.Combine(directory, "thumb-" + Guid.NewGuid().ToString("N") + Extension(file));
        try
        {
            await using (var original = await store.OpenReadAsync(FileNames.PublicKey(wiki.Id, file.Name), CancellationToken.None))
            await using (var copy = LocalFileStore.NewFile(source))
            {
                await original.CopyToAsync(copy, 128 * 1024, CancellationToken.None);
            }

            await Task.Run(() =>
            {
                // A drawing is rendered at the size asked for; a bitmap only ever shrinks.
                using var image = NetVips.Image.Thumbnail(source, width, height: 10_000_000, size: file.MediaType == "DRAWING" ? NetVips.Enums.Size.Both : NetVips.Enums.Size.Down);
                image.WriteToFile(target);
            });
            await store.PutAsync(key, target, file.MediaType == "DRAWING" ? "image/png" : file.Mime, CancellationToken.None);
        }
        finally
        {
            File.Delete(source);
            File.Delete(target);
        }
    }

    /// <summary>The suffix that tells libvips what to write: the file's own format, PNG for drawings.</summary>
    private static string Extension(FileRecord file) => file.Mime switch
    {
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        _ => ".png",
    };
}
