using System.Text.RegularExpressions;
using System.Xml;

namespace CrossWiki.Tests.Pages;

internal static partial class HtmlShape
{
    [GeneratedRegex(@"\G<(?:/?(?:div|p|h[1-6]|span|a|b|i|ul|ol|li|dl|dt|dd|pre|table|tbody|tr|td|th|caption)(?=[ >])|br />|hr />)")]
    private static partial Regex AllowedTagStart();

    public static void AssertOnlyAllowedTags(string html)
    {
        for (int i = html.IndexOf('<', StringComparison.Ordinal); i >= 0; i = html.IndexOf('<', i + 1))
        {
            Assert.True(AllowedTagStart().IsMatch(html, i), $"Unexpected '<' at {i} in: {html}");
        }
    }

    public static void AssertWellFormed(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader("<root>" + html + "</root>"), settings);
        while (reader.Read())
        {
        }
    }
}
