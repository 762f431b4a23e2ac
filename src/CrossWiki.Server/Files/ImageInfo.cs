using System.Text.Json.Nodes;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Files;

/// <summary>
/// One version of a file as <c>prop=imageinfo</c> and <c>action=upload</c> describe it (ApiQueryImageInfo::getInfo),
/// with the properties asked for, in MediaWiki's order; with a <see cref="Thumbnail"/>, <c>url</c> also gives its URL and size.
/// </summary>
internal static class ImageInfo
{
    /// <summary>Every property this server gives (<c>iiprop</c> values); <c>metadata</c> and <c>commonmetadata</c> are empty lists (no EXIF reading yet).</summary>
    public static readonly IReadOnlyList<string> Properties =
    [
        "timestamp", "user", "userid", "comment", "parsedcomment", "canonicaltitle", "url", "size", "dimensions", "sha1", "mime",
        "mediatype", "metadata", "commonmetadata", "archivename",
    ];

    /// <summary>What an upload's answer carries (ApiUpload's getImageInfo: every property but the archive name).</summary>
    public static readonly IReadOnlySet<string> ForUpload = Properties.Where(p => p != "archivename").ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A version's description: the current one (<paramref name="archiveName"/> null) or an old one, written into
    /// <paramref name="into"/> after what it already has (list=allimages' <c>name</c>), else into a new object.
    /// </summary>
    public static JsonObject Describe(Wiki wiki, string name, int pageId, FileVersion version, string? archiveName, IReadOnlySet<string> props, Thumbnail? thumbnail = null, JsonObject? into = null)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(props);
        var o = into ?? new JsonObject();
        if (props.Contains("timestamp"))
        {
            o["timestamp"] = ActionApi.Timestamps.Iso(version.Timestamp);
        }

        if (props.Contains("user"))
        {
            o["user"] = version.UserText;
        }

        if (props.Contains("userid"))
        {
            o["userid"] = version.UserId;
        }

        if (props.Contains("size") || props.Contains("dimensions"))
        {
            o["size"] = version.Size;
            o["width"] = version.Width;
            o["height"] = version.Height;
        }

        if (props.Contains("parsedcomment"))
        {
            o["parsedcomment"] = HtmlEscaper.Text(version.Description);
        }

        if (props.Contains("comment"))
        {
            o["comment"] = version.Description;
        }

        if (props.Contains("canonicaltitle"))
        {
            o["canonicaltitle"] = wiki.Namespaces[NamespaceTable.File].Name + ":" + name.Replace('_', ' ');
        }

        if (props.Contains("url"))
        {
            if (thumbnail is not null)
            {
                o["thumburl"] = thumbnail.Url;
                o["thumbwidth"] = thumbnail.Width;
                o["thumbheight"] = thumbnail.Height;
            }

            o["url"] = archiveName is null ? FileNames.Url(wiki, name) : FileNames.ArchiveUrl(wiki, name, archiveName);
            o["descriptionurl"] = FileNames.DescriptionUrl(wiki, name);
            if (pageId > 0)
            {
                o["descriptionshorturl"] = wiki.Server + wiki.ScriptPath + "/index.php?curid=" + pageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (props.Contains("sha1"))
        {
            o["sha1"] = version.Sha1;
        }

        if (props.Contains("metadata"))
        {
            o["metadata"] = new JsonArray();
        }

        if (props.Contains("commonmetadata"))
        {
            o["commonmetadata"] = new JsonArray();
        }

        if (props.Contains("mime"))
        {
            o["mime"] = version.Mime;
        }

        if (props.Contains("mediatype"))
        {
            o["mediatype"] = version.MediaType;
        }

        if (archiveName is not null && props.Contains("archivename"))
        {
            o["archivename"] = archiveName;
        }

        return o;
    }
}

/// <summary>The facts of one version of a file, current or old.</summary>
internal sealed record FileVersion(long Size, int Width, int Height, string Mime, string MediaType, string Sha1, DateTime Timestamp, int UserId, string UserText, string Description)
{
    public static FileVersion Of(FileVersionColumns f) => new(f.Size, f.Width, f.Height, f.Mime, f.MediaType, f.Sha1, f.Timestamp, f.UserId, f.UserText, f.Description);
}
