using CrossWiki.Server.Cors;

namespace CrossWiki.Tests.Cors;

/// <summary>Spec §2.3 (verified against MediaWiki 1.39's Origin class) and §8.1 (OriginTest::provideMatch).</summary>
public sealed class OriginRulesTests
{
    private const string EnWp = "https://en.wikipedia.org";
    private const string EnWikt = "https://en.wiktionary.org";
    private const string EnWb = "https://en.wikibooks.org";

    /// <summary>Matches a whole Origin header the way MediaWiki's Origin::match does: every origin must pass.</summary>
    private static bool MatchHeader(string header, string[] allow, string[] except)
    {
        var parsed = OriginHeader.Parse([header]);
        var rules = new OriginRules(allow, except);
        return !parsed.IsNull && parsed.Origins.Count > 0 && parsed.Origins.All(o => rules.Match(o).Allowed);
    }

    public static TheoryData<string, string[], string[], bool> Section23Vectors => new()
    {
        { "https://en.wikipedia.org", ["en.wikipedia.org"], [], true },
        { "http://en.wikipedia.org", ["en.wikipedia.org"], [], true },
        { "ftp://en.wikipedia.org", ["en.wikipedia.org"], [], false },
        { "https://en.wikipedia.org", ["https://en.wikipedia.org"], [], false },
        { "https://EN.wikipedia.org", ["en.wikipedia.org"], [], false },
        { "HTTPS://en.wikipedia.org", ["en.wikipedia.org"], [], false },
        { "https://en.wikipedia.org:443", ["en.wikipedia.org"], [], false },
        { "https://en.wikipedia.org:8080", ["en.wikipedia.org:*"], [], true },
        { "https://en.wikipedia.org:8080", ["*.wikipedia.org"], [], false },
        { "https://wikipedia.org", ["*.wikipedia.org"], [], false },
        { "https://a.b.wikipedia.org", ["*.wikipedia.org"], [], true },
        { "https://evilwikipedia.org", ["*wikipedia.org"], [], true },
        { "https://en.wikipedia.org", ["*"], [], true },
        { "https://eng.wikipedia.org", ["??.wikipedia.org"], [], false },
        { "https://enXwikipedia.org", ["en.wikipedia.org"], [], false },
        { "https://en.wikipedia.org", ["*.wikipedia.org"], ["en.*"], false },
        { "https://en.wikipedia.org", ["*.wikipedia.org"], ["https://en.wikipedia.org"], true },
        { "https://en.wikipedia.org", ["foo.org", "*.wikipedia.org"], ["*.wikipedia.org"], false },
        { "null", ["*"], [], false },
        { "  https://en.wikipedia.org  ", ["en.wikipedia.org"], [], true },
        { "https://en.wikipedia.org https://x.org", ["en.wikipedia.org"], [], false },
        { "https://en.wikipedia.org https://x.org", ["en.wikipedia.org", "x.org"], [], true },
        { "", ["*"], [], false },
        { "https://en.wikipedia.org/", ["en.wikipedia.org"], [], false },
    };

    [Theory]
    [MemberData(nameof(Section23Vectors))]
    public void Match_Section23Vector_AsMediaWiki(string header, string[] allow, string[] except, bool expected) =>
        Assert.Equal(expected, MatchHeader(header, allow, except));

