using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

/// <summary>The reason logged for a deletion without one: MediaWiki's excontent, excontentauthor and exbeforeblank.</summary>
public sealed class AutoDeleteReasonTests
{
    [Fact]
    public void AutoDeleteReason_OneAuthor_NamesTheOnlyContributor() =>
        Assert.Equal("content was: \"Hello\nworld\", and the only contributor was \"[[Special:Contributions/Ann|Ann]]\" ([[User talk:Ann|talk]])".Replace("\n", " ", StringComparison.Ordinal),
            PageAdmin.AutoDeleteReason("Hello\nworld", "Hello", ["Ann", "Ann"]));

    [Fact]
    public void AutoDeleteReason_SeveralAuthors_ContentOnly() =>
        Assert.Equal("content was: \"Text\"", PageAdmin.AutoDeleteReason("Text", "Old", ["Ann", "Bob"]));

    [Fact]
    public void AutoDeleteReason_BlankedPage_QuotesTheTextBeforeBlanking() =>
        Assert.Equal("content before blanking was: \"Old text\"", PageAdmin.AutoDeleteReason("", "Old text", ["Ann", "Bob"]));

    [Fact]
    public void AutoDeleteReason_LongText_CutToFitAFiveHundredCharacterComment()
    {
        var reason = PageAdmin.AutoDeleteReason(new string('x', 2000), null, ["Ann", "Bob"]);
        Assert.Equal(500, reason.Length);
        Assert.EndsWith("...\"", reason, StringComparison.Ordinal);
    }
}
