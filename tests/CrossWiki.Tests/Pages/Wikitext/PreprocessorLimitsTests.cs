using CrossWiki.Server.Pages.Wikitext;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// Pathological inputs stop at MediaWiki 1.39's limits with its warnings and tracking categories, in bounded time and
/// memory, and never throw; expected values are MediaWiki 1.39's output for the same input.
/// </summary>
public sealed class PreprocessorLimitsTests
{
    private const string DepthError = "<span class=\"error\">Expansion depth limit exceeded</span>";

    [Fact]
    public void Expand_TemplateBomb_StopsAtTheIncludeSizeWithMediaWikisWarning()
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 9; i++)
        {
            templates[$"Template:B{i}"] = string.Concat(Enumerable.Repeat($"{{{{B{i + 1}}}}}", 10));
        }

        templates["Template:B9"] = "xxxxxxxxxx";

        var result = PreprocessorTests.Expand("{{B0}}", templates: templates);

        Assert.Equal(string.Concat(Enumerable.Repeat("[[:Template:B4]]<!-- WARNING: template omitted, post-expand include size too large -->", 10000)), result.Text);
        Assert.Equal(["<strong>Warning:</strong> Template include size is too large.\nSome templates will not be included."], result.Warnings);
        Assert.Equal(["Pages_where_template_include_size_is_exceeded"], result.TrackingCategories);
    }

    [Fact]
    public void Expand_TwoHundredNestedIfs_StopsAtTheExpansionDepth()
    {
        var text = string.Concat(Enumerable.Repeat("{{#if:x|", 200)) + "y" + string.Concat(Enumerable.Repeat("}}", 200));

        var result = PreprocessorTests.Expand(text);

        Assert.Equal(string.Concat(Enumerable.Repeat("{{" + DepthError + "|", 100)) + "y" + string.Concat(Enumerable.Repeat("}}", 100)), result.Text);
        Assert.Equal(["Page exceeded the expansion depth"], result.Warnings);
        Assert.Equal(["Pages_where_expansion_depth_is_exceeded"], result.TrackingCategories);
        Assert.Equal(101, result.Limits.HighestExpansionDepth);
    }

    [Fact]
    public void Expand_SixtyNestedTemplates_WithinTheTemplateDepth()
    {
        var templates = Enumerable.Range(0, 60).ToDictionary(i => $"Template:D{i}", i => $"{{{{D{i + 1}}}}}", StringComparer.Ordinal);

        Assert.Equal("[[:Template:D60]]", PreprocessorTests.Expand("{{D0}}", templates: templates).Text);
    }

    [Fact]
    public void Expand_AHundredAndTenNestedTemplates_StopsAtTheTemplateDepth()
    {
        var templates = Enumerable.Range(0, 110).ToDictionary(i => $"Template:E{i}", i => $"{{{{E{i + 1}}}}}", StringComparer.Ordinal);

        var result = PreprocessorTests.Expand("{{E0}}", templates: templates);

        Assert.DoesNotContain("[[:Template:E110]]", result.Text, StringComparison.Ordinal);
        Assert.Contains("<span class=\"error\">", result.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('[')]
    public void Expand_AMillionBraces_LeftAsTheyAre(char brace)
    {
        var text = new string(brace, 1_000_000);

        Assert.Equal(text, PreprocessorTests.Expand(text).Text);
    }

    [Fact]
    public void Expand_AMillionNestedOpeningsAndClosings_BoundedAndNoThrow()
    {
        var text = new string('{', 500_000) + new string('}', 500_000);

        var result = PreprocessorTests.Expand(text);

        Assert.True(result.Text.Length <= 2_000_000);
        Assert.NotEmpty(result.Warnings);
    }

    [Fact]
    public void Expand_ManyUnclosedInvalidCalls_NoStackOverflow()
    {
        var text = string.Concat(Enumerable.Repeat("{{<|", 100_000)) + string.Concat(Enumerable.Repeat("}}", 100_000));

        var result = PreprocessorTests.Expand(text);

        Assert.StartsWith("{{<|{{<|", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_HugeSum_Evaluated()
    {
        Assert.Equal("100001", PreprocessorTests.Expand("{{#expr:" + string.Concat(Enumerable.Repeat("1+", 100_000)) + "1}}").Text);
    }

    [Fact]
    public void Expand_ThousandNestedBrackets_StackExhausted()
    {
        Assert.Equal("<strong class=\"error\">Expression error: Stack exhausted.</strong>",
            PreprocessorTests.Expand("{{#expr:" + new string('(', 1000) + "1" + new string(')', 1000) + "}}").Text);
    }

    [Fact]
    public void Expand_TemplateLoop_WarnsAndTracks()
    {
        var result = PreprocessorTests.Expand("{{Loop}}");

        Assert.Equal("L<span class=\"error\">Template loop detected: [[Template:Loop]]</span>", result.Text);
        Assert.Equal(["<strong>Warning:</strong> This page calls [[:Template:Loop]] which causes a template loop (an infinite recursive call)."], result.Warnings);
        Assert.Equal(["Pages_with_template_loops"], result.TrackingCategories);
    }

    [Fact]
    public void Expand_NestedAndMissingTemplates_RecordedInOrderOfUse()
    {
        var result = PreprocessorTests.Expand("{{Nested|x}} {{Missing}} {{#if:|{{Args}}}} {{Redir|r}}");

        Assert.Equal(
            [("Template:Nested", true), ("Template:Echo", true), ("Template:Missing", false), ("Template:Redir", true), ("Template:Echo2", true)],
            result.Templates.Select(t => (t.Title.PrefixedText, t.Exists)));
        Assert.EndsWith("[r|d]", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_DuplicateArgument_WarnsAsMediaWiki()
    {
        var result = PreprocessorTests.Expand("{{Named|p=1|p=2}}");

        Assert.Equal("<2>", result.Text);
        Assert.Equal(["<strong>Warning:</strong> [[:Test page]] is calling [[:Template:Named]] with more than one value for the \"p\" parameter. Only the last value provided will be used."], result.Warnings);
        Assert.Equal(["Pages_using_duplicate_arguments_in_template_calls"], result.TrackingCategories);
    }

    [Fact]
    public void Expand_DisplayTitleAndDefaultSort_Kept()
    {
        var result = PreprocessorTests.Expand("{{DISPLAYTITLE:''Test'' page}}{{DEFAULTSORT:Zed}}");

        Assert.Equal("<i>Test</i> page", result.DisplayTitle);
        Assert.Equal("Zed", result.DefaultSort);
    }

    [Fact]
    public void Expand_DisplayTitleOfAnotherPage_IgnoredWithWarning()
    {
        var result = PreprocessorTests.Expand("{{DISPLAYTITLE:Other}}");

        Assert.Null(result.DisplayTitle);
        Assert.Equal(["<strong>Warning:</strong> Display title \"Other\" was ignored since it is not equivalent to the page's actual title."], result.Warnings);
        Assert.Equal(["Pages_with_ignored_display_titles"], result.TrackingCategories);
    }

    [Fact]
    public void Expand_TimeWords_LowerTheCacheLifetime()
    {
        Assert.Equal(3600, PreprocessorTests.Expand("{{CURRENTTIME}}").CacheTtl);
        Assert.Null(PreprocessorTests.Expand("{{PAGENAME}}").CacheTtl);
    }

    [Fact]
    public void Expand_HtmlMode_ExpandsInsideRefButNotNowiki()
    {
        var result = PreprocessorTests.Expand("<ref>{{Echo|a}}</ref><nowiki>{{Echo|b}}</nowiki><pre>{{Echo|c}}</pre><!-- x -->", ExpansionMode.Html);

        Assert.Equal("<ref>a</ref><nowiki>{{Echo|b}}</nowiki><pre>{{Echo|c}}</pre>", result.Text);
    }
}
