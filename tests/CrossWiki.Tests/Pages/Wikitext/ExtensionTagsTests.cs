namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Extension tags (core's nowiki and pre, Cite, SyntaxHighlight without Pygments, Poem) and the redirect box, with MediaWiki 1.39's output.</summary>
public sealed class ExtensionTagsTests
{
    private const string Wrap = "<div class=\"mw-references-wrap\"><ol class=\"references\">\n";
    private const string WrapEnd = "\n</ol></div>";

    // Cite writes its ids through Sanitizer::safeEncodeAttribute, which turns "_" into "&#95;"; the hrefs keep "_".
    private static string Sup(string refId, string noteId, string label) =>
        $"<sup id=\"cite&#95;ref-{refId.Replace("_", "&#95;", StringComparison.Ordinal)}\" class=\"reference\"><a href=\"#cite_note-{noteId}\">&#91;{label}&#93;</a></sup>";

    private static string Note(string noteId, string refId, string text) =>
        $"<li id=\"cite&#95;note-{noteId.Replace("_", "&#95;", StringComparison.Ordinal)}\"><span class=\"mw-cite-backlink\"><a href=\"#cite_ref-{refId}\">↑</a></span> <span class=\"reference-text\">{text}</span>\n</li>";

    [Theory]
    [InlineData("<nowiki>[[Foo]] ''x'' {{t}}</nowiki>", "<p>[[Foo]] ''x'' {{t}}\n</p>")]
    [InlineData("<nowiki><b>x</b></nowiki>", "<p>&lt;b&gt;x&lt;/b&gt;\n</p>")]
    [InlineData("<nowiki>&nbsp;&lt;</nowiki>", "<p>&#160;&lt;\n</p>")]
    [InlineData("<nowiki>{|\n|a\n|}</nowiki>", "<p>{|\n|a\n|}\n</p>")]
    [InlineData("<nowiki>== A ==</nowiki>", "<p>== A ==\n</p>")]
    [InlineData("<nowiki><ref>x</ref></nowiki>", "<p>&lt;ref&gt;x&lt;/ref&gt;\n</p>")]
    [InlineData("<nowiki>__TOC__</nowiki>", "<p>__TOC__\n</p>")]
    public void Nowiki_Content_IsNotParsed(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("<pre>a\n  b</pre>", "<pre>a\n  b</pre>")]
    [InlineData("<pre>\nfirst</pre>", "<pre>first</pre>")]
    [InlineData("<pre>[[Foo]] <b>x</b> &amp;</pre>", "<pre>[[Foo]] &lt;b&gt;x&lt;/b&gt; &amp;</pre>")]
    [InlineData("<pre style=\"color:red\" onclick=\"x\">y</pre>", "<pre style=\"color:red\">y</pre>")]
    public void Pre_Content_IsEscapedWithoutWikitext(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Fact]
    public void Ref_WithoutReferences_ListIsAddedAtTheEnd()
    {
        Assert.Equal(
            "<p>a" + Sup("1", "1", "1") + "\n</p>\n" + Wrap + Note("1", "1", "Foo") + WrapEnd,
            WikitextRendererTests.Body("a<ref>Foo</ref>"));
    }

    [Fact]
    public void Ref_WithReferences_ListIsThere()
    {
        Assert.Equal(
            "<p>a" + Sup("1", "1", "1") + " b" + Sup("2", "2", "2") + "\n</p>\n" + Wrap + Note("1", "1", "X") + "\n" + Note("2", "2", "<i>Y</i> <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a>") + WrapEnd + "\n<p>after\n</p>",
            WikitextRendererTests.Body("a<ref>X</ref> b<ref>''Y'' [[Foo]]</ref>\n<references />\nafter"));
    }

    [Fact]
    public void Ref_NamedAndReused_HasOneNoteWithBacklinksPerUse()
    {
        Assert.Equal(
            "<p>a" + Sup("x_1-0", "x-1", "1") + " b" + Sup("x_1-1", "x-1", "1") + " c" + Sup("2", "2", "2") + "\n</p>\n" + Wrap
            + "<li id=\"cite&#95;note-x-1\"><span class=\"mw-cite-backlink\">↑ <sup><a href=\"#cite_ref-x_1-0\">1.0</a></sup> <sup><a href=\"#cite_ref-x_1-1\">1.1</a></sup></span> <span class=\"reference-text\">X</span>\n</li>\n"
            + Note("2", "2", "Z") + WrapEnd,
            WikitextRendererTests.Body("a<ref name=\"x\">X</ref> b<ref name=\"x\" /> c<ref>Z</ref>\n<references />"));
    }

    [Fact]
    public void Ref_NamedOnce_UsesNamedIds()
    {
        Assert.Equal(
            "<p>a" + Sup("n_1-0", "n-1", "1") + "\n</p>\n" + Wrap + Note("n-1", "n_1-0", "N") + WrapEnd,
            WikitextRendererTests.Body("a<ref name=n>N</ref>\n<references/>"));
    }

    [Fact]
    public void Ref_Group_IsLabelledAndListedApart()
    {
        Assert.Equal(
            "<p>a" + Sup("1", "1", "note 1") + " b" + Sup("2", "2", "1") + "\n</p>\n" + Wrap + Note("1", "1", "G") + WrapEnd + "\n" + Wrap + Note("2", "2", "D") + WrapEnd,
            WikitextRendererTests.Body("a<ref group=\"note\">G</ref> b<ref>D</ref>\n<references group=\"note\" />\n<references />"));
    }

    [Fact]
    public void Ref_Empty_IsCiteError()
    {
        Assert.Contains("<span class=\"error mw-ext-cite-error\" lang=\"en\" dir=\"ltr\">Cite error: Invalid <code>&lt;ref&gt;</code> tag; refs with no name must have content</span>",
            WikitextRendererTests.Body("a<ref></ref>"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_ListDefinedInReferences_IsUsed()
    {
        Assert.Equal(
            "<p>a" + Sup("d_1-0", "d-1", "1") + "\n</p>\n" + Wrap + Note("d-1", "d_1-0", "Defined") + WrapEnd,
            WikitextRendererTests.Body("a<ref name=\"d\" />\n<references>\n<ref name=\"d\">Defined</ref>\n</references>"));
    }

    [Theory]
    [InlineData("<syntaxhighlight lang=\"python\">print(\"<x>\")</syntaxhighlight>",
        "<div class=\"mw-highlight mw-highlight-lang-python mw-content-ltr\" dir=\"ltr\"><pre><span></span>print(\"&lt;x&gt;\")\n</pre></div>")]
    [InlineData("<source lang=\"c\">\n\nint x;\n  </source>", "<div class=\"mw-highlight mw-highlight-lang-c mw-content-ltr\" dir=\"ltr\"><pre><span></span>int x;\n</pre></div>")]
    [InlineData("<syntaxhighlight>[[Foo]] ''x''</syntaxhighlight>", "<div class=\"mw-highlight mw-content-ltr\" dir=\"ltr\"><pre>[[Foo]] ''x''</pre></div>")]
    [InlineData("a <syntaxhighlight lang=\"js\" inline>x && y</syntaxhighlight> b",
        "<p>a <code class=\"mw-highlight mw-highlight-lang-js mw-content-ltr\" dir=\"ltr\">x &amp;&amp; y</code> b\n</p>")]
    [InlineData("<syntaxhighlight lang=\"x\" onclick=\"y\">z</syntaxhighlight>", "<div class=\"mw-highlight mw-content-ltr\" dir=\"ltr\"><pre>z</pre></div>")]
    [InlineData("<syntaxhighlight lang=\"a b\">z</syntaxhighlight>", "<div class=\"mw-highlight mw-content-ltr\" dir=\"ltr\"><pre>z</pre></div>")]
    public void SyntaxHighlight_Code_IsEscapedInAPre(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("<poem>\na\nb\n</poem>", "<div class=\"poem\">\n<p>a<br />\nb\n</p>\n</div>")]
    [InlineData("<poem>\n  in\n''x''\n</poem>", "<div class=\"poem\">\n<p>&#160;&#160;in<br />\n<i>x</i>\n</p>\n</div>")]
    [InlineData("<poem class=\"c\">a</poem>", "<div class=\"poem c\">\n<p>a\n</p>\n</div>")]
    [InlineData("<poem>a\n----\nb</poem>", "<div class=\"poem\">\n<p>a<br />\n</p>\n<hr />\n<p>b\n</p>\n</div>")]
    public void Poem_Lines_EndInBreaks(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }

    [Theory]
    [InlineData("#REDIRECT [[Foo]]", "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></li></ul></div>")]
    [InlineData("#redirect [[user:bob]]", "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/User:Bob\" title=\"User:Bob\">User:Bob</a></li></ul></div>")]
    [InlineData("#REDIRECT [[Nowhere]]", "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/w/index.php?title=Nowhere&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Nowhere (page does not exist)\">Nowhere</a></li></ul></div>")]
    [InlineData("#REDIRECT [[Foo]]\n[[Category:R]]", "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></li></ul></div>")]
    [InlineData("#REDIRECT [[Foo]]\nmore", "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></li></ul></div>\n<p>more\n</p>")]
    [InlineData("# REDIRECT [[Foo]]", "<ol><li>REDIRECT <a href=\"/wiki/Foo\" title=\"Foo\">Foo</a></li></ol>")]
    public void Redirect_Page_ShowsTheRedirectBox(string wikitext, string expected)
    {
        Assert.Equal(expected, WikitextRendererTests.Body(wikitext));
    }
}
