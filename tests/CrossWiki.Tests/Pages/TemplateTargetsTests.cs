using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

/// <summary>The transclusions the template links record.</summary>
public sealed class TemplateTargetsTests
{
    private static readonly NamespaceTable Namespaces = NamespaceTable.Create("T");

    private static string[] Find(string text) =>
        [.. TemplateTargets.Find(text, Namespaces).Select(t => Title.Create(Namespaces, t.Namespace, t.DbKey).PrefixedText)];

    [Theory]
    [InlineData("{{Infobox person|name=Ann}}", new[] { "Template:Infobox person" })]
    [InlineData("{{infobox_person}} {{Infobox person}}", new[] { "Template:Infobox person" })]
    [InlineData("{{:Main Page}} {{User:Ann/box|x}} {{Template:Stub}}", new[] { "Main Page", "User:Ann/box", "Template:Stub" })]
    [InlineData("{{Outer|a={{Inner}}|{{{1|{{Default}}}}}}}", new[] { "Template:Outer", "Template:Inner", "Template:Default" })]
    [InlineData("{{PAGENAME}} {{#if:x|y}} {{lc:ABC}} {{subst:Foo}} {{DISPLAYTITLE:X}} {{{1}}} {{ }}", new string[0])]
    [InlineData("<nowiki>{{No}}</nowiki> <!-- {{Hidden}} --> <pre>{{Pre}}</pre> {{Yes}}", new[] { "Template:Yes" })]
    [InlineData("{{Unclosed", new string[0])]
    [InlineData("{{Name{{{1}}}}}", new string[0])]
    public void Find_Wikitext_TranscludedPagesInOrder(string text, string[] expected)
    {
        Assert.Equal(expected, Find(text));
    }
}
