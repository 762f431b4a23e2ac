using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>The table of contents and the section edit links, with MediaWiki 1.39's HTML (Linker::tocList and its parts).</summary>
public sealed class TocTests
{
    private const string TocStart =
        "<div id=\"toc\" class=\"toc\" role=\"navigation\" aria-labelledby=\"mw-toc-heading\"><input type=\"checkbox\" role=\"button\" id=\"toctogglecheckbox\" class=\"toctogglecheckbox\" style=\"display:none\" /><div class=\"toctitle\" lang=\"en\" dir=\"ltr\"><h2 id=\"mw-toc-heading\">Contents</h2><span class=\"toctogglespan\"><label class=\"toctogglelabel\" for=\"toctogglecheckbox\"></label></span></div>";

    private const string TocEnd = "</ul>\n</div>\n\n";

    private static readonly NamespaceTable Table = NamespaceTable.Create("Test Wiki");

    private static string Render(string wikitext, RenderOptions? options = null)
    {
        LinkHolders holders = WikitextRenderer.RenderWithHolders(wikitext, Table, "/wiki/$1", "/w", options);
        string html = holders.Fill([.. holders.Targets.Select(_ => true)]);
        const string Prefix = "<div class=\"mw-parser-output\">";
        return html.StartsWith(Prefix, StringComparison.Ordinal) ? html[Prefix.Length..^"</div>".Length] : html;
    }

    private static string Line(int tocLevel, int section, string anchor, string number, string text) =>
        $"<li class=\"toclevel-{tocLevel} tocsection-{section}\"><a href=\"#{anchor}\"><span class=\"tocnumber\">{number}</span> <span class=\"toctext\">{text}</span></a>";

    private static string H(int level, string id, string text) => $"<h{level}><span class=\"mw-headline\" id=\"{id}\">{text}</span></h{level}>";

    [Fact]
    public void Toc_FourHeadings_ComesBeforeTheFirstHeading()
    {
        string expected = "<p>intro\n</p>\n" + TocStart + "\n<ul>\n"
            + Line(1, 1, "A", "1", "A") + "</li>\n"
            + Line(1, 2, "B", "2", "B") + "</li>\n"
            + Line(1, 3, "C", "3", "C") + "</li>\n"
            + Line(1, 4, "D", "4", "D") + "</li>\n" + TocEnd
            + H(2, "A", "A") + "\n" + H(2, "B", "B") + "\n" + H(2, "C", "C") + "\n" + H(2, "D", "D");
        Assert.Equal(expected, Render("intro\n==A==\n==B==\n==C==\n==D=="));
    }

    [Fact]
    public void Toc_NestedHeadings_AreNumberedAndIndented()
    {
        string expected = TocStart + "\n<ul>\n"
            + Line(1, 1, "A", "1", "A") + "\n<ul>\n"
            + Line(2, 2, "A1", "1.1", "A1") + "\n<ul>\n"
            + Line(3, 3, "A1a", "1.1.1", "A1a") + "</li>\n</ul>\n</li>\n</ul>\n</li>\n"
            + Line(1, 4, "B", "2", "B") + "\n<ul>\n"
            + Line(2, 5, "B1", "2.1", "B1") + "</li>\n</ul>\n</li>\n" + TocEnd
            + H(2, "A", "A") + "\n" + H(3, "A1", "A1") + "\n" + H(4, "A1a", "A1a") + "\n" + H(2, "B", "B") + "\n" + H(3, "B1", "B1");
        Assert.Equal(expected, Render("==A==\n===A1===\n====A1a====\n==B==\n===B1==="));
    }

