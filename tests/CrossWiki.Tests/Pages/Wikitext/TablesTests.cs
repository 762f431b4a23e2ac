namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Table syntax, each case with the HTML MediaWiki 1.39 writes for it (doTableStuff, then RemexHtml's tbody).</summary>
public sealed class TablesTests
{
    [Theory]
    [InlineData("{|\n|a\n|}", "<table>\n<tbody><tr>\n<td>a\n</td></tr></tbody></table>")]
    [InlineData("{| class=\"wikitable\"\n! A !! B\n|-\n| 1 || 2\n|}",
        "<table class=\"wikitable\">\n<tbody><tr>\n<th>A</th>\n<th>B\n</th></tr>\n<tr>\n<td>1</td>\n<td>2\n</td></tr></tbody></table>")]
    [InlineData("{|\n|+ Cap\n|-\n|x\n|}", "<table>\n<caption>Cap\n</caption>\n<tbody><tr>\n<td>x\n</td></tr></tbody></table>")]
    [InlineData("{|\n|- style=\"color:red\"\n|a\n|}", "<table>\n\n<tbody><tr style=\"color:red\">\n<td>a\n</td></tr></tbody></table>")]
    [InlineData("{|\n| style=\"color:red\" | a\n|}", "<table>\n<tbody><tr>\n<td style=\"color:red\">a\n</td></tr></tbody></table>")]
    [InlineData("{|\n! scope=\"col\" | H\n|}", "<table>\n<tbody><tr>\n<th scope=\"col\">H\n</th></tr></tbody></table>")]
    [InlineData("{|\n|a||b||c\n|}", "<table>\n<tbody><tr>\n<td>a</td>\n<td>b</td>\n<td>c\n</td></tr></tbody></table>")]
    [InlineData("{|\n!a!!b\n|}", "<table>\n<tbody><tr>\n<th>a</th>\n<th>b\n</th></tr></tbody></table>")]
    [InlineData("{|\n!a||b\n|}", "<table>\n<tbody><tr>\n<th>a</th>\n<th>b\n</th></tr></tbody></table>")]
    [InlineData("{|\n| a !! b\n|}", "<table>\n<tbody><tr>\n<td>a&#160;!! b\n</td></tr></tbody></table>")]
    [InlineData("{|\n|a\nb\n|}", "<table>\n<tbody><tr>\n<td>a\n<p>b\n</p>\n</td></tr></tbody></table>")]
    [InlineData("{|\n|[[Foo|bar]]\n|}", "<table>\n<tbody><tr>\n<td><a href=\"/wiki/Foo\" title=\"Foo\">bar</a>\n</td></tr></tbody></table>")]
    [InlineData("{|\n| ''i'' | x\n|}", "<table>\n<tbody><tr>\n<td>x\n</td></tr></tbody></table>")]
    [InlineData("{|\n|\n{|\n|x\n|}\n|}",
        "<table>\n<tbody><tr>\n<td>\n<table>\n<tbody><tr>\n<td>x\n</td></tr></tbody></table>\n</td></tr></tbody></table>")]
    [InlineData(":{|\n|a\n|}", "<dl><dd><table>\n<tbody><tr>\n<td>a\n</td></tr></tbody></table></dd></dl>")]
    [InlineData("::{|\n|a\n|}", "<dl><dd><dl><dd><table>\n<tbody><tr>\n<td>a\n</td></tr></tbody></table></dd></dl></dd></dl>")]
    [InlineData("x\n{|\n|a\n|}\ny", "<p>x\n</p>\n<table>\n<tbody><tr>\n<td>a\n</td></tr></tbody></table>\n<p>y\n</p>")]
    [InlineData("{| onclick=\"x()\" class=\"a\"\n|b\n|}", "<table class=\"a\">\n<tbody><tr>\n<td>b\n</td></tr></tbody></table>")]
    [InlineData("{| style=\"background:url(x.png)\"\n|b\n|}", "<table style=\"/* insecure input */\">\n<tbody><tr>\n<td>b\n</td></tr></tbody></table>")]
    [InlineData("{|\n|a\n|-\n|b\n|}", "<table>\n<tbody><tr>\n<td>a\n</td></tr>\n<tr>\n<td>b\n</td></tr></tbody></table>")]
    [InlineData("{|\n|-\n|a\n|}", "<table>\n\n<tbody><tr>\n<td>a\n</td></tr></tbody></table>")]
    [InlineData("{|\n| colspan=2 | a\n|}", "<table>\n<tbody><tr>\n<td colspan=\"2\">a\n</td></tr></tbody></table>")]
    [InlineData("{|\n|a\n", "<table>\n<tbody><tr>\n<td>a\n</td>\n</tr>\n</tbody></table>")]
    [InlineData("{|\n|}", "<table>\n<tbody><tr><td></td></tr></tbody></table>")]
    [InlineData("|a\n|}", "<p>|a\n|}\n</p>")]
    [InlineData("<nowiki>{|</nowiki>\n|a\n|}", "<p>{|\n|a\n|}\n</p>")]
    [InlineData("{|\n|'''b'''\n|}", "<table>\n<tbody><tr>\n<td><b>b</b>\n</td></tr></tbody></table>")]
    [InlineData("{|\n|\n* x\n|}", "<table>\n<tbody><tr>\n<td>\n<ul><li>x</li></ul>\n</td></tr></tbody></table>")]
    public void Table_Wikitext_MatchesMediaWiki(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }
}
