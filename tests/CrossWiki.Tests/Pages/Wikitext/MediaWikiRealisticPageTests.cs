using Xunit.Abstractions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// The 20 realistic pages (Realistic/realistic.txt: infoboxes, navboxes, styled tables, references, nested parser
/// functions, categories, a TOC) rendered by CrossWiki and by MediaWiki 1.39: after whitespace is normalised, the same
/// visible text, the same links (href and class), the same element structure (tags and classes), and the same
/// categories, templates, links and sections.
/// </summary>
[Collection(ReferenceWikiGroup.Name)]
public sealed class MediaWikiRealisticPageTests(ReferenceWikiFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> PageNames => ReferenceData.Names("Realistic");

    [Theory]
    [MemberData(nameof(PageNames))]
    public async Task Parse_RealisticPage_SameTextLinksAndStructureAsMediaWiki(string name)
    {
        var c = ReferenceData.Cases[name];

        var (status, body, _) = await fixture.ParseAsync(c);

        ReferenceComparison.AssertVerdict(name, ReferenceComparison.Compare(c, status, body, fixture.HostPort, textAsOutline: true), output);
    }

    [Fact]
    public void RealisticPages_Count_Twenty() => Assert.Equal(20, ReferenceData.In("Realistic").Count());
}
