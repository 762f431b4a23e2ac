using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages;

public sealed class TitleParserTests
{
    private static readonly NamespaceTable Table = NamespaceTable.Create("Example Wikipedia");

    private static Title ParseValid(string input, int defaultNamespace = 0)
    {
        TitleParseResult result = TitleParser.Parse(input, Table, defaultNamespace);
        Assert.True(result.IsValid, $"Expected '{input}' to be valid but got {result.Code}: {result.Message}");
        Assert.Null(result.Code);
        Assert.Null(result.Message);
        return result.Title;
    }

    private static TitleParseResult ParseInvalid(string input, int defaultNamespace = 0)
    {
        TitleParseResult result = TitleParser.Parse(input, Table, defaultNamespace);
        Assert.False(result.IsValid, $"Expected '{input}' to be invalid but got {result.Title?.PrefixedText}");
        Assert.Null(result.Title);
        return result;
    }

    [Theory]
    [InlineData("Foo", 0, "Foo")]
    [InlineData("foo", 0, "Foo")]
    [InlineData("foo bar", 0, "Foo_bar")]
    [InlineData("foo_bar", 0, "Foo_bar")]
    [InlineData("  foo   bar  ", 0, "Foo_bar")]
    [InlineData("__foo__bar__", 0, "Foo_bar")]
    [InlineData("foo _ bar", 0, "Foo_bar")]
    [InlineData("foo ", 0, "Foo")]
    [InlineData("_foo", 0, "Foo")]
    [InlineData("foo_bar baz", 0, "Foo_bar_baz")]
    [InlineData("foo\u00A0bar", 0, "Foo_bar")]
    [InlineData("foo\u1680bar", 0, "Foo_bar")]
    [InlineData("foo\u180Ebar", 0, "Foo_bar")]
    [InlineData("foo\u2000\u200Abar", 0, "Foo_bar")]
    [InlineData("foo\u2028bar\u2029baz", 0, "Foo_bar_baz")]
    [InlineData("foo\u202F\u205F\u3000bar", 0, "Foo_bar")]
    [InlineData("foo\u200Ebar", 0, "Foobar")]
    [InlineData("\u200Ffoo\u202A\u202B\u202C\u202D\u202Ebar", 0, "Foobar")]
    [InlineData(":foo", 0, "Foo")]
    [InlineData(": foo", 0, "Foo")]
    [InlineData("user:foo", 2, "Foo")]
    [InlineData("User : foo", 2, "Foo")]
    [InlineData("USER TALK:foo", 3, "Foo")]
    [InlineData("User_talk:foo_bar", 3, "Foo_bar")]
    [InlineData("Image:Foo.png", 6, "Foo.png")]
    [InlineData("image talk:x", 7, "X")]
    [InlineData("File:Foo.png", 6, "Foo.png")]
    [InlineData("Project:About", 4, "About")]
    [InlineData("Example Wikipedia:About", 4, "About")]
    [InlineData("example_wikipedia_talk:x", 5, "X")]
    [InlineData("Project talk:x", 5, "X")]
    [InlineData("Special:RecentChanges", -1, "RecentChanges")]
    [InlineData("Media:X.png", -2, "X.png")]
    [InlineData("MediaWiki:Common.css", 8, "Common.css")]
    [InlineData("Template:Infobox", 10, "Infobox")]
    [InlineData("Help:Contents", 12, "Contents")]
    [InlineData("Category:Things", 14, "Things")]
    [InlineData(":Category:Things", 14, "Things")]
    [InlineData("Talk:Foo:Sandbox", 1, "Foo:Sandbox")]
    [InlineData("Foo:Bar", 0, "Foo:Bar")]
    [InlineData("Foo:User:Bar", 0, "Foo:User:Bar")]
    [InlineData("User:Foo:Bar", 2, "Foo:Bar")]
    [InlineData("A \"B\"", 0, "A_\"B\"")]
    [InlineData("A 'B'", 0, "A_'B'")]
    [InlineData(".com", 0, ".com")]
    [InlineData("~", 0, "~")]
    [InlineData("\"", 0, "\"")]
    [InlineData("A~~", 0, "A~~")]
    [InlineData("Foo/.../Sandbox", 0, "Foo/.../Sandbox")]
    [InlineData("Sandbox/...", 0, "Sandbox/...")]
    [InlineData("a+b=c?!", 0, "A+b=c?!")]
    [InlineData("100%", 0, "100%")]
    [InlineData("A%2", 0, "A%2")]
    [InlineData("A%zz", 0, "A%zz")]
    [InlineData("AT&T", 0, "AT&T")]
    [InlineData("A &amp; B", 0, "A_&_B")]
    [InlineData("A&#38;B", 0, "A&B")]
    [InlineData("éclair", 0, "Éclair")]
    [InlineData("e\u0301clair", 0, "Éclair")]
    [InlineData("ßtraße", 0, "ßtraße")]
    [InlineData("\U00010428x", 0, "\U00010400x")]
    [InlineData("日本", 0, "日本")]
    [InlineData("Ω:x", 0, "Ω:x")]
    public void Parse_ValidInput_NormalisesNamespaceAndKey(string input, int ns, string dbKey)
    {
        Title title = ParseValid(input);
        Assert.Equal(ns, title.Namespace);
        Assert.Equal(dbKey, title.DbKey);
        Assert.Null(title.Fragment);
    }

