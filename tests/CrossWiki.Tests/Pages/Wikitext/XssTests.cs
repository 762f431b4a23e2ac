using System.Text.RegularExpressions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Injection attempts through HTML in wikitext, tables and extension tags: none may produce active markup.</summary>
public sealed partial class XssTests
{
    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"<(script|img|iframe|object|embed|svg|math|style|link|meta|base|form|input|textarea|button|video|audio|source|frame|frameset|applet|xml|template)[\s/>]", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveTag();

    [GeneratedRegex(@"<[a-z][^<>]*\s(href|src|action|formaction|style)\s*=\s*""[^""]*(javascript|vbscript|data):", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveUrl();

    [GeneratedRegex(@"style=""[^""]*(expression|url\s*\(|behavior|-moz-binding)", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveStyle();

    [Theory]
    [InlineData("<span onclick=\"alert(1)\">x</span>")]
    [InlineData("<span ONCLICK=alert(1)>x</span>")]
    [InlineData("<span onclick = 'alert(1)'>x</span>")]
    [InlineData("<b/onclick=alert(1)>x</b>")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    [InlineData("<div style=\"width:expression(alert(1))\">x</div>")]
    [InlineData("<div style=\"width:exp/**/ression(alert(1))\">x</div>")]
    [InlineData("<div style=\"width:&#101;xpression(alert(1))\">x</div>")]
    [InlineData("<div style=\"width:\\65 xpression(alert(1))\">x</div>")]
    [InlineData("<div style=\"behavior:url(x.htc)\">x</div>")]
    [InlineData("<div style=\"-moz-binding:url(x.xml#x)\">x</div>")]
    [InlineData("<div style=\"background-image:image(javascript:x)\">x</div>")]
    [InlineData("<span style=\"x:\\u\\r\\l(x)\">x</span>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<IMG SRC=\"javascript:alert(1)\">")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>")]
    [InlineData("<iframe src=\"javascript:alert(1)\"></iframe>")]
    [InlineData("<object data=\"x.swf\"></object>")]
    [InlineData("<embed src=\"x.swf\">")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<form action=\"javascript:alert(1)\"><button>x</button></form>")]
    [InlineData("<input onfocus=alert(1) autofocus>")]
    [InlineData("<base href=\"javascript:alert(1)//\">")]
    [InlineData("<link rel=stylesheet href=x.css>")]
    [InlineData("<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">")]
    [InlineData("<style>*{x:expression(alert(1))}</style>")]
    [InlineData("<scr<script>ipt>alert(1)</script>")]
    [InlineData("<<script>script>alert(1)<</script>/script>")]
    [InlineData("<span title=\"\"><script>alert(1)</script>\">x</span>")]
    [InlineData("<span title='x' onclick='y'>x</span>")]
    [InlineData("<span title=\"x\"onclick=\"y\">x</span>")]
    [InlineData("<span itemprop=\"javascript:alert(1)\">x</span>")]
    [InlineData("<span typeof=\"vbscript:x\">x</span>")]
    [InlineData("{| onclick=\"alert(1)\"\n|x\n|}")]
    [InlineData("{|\n|- onmouseover=\"alert(1)\"\n|x\n|}")]
    [InlineData("{|\n| onclick=\"alert(1)\" | x\n|}")]
    [InlineData("{| style=\"background:url(javascript:alert(1))\"\n|x\n|}")]
    [InlineData("{|\n! style=\"width:expression(1)\" | h\n|}")]
    [InlineData("<ref><script>alert(1)</script></ref>")]
    [InlineData("<ref name=\"\"><script>x</script>\"></ref>")]
    [InlineData("<ref name=\"a\" onclick=\"x\">y</ref>")]
    [InlineData("<references group=\"<script>\" />")]
    [InlineData("<ref group=\"<script>alert(1)</script>\">x</ref>")]
    [InlineData("<syntaxhighlight lang=\"\"><script>x</script>\">y</syntaxhighlight>")]
    [InlineData("<syntaxhighlight lang=\"x\" style=\"background:url(x)\">y</syntaxhighlight>")]
    [InlineData("<syntaxhighlight><script>alert(1)</script></syntaxhighlight>")]
    [InlineData("<source lang=\"js\" inline><img src=x onerror=alert(1)></source>")]
    [InlineData("<poem><script>alert(1)</script></poem>")]
    [InlineData("<poem class=\"\" onclick=\"x\">y</poem>")]
    [InlineData("<pre onclick=\"x\"><script>x</script></pre>")]
    [InlineData("<pre style=\"x:expression(1)\">y</pre>")]
    [InlineData("<nowiki><script>alert(1)</script></nowiki>")]
    [InlineData("== <script>alert(1)</script> ==")]
    [InlineData("== <span onclick=x>h</span> ==")]
    [InlineData("__FORCETOC__\n== <img src=x onerror=alert(1)> ==")]
    [InlineData("#REDIRECT [[<script>]]")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("&#60;script&#62;alert(1)&#60;/script&#62;")]
    [InlineData("<span title=\"&#34;&#62;&#60;script&#62;\">x</span>")]
    [InlineData("<span style=\"&#34;&#62;&#60;script&#62;\">x</span>")]
    [InlineData("<span id=\"x&#34; onclick=&#34;y\">x</span>")]
    [InlineData("<span class=\"a\u0000\" onclick=x>y</span>")]
    [InlineData("<span\nonclick=x>y</span>")]
    [InlineData("<span title=`x` onclick=y>z</span>")]
    [InlineData("[[File:X.png|<script>alert(1)</script>]]")]
    [InlineData("[http://x.org <img src=x onerror=alert(1)>]")]
    [InlineData("<div><span style=\"color:red\" onmouseover=\"x\">a</div>")]
    public void Render_InjectionAttempt_HasNoActiveMarkup(string wikitext)
    {
        // The table of contents' own checkbox is the one input the renderer writes.
        string html = WikitextRendererTests.Body(wikitext)
            .Replace("<input type=\"checkbox\" role=\"button\" id=\"toctogglecheckbox\" class=\"toctogglecheckbox\" style=\"display:none\" />", "", StringComparison.Ordinal);
        Assert.False(EventHandler().IsMatch(html), html);
        Assert.False(ActiveTag().IsMatch(html), html);
        Assert.False(ActiveUrl().IsMatch(html), html);
        Assert.False(ActiveStyle().IsMatch(html), html);
    }
}