    public static TheoryData<int, string, string[], string[], bool> OriginTestProvideMatch => new()
    {
        { 1, "null", ["null"], [], false },
        { 2, EnWp, [], [], false },
        { 3, EnWp, ["en.wikipedia.org"], [], true },
        { 4, EnWp, ["en.wikipedia.org"], ["example.com"], true },
        { 5, EnWp, ["en.wikipedia.org"], ["en.wikipedia.org"], false },
        { 6, EnWp, ["*.wikipedia.org"], ["*.example.com"], true },
        { 7, EnWp, ["*.wikipedia.org"], ["*.wikipedia.org"], false },
        { 8, EnWp, ["??.wikipedia.org"], ["??.example.com"], true },
        { 9, EnWp, ["??.wikipedia.org"], ["??.wikipedia.org"], false },
        { 10, EnWikt, ["en.wikipedia.org"], ["example.com"], false },
        { 11, EnWikt, ["*.wikipedia.org"], ["*.example.com"], false },
        { 12, EnWikt, ["??.wikipedia.org"], ["??.example.com"], false },
        { 13, EnWikt, ["en.wikipedia.org", "en.wiktionary.org"], ["example.com", "www.mediawiki.org"], true },
        { 14, EnWikt, ["en.wiktionary.org"], ["en.wikipedia.org", "en.wiktionary.org"], false },
        { 15, EnWikt, ["*.wikipedia.org", "*.wiktionary.org"], ["*.example.com", "*.mediawiki.org"], true },
        { 16, EnWikt, ["*.wikipedia.org", "*.wiktionary.org"], ["*.wikipedia.org", "*.wiktionary.org"], false },
        { 17, EnWikt, ["??.wikipedia.org", "??.wiktionary.org"], ["??.example.com", "??.mediawiki.org"], true },
        { 18, EnWikt, ["??.wikipedia.org", "??.wiktionary.org"], ["??.wikipedia.org", "??.wiktionary.org"], false },
        { 19, EnWb, ["en.wikipedia.org", "en.wiktionary.org"], [], false },
        { 20, EnWb, ["*.wikipedia.org", "*.wiktionary.org"], [], false },
        { 21, EnWb, ["??.wikipedia.org", "??.wiktionary.org"], [], false },
        { 22, EnWp + " " + EnWikt, ["en.wikipedia.org", "en.wiktionary.org"], ["example.com", "www.mediawiki.org"], true },
        { 23, EnWp + " " + EnWikt, ["en.wikipedia.org", "en.wiktionary.org"], ["en.wikipedia.org", "en.wiktionary.org"], false },
        { 24, EnWp + " " + EnWikt, ["*.wikipedia.org", "*.wiktionary.org"], ["*.example.com", "*.mediawiki.org"], true },
        { 25, EnWp + " " + EnWikt, ["*.wikipedia.org", "*.wiktionary.org"], ["*.wikipedia.org", "*.wiktionary.org"], false },
        { 26, EnWp + " " + EnWikt, ["??.wikipedia.org", "??.wiktionary.org"], ["??.example.com", "??.mediawiki.org"], true },
        { 27, EnWp + " " + EnWikt, ["??.wikipedia.org", "??.wiktionary.org"], ["??.wikipedia.org", "??.wiktionary.org"], false },
        { 28, EnWp + " " + EnWb, ["en.wikipedia.org", "en.wiktionary.org"], ["example.com", "www.mediawiki.org"], false },
        { 29, EnWp + " " + EnWb, ["*.wikipedia.org", "*.wiktionary.org"], ["*.example.com", "*.mediawiki.org"], false },
        { 30, EnWp + " " + EnWb, ["??.wikipedia.org", "??.wiktionary.org"], ["??.example.com", "??.mediawiki.org"], false },
    };

    [Theory]
    [MemberData(nameof(OriginTestProvideMatch))]
    public void Match_OriginTestProvideMatch_AsMediaWiki(int row, string header, string[] allow, string[] except, bool expected)
    {
        Assert.True(row > 0);
        Assert.Equal(expected, MatchHeader(header, allow, except));
    }

    [Fact]
    public void Parse_NullHeader_IsNullOriginWithNoList()
    {
        var header = OriginHeader.Parse(["null"]);

        Assert.True(header.IsNull);
        Assert.False(header.IsMulti);
        Assert.Empty(header.Origins);
    }

    [Theory]
    [InlineData("https://en.wikipedia.org", false)]
    [InlineData("https://en.wikipedia.org https://foo.bar", true)]
    public void Parse_OriginList_SplitsOnWhitespace(string value, bool multi)
    {
        var header = OriginHeader.Parse([value]);

        Assert.Equal(value.Split(' '), header.Origins);
        Assert.Equal(multi, header.IsMulti);
    }

    [Fact]
    public void Parse_TwoHeaderFields_IsMultiOrigin()
    {
        Assert.True(OriginHeader.Parse(["https://a.example", "https://b.example"]).IsMulti);
    }

    [Fact]
    public void Match_ExceptionRule_IsReportedWithTheAllowRule()
    {
        var rules = new OriginRules(["foo.org", "*.trusted.example"], ["bad.trusted.example"]);

        Assert.Equal(new OriginMatch(false, "*.trusted.example", "bad.trusted.example"), rules.Match("https://bad.trusted.example"));
        Assert.Equal(new OriginMatch(true, "*.trusted.example", null), rules.Match("http://x.trusted.example"));
        Assert.Equal(default, rules.Match("https://other.example"));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("abc", "a*", true)]
    [InlineData("abc", "*c", true)]
    [InlineData("abc", "a?c", true)]
    [InlineData("abc", "a?", false)]
    [InlineData("a.b.c", "*.*.*", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*c", false)]
    [InlineData("x", "", false)]
    [InlineData("", "*", true)]
    public void Wildcard_Pattern_MatchesWholeText(string text, string pattern, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(text, pattern));
}
