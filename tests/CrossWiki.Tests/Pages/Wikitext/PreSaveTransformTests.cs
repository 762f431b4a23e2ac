using CrossWiki.Server.Pages;
using CrossWiki.Server.Pages.Wikitext;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// The pre-save transform against MediaWiki 1.39's (Parser::preSaveTransform) for an unregistered user "Ann" on the page
/// "Test page" at 2026-12-04 21:10 UTC, with <see cref="PreprocessorTests.Templates"/>.
/// </summary>
public sealed class PreSaveTransformTests
{
    [Theory]
    [InlineData("~~~", "[[Special:Contributions/Ann|Ann]]")]
    [InlineData("~~~~", "[[Special:Contributions/Ann|Ann]] 21:10, 4 December 2026 (UTC)")]
    [InlineData("~~~~~", "21:10, 4 December 2026 (UTC)")]
    [InlineData("a ~~~~~~ b", "a 21:10, 4 December 2026 (UTC)~ b")]
    [InlineData("[[Foo (bar)|]]", "[[Foo (bar)|Foo]]")]
    [InlineData("[[Help:Foo|]]", "[[Help:Foo|Foo]]")]
    [InlineData("[[Foo, bar|]]", "[[Foo, bar|Foo]]")]
    [InlineData("[[:Category:Foo (x)|]]", "[[:Category:Foo (x)|Foo]]")]
    [InlineData("[[Foo (bar), baz|]]", "[[Foo (bar), baz|Foo]]")]
    [InlineData("[[|Foo]]", "[[Foo]]")]
    [InlineData("<nowiki>~~~~ [[A (b)|]]</nowiki> <!-- ~~~ --> <pre>~~~</pre>", "<nowiki>~~~~ [[A (b)|]]</nowiki> <!-- ~~~ --> <pre>~~~</pre>")]
    [InlineData("{{subst:Echo2|a}}", "[a|d]")]
    [InlineData("{{subst:Doc}}", "showninc")]
    [InlineData("{{safesubst:Echo|x}}", "x")]
    [InlineData("{{Echo|{{subst:Echo|in}}}}", "{{Echo|in}}")]
    [InlineData("{{subst:#if:x|yes|no}}", "yes")]
    [InlineData("{{subst:PAGENAME}}", "Test page")]
    [InlineData("{{subst:Missing}}", "{{subst:Missing}}")]
    [InlineData("{{subst:Nested|n}}", "{{Echo|n!}}")]
    [InlineData("{{Echo2|a}}", "{{Echo2|a}}")]
    [InlineData("trailing   \n\n", "trailing")]
    [InlineData("a\r\nb\rc", "a\nb\nc")]
    [InlineData("{{subst:Default}}", "def||{{{y}}}")]
    [InlineData("{{subst:Comment}}", "a<!-- c -->b")]
    [InlineData("<includeonly>{{subst:Echo|i}}</includeonly>", "<includeonly>{{subst:Echo|i}}</includeonly>")]
    [InlineData("{{subst:Echo|<nowiki>~~~</nowiki>}}", "<nowiki>~~~</nowiki>")]
    [InlineData("[[Foo (bar)|]] ~~~~ {{subst:Echo|x}}", "[[Foo (bar)|Foo]] [[Special:Contributions/Ann|Ann]] 21:10, 4 December 2026 (UTC) x")]
    public void Apply_Wikitext_MediaWikiOutput(string input, string expected)
    {
        var title = TitleParser.Parse("Test page", PreprocessorTests.Namespaces).Title!;
        var saved = PreSaveTransform.Apply(PreprocessorTests.Site, title, new PreSaveTransform.Signer("Ann", Anonymous: true), PreprocessorTests.Now, input,
            t => PreprocessorTests.Templates.GetValueOrDefault(t.PrefixedText));

        Assert.Equal(expected, saved);
    }

    [Fact]
    public void Signature_RegisteredUser_UserAndTalkLinks()
    {
        Assert.Equal("[[User:Alice|Alice]] ([[User talk:Alice|talk]])",
            PreSaveTransform.Signature(PreprocessorTests.Namespaces, new PreSaveTransform.Signer("Alice", Anonymous: false)));
    }
}
