using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CrossWiki.Server.Pages;

internal sealed record NamespaceInfo(int Id, string Name, string? Canonical, bool Subpages, bool Content, bool IsTalk);

internal readonly record struct NamespaceAlias(int Id, string Alias);

internal sealed class NamespaceTable
{
    public const int Media = -2;
    public const int Special = -1;
    public const int Main = 0;
    public const int Talk = 1;
    public const int User = 2;
    public const int UserTalk = 3;
    public const int Project = 4;
    public const int ProjectTalk = 5;
    public const int File = 6;
    public const int FileTalk = 7;
    public const int MediaWiki = 8;
    public const int MediaWikiTalk = 9;
    public const int Template = 10;
    public const int TemplateTalk = 11;
    public const int Help = 12;
    public const int HelpTalk = 13;
    public const int Category = 14;
    public const int CategoryTalk = 15;

    // $wgNamespacesWithSubpages default in MediaWiki 1.39.
    private static readonly HashSet<int> SubpageNamespaces = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15];

    private static readonly (int Id, string? Canonical)[] Defaults =
    [
        (Media, "Media"),
        (Special, "Special"),
        (Main, null),
        (Talk, "Talk"),
        (User, "User"),
        (UserTalk, "User talk"),
        (Project, "Project"),
        (ProjectTalk, "Project talk"),
        (File, "File"),
        (FileTalk, "File talk"),
        (MediaWiki, "MediaWiki"),
        (MediaWikiTalk, "MediaWiki talk"),
        (Template, "Template"),
        (TemplateTalk, "Template talk"),
        (Help, "Help"),
        (HelpTalk, "Help talk"),
        (Category, "Category"),
        (CategoryTalk, "Category talk"),
    ];

    private readonly Dictionary<int, NamespaceInfo> _byId;
    private readonly Dictionary<string, int> _byName;

    private NamespaceTable(string sitename, List<NamespaceInfo> all, List<NamespaceAlias> aliases)
    {
        Sitename = sitename;
        All = all.AsReadOnly();
        Aliases = aliases.AsReadOnly();
        _byId = all.ToDictionary(ns => ns.Id);
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        // Language::getNsIndex consults canonical names before local names and aliases.
        foreach (NamespaceInfo ns in all)
        {
            if (ns.Canonical is not null)
            {
                _byName.TryAdd(ns.Canonical, ns.Id);
            }
        }

        foreach (NamespaceInfo ns in all)
        {
            if (ns.Name.Length > 0)
            {
                _byName.TryAdd(ns.Name, ns.Id);
            }
        }

        foreach (NamespaceAlias alias in aliases)
        {
            _byName.TryAdd(alias.Alias, alias.Id);
        }
    }

    public string Sitename { get; }

    /// <summary>The wiki's interwiki prefixes; the title parser's other table (MediaWiki's TitleParser reads both).</summary>
    public InterwikiMap Interwiki { get; private init; } = InterwikiMap.Empty;

    /// <summary>This table with the wiki's interwiki prefixes.</summary>
    public NamespaceTable WithInterwiki(InterwikiMap interwiki) =>
        new(Sitename, [.. All], [.. Aliases]) { Interwiki = interwiki };

    public IReadOnlyList<NamespaceInfo> All { get; }

    public IReadOnlyList<NamespaceAlias> Aliases { get; }

    public NamespaceInfo this[int id] =>
        _byId.TryGetValue(id, out NamespaceInfo? info)
            ? info
            : throw new KeyNotFoundException($"Unknown namespace id {id}.");

    public static NamespaceTable Create(string sitename)
    {
        ArgumentNullException.ThrowIfNull(sitename);
        string name = NormalizeName(sitename);
        if (name.Length == 0)
        {
            throw new ArgumentException("The sitename must not be empty.", nameof(sitename));
        }

        var all = new List<NamespaceInfo>(Defaults.Length);
        foreach ((int id, string? canonical) in Defaults)
        {
            // $wgMetaNamespace defaults to the sitename, and its talk namespace to "<sitename> talk".
            string local = id switch
            {
                Project => name,
                ProjectTalk => name + " talk",
                _ => canonical ?? string.Empty,
            };
            bool isTalk = id > 0 && id % 2 == 1;
            all.Add(new NamespaceInfo(id, local, canonical, SubpageNamespaces.Contains(id), id == Main, isTalk));
        }

        // The only entries in a default 1.39 English wiki's siteinfo namespacealiases.
        List<NamespaceAlias> aliases = [new(File, "Image"), new(FileTalk, "Image talk")];
        return new NamespaceTable(name, all, aliases);
    }

    public bool TryGet(int id, [NotNullWhen(true)] out NamespaceInfo? info) => _byId.TryGetValue(id, out info);

    public bool TryResolve(string prefix, out int id)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        string key = NormalizeName(prefix);
        if (key.Length == 0)
        {
            id = 0;
            return false;
        }

        return _byName.TryGetValue(key, out id);
    }

    private static bool HasWhiteSpace(string value)
    {
        foreach (char c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string NormalizeName(string value)
    {
        // Most names ("Talk", "User") have nothing to collapse.
        if (value.Length > 0 && value.AsSpan().IndexOfAny(' ', '_') < 0 && !HasWhiteSpace(value))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        bool pendingSpace = false;
        foreach (char c in value)
        {
            if (c is ' ' or '_' || char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
