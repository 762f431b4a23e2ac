using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

/// <summary>wikidiff2's inline JSON diff format, laid out from the same rows as the table diff.</summary>
public sealed class JsonDiffTests
{
    [Fact]
    public void Diff_SameText_EmptyArray() => Assert.Equal("[]", JsonDiff.Diff("a\nb", "a\nb").ToJsonString());

    [Fact]
    public void Diff_ReplacedWordInMultibyteLine_DeletedThenAddedRangeInBytes()
    {
        var diff = JsonDiff.Diff("héllo old world", "héllo new world");

        Assert.Equal(
            """[{"type":3,"lineNumber":1,"text":"héllo oldnew world","offset":{"from":0,"to":0},"highlightRanges":[{"start":7,"length":3,"type":1},{"start":10,"length":3,"type":0}]}]""",
            diff.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Diff_ChangesFarApart_OnlyTwoContextLinesAroundEach()
    {
        var lines = Enumerable.Range(1, 20).Select(i => "line " + i).ToArray();
        var changed = (string[])lines.Clone();
        changed[1] = "second";
        changed[15] = "sixteenth";

        var diff = JsonDiff.Diff(string.Join('\n', lines), string.Join('\n', changed));

        // Lines 1-4 around the first change, 14-18 around the second; "second" shares no word with "line 2".
        Assert.Equal([1, 2, 3, 4, 14, 15, 16, 17, 18], diff.Select(d => d!["lineNumber"]!.GetValue<int>()));
        Assert.Equal([0, 3, 0, 0, 0, 0, 3, 0, 0], diff.Select(d => d!["type"]!.GetValue<int>()));
    }
}
