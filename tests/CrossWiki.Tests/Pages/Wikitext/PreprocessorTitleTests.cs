namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>The title words, relative transclusion and title functions on pages of several namespaces, against MediaWiki 1.39's output.</summary>
public sealed class PreprocessorTitleTests
{
    private static readonly Dictionary<string, string> Templates = new(PreprocessorTests.Templates, StringComparer.Ordinal)
    {
        ["Help:Foo/Bar baz/sub"] = "SUBPAGE",
        ["User talk:Ann/Sub/x"] = "UX",
    };

    [Theory]
    [InlineData("Help:Foo/Bar baz", "{{PAGENAME}} {{PAGENAMEE}} {{FULLPAGENAME}} {{FULLPAGENAMEE}} {{BASEPAGENAME}} {{ROOTPAGENAME}} {{SUBPAGENAME}} {{TALKPAGENAME}} {{SUBJECTPAGENAME}} {{NAMESPACE}} {{NAMESPACEE}} {{NAMESPACENUMBER}} {{TALKSPACE}} {{SUBJECTSPACE}} {{/sub}} {{/x}} {{#rel2abs:..}} {{#titleparts:{{FULLPAGENAME}}|1}} {{Self}} {{#ifeq:{{NAMESPACE}}|{{ns:12}}|help|other}}", "Foo/Bar baz Foo/Bar_baz Help:Foo/Bar baz Help:Foo/Bar_baz Foo Foo Bar baz Help talk:Foo/Bar baz Help:Foo/Bar baz Help Help 12 Help talk Help SUBPAGE [[:Help:Foo/Bar baz/x]] Help:Foo Help:Foo Foo/Bar baz help")]
    [InlineData("User talk:Ann/Sub", "{{PAGENAME}} {{PAGENAMEE}} {{FULLPAGENAME}} {{FULLPAGENAMEE}} {{BASEPAGENAME}} {{ROOTPAGENAME}} {{SUBPAGENAME}} {{TALKPAGENAME}} {{SUBJECTPAGENAME}} {{NAMESPACE}} {{NAMESPACEE}} {{NAMESPACENUMBER}} {{TALKSPACE}} {{SUBJECTSPACE}} {{/sub}} {{/x}} {{#rel2abs:..}} {{#titleparts:{{FULLPAGENAME}}|1}} {{Self}} {{#ifeq:{{NAMESPACE}}|{{ns:12}}|help|other}}", "Ann/Sub Ann/Sub User talk:Ann/Sub User_talk:Ann/Sub Ann Ann Sub User talk:Ann/Sub User:Ann/Sub User talk User_talk 3 User talk User [[:User talk:Ann/Sub/sub]] UX User talk:Ann User talk:Ann Ann/Sub other")]
    [InlineData("Alpha Wiki:Don't", "{{PAGENAME}} {{PAGENAMEE}} {{FULLPAGENAME}} {{FULLPAGENAMEE}} {{BASEPAGENAME}} {{ROOTPAGENAME}} {{SUBPAGENAME}} {{TALKPAGENAME}} {{SUBJECTPAGENAME}} {{NAMESPACE}} {{NAMESPACEE}} {{NAMESPACENUMBER}} {{TALKSPACE}} {{SUBJECTSPACE}} {{/sub}} {{/x}} {{#rel2abs:..}} {{#titleparts:{{FULLPAGENAME}}|1}} {{Self}} {{#ifeq:{{NAMESPACE}}|{{ns:12}}|help|other}}", "Don&#39;t Don%27t Alpha Wiki:Don&#39;t Alpha_Wiki:Don%27t Don&#39;t Don&#39;t Don&#39;t Alpha Wiki talk:Don&#39;t Alpha Wiki:Don&#39;t Alpha Wiki Alpha_Wiki 4 Alpha Wiki talk Alpha Wiki [[:Alpha Wiki:Don't/sub]] [[:Alpha Wiki:Don't/x]]  Alpha Wiki:Don't Don&#39;t other")]
    [InlineData("Category:X (y)", "{{PAGENAME}} {{PAGENAMEE}} {{FULLPAGENAME}} {{FULLPAGENAMEE}} {{BASEPAGENAME}} {{ROOTPAGENAME}} {{SUBPAGENAME}} {{TALKPAGENAME}} {{SUBJECTPAGENAME}} {{NAMESPACE}} {{NAMESPACEE}} {{NAMESPACENUMBER}} {{TALKSPACE}} {{SUBJECTSPACE}} {{/sub}} {{/x}} {{#rel2abs:..}} {{#titleparts:{{FULLPAGENAME}}|1}} {{Self}} {{#ifeq:{{NAMESPACE}}|{{ns:12}}|help|other}}", "X (y) X_(y) Category:X (y) Category:X_(y) X (y) X (y) X (y) Category talk:X (y) Category:X (y) Category Category 14 Category talk Category [[:Template:/sub]] [[:Template:/x]]  Category:X (y) X (y) other")]
    [InlineData("Template:Echo", "{{PAGENAME}} {{PAGENAMEE}} {{FULLPAGENAME}} {{FULLPAGENAMEE}} {{BASEPAGENAME}} {{ROOTPAGENAME}} {{SUBPAGENAME}} {{TALKPAGENAME}} {{SUBJECTPAGENAME}} {{NAMESPACE}} {{NAMESPACEE}} {{NAMESPACENUMBER}} {{TALKSPACE}} {{SUBJECTSPACE}} {{/sub}} {{/x}} {{#rel2abs:..}} {{#titleparts:{{FULLPAGENAME}}|1}} {{Self}} {{#ifeq:{{NAMESPACE}}|{{ns:12}}|help|other}}", "Echo Echo Template:Echo Template:Echo Echo Echo Echo Template talk:Echo Template:Echo Template Template 10 Template talk Template [[:Template:Echo/sub]] [[:Template:Echo/x]]  Template:Echo Echo other")]
    public void Expand_OnPage_MediaWikiOutput(string title, string input, string expected)
    {
        Assert.Equal(expected, PreprocessorTests.Expand(input, title: title, templates: Templates).Text);
    }
}
