using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

public sealed class WikitextRendererTests
{
    private const string Prefix = "<div class=\"mw-parser-output\">";
    private const string Suffix = "</div>";

    private static readonly NamespaceTable Table = NamespaceTable.Create("Test Wiki");

    private static readonly HashSet<string> ExistingPages =
        ["Main Page", "Foo", "User:Bob", "A\"b", "Apple", "Special:RecentChanges"];

    private static readonly WikitextContext Context = new(
        Table, title => ExistingPages.Contains(title.PrefixedText), "/wiki/$1", "/w");

    internal static string Body(string wikitext)
    {
        string html = WikitextRenderer.Render(wikitext, Context);
        Assert.StartsWith(Prefix, html, StringComparison.Ordinal);
        Assert.EndsWith(Suffix, html, StringComparison.Ordinal);
        return html[Prefix.Length..^Suffix.Length];
    }

    [Fact]
    public void Render_EmptyText_ReturnsEmptyWrapper()
    {
        Assert.Equal("<div class=\"mw-parser-output\"></div>", WikitextRenderer.Render(string.Empty, Context));
    }

    [Theory]
    [InlineData("Hello", "<p>Hello\n</p>")]
    [InlineData("a\nb", "<p>a\nb\n</p>")]
    [InlineData("a\r\nb", "<p>a\nb\n</p>")]
    [InlineData("a\n\nb", "<p>a\n</p><p>b\n</p>")]
    [InlineData("a\n\n\nb", "<p>a\n</p><p><br />\nb\n</p>")]
    [InlineData("a\n  \nb", "<p>a\n</p><p>b\n</p>")]
    [InlineData("He said \"hi\" & left", "<p>He said \"hi\" &amp; left\n</p>")]
    public void Render_Paragraphs_MatchMediaWikiShape(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("= One =", "<h1><span class=\"mw-headline\" id=\"One\">One</span></h1>")]
    [InlineData("== Foo ==", "<h2><span class=\"mw-headline\" id=\"Foo\">Foo</span></h2>")]
    [InlineData("==Foo==", "<h2><span class=\"mw-headline\" id=\"Foo\">Foo</span></h2>")]
    [InlineData("=== Foo bar ===", "<h3><span class=\"mw-headline\" id=\"Foo_bar\">Foo bar</span></h3>")]
    [InlineData("==== Four ====  ", "<h4><span class=\"mw-headline\" id=\"Four\">Four</span></h4>")]
    [InlineData("===== Five =====", "<h5><span class=\"mw-headline\" id=\"Five\">Five</span></h5>")]
    [InlineData("====== Six ======", "<h6><span class=\"mw-headline\" id=\"Six\">Six</span></h6>")]
    [InlineData("======= Seven =======", "<h6><span id=\".3D_Seven_.3D\"></span><span class=\"mw-headline\" id=\"=_Seven_=\">= Seven =</span></h6>")]
    [InlineData("===Uneven==", "<h2><span id=\".3DUneven\"></span><span class=\"mw-headline\" id=\"=Uneven\">=Uneven</span></h2>")]
    [InlineData("== ''Styled'' text ==", "<h2><span class=\"mw-headline\" id=\"Styled_text\"><i>Styled</i> text</span></h2>")]
    [InlineData("== A & \"B\" <c> ==", "<h2><span id=\"A_.26_.22B.22_.3Cc.3E\"></span><span class=\"mw-headline\" id=\"A_&amp;_&quot;B&quot;_&lt;c&gt;\">A &amp; \"B\" &lt;c&gt;</span></h2>")]
    [InlineData("== [[Foo|Link]] here ==", "<h2><span class=\"mw-headline\" id=\"Link_here\"><a href=\"/wiki/Foo\" title=\"Foo\">Link</a> here</span></h2>")]
    public void Render_Heading_ProducesHeadlineSpan(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("== Foo", "<p>== Foo\n</p>")]
    [InlineData("Foo ==", "<p>Foo ==\n</p>")]
    [InlineData("==", "<p>==\n</p>")]
    [InlineData(" == Foo ==", "<pre>== Foo ==\n</pre>")]
    [InlineData("* == Foo ==", "<ul><li>== Foo ==</li></ul>")]
    public void Render_IncompleteOrIndentedHeading_IsNotAHeading(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Fact]
    public void Render_HeadingFollowedByText_ClosesHeadingBlock()
    {
        Assert.Equal(
            "<p>intro\n</p>\n<h2><span class=\"mw-headline\" id=\"A\">A</span></h2>\n<p>text\n</p>",
            Body("intro\n== A ==\ntext"));
    }