    [Theory]
    [InlineData("user talk:foo bar", "User talk:Foo bar", "User_talk:Foo_bar")]
    [InlineData("project:a_b", "Example Wikipedia:A b", "Example_Wikipedia:A_b")]
    [InlineData("image:x.png", "File:X.png", "File:X.png")]
    [InlineData("main page", "Main page", "Main_page")]
    public void Parse_ValidInput_ComputesPrefixedForms(string input, string prefixedText, string prefixedDbKey)
    {
        Title title = ParseValid(input);
        Assert.Equal(prefixedText, title.PrefixedText);
        Assert.Equal(prefixedDbKey, title.PrefixedDbKey);
    }

    [Theory]
    [InlineData("Foo", 10, 10, "Template:Foo")]
    [InlineData(":Foo", 10, 0, "Foo")]
    [InlineData("User:Foo", 10, 2, "User:Foo")]
    [InlineData("Foo", 14, 14, "Category:Foo")]
    public void Parse_DefaultNamespace_AppliesUnlessPrefixed(string input, int defaultNs, int ns, string prefixed)
    {
        Title title = ParseValid(input, defaultNs);
        Assert.Equal(ns, title.Namespace);
        Assert.Equal(prefixed, title.PrefixedText);
    }

    [Fact]
    public void Parse_UnknownDefaultNamespace_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TitleParser.Parse("Foo", Table, 99));
    }

    [Theory]
    [InlineData("Foo#Bar", "Foo", "Bar")]
    [InlineData("Foo#Bar baz", "Foo", "Bar baz")]
    [InlineData("Foo#bar_baz", "Foo", "bar baz")]
    [InlineData("Foo _#_bar", "Foo", " bar")]
    [InlineData("Foo#", "Foo", "")]
    [InlineData("Foo#a#b", "Foo", "a#b")]
    [InlineData("Foo#<x>", "Foo", "<x>")]
    [InlineData("User:Bob#Talk", "Bob", "Talk")]
    public void Parse_Fragment_SplitsFragmentFromKey(string input, string dbKey, string fragment)
    {
        Title title = ParseValid(input);
        Assert.Equal(dbKey, title.DbKey);
        Assert.Equal(fragment, title.Fragment);
    }

    [Theory]
    [InlineData("", TitleParser.InvalidEmpty)]
    [InlineData(":", TitleParser.InvalidEmpty)]
    [InlineData("__  __", TitleParser.InvalidEmpty)]
    [InlineData("  __  ", TitleParser.InvalidEmpty)]
    [InlineData("\u200E", TitleParser.InvalidEmpty)]
    [InlineData("User:", TitleParser.InvalidEmpty)]
    [InlineData("User: _ ", TitleParser.InvalidEmpty)]
    [InlineData("Category:", TitleParser.InvalidEmpty)]
    [InlineData("#foo", TitleParser.InvalidEmpty)]
    [InlineData("Talk:#foo", TitleParser.InvalidEmpty)]
    [InlineData("A [ B", TitleParser.InvalidCharacters)]
    [InlineData("A ] B", TitleParser.InvalidCharacters)]
    [InlineData("A { B", TitleParser.InvalidCharacters)]
    [InlineData("A } B", TitleParser.InvalidCharacters)]
    [InlineData("A < B", TitleParser.InvalidCharacters)]
    [InlineData("A > B", TitleParser.InvalidCharacters)]
    [InlineData("A | B", TitleParser.InvalidCharacters)]
    [InlineData("A \t B", TitleParser.InvalidCharacters)]
    [InlineData("A \n B", TitleParser.InvalidCharacters)]
    [InlineData("A \u0000 B", TitleParser.InvalidCharacters)]
    [InlineData("A \u007F B", TitleParser.InvalidCharacters)]
    [InlineData("A%20B", TitleParser.InvalidCharacters)]
    [InlineData("A%2fB", TitleParser.InvalidCharacters)]
    [InlineData("A &foo; B", TitleParser.InvalidCharacters)]
    [InlineData("A &amp;amp; B", TitleParser.InvalidCharacters)]
    [InlineData("A &lt; B", TitleParser.InvalidCharacters)]
    [InlineData(".", TitleParser.InvalidRelative)]
    [InlineData("..", TitleParser.InvalidRelative)]
    [InlineData("./Sandbox", TitleParser.InvalidRelative)]
    [InlineData("../Sandbox", TitleParser.InvalidRelative)]
    [InlineData("Foo/./Sandbox", TitleParser.InvalidRelative)]
    [InlineData("Foo/../Sandbox", TitleParser.InvalidRelative)]
    [InlineData("Sandbox/.", TitleParser.InvalidRelative)]
    [InlineData("Sandbox/..", TitleParser.InvalidRelative)]
    [InlineData("User:..", TitleParser.InvalidRelative)]
    [InlineData("A ~~~", TitleParser.InvalidMagicTilde)]
    [InlineData("~~~~", TitleParser.InvalidMagicTilde)]
    [InlineData("Talk:User:X", TitleParser.InvalidTalkNamespace)]
    [InlineData("Talk:File:X", TitleParser.InvalidTalkNamespace)]
    [InlineData("talk:image:x", TitleParser.InvalidTalkNamespace)]
    [InlineData("Talk:Project:X", TitleParser.InvalidTalkNamespace)]
    [InlineData("Talk:Special:X", TitleParser.InvalidTalkNamespace)]
    [InlineData("Talk: Category : X", TitleParser.InvalidTalkNamespace)]
    [InlineData("::Foo", TitleParser.InvalidLeadingColon)]
    [InlineData("User::Foo", TitleParser.InvalidLeadingColon)]
    [InlineData("A\uFFFDB", TitleParser.InvalidUtf8)]
    [InlineData("A&#xFFFD;B", TitleParser.InvalidUtf8)]
    public void Parse_InvalidInput_ReturnsErrorCode(string input, string code)
    {
        Assert.Equal(code, ParseInvalid(input).Code);
    }

    [Theory]
    [InlineData("\uD800")]
    [InlineData("A\uD800B")]
    [InlineData("A\uDC00")]
    [InlineData("\uDC00\uD800")]
    public void Parse_LoneSurrogate_ReturnsUtf8Error(string input)
    {
        Assert.Equal(TitleParser.InvalidUtf8, ParseInvalid(input).Code);
    }

    [Fact]
    public void Parse_ValidSurrogatePair_IsLegal()
    {
        Assert.Equal("\U0001F600", ParseValid("\U0001F600").DbKey);
    }

    [Theory]
    [InlineData("", "The requested page title is empty or contains only the name of a namespace.")]
    [InlineData("A\uFFFD", "The requested page title contains an invalid UTF-8 sequence.")]
    [InlineData("Talk:User:X", "The requested page title refers to a talk page that cannot exist.")]
    [InlineData("A<B", "The requested page title contains invalid characters: \"<\".")]
    [InlineData("A%41B", "The requested page title contains invalid characters: \"%41\".")]
    [InlineData("A&bogus;B", "The requested page title contains invalid characters: \"&bogus;\".")]
    [InlineData("A|B<C", "The requested page title contains invalid characters: \"|\".")]
    [InlineData("A%41<B", "The requested page title contains invalid characters: \"%41\".")]
    [InlineData("../X", "Title has relative path. Relative page titles (./, ../) are invalid, because they will often be unreachable when handled by user's browser.")]
    [InlineData("~~~", "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>).")]
    [InlineData("User::X", "The requested page title contains an invalid colon at the beginning.")]
    public void Parse_InvalidInput_ReturnsEnglishMessage(string input, string message)
    {
        Assert.Equal(message, ParseInvalid(input).Message);
    }

    [Theory]
    [InlineData("x", 255, true)]
    [InlineData("x", 256, false)]
    [InlineData("\u20AC", 85, true)]
    [InlineData("\u20AC", 86, false)]
    [InlineData("\u00F1", 127, true)]
    [InlineData("\U0001F600", 63, true)]
    [InlineData("\U0001F600", 64, false)]
    public void Parse_LengthBoundary_CountsUtf8Bytes(string unit, int repeat, bool valid)
    {
        string input = string.Concat(Enumerable.Repeat(unit, repeat));
        TitleParseResult result = TitleParser.Parse(input, Table);
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(TitleParser.InvalidTooLong, result.Code);
            Assert.Equal(
                "The requested page title is too long. It must be no longer than 255 bytes in UTF-8 encoding.",
                result.Message);
        }
    }

    [Theory]
    [InlineData("x", true)]
    [InlineData("xx", false)]
    public void Parse_MultibyteCharacterAtBoundary_CountsBytesNotChars(string tail, bool valid)
    {
        string input = new string('\u00F1', 127) + tail;
        Assert.Equal(valid, TitleParser.Parse(input, Table).IsValid);
    }

    [Fact]
    public void Parse_NamespacePrefix_DoesNotCountTowardsLength()
    {
        Assert.True(TitleParser.Parse("Category:" + new string('x', 248), Table).IsValid);
        Assert.True(TitleParser.Parse("User talk:" + new string('x', 255), Table).IsValid);
        Assert.False(TitleParser.Parse("User talk:" + new string('x', 256), Table).IsValid);
    }

    [Fact]
    public void Parse_Fragment_DoesNotCountTowardsLength()
    {
        Assert.True(TitleParser.Parse(new string('x', 255) + "#" + new string('y', 300), Table).IsValid);
    }

    [Theory]
    [InlineData(512, true)]
    [InlineData(513, false)]
    public void Parse_SpecialNamespace_Allows512Bytes(int length, bool valid)
    {
        TitleParseResult result = TitleParser.Parse("Special:" + new string('x', length), Table);
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(
                "The requested page title is too long. It must be no longer than 512 bytes in UTF-8 encoding.",
                result.Message);
        }
    }

    [Theory]
    [InlineData('a', true)]
    [InlineData(' ', true)]
    [InlineData('%', true)]
    [InlineData('+', true)]
    [InlineData('~', true)]
    [InlineData('\\', true)]
    [InlineData('\u0080', true)]
    [InlineData('\u00FF', true)]
    [InlineData('\u4E00', true)]
    [InlineData('#', false)]
    [InlineData('<', false)]
    [InlineData('>', false)]
    [InlineData('[', false)]
    [InlineData(']', false)]
    [InlineData('{', false)]
    [InlineData('}', false)]
    [InlineData('|', false)]
    [InlineData('\u001F', false)]
    [InlineData('\u007F', false)]
    [InlineData('\uFFFD', false)]
    public void IsLegalTitleChar_Character_MatchesLegalTitleChars(char c, bool legal)
    {
        Assert.Equal(legal, TitleParser.IsLegalTitleChar(c));
    }
}
