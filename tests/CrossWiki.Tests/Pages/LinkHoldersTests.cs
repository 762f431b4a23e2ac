using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

/// <summary>
/// Internal links are rendered as holders and filled once their targets' existence is known; the filled
/// HTML is exactly the blue or red link the renderer wrote before link batches.
/// </summary>
public sealed class LinkHoldersTests
{
    private static readonly NamespaceTable Table = NamespaceTable.Create("Test Wiki");

    private static LinkHolders Holders(string wikitext) => WikitextRenderer.RenderWithHolders(wikitext, Table, "/wiki/$1", "/w");

    private static string Body(string html) => html["<div class=\"mw-parser-output\"><p>".Length..^"\n</p></div>".Length];

    [Fact]
    public void Fill_ExistingTarget_IsBlueLink()
    {
        var holders = Holders("[[Foo bar|the label]]");

        Assert.Equal("<a href=\"/wiki/Foo_bar\" title=\"Foo bar\">the label</a>", Body(holders.Fill([true])));
    }

    [Fact]
    public void Fill_MissingTarget_IsRedLinkToTheEditForm()
    {
        var holders = Holders("[[Foo & bar]]");

        Assert.Equal(
            "<a href=\"/w/index.php?title=Foo_%26_bar&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Foo &amp; bar (page does not exist)\">Foo &amp; bar</a>",
            Body(holders.Fill([false])));
    }

    [Fact]
    public void Fill_Fragment_KeptOnBlueLinkOnly()
    {
        var holders = Holders("[[Foo#Some part]]");

        Assert.Equal("<a href=\"/wiki/Foo#Some_part\" title=\"Foo\">Foo#Some part</a>", Body(holders.Fill([true])));
        Assert.Equal(
            "<a href=\"/w/index.php?title=Foo&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Foo (page does not exist)\">Foo#Some part</a>",
            Body(holders.Fill([false])));
    }

    [Fact]
    public void Fill_MissingSpecialPage_KeepsArticleUrlAndIsNotMissing()
    {
        var holders = Holders("[[Special:Nope]]");
        bool[] exists = [false];

        Assert.Equal("<a href=\"/wiki/Special:Nope\" class=\"new\" title=\"Special:Nope (page does not exist)\">Special:Nope</a>", Body(holders.Fill(exists)));
        Assert.Empty(holders.Missing(exists));
    }

    [Fact]
    public void Targets_SameTargetTwiceAndMixedNamespaces_ListedOnceEachInFirstSeenOrder()
    {
        var holders = Holders("[[User talk:Bob]] [[Foo]] [[foo#x]] [[Talk:Foo|t]] [[User_talk:Bob]]");

        Assert.Equal([(NamespaceTable.UserTalk, "Bob"), (NamespaceTable.Main, "Foo"), (NamespaceTable.Talk, "Foo")], holders.Targets);
        Assert.Equal(
            "<a href=\"/wiki/User_talk:Bob\" title=\"User talk:Bob\">User talk:Bob</a> "
            + "<a href=\"/w/index.php?title=Foo&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Foo (page does not exist)\">Foo</a> "
            + "<a href=\"/w/index.php?title=Foo&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Foo (page does not exist)\">foo#x</a> "
            + "<a href=\"/wiki/Talk:Foo\" title=\"Talk:Foo\">t</a> "
            + "<a href=\"/wiki/User_talk:Bob\" title=\"User talk:Bob\">User_talk:Bob</a>",
            Body(holders.Fill([true, false, true])));
        Assert.Equal([(NamespaceTable.Main, "Foo")], holders.Missing([true, false, true]));
    }

    [Fact]
    public void FillUtf8_NonAsciiTitle_SameAsFillInUtf8()
    {
        var holders = Holders("[[Été]] [[日本]]");
        bool[] exists = [true, false];

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(holders.Fill(exists)), holders.FillUtf8(exists));
        Assert.Contains("<a href=\"/wiki/%C3%89t%C3%A9\" title=\"Été\">Été</a>", holders.Fill(exists), StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_LinkInHeading_AnchorIgnoresHolder()
    {
        var html = Holders("== See [[Foo]] ==").Fill([true]);

        Assert.Equal(
            "<div class=\"mw-parser-output\"><h2><span class=\"mw-headline\" id=\"See_Foo\">See <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></span></h2></div>",
            html);
    }

    [Fact]
    public void Fill_WrongNumberOfAnswers_Throws()
    {
        Assert.Throws<ArgumentException>(() => Holders("[[A]] [[B]]").Fill([true]));
    }

    [Fact]
    public void Render_DelInText_CannotForgeHolder()
    {
        var holders = Holders("<\u007F0\u007F>x [[Foo]]");

        Assert.Equal("&lt;0&gt;x <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a>", Body(holders.Fill([true])));
    }
}