    [Fact]
    public void Render_DuplicateHeadings_GetNumberedIds()
    {
        string html = Body("== A ==\n== A ==\n== a ==");
        Assert.Contains("id=\"A\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"A_2\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"a_3\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("''i''", "<i>i</i>")]
    [InlineData("'''b'''", "<b>b</b>")]
    [InlineData("'''''bi'''''", "<i><b>bi</b></i>")]
    [InlineData("'''''b''' i''", "<i><b>b</b> i</i>")]
    [InlineData("'''''i'' b'''", "<b><i>i</i> b</b>")]
    [InlineData("''a '''b''' c''", "<i>a <b>b</b> c</i>")]
    [InlineData("'''a ''b'' c'''", "<b>a <i>b</i> c</b>")]
    [InlineData("''a '''b'' c'''", "<i>a <b>b</b></i><b> c</b>")]
    [InlineData("''unclosed", "<i>unclosed</i>")]
    [InlineData("'''unclosed", "<b>unclosed</b>")]
    [InlineData("'''''unclosed", "<b><i>unclosed</i></b>")]
    [InlineData("'''b ''bi", "'<i>b </i>bi")]
    [InlineData("x '''b'' i", "x '<i>b</i> i")]
    [InlineData("a b'''c'' d", "a b'<i>c</i> d")]
    [InlineData("l'''amour''", "l'<i>amour</i>")]
    [InlineData("''''bold''''", "'<b>bold'</b>")]
    [InlineData("''''''six''''''", "'<i><b>six'</b></i>")]
    [InlineData("it's", "it's")]
    [InlineData("''", "<i></i>")]
    public void Render_Quotes_FollowMediaWikiRules(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("[[Foo]]", "<a href=\"/wiki/Foo\" title=\"Foo\">Foo</a>")]
    [InlineData("[[foo]]", "<a href=\"/wiki/Foo\" title=\"Foo\">foo</a>")]
    [InlineData("[[Foo|bar]]", "<a href=\"/wiki/Foo\" title=\"Foo\">bar</a>")]
    [InlineData("[[Foo|a|b]]", "<a href=\"/wiki/Foo\" title=\"Foo\">a|b</a>")]
    [InlineData("[[Foo|''it'']]", "<a href=\"/wiki/Foo\" title=\"Foo\"><i>it</i></a>")]
    [InlineData("[[Foo#Sec tion|x]]", "<a href=\"/wiki/Foo#Sec_tion\" title=\"Foo\">x</a>")]
    [InlineData("[[Foo#]]", "<a href=\"/wiki/Foo\" title=\"Foo\">Foo#</a>")]
    [InlineData("[[apple]]s", "<a href=\"/wiki/Apple\" title=\"Apple\">apples</a>")]
    [InlineData("[[Foo|x]]es.", "<a href=\"/wiki/Foo\" title=\"Foo\">xes</a>.")]
    [InlineData("[[Foo]]S", "<a href=\"/wiki/Foo\" title=\"Foo\">Foo</a>S")]
    [InlineData("[[main_Page]]", "<a href=\"/wiki/Main_Page\" title=\"Main Page\">main_Page</a>")]
    [InlineData("[[user:bob|me]]", "<a href=\"/wiki/User:Bob\" title=\"User:Bob\">me</a>")]
    [InlineData("[[Special:RecentChanges]]", "<a href=\"/wiki/Special:RecentChanges\" title=\"Special:RecentChanges\">Special:RecentChanges</a>")]
    [InlineData("[[Foo%20bar]]", "<a href=\"/w/index.php?title=Foo_bar&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Foo bar (page does not exist)\">Foo bar</a>")]
    [InlineData("[[#Section two]]", "<a href=\"#Section_two\">#Section two</a>")]
    [InlineData("[[#a|b]]", "<a href=\"#a\">b</a>")]
    public void Render_InternalLink_ExistingOrSpecialForms(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("[[Missing page]]", "<a href=\"/w/index.php?title=Missing_page&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Missing page (page does not exist)\">Missing page</a>")]
    [InlineData("[[missing#frag|x]]", "<a href=\"/w/index.php?title=Missing&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Missing (page does not exist)\">x</a>")]
    [InlineData("[[User talk:Ann]]", "<a href=\"/w/index.php?title=User_talk:Ann&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"User talk:Ann (page does not exist)\">User talk:Ann</a>")]
    [InlineData("[[Café]]", "<a href=\"/w/index.php?title=Caf%C3%A9&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Café (page does not exist)\">Café</a>")]
    [InlineData("[[A&B?+]]", "<a href=\"/w/index.php?title=A%26B%3F%2B&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"A&amp;B?+ (page does not exist)\">A&amp;B?+</a>")]
    [InlineData("[[:Category:Foo]]", "<a href=\"/w/index.php?title=Category:Foo&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Category:Foo (page does not exist)\">Category:Foo</a>")]
    [InlineData("[[Special:Nope]]", "<a href=\"/wiki/Special:Nope\" class=\"new\" title=\"Special:Nope (page does not exist)\">Special:Nope</a>")]
    [InlineData("[[Project:About]]", "<a href=\"/w/index.php?title=Test_Wiki:About&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Test Wiki:About (page does not exist)\">Project:About</a>")]
    public void Render_InternalLink_MissingPageIsRedLink(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("[[a<b]]", "[[a&lt;b]]")]
    [InlineData("[[]]", "[[]]")]
    [InlineData("[[Foo|]]", "[[Foo|]]")]
    [InlineData("[[Talk:User:X]]", "[[Talk:User:X]]")]
    [InlineData("[[../x]]", "[[../x]]")]
    [InlineData("[[a{{b}}]]", "[[a{{b}}]]")]
    [InlineData("[[Foo", "[[Foo")]
    [InlineData("[[Foo|bar", "[[Foo|bar")]
    [InlineData("[[[Foo]]]", "[[[Foo]]]")]
    public void Render_InvalidInternalLink_StaysEscapedText(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Fact]
    public void Render_InternalLinkWithUrlTarget_BecomesBracketedExternalLink()
    {
        Assert.Equal(
            "<p>[<a rel=\"nofollow\" class=\"external text\" href=\"http://example.com\">x</a>]\n</p>",
            Body("[[http://example.com x]]"));
    }

    [Theory]
    [InlineData("[[Category:Things]]", "")]
    [InlineData("a\n[[Category:Things]]\nb", "<p>a\nb\n</p>")]
    [InlineData("a [[Category:Things]] b", "<p>a b\n</p>")]
    public void Render_CategoryLink_IsNotShownInline(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("[https://example.com label]", "<a rel=\"nofollow\" class=\"external text\" href=\"https://example.com\">label</a>")]
    [InlineData("[http://example.com/a?b=1&c=2 two words]", "<a rel=\"nofollow\" class=\"external text\" href=\"http://example.com/a?b=1&amp;c=2\">two words</a>")]
    [InlineData("[HTTPS://example.com x]", "<a rel=\"nofollow\" class=\"external text\" href=\"HTTPS://example.com\">x</a>")]
    [InlineData("[//example.com rel]", "<a rel=\"nofollow\" class=\"external text\" href=\"//example.com\">rel</a>")]
    [InlineData("[mailto:a@example.com mail me]", "<a rel=\"nofollow\" class=\"external text\" href=\"mailto:a@example.com\">mail me</a>")]
    [InlineData("[https://example.com '''bold''']", "<a rel=\"nofollow\" class=\"external text\" href=\"https://example.com\"><b>bold</b></a>")]
    [InlineData("[https://example.com]", "<a rel=\"nofollow\" class=\"external autonumber\" href=\"https://example.com\">[1]</a>")]
    [InlineData("[https://a.example] [https://b.example]", "<a rel=\"nofollow\" class=\"external autonumber\" href=\"https://a.example\">[1]</a> <a rel=\"nofollow\" class=\"external autonumber\" href=\"https://b.example\">[2]</a>")]
    [InlineData("[https://example.com [[Foo]]]", "<a rel=\"nofollow\" class=\"external text\" href=\"https://example.com\">[[Foo</a>]]")]
    public void Render_BracketedExternalLink_ProducesExternalAnchor(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("[ftp://example.com x]", "[ftp://example.com x]")]
    [InlineData("[javascript:alert(1) x]", "[javascript:alert(1) x]")]
    [InlineData("[data:text/html,<b>x</b> y]", "[data:text/html,<b>x</b> y]")]
    [InlineData("[https:// x]", "[https:// x]")]
    [InlineData("[example.com x]", "[example.com x]")]
    public void Render_UnsupportedScheme_StaysText(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("see https://example.com", "see <a rel=\"nofollow\" class=\"external free\" href=\"https://example.com\">https://example.com</a>")]
    [InlineData("http://example.com/a?b=1&c=2.", "<a rel=\"nofollow\" class=\"external free\" href=\"http://example.com/a?b=1&amp;c=2\">http://example.com/a?b=1&amp;c=2</a>.")]
    [InlineData("(http://example.com/x)", "(<a rel=\"nofollow\" class=\"external free\" href=\"http://example.com/x\">http://example.com/x</a>)")]
    [InlineData("http://example.com/Foo_(bar)", "<a rel=\"nofollow\" class=\"external free\" href=\"http://example.com/Foo_(bar)\">http://example.com/Foo_(bar)</a>")]
    [InlineData("https://example.com/<x>", "<a rel=\"nofollow\" class=\"external free\" href=\"https://example.com/\">https://example.com/</a>&lt;x&gt;")]
    [InlineData("xhttp://example.com", "xhttp://example.com")]
    [InlineData("http://", "http://")]
    [InlineData("//example.com", "//example.com")]
    [InlineData("javascript:alert(1)", "javascript:alert(1)")]
    public void Render_FreeUrl_LinksOnlyHttpSchemes(string wikitext, string expectedInline)
    {
        Assert.Equal("<p>" + expectedInline + "\n</p>", Body(wikitext));
    }

    [Theory]
    [InlineData("* a\n* b", "<ul><li>a</li>\n<li>b</li></ul>")]
    [InlineData("# a\n# b", "<ol><li>a</li>\n<li>b</li></ol>")]
    [InlineData("* a\n** b\n* c", "<ul><li>a\n<ul><li>b</li></ul></li>\n<li>c</li></ul>")]
    [InlineData("# a\n#* b", "<ol><li>a\n<ul><li>b</li></ul></li></ol>")]
    [InlineData("# a\n#* b\n# c", "<ol><li>a\n<ul><li>b</li></ul></li>\n<li>c</li></ol>")]
    [InlineData("** deep", "<ul><li><ul><li>deep</li></ul></li></ul>")]
    [InlineData("# a\n* b", "<ol><li>a</li></ol>\n<ul><li>b</li></ul>")]
    [InlineData("; term\n: def", "<dl><dt>term</dt>\n<dd>def</dd></dl>")]
    [InlineData("; term : def", "<dl><dt>term</dt>\n<dd>def</dd></dl>")]
    [InlineData("; [[Foo|a:b]] : def", "<dl><dt><a href=\"/wiki/Foo\" title=\"Foo\">a:b</a></dt>\n<dd>def</dd></dl>")]
    [InlineData(": indented", "<dl><dd>indented</dd></dl>")]
    [InlineData(";: x", "<dl><dt><dl><dd>x</dd></dl></dt></dl>")]
    [InlineData("; a\n; b", "<dl><dt>a</dt>\n<dt>b</dt></dl>")]
    [InlineData("*; a : b", "<ul><li><dl><dt>a</dt>\n<dd>b</dd></dl></li></ul>")]
    [InlineData(":: twice", "<dl><dd><dl><dd>twice</dd></dl></dd></dl>")]
    [InlineData("* ''it'' [[Foo]]", "<ul><li><i>it</i> <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></li></ul>")]
    [InlineData("a\n* b\nc", "<p>a\n</p>\n<ul><li>b</li></ul>\n<p>c\n</p>")]
    [InlineData("* a\n\n* b", "<ul><li>a</li></ul>\n<ul><li>b</li></ul>")]
    public void Render_Lists_NestAsMediaWikiDoes(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("<nowiki>''x'' [[Foo]]</nowiki>", "<p>''x'' [[Foo]]\n</p>")]
    [InlineData("<NoWiki>a</NOWIKI>", "<p>a\n</p>")]
    [InlineData("<nowiki><script>alert(1)</script></nowiki>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>")]
    [InlineData("<nowiki>&amp;</nowiki>", "<p>&amp;\n</p>")]
    [InlineData("<nowiki><!-- c --></nowiki>", "<p>&lt;!-- c --&gt;\n</p>")]
    [InlineData("a<nowiki/>b", "<p>ab\n</p>")]
    [InlineData("'<nowiki/>''x''", "<p>'<i>x</i>\n</p>")]
    [InlineData("<nowiki>unclosed ''x''", "<p>&lt;nowiki&gt;unclosed <i>x</i>\n</p>")]
    [InlineData("<nowiki>* a</nowiki>", "<p>* a\n</p>")]
    public void Render_Nowiki_EscapesWithoutParsing(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("<pre>''x''\n<b>&</pre>", "<pre>''x''\n&lt;b&gt;&amp;</pre>")]
    [InlineData("a\n<pre>[[Foo]]</pre>\nb", "<p>a\n</p>\n<pre>[[Foo]]</pre>\n<p>b\n</p>")]
    [InlineData("<pre><nowiki>x</nowiki></pre>", "<pre>x</pre>")]
    [InlineData("<pre>unclosed", "<p>&lt;pre&gt;unclosed\n</p>")]
    [InlineData("<pre class=\"x\">y</pre>", "<pre class=\"x\">y</pre>")]
    [InlineData(" pre line\n more", "<pre>pre line\nmore\n</pre>")]
    [InlineData(" ''x'' [[Foo]]", "<pre><i>x</i> <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a>\n</pre>")]
    [InlineData(" <b>", "<pre><b>\n</b></pre>")]
    [InlineData(" <script>", "<pre>&lt;script&gt;\n</pre>")]
    [InlineData(" a\n \n b", "<pre>a\n\nb\n</pre>")]
    [InlineData(" a\n\nb", "<pre>a\n</pre>\n<p>b\n</p>")]
    [InlineData("a\n b", "<p>a\n</p>\n<pre>b\n</pre>")]
    public void Render_Preformatted_EscapesContent(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("----", "<hr />")]
    [InlineData("------", "<hr />")]
    [InlineData("a\n----\nb", "<p>a\n</p>\n<hr />\n<p>b\n</p>")]
    [InlineData("---", "<p>---\n</p>")]
    public void Render_HorizontalRule_ProducesHr(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("a<!-- hidden -->b", "<p>ab\n</p>")]
    [InlineData("a\n<!-- own line -->\nb", "<p>a\nb\n</p>")]
    [InlineData("<!-- <nowiki> -->x", "<p>x\n</p>")]
    [InlineData("x<!-- unclosed", "<p>x\n</p>")]
    public void Render_Comment_IsRemoved(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>")]
    [InlineData("<b onclick=\"x()\">hi</b>", "<p><b>hi</b>\n</p>")]
    [InlineData("{{template|a=b}}", "<p>{{template|a=b}}\n</p>")]
    [InlineData("&amp; &lt;x&gt; &#60;", "<p>&amp; &lt;x&gt; &#60;\n</p>")]
    [InlineData("{| class=x\n|}", "<table class=\"x\">\n<tbody><tr><td></td></tr></tbody></table>")]
    [InlineData("__TOC__", "")]
    [InlineData("<div>x</div>", "<div>x</div>")]
    public void Render_UnsupportedMarkup_IsEscapedLiterally(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<SCRIPT SRC=//x></SCRIPT>")]
    [InlineData("[[a|<img src=x onerror=alert(1)>]]")]
    [InlineData("[[Foo|<script>x</script>]]")]
    [InlineData("[javascript:alert(1) x]")]
    [InlineData("[https://example.com/\"onmouseover=alert(1) x]")]
    [InlineData("[https://example.com \"><script>alert(1)</script>]")]
    [InlineData("https://example.com/\"><script>")]
    [InlineData("<nowiki><script></nowiki>")]
    [InlineData("<nowiki></nowiki><script>")]
    [InlineData("<pre></pre><script>")]
    [InlineData("== <script> ==")]
    [InlineData("* <script>")]
    [InlineData("; <script> : <img>")]
    [InlineData(" <script>")]
    [InlineData("''<script>''")]
    [InlineData("<!--\u007F0\u007F--><script>")]
    [InlineData("\u007F0\u007F<script>")]
    public void Render_XssAttempt_NeverEmitsActiveMarkup(string wikitext)
    {
        string html = Body(wikitext);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html.Replace("[javascript:", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        HtmlShape.AssertOnlyAllowedTags(html);
    }

    [Theory]
    [InlineData("[[#%7F0%7F]]<nowiki>z</nowiki>", "<p>[[#%7F0%7F]]z\n</p>")]
    [InlineData("[[A%0AB]]", "<p>[[A%0AB]]\n</p>")]
    public void Render_PercentEncodedControlCharacter_DoesNotForgeMarkers(string wikitext, string expected)
    {
        Assert.Equal(expected, Body(wikitext));
    }

    [Fact]
    public void Render_QuoteInExternalUrl_EndsUrlBeforeAttributeBreakout()
    {
        Assert.Equal(
            "<p><a rel=\"nofollow\" class=\"external text\" href=\"https://example.com/\">\"onmouseover=alert(1) x</a>\n</p>",
            Body("[https://example.com/\"onmouseover=alert(1) x]"));
    }

    [Fact]
    public void Render_QuoteInLinkTarget_IsEscapedInAttributes()
    {
        Assert.Equal(
            "<p><a href=\"/wiki/A%22b\" title=\"A&quot;b\">a\"b</a>\n</p>",
            Body("[[a\"b]]"));
    }

    [Fact]
    public void Render_QuoteInLabel_StaysInsideAnchor()
    {
        Assert.Equal(
            "<p><a href=\"/wiki/Foo\" title=\"Foo\">\" onclick=\"x</a>\n</p>",
            Body("[[Foo|\" onclick=\"x]]"));
    }

    [Fact]
    public void Render_QuoteInFragment_IsEscapedInHref()
    {
        Assert.Equal(
            "<p><a href=\"/wiki/Foo#a&quot;_onclick=&quot;x\" title=\"Foo\">y</a>\n</p>",
            Body("[[Foo#a\" onclick=\"x|y]]"));
    }

    [Theory]
    [InlineData("[[Foo")]
    [InlineData("[[Foo|''bar")]
    [InlineData("[https://example.com")]
    [InlineData("[https://example.com label")]
    [InlineData("'''''")]
    [InlineData("''a'''b")]
    [InlineData("<nowiki>")]
    [InlineData("</nowiki>")]
    [InlineData("<pre>")]
    [InlineData("<nowiki")]
    [InlineData("<!--")]
    [InlineData("== x")]
    [InlineData("=")]
    [InlineData("==\n==")]
    [InlineData(";")]
    [InlineData(";:")]
    [InlineData("*#:;")]
    [InlineData("]]")]
    [InlineData("[[|]]")]
    [InlineData("[[#]]")]
    [InlineData("[[:]]")]
    [InlineData("\u007F")]
    [InlineData("\u007F99\u007F")]
    public void Render_UnclosedMarkup_DoesNotThrowAndStaysEscaped(string wikitext)
    {
        string html = Body(wikitext);
        HtmlShape.AssertOnlyAllowedTags(html);
        HtmlShape.AssertWellFormed(html);
    }

    [Fact]
    public void Render_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => WikitextRenderer.Render(null!, Context));
        Assert.Throws<ArgumentNullException>(() => WikitextRenderer.Render("x", null!));
    }

    [Fact]
    public void Render_PageExists_ReceivesTitleWithoutFragment()
    {
        var seen = new List<string>();
        var ctx = Context with { PageExists = t => { seen.Add(t.PrefixedText + "|" + (t.Fragment ?? "null")); return true; } };
        WikitextRenderer.Render("[[user:bob#top]]", ctx);
        Assert.Equal(["User:Bob|null"], seen);
    }

    [Fact]
    public void Render_CustomPaths_AreUsedForHrefs()
    {
        var ctx = Context with { ArticlePath = "/index.php/$1", ScriptPath = "" };
        Assert.Equal(
            "<div class=\"mw-parser-output\"><p><a href=\"/index.php/Foo\" title=\"Foo\">Foo</a> <a href=\"/index.php?title=Bar&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Bar (page does not exist)\">Bar</a>\n</p></div>",
            WikitextRenderer.Render("[[Foo]] [[Bar]]", ctx));
    }

    [Theory]
    [InlineData("Foo_bar", "Foo_bar")]
    [InlineData("A b", "A+b")]
    [InlineData("a/b:c;d@e$f!g*h(i)j,k~l.m-n", "a/b:c;d@e$f!g*h(i)j,k~l.m-n")]
    [InlineData("a&b?c#d%e+f\"g'h", "a%26b%3Fc%23d%25e%2Bf%22g%27h")]
    [InlineData("é日", "%C3%A9%E6%97%A5")]
    public void WikiUrlEncode_Value_MatchesWfUrlencode(string value, string expected)
    {
        Assert.Equal(expected, WikiUrl.Encode(value));
    }
}
