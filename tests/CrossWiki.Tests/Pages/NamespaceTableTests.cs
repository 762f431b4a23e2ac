using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

public sealed class NamespaceTableTests
{
    private static readonly NamespaceTable Table = NamespaceTable.Create("Example Wikipedia");

    [Fact]
    public void All_DefaultTable_HasEighteenNamespacesInIdOrder()
    {
        Assert.Equal(Enumerable.Range(-2, 18), Table.All.Select(ns => ns.Id));
    }

    [Theory]
    [InlineData(-2, "Media", "Media", false, false, false)]
    [InlineData(-1, "Special", "Special", false, false, false)]
    [InlineData(0, "", null, false, true, false)]
    [InlineData(1, "Talk", "Talk", true, false, true)]
    [InlineData(2, "User", "User", true, false, false)]
    [InlineData(3, "User talk", "User talk", true, false, true)]
    [InlineData(4, "Example Wikipedia", "Project", true, false, false)]
    [InlineData(5, "Example Wikipedia talk", "Project talk", true, false, true)]
    [InlineData(6, "File", "File", false, false, false)]
    [InlineData(7, "File talk", "File talk", true, false, true)]
    [InlineData(8, "MediaWiki", "MediaWiki", true, false, false)]
    [InlineData(9, "MediaWiki talk", "MediaWiki talk", true, false, true)]
    [InlineData(10, "Template", "Template", true, false, false)]
    [InlineData(11, "Template talk", "Template talk", true, false, true)]
    [InlineData(12, "Help", "Help", true, false, false)]
    [InlineData(13, "Help talk", "Help talk", true, false, true)]
    [InlineData(14, "Category", "Category", false, false, false)]
    [InlineData(15, "Category talk", "Category talk", true, false, true)]
    public void Indexer_DefaultNamespace_MatchesMediaWikiDefaults(
        int id, string name, string? canonical, bool subpages, bool content, bool isTalk)
    {
        NamespaceInfo ns = Table[id];
        Assert.Equal(new NamespaceInfo(id, name, canonical, subpages, content, isTalk), ns);
    }

    [Fact]
    public void Create_SitenameWithUnderscores_UsesSpacesInProjectNames()
    {
        NamespaceTable table = NamespaceTable.Create("  My_Wiki ");
        Assert.Equal("My Wiki", table[4].Name);
        Assert.Equal("My Wiki talk", table[5].Name);
        Assert.Equal("My Wiki", table.Sitename);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("__")]
    public void Create_BlankSitename_Throws(string sitename)
    {
        Assert.Throws<ArgumentException>(() => NamespaceTable.Create(sitename));
    }

    [Fact]
    public void Aliases_DefaultTable_AreImageAndImageTalk()
    {
        Assert.Equal([new NamespaceAlias(6, "Image"), new NamespaceAlias(7, "Image talk")], Table.Aliases);
    }

    [Theory]
    [InlineData("User", 2)]
    [InlineData("user", 2)]
    [InlineData("USER_TALK", 3)]
    [InlineData(" User talk ", 3)]
    [InlineData("user__talk", 3)]
    [InlineData("Image", 6)]
    [InlineData("image_talk", 7)]
    [InlineData("File", 6)]
    [InlineData("Project", 4)]
    [InlineData("project talk", 5)]
    [InlineData("Example Wikipedia", 4)]
    [InlineData("example_wikipedia", 4)]
    [InlineData("Example_Wikipedia_talk", 5)]
    [InlineData("Special", -1)]
    [InlineData("media", -2)]
    [InlineData("MEDIAWIKI", 8)]
    [InlineData("Template", 10)]
    [InlineData("help talk", 13)]
    [InlineData("Category", 14)]
    [InlineData("Talk", 1)]
    public void TryResolve_KnownName_ReturnsId(string prefix, int expected)
    {
        Assert.True(Table.TryResolve(prefix, out int id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Main")]
    [InlineData("Article")]
    [InlineData("Foo")]
    [InlineData("Usertalk")]
    public void TryResolve_UnknownName_ReturnsFalse(string prefix)
    {
        Assert.False(Table.TryResolve(prefix, out _));
    }

    [Fact]
    public void TryGet_UnknownId_ReturnsFalse()
    {
        Assert.False(Table.TryGet(16, out NamespaceInfo? info));
        Assert.Null(info);
    }

    [Fact]
    public void TryGet_KnownId_ReturnsInfo()
    {
        Assert.True(Table.TryGet(3, out NamespaceInfo? info));
        Assert.Equal("User talk", info.Name);
    }

    [Fact]
    public void Indexer_UnknownId_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Table[99]);
    }
}
