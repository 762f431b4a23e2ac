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

    public override string ToString() => PrefixedText;
}
