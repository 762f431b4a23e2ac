namespace CrossWiki.Tests.Pages;

/// <summary>
/// Unclosed markup repeated many times must still render (a parser that backtracks quadratically would
/// make these run for minutes; the suite's overall time limit catches that, no stopwatch here).
/// </summary>
public sealed class WikitextLargeInputTests
{
    [Theory]
    [InlineData("[[")]
    [InlineData("[[a|")]
    [InlineData("[http://x ")]
    [InlineData("<nowiki>")]
    [InlineData("<pre>")]
    [InlineData("''")]
    [InlineData("'''")]
    [InlineData("http://x.org/ ")]
    [InlineData("== A ==\n")]
    [InlineData("* a\n")]
    [InlineData("#*:;")]
    [InlineData("<span>")]
    [InlineData("</b>")]
    [InlineData("<b><i>x</b>")]
    [InlineData("<span title=\"")]
    [InlineData("<ref>")]
    [InlineData("<ref>a</ref>")]
    [InlineData("<ref name=x />")]
    [InlineData("<references />")]
    [InlineData("<gallery>")]
    [InlineData("<poem>")]
    [InlineData("<syntaxhighlight>")]
    [InlineData("<div style=\"color:red\">")]
    [InlineData("{|\n")]
    [InlineData("{|\n|a||b\n")]
    [InlineData("|}\n")]
    [InlineData(":{|\n")]
    [InlineData("__TOC__")]
    [InlineData("== A ==\n__TOC__\n")]
    [InlineData("&amp;&#x41;&bogus")]
    public void Render_LargeRepetitiveInput_RendersEscapedOutput(string unit)
    {
        var wikitext = string.Concat(Enumerable.Repeat(unit, 20_000)) + "]]]" + "</nowiki>";

        var html = WikitextRendererTests.Body(wikitext);

        Assert.NotEmpty(html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
