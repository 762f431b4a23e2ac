using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

/// <summary>Behaviour switches as MessagesEn.php defines them: which words, which ignore case, and what stays in the text.</summary>
public sealed class BehaviorSwitchesTests
{
    [Theory]
    [InlineData("a __NOTOC__ b", "a  b", "notoc")]
    [InlineData("__notoc____NoEditSection__", "", "notoc|noeditsection")]
    [InlineData("__NOTOC__ and __NOTOC__", " and ", "notoc")]
    [InlineData("___NOTOC__", "_", "notoc")]
    [InlineData("__HIDDENCAT__ __INDEX__ __NOINDEX__", "  ", "hiddencat|index|noindex")]
    [InlineData("__NOTC__ __NOCC__ __NOTITLECONVERT__", "  ", "notitleconvert|nocontentconvert")]
    public void Take_Switches_RemovedAndEachPropertyKeptOnce(string text, string rest, string properties)
    {
        var found = new List<string>();
        Assert.Equal(rest, BehaviorSwitches.Take(text, found));
        Assert.Equal(properties.Split('|'), found);
    }

    [Theory]
    [InlineData("__hiddencat__")]
    [InlineData("__Noindex__")]
    [InlineData("__FOO__")]
    [InlineData("__NOTOC_")]
    [InlineData("__ NOTOC__")]
    [InlineData("snake_case_name")]
    [InlineData("__TOC__")]
    public void Take_NotASwitch_LeavesTheTextAsItIs(string text)
    {
        var found = new List<string>();
        Assert.Same(text, BehaviorSwitches.Take(text, found));
        Assert.Empty(found);
    }
}
