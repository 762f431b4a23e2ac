namespace CrossWiki.Server.Accounts;

/// <summary>Who a request acts as: a farm-wide account, or an anonymous user named by the client IP.</summary>
internal sealed class WikiUser
{
    /// <summary>Every anonymous user has the same groups and rights; they are worked out once.</summary>
    private static readonly IReadOnlyList<string> AnonymousGroups = Accounts.Rights.EffectiveGroups([], registered: false);
    private static readonly IReadOnlyList<string> AnonymousRights = Accounts.Rights.ForGroups(AnonymousGroups);
    private static readonly HashSet<string> AnonymousRightSet = new(AnonymousRights, StringComparer.Ordinal);

    private HashSet<string>? _rightSet;

    private WikiUser(int id, string name, IReadOnlyList<string> groups, IReadOnlyList<string> rights, HashSet<string>? rightSet = null)
    {
        Id = id;
        Name = name;
        Groups = groups;
        Rights = rights;
        _rightSet = rightSet;
    }

    public int Id { get; }

    public string Name { get; }

    public bool IsAnonymous => Id == 0;

    public IReadOnlyList<string> Groups { get; }

    public IReadOnlyList<string> Rights { get; }

    /// <summary>An anonymous user; with rights <paramref name="revoked"/> from groups (<c>$wgRevokePermissions</c>), those of <c>*</c> are taken away.</summary>
    public static WikiUser Anonymous(string ip, IReadOnlyDictionary<string, IReadOnlyList<string>>? revoked = null) =>
        revoked is null || !revoked.ContainsKey("*")
            ? new(0, ip, AnonymousGroups, AnonymousRights, AnonymousRightSet)
            : new(0, ip, AnonymousGroups, Accounts.Rights.ForGroups(AnonymousGroups, revoked));

    public static WikiUser Registered(int id, string name, string storedGroups, IReadOnlyDictionary<string, IReadOnlyList<string>>? revoked = null)
    {
        var groups = Accounts.Rights.EffectiveGroups(ParseGroups(storedGroups), registered: true);
        return new WikiUser(id, name, groups, Accounts.Rights.ForGroups(groups, revoked));
    }

    public static string[] ParseGroups(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool HasRight(string right) => (_rightSet ??= new HashSet<string>(Rights, StringComparer.Ordinal)).Contains(right);
}
