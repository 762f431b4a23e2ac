namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Paragraphs around block-level HTML tags, as MediaWiki 1.39's BlockLevelPass places them.</summary>
public sealed class BlockLevelTests
{
    [Theory]
    [InlineData("<div>a</div>\nb", "<div>a</div>\n<p>b\n</p>")]
    [InlineData("a\n<div>b</div>", "<p>a\n</p>\n<div>b</div>")]
    [InlineData("<div>\n\na\n</div>", "<div>\n<p>a\n</p>\n</div>")]
    [InlineData("<blockquote>\nq\n</blockquote>", "<blockquote>\n<p>q\n</p>\n</blockquote>")]
    [InlineData("<center>\nc\n</center>", "<center>\n<p>c\n</p>\n</center>")]
    [InlineData("<span>a</span>\n\n<span>b</span>", "<p><span>a</span>\n</p><p><span>b</span>\n</p>")]
    [InlineData("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>")]
    [InlineData("<dl>\n<dt>a</dt>\n</dl>", "<dl>\n<dt>a</dt>\n</dl>")]
    [InlineData("<ol>\ntext\n</ol>", "<ol>\ntext\n</ol>")]
    [InlineData(" <div>x</div>", " <div>x</div>")]
    [InlineData("a <br> b", "<p>a <br /> b\n</p>")]
    [InlineData("a\n<p>b</p>\nc", "<p>a\n</p>\n<p>b</p>\n<p>c\n</p>")]
    [InlineData("<div>a\nb</div>", "<div>a\nb</div>")]
    [InlineData("* <span>a</span>", "<ul><li><span>a</span></li></ul>")]
    [InlineData("<small>a\nb</small>", "<p><small>a\nb</small>\n</p>")]
    [InlineData("<div>\n* a\n</div>", "<div>\n<ul><li>a</li></ul>\n</div>")]
    [InlineData("== A ==\n<div>x</div>", "<h2><span class=\"mw-headline\" id=\"A\">A</span></h2>\n<div>x</div>")]
    [InlineData("<div>x</div>\n\n\ny", "<div>x</div>\n<p><br />\ny\n</p>")]
    public void BlockTags_AroundText_PlaceParagraphsAsMediaWiki(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }
}
