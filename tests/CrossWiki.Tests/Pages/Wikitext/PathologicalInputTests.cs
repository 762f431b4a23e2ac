using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// Pathological inputs (Pathological/pathological.txt: a template bomb, 120 chained templates, 200 nested #if,
/// 10^6 braces, deep tables, lists and divs) through action=parse: always HTTP 200 without internal_api_error
/// within a generous bound, and MediaWiki 1.39's parse warnings where MediaWiki itself answered (on three of them
/// stock MediaWiki hits PHP's 30 s max_execution_time and answers 500; there only the bounds are checked).
/// </summary>
[Collection(ReferenceWikiGroup.Name)]
public sealed class PathologicalInputTests(ReferenceWikiFixture fixture, ITestOutputHelper output)
{
    /// <summary>Generous: MediaWiki needs up to 1 s for the inputs it can parse; this is about never hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<string> CaseNames => ReferenceData.Names("Pathological");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Parse_PathologicalInput_BoundedAndMediaWikisWarnings(string name)
    {
        var c = ReferenceData.Cases[name];

        var (status, body, elapsed) = await fixture.ParseAsync(c);

        output.WriteLine($"{name}: HTTP {status} in {elapsed.TotalSeconds:0.0} s, {body.Length} bytes; MediaWiki: {c.Expected["mediawikiSeconds"]?.ToJsonString() ?? "?"} s, HTTP {c.Expected["httpStatus"]?.ToJsonString() ?? "200"}");
        Assert.Equal(200, status);
        Assert.DoesNotContain("internal_api_error", body, StringComparison.Ordinal);
        Assert.True(elapsed < Bound, $"{name} took {elapsed.TotalSeconds:0.0} s");
        Assert.NotNull(JsonNode.Parse(body)!["parse"]);

        var differences = new List<string>();
        if (c.Expected["httpStatus"] is null && c.Expected["parsewarnings"] is JsonArray expected)
        {
            var actual = JsonNode.Parse(body)!["parse"]!["parsewarnings"]?.ToJsonString() ?? "(missing)";
            if (actual != expected.ToJsonString())
            {
                differences.Add("parsewarnings: " + ReferenceComparison.FirstDifference(expected.ToJsonString(), actual));
            }
        }

        ReferenceComparison.AssertVerdict(name, differences, output);
    }
}
