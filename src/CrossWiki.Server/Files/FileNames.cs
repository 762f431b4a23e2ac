using System.Security.Cryptography;
using System.Text;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.Files;

/// <summary>
/// Names of uploaded files and where they live: the File page a desired name becomes (MediaWiki's
/// UploadBase::getTitle: illegal characters and <c>: / \</c> become <c>-</c>, then title rules), the
/// store keys in MediaWiki's hashed layout (<c>a/ab/Name.png</c> from the name's MD5) and the URLs.
/// </summary>
internal static class FileNames
{
    /// <summary>MediaWiki's limit on a file name (UploadBase::FILENAME_TOO_LONG), in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 240;

    /// <summary>
    /// The File title a client's name becomes, or null when nothing of it is a valid title: characters
    /// that cannot be in a title, and <c>:</c>, <c>/</c>, <c>\</c>, become <c>-</c>; only the base name is kept.
    /// </summary>
    public static Title? Normalize(string desired, NamespaceTable namespaces)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var filtered = new StringBuilder(desired.Length);
        foreach (var c in desired)
        {
            filtered.Append(c is ':' or '/' or '\\' || !TitleParser.IsLegalTitleChar(c) ? '-' : c);
        }

        var name = filtered.ToString().Trim();
        if (name.Length == 0 || name.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        var parsed = TitleParser.Parse(name, namespaces, NamespaceTable.File);
        return parsed.Title is { Namespace: NamespaceTable.File, Fragment: null } title ? title : null;
    }

    /// <summary>The two hash folders of a name (<c>a/ab</c>), from the MD5 of its database key.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MediaWiki's file layout: a spread of folders, not a security measure.")]
    public static string HashPath(string name)
    {
        var hex = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(name)));
        return hex[..1] + "/" + hex[..2];
    }

    /// <summary>The store key of a file's current version.</summary>
    public static string PublicKey(string wikiId, string name) => wikiId + "/" + HashPath(name) + "/" + name;

    /// <summary>The store key of an old version (<c>archive/a/ab/20261203120000!Name.png</c>).</summary>
    public static string ArchiveKey(string wikiId, string name, string archiveName) => wikiId + "/archive/" + HashPath(name) + "/" + archiveName;

    /// <summary>The store key of a stashed file or chunk.</summary>
    public static string StashKey(string wikiId, string fileKey) => wikiId + "/temp/" + fileKey;

    /// <summary>The full URL of the file's description page (its File page) on <paramref name="wiki"/>.</summary>
    public static string DescriptionUrl(Wiki wiki, string name) => wiki.Server + wiki.ArticleUrl(wiki.Namespaces[NamespaceTable.File].Name + ":" + name);

    /// <summary>The URL a file's current version is served at (MediaWiki's <c>File::getUrl</c>).</summary>
    public static string Url(Wiki wiki, string name) => wiki.Server + wiki.UploadPath + "/" + HashPath(name) + "/" + Uri.EscapeDataString(name);

    /// <summary>The URL of an old version.</summary>
    public static string ArchiveUrl(Wiki wiki, string name, string archiveName) =>
        wiki.Server + wiki.UploadPath + "/archive/" + HashPath(name) + "/" + Uri.EscapeDataString(archiveName);

    /// <summary>The store key a path under the upload path names (<c>/a/ab/Name.png</c>, <c>/archive/a/ab/...</c>), or null for any other path.</summary>
    public static string? KeyOfPath(string wikiId, string pathUnderUploadPath)
    {
        var parts = pathUnderUploadPath.TrimStart('/').Split('/');
        var archive = parts.Length == 4 && parts[0] == "archive";
        var hashed = archive ? parts[1..] : parts;
        if (hashed.Length != 3 || hashed[2].Length == 0)
        {
            return null;
        }

        // Only the published layout: the name must hash to the folders it is in.
        var realName = archive ? hashed[2][(hashed[2].IndexOf('!', StringComparison.Ordinal) + 1)..] : hashed[2];
        if (HashPath(realName) != hashed[0] + "/" + hashed[1])
        {
            return null;
        }

        return archive ? ArchiveKey(wikiId, realName, hashed[2]) : PublicKey(wikiId, realName);
    }
}
