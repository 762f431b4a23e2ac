using System.Text;

namespace CrossWiki.Tests.Pages;

public sealed class WikitextFuzzTests
{
    private const string Alphabet = "[]'=*#:;<>|{}&\" \n";

    private static readonly string[] Tokens =
    [
        "[", "]", "[[", "]]", "'", "''", "'''", "=", "==", "*", "#", ":", ";", "<", ">", "|", "{{", "}}", "&",
        "\"", " ", "\n", "\n\n", "a", "Foo", "http://", "https://x.org/", "//", "mailto:", "javascript:",
        "<nowiki>", "</nowiki>", "<nowiki/>", "<pre>", "</pre>", "<!--", "-->", "----", "<script>", "\u007F",
        "0", "%41", "&amp;", "#frag", "Category:", "User:", "~~~",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Render_RandomAlphabetStrings_NeverThrowOrLeakTags(int seed)
    {
        var random = new Random(seed);
        for (int n = 0; n < 1000; n++)
        {
            var sb = new StringBuilder();
            int length = random.Next(0, 80);
            for (int i = 0; i < length; i++)
            {
                sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            AssertSafe(sb.ToString());
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Render_RandomTokenStrings_NeverThrowOrLeakTags(int seed)
    {
        var random = new Random(seed);
        for (int n = 0; n < 1000; n++)
        {
            var sb = new StringBuilder();
            int count = random.Next(0, 40);
            for (int i = 0; i < count; i++)
            {
                sb.Append(Tokens[random.Next(Tokens.Length)]);
            }

            AssertSafe(sb.ToString());
        }
    }

    private static void AssertSafe(string wikitext)
    {
        string html;
        try
        {
            html = WikitextRendererTests.Body(wikitext);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"Render threw {ex.GetType().Name} for input {Escape(wikitext)}: {ex.Message}");
            return;
        }

        Assert.False(
            html.Contains("<script", StringComparison.OrdinalIgnoreCase),
            $"<script leaked for input {Escape(wikitext)}: {html}");
        try
        {
            HtmlShape.AssertOnlyAllowedTags(html);
            HtmlShape.AssertWellFormed(html);
        }
        catch (Exception ex)
        {
            Assert.Fail($"Bad output for input {Escape(wikitext)}: {ex.Message}\n{html}");
        }
    }

    private static string Escape(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\u007F", "\\x7F", StringComparison.Ordinal) + "\"";
}
