using System.Text;
using System.Text.RegularExpressions;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// MediaWiki's user name rules (UserNameUtils): underscores are spaces, the first letter upper case, NFC; a
/// valid name is one title of the main namespace written as itself, no IP address, no <c>/</c>, at most 255
/// bytes, none of the invisible or look-alike characters; a usable one is not reserved for the software; a
/// creatable one (for a new account) is also at most 235 bytes and has none of <c>@:&gt;=</c>.
/// </summary>
internal static partial class UserNames
{
    public const int MaxNameBytes = 255;
    private const int MaxCreatableBytes = 235;
    private static readonly System.Buffers.SearchValues<char> InvalidCreatableCharacters = System.Buffers.SearchValues.Create("@:>=");

    /// <summary>$wgReservedUsernames: the names the software itself writes under (messages resolved to their English text).</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "MediaWiki default", "Conversion script", "Maintenance script", "Template namespace initialisation script",
        "ScriptImporter", "Delete page script", "Move page script", "Command line script", "Unknown user",
        "Double redirect fixer", "MediaWiki message delivery", "Proxy blocker", "DNSBL", "MediaWiki spam cleanup",
        "MediaWiki automatic change",
    };

    /// <summary>A name as typed, in the form it is stored and compared in: spaces for underscores, one space between words, first letter upper case, NFC.</summary>
    public static string Normalize(string name)
    {
        var n = string.Join(' ', name.Normalize(NormalizationForm.FormC).Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return n.Length == 0 ? n : char.ToUpperInvariant(n[0]) + n[1..];
    }

    /// <summary>
    /// Whom a block or a rollback names: an IP address in its canonical form (<paramref name="isIp"/>), or a user
    /// name normalised as <see cref="Normalize"/> does.
    /// </summary>
    public static string NormalizeNameOrIp(string raw, out bool isIp)
    {
        var trimmed = raw.Trim();
        isIp = IsIp(trimmed);
        return isIp && System.Net.IPAddress.TryParse(trimmed, out var address) ? address.ToString() : Normalize(raw);
    }

    /// <summary>
    /// UserNameUtils::isIP: a dotted IPv4 address (also the old <c>1.2.3.xxx</c> cloak) or an IPv6 address; a bare
    /// number such as <c>1</c> is a name, although the platform's parser would read it as 0.0.0.1.
    /// </summary>
    public static bool IsIp(string name) =>
        AnyIpv4().IsMatch(name)
        || (name.Contains(':', StringComparison.Ordinal) && System.Net.IPAddress.TryParse(name, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

    /// <summary>UserNameUtils::isValid, for a name already in its <see cref="Normalize"/>d form.</summary>
    public static bool IsValid(string name, NamespaceTable namespaces)
    {
        if (name.Length == 0 || IsIp(name) || name.Contains('/', StringComparison.Ordinal)
            || Encoding.UTF8.GetByteCount(name) > MaxNameBytes || name != Normalize(name))
        {
            return false;
        }

        // The name must be one main-namespace title written as itself: no namespace or interwiki prefix, no characters titles forbid.
        return TitleParser.Parse(name, namespaces).Title is { Namespace: NamespaceTable.Main, Fragment: null } title
            && title.Text == name
            && !Troublemakers().IsMatch(name);
    }

    /// <summary>UserNameUtils::isUsable: valid, and not one of the names the software writes under.</summary>
    public static bool IsUsable(string name, NamespaceTable namespaces) => IsValid(name, namespaces) && !Reserved.Contains(name);

    /// <summary>UserNameUtils::isCreatable: usable, at most 235 bytes, and none of <c>@:&gt;=</c> ($wgInvalidUsernameCharacters).</summary>
    public static bool IsCreatable(string name, NamespaceTable namespaces) =>
        Encoding.UTF8.GetByteCount(name) <= MaxCreatableBytes
        && name.AsSpan().IndexOfAny(InvalidCreatableCharacters) < 0
        && IsUsable(name, namespaces);

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.(?:xxx|\d{1,3})$")]
    private static partial Regex AnyIpv4();

    /// <summary>Latin-1 controls, the no-break space, the typographic spaces and direction marks, breaks, the ideographic space and private use.</summary>
    [GeneratedRegex("[\u0080-\u009f\u00a0\u2000-\u200f\u2028-\u202f\u3000\ue000-\uf8ff]")]
    private static partial Regex Troublemakers();
}