    [Fact]
    public void Toc_LevelSkipped_CountsOneTocLevel()
    {
        string html = Render("==A==\n====A1====\n==B==\n==C==");
        Assert.Contains(Line(2, 2, "A1", "1.1", "A1"), html, StringComparison.Ordinal);
        Assert.Contains(Line(1, 3, "B", "2", "B"), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("==A==\n==B==\n==C==")]
    [InlineData("__NOTOC__\n==A==\n==B==\n==C==\n==D==")]
    [InlineData("__FORCETOC__\n__NOTOC__\n==A==")]
    [InlineData("x")]
    [InlineData("__FORCETOC__")]
    public void Toc_FewHeadingsOrNotoc_IsAbsent(string wikitext)
    {
        Assert.DoesNotContain("id=\"toc\"", Render(wikitext), StringComparison.Ordinal);
    }

    [Fact]
    public void Toc_ForceToc_ShowsForOneHeading()
    {
        Assert.Equal(TocStart + "\n<ul>\n" + Line(1, 1, "A", "1", "A") + "</li>\n" + TocEnd + H(2, "A", "A"), Render("__FORCETOC__\n==A=="));
    }

    [Fact]
    public void Toc_TocMagicWord_PlacesItThere()
    {
        string html = Render("==A==\ntext\n__TOC__\n==B==");
        int toc = html.IndexOf("id=\"toc\"", StringComparison.Ordinal);
        Assert.True(toc > html.IndexOf("text", StringComparison.Ordinal));
        Assert.True(toc < html.IndexOf("id=\"B\"", StringComparison.Ordinal));
        Assert.StartsWith(H(2, "A", "A") + "\n<p>text\n</p>\n<div id=\"toc\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Toc_DisabledByOption_IsAbsent()
    {
        Assert.DoesNotContain("id=\"toc\"", Render("==A==\n==B==\n==C==\n==D==", new RenderOptions(Toc: false)), StringComparison.Ordinal);
    }

    [Fact]
    public void Toc_HeadingMarkup_KeepsOnlyTheAllowedTags()
    {
        string html = Render("__FORCETOC__\n== ''It'' [[Foo|link]] <sup>2</sup> <span style=\"x\">s</span> ==");
        Assert.Contains("<span class=\"toctext\"><i>It</i> link <sup>2</sup> <span>s</span></span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Toc_RepeatedHeadings_LinkToUniqueAnchors()
    {
        string html = Render("__FORCETOC__\n==A==\n==A==");
        Assert.Contains(Line(1, 2, "A_2", "2", "A"), html, StringComparison.Ordinal);
    }

    [Fact]
    public void EditSection_WithTitle_FollowsTheHeadline()
    {
        var options = new RenderOptions(Title: Title.Create(Table, 0, "Main_Page"));
        Assert.Equal(
            "<h2><span class=\"mw-headline\" id=\"A_b\">A b</span><span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span><a href=\"/w/index.php?title=Main_Page&amp;action=edit&amp;section=1\" title=\"Edit section: A b\">edit</a><span class=\"mw-editsection-bracket\">]</span></span></h2>\n"
            + "<h3><span class=\"mw-headline\" id=\"C\">C</span><span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span><a href=\"/w/index.php?title=Main_Page&amp;action=edit&amp;section=2\" title=\"Edit section: C\">edit</a><span class=\"mw-editsection-bracket\">]</span></span></h3>",
            Render("== A b ==\n=== C ===", options));
    }

    [Fact]
    public void EditSection_TitleInOtherNamespace_IsEncoded()
    {
        var options = new RenderOptions(Title: Title.Create(Table, 2, "Bob/A&B"));
        Assert.Contains("href=\"/w/index.php?title=User:Bob/A%26B&amp;action=edit&amp;section=1\" title=\"Edit section: x &amp; y\"", Render("== x & y ==", options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("__NOEDITSECTION__\n== A ==")]
    [InlineData("== A ==\n__noeditsection__")]
    public void EditSection_NoEditSection_IsAbsent(string wikitext)
    {
        Assert.Equal(H(2, "A", "A"), Render(wikitext, new RenderOptions(Title: Title.Create(Table, 0, "X"))));
    }

    [Fact]
    public void EditSection_DisabledByOption_IsAbsent()
    {
        Assert.Equal(H(2, "A", "A"), Render("== A ==", new RenderOptions(Title: Title.Create(Table, 0, "X"), EditSections: false)));
    }

    [Fact]
    public void Sections_Headings_AreListedAsParseSectionsDoes()
    {
        LinkHolders holders = WikitextRenderer.RenderWithHolders("==A==\n===B===\n== ''C'' ==", Table, "/wiki/$1", "/w");
        Assert.Equal(
            [new SectionInfo(1, 2, "A", "1", 1, "A"), new SectionInfo(2, 3, "B", "1.1", 2, "B"), new SectionInfo(1, 2, "<i>C</i>", "2", 3, "C")],
            holders.Sections);
    }

    [Fact]
    public void WrapClass_Empty_LeavesNoWrapper()
    {
        LinkHolders holders = WikitextRenderer.RenderWithHolders("x", Table, "/wiki/$1", "/w", new RenderOptions(WrapClass: ""));
        Assert.Equal("<p>x\n</p>", holders.Fill([]));
        holders = WikitextRenderer.RenderWithHolders("x", Table, "/wiki/$1", "/w", new RenderOptions(WrapClass: "my-class"));
        Assert.Equal("<div class=\"my-class\"><p>x\n</p></div>", holders.Fill([]));
    }
}
