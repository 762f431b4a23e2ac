namespace CrossWiki.Server.Pages;

internal sealed record Title(int Namespace, string NamespaceName, string DbKey, string? Fragment)
{
    public string Text => DbKey.Replace('_', ' ');

    public string PrefixedText => NamespaceName.Length == 0 ? Text : NamespaceName + ":" + Text;

    public string PrefixedDbKey => PrefixedText.Replace(' ', '_');

    public static Title Create(NamespaceTable table, int ns, string dbKey, string? fragment = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dbKey);
        return new Title(ns, table[ns].Name, dbKey.Replace(' ', '_'), fragment);
    }

    /// <summary>A talk namespace's page (odd namespaces pair with the even one before them).</summary>
    public bool IsTalk => Namespace > 0 && Namespace % 2 == 1;

    /// <summary>The talk page of this subject page, or the page itself when it is a talk page.</summary>
    public Title TalkPage(NamespaceTable table) => IsTalk ? this : Create(table, Namespace + 1, DbKey);

    public override string ToString() => PrefixedText;
}
