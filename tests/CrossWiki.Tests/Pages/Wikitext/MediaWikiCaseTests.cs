using Xunit.Abstractions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// The table-driven wikitext cases (Cases/*.txt, expected outputs in Cases/*.json from MediaWiki 1.39): CrossWiki's
/// action=parse must give MediaWiki's answer exactly, after the normalisation <see cref="ReferenceComparison"/> documents.
/// </summary>
[Collection(ReferenceWikiGroup.Name)]
public sealed class MediaWikiCaseTests(ReferenceWikiFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames => ReferenceData.Names("Cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Parse_ReferenceCase_MatchesMediaWiki(string name)
    {
        var c = ReferenceData.Cases[name];

        var (status, body, _) = await fixture.ParseAsync(c);

        ReferenceComparison.AssertVerdict(name, ReferenceComparison.Compare(c, status, body, fixture.HostPort), output);
    }

    [Fact]
    public void AssertVerdict_ListedCaseThatMatches_Fails()
    {
        var listed = ReferenceData.KnownDifferences.Keys.First();

        Assert.ThrowsAny<Exception>(() => ReferenceComparison.AssertVerdict(listed, [], output));
        ReferenceComparison.AssertVerdict(listed, ["text: differs"], output);
    }

    [Fact]
    public void AssertVerdict_UnlistedCaseThatDiffers_Fails()
    {
        Assert.ThrowsAny<Exception>(() => ReferenceComparison.AssertVerdict("Template_Plain_Transcluded", ["text: differs"], output));
        ReferenceComparison.AssertVerdict("Template_Plain_Transcluded", [], output);
    }

    [Fact]
    public void KnownDifferences_EveryListedName_IsACase()
    {
        var unknown = ReferenceData.KnownDifferences.Keys.Where(n => !ReferenceData.Cases.ContainsKey(n)).ToList();

        Assert.True(unknown.Count == 0, "known-differences.txt lists cases that do not exist: " + string.Join(", ", unknown));
    }

    /// <summary>xunit 2 cuts a theory's string argument after 50 characters in the test's display name.</summary>
    [Fact]
    public void CaseNames_Length_AtMost50()
    {
        var tooLong = ReferenceData.Cases.Keys.Where(n => n.Length > 50).ToList();

        Assert.True(tooLong.Count == 0, "names longer than 50 characters: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void Cases_CountedByFeature_AtLeast300()
    {
        var cases = ReferenceData.In("Cases").ToList();

        foreach (var group in cases.GroupBy(c => c.Source))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
    }
}
