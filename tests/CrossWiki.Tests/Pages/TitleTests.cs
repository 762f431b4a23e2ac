using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

public sealed class TitleTests
{
    private static readonly NamespaceTable Table = NamespaceTable.Create("Example Wikipedia");

    [Theory]
    [InlineData(0, "Foo_bar", "Foo bar", "Foo bar", "Foo_bar")]
    [InlineData(3, "Foo_bar", "Foo bar", "User talk:Foo bar", "User_talk:Foo_bar")]
    [InlineData(4, "About", "About", "Example Wikipedia:About", "Example_Wikipedia:About")]
    [InlineData(5, "A b", "A b", "Example Wikipedia talk:A b", "Example_Wikipedia_talk:A_b")]
    [InlineData(-1, "RecentChanges", "RecentChanges", "Special:RecentChanges", "Special:RecentChanges")]
    public void Create_NamespaceAndKey_ComputesDisplayForms(
        int ns, string key, string text, string prefixedText, string prefixedDbKey)
    {
        Title title = Title.Create(Table, ns, key);
        Assert.Equal(ns, title.Namespace);
        Assert.Equal(key.Replace(' ', '_'), title.DbKey);
        Assert.Equal(text, title.Text);
        Assert.Equal(prefixedText, title.PrefixedText);
        Assert.Equal(prefixedDbKey, title.PrefixedDbKey);
        Assert.Equal(prefixedText, title.ToString());
    }

    [Fact]
    public void Create_UnknownNamespace_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Title.Create(Table, 42, "X"));
    }
}
