using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>HTML in wikitext, each case with MediaWiki 1.39's output (Sanitizer, then RemexHtml's tidying).</summary>
public sealed class SanitizerTests
{
    [Theory]
    [InlineData("<span style=\"color:red\">x</span>", "<p><span style=\"color:red\">x</span>\n</p>")]
    [InlineData("<code>x</code>", "<p><code>x</code>\n</p>")]
    [InlineData("<small>s</small> <big>b</big>", "<p><small>s</small> <big>b</big>\n</p>")]
    [InlineData("x<sup>2</sup> H<sub>2</sub>O", "<p>x<sup>2</sup> H<sub>2</sub>O\n</p>")]
    [InlineData("<abbr title=\"Hyper Text\">HTML</abbr>", "<p><abbr title=\"Hyper Text\">HTML</abbr>\n</p>")]
    [InlineData("a<br>b", "<p>a<br />b\n</p>")]
    [InlineData("a<br/>b", "<p>a<br />b\n</p>")]
    [InlineData("a<br />b", "<p>a<br />b\n</p>")]
    [InlineData("a</br>b", "<p>a<br />b\n</p>")]
    [InlineData("a<br clear=\"all\">b", "<p>a<br clear=\"all\" />b\n</p>")]
    [InlineData("<hr>", "<hr />")]
    [InlineData("<s>s</s><strike>k</strike><u>u</u><ins>i</ins><del>d</del>", "<p><s>s</s><strike>k</strike><u>u</u><ins>i</ins><del>d</del>\n</p>")]
    [InlineData("<kbd>k</kbd><samp>s</samp><var>v</var><tt>t</tt><dfn>d</dfn><cite>c</cite><em>e</em><strong>s</strong>",
        "<p><kbd>k</kbd><samp>s</samp><var>v</var><tt>t</tt><dfn>d</dfn><cite>c</cite><em>e</em><strong>s</strong>\n</p>")]
    [InlineData("<ruby><rb>x</rb><rp>(</rp><rt>y</rt><rp>)</rp></ruby>", "<p><ruby><rb>x</rb><rp>(</rp><rt>y</rt><rp>)</rp></ruby>\n</p>")]
    [InlineData("<mark>m</mark> <bdi>b</bdi> <q cite=\"x\">q</q>", "<p><mark>m</mark> <bdi>b</bdi> <q cite=\"x\">q</q>\n</p>")]
    [InlineData("<data value=\"1\">one</data> <time datetime=\"2020-01-01\">then</time>", "<p><data value=\"1\">one</data> <time datetime=\"2020-01-01\">then</time>\n</p>")]
    [InlineData("<font color=\"red\" size=\"2\" face=\"x\">f</font>", "<p><font color=\"red\" size=\"2\" face=\"x\">f</font>\n</p>")]
    [InlineData("<div class=\"a b\" id=\"x y\">t</div>", "<div class=\"a b\" id=\"x&#95;y\">t</div>")]
    [InlineData("<div>\nt\n</div>", "<div>\n<p>t\n</p>\n</div>")]
    [InlineData("<center>c</center>", "<center>c</center>")]
    [InlineData("<p>para</p>", "<p>para</p>")]
    [InlineData("<ul>\n<li>a</li>\n</ul>", "<ul>\n<li>a</li>\n</ul>")]
    [InlineData("<ol start=\"3\" reversed><li value=\"5\">a</li></ol>", "<ol start=\"3\" reversed=\"\"><li value=\"5\">a</li></ol>")]
    [InlineData("<dl><dt>t</dt><dd>d</dd></dl>", "<dl><dt>t</dt><dd>d</dd></dl>")]
    [InlineData("<span onmouseover=\"x()\">y</span>", "<p><span>y</span>\n</p>")]
    [InlineData("<span data-foo=\"1\" data-mw=\"2\" data-ooui=\"3\">y</span>", "<p><span data-foo=\"1\">y</span>\n</p>")]
    [InlineData("<span aria-hidden=\"true\" role=\"note\" lang=\"fr\" dir=\"rtl\">y</span>", "<p><span aria-hidden=\"true\" role=\"note\" lang=\"fr\" dir=\"rtl\">y</span>\n</p>")]
    [InlineData("<span tabindex=\"0\">a</span><span tabindex=\"1\">b</span>", "<p><span tabindex=\"0\">a</span><span>b</span>\n</p>")]
    [InlineData("<span ID=\"a\" Class=\"b\">y</span>", "<p><span id=\"a\" class=\"b\">y</span>\n</p>")]
    [InlineData("<span class=a>y</span>", "<p><span class=\"a\">y</span>\n</p>")]
    [InlineData("<span title='a\"b'>y</span>", "<p><span title=\"a&quot;b\">y</span>\n</p>")]
    [InlineData("<span title=\"a&amp;b\">y</span>", "<p><span title=\"a&amp;b\">y</span>\n</p>")]
    [InlineData("<span title=\"see http://x.org\">y</span>", "<p><span title=\"see http&#58;//x.org\">y</span>\n</p>")]
    [InlineData("<span title=\"it's\">y</span>", "<p><span title=\"it&#39;s\">y</span>\n</p>")]
    [InlineData("<span title=\"a\nb\">y</span>", "<p><span title=\"a b\">y</span>\n</p>")]
    [InlineData("<span itemprop=\"javascript:x\">y</span>", "<p><span>y</span>\n</p>")]
    [InlineData("<b>unclosed", "<p><b>unclosed\n</b></p>")]
    [InlineData("a</b>c", "<p>ac\n</p>")]
    [InlineData("<span/>x", "<p><span>x\n</span></p>")]
    public void AllowedHtml_InWikitext_MatchesMediaWiki(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>")]
    [InlineData("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;\n</p>")]
    [InlineData("<a href=\"x\">x</a>", "<p>&lt;a href=\"x\"&gt;x&lt;/a&gt;\n</p>")]
    [InlineData("<tbody>", "<p>&lt;tbody&gt;\n</p>")]
    [InlineData("<iframe src=\"x\"></iframe>", "<p>&lt;iframe src=\"x\"&gt;&lt;/iframe&gt;\n</p>")]
    [InlineData("<style>b{}</style>", "<p>&lt;style&gt;b{}&lt;/style&gt;\n</p>")]
    [InlineData("<input type=\"text\">", "<p>&lt;input type=\"text\"&gt;\n</p>")]
    [InlineData("<b", "<p>&lt;b\n</p>")]
    [InlineData("< b>x", "<p>&lt; b&gt;x\n</p>")]
    [InlineData("a < b > c", "<p>a &lt; b &gt; c\n</p>")]
    public void DisallowedHtml_InWikitext_IsEscaped(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("color: red", "color: red")]
    [InlineData("background: url(x.png)", "/* insecure input */")]
    [InlineData("background: URL (x.png)", "/* insecure input */")]
    [InlineData("width: expression(alert(1))", "/* insecure input */")]
    [InlineData("background-image: image(x)", "/* insecure input */")]
    [InlineData("background-image: image-set(x 1x)", "/* insecure input */")]
    [InlineData("-o-link: x", "/* insecure input */")]
    [InlineData("-o-link-source: current", "/* insecure input */")]
    [InlineData("filter: alpha(opacity=50)", "/* insecure input */")]
    [InlineData("accelerator: true", "/* insecure input */")]
    [InlineData("color: var(--x)", "/* insecure input */")]
    [InlineData("content: attr(title url)", "/* insecure input */")]
    [InlineData("&#x75;rl(x)", "/* insecure input */")]
    [InlineData("u\\rl(x)", "/* insecure input */")]
    [InlineData("\\75 rl(x)", "/* insecure input */")]
    [InlineData("ex/* */pression(x)", "ex pression(x)")]
    [InlineData("color: red; /* c */ font-weight: bold", "color: red;   font-weight: bold")]
    [InlineData("color: red /* unclosed", "color: red ")]
    [InlineData("/* only a comment */", "/* only a comment */")]
    [InlineData("color: red\u0001", "/* invalid control char */")]
    public void CheckCss_Style_MatchesSanitizerCheckCss(string style, string expected)
    {
        Assert.Equal(expected, Sanitizer.CheckCss(style));
    }

    [Theory]
    [InlineData("<span style=\"background:url(javascript:x)\">y</span>", "<p><span style=\"/* insecure input */\">y</span>\n</p>")]
    [InlineData("<div style=\"width: expression(alert(1))\">y</div>", "<div style=\"/* insecure input */\">y</div>")]
    [InlineData("<span style=\"color:&#114;ed\">y</span>", "<p><span style=\"color:red\">y</span>\n</p>")]
    public void StyleAttribute_Insecure_IsReplacedAsMediaWikiDoes(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("&nbsp;", "<p>&#160;\n</p>")]
    [InlineData("&eacute; &mdash; &#233; &#xE9;", "<p>&#233; &#8212; &#233; &#xe9;\n</p>")]
    [InlineData("&amp;amp;", "<p>&amp;amp;\n</p>")]
    [InlineData("&bogus; &#0; &", "<p>&amp;bogus; &amp;#0; &amp;\n</p>")]
    [InlineData("&quot;&lt;&gt;", "<p>&quot;&lt;&gt;\n</p>")]
    [InlineData("&#127;", "<p>&amp;#127;\n</p>")]
    public void CharacterReferences_InText_AreWrittenAsMediaWikisSerializerDoes(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }
}
