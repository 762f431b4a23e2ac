namespace CrossWiki.Client.Tests;

/// <summary>Parameter serialization: mw.Api's rules (spec foreignapi-centralauth.md §1.3), with true as "1".</summary>
public sealed class ApiParametersTests
{
    private static string Wire(params (string Key, object? Value)[] parameters) =>
        ApiParameters.Encode(ApiParameters.Serialize(null, parameters.Select(p => KeyValuePair.Create(p.Key, p.Value))));

    [Fact]
    public void Serialize_Lists_JoinedWithPipe()
    {
        Assert.Equal("prop=info%7Crevisions", Wire(("prop", new List<string> { "info", "revisions" })));
    }

    [Fact]
    public void Serialize_ListElementWithPipe_UnitSeparatorForm()
    {
        Assert.Equal("titles=%1Fa%7Cb%1Fc", Wire(("titles", new List<string> { "a|b", "c" })));
    }

    [Fact]
    public void Serialize_EmptyListAndNullElement_EmptyStrings()
    {
        Assert.Equal("a=&b=x%7C", Wire(("a", Array.Empty<string>()), ("b", new[] { "x", null })));
    }

    [Fact]
    public void Serialize_TrueFalseNull_OneOrLeftOut()
    {
        Assert.Equal("redirects=1", Wire(("redirects", true), ("bot", false), ("minor", null)));
    }

    [Fact]
    public void Serialize_NumbersAndDates_InvariantAndIso()
    {
        Assert.Equal(
            "limit=1500&ratio=0.5&when=2026-01-02T03%3A04%3A05Z",
            Wire(("limit", 1500), ("ratio", 0.5), ("when", new DateTimeOffset(2026, 1, 2, 4, 4, 5, TimeSpan.FromHours(1)))));
    }

    [Fact]
    public void Serialize_Token_SentLast()
    {
        Assert.Equal("action=edit&text=x&token=%2B%5C", Wire(("action", "edit"), ("token", "+\\"), ("text", "x")));
    }

    [Fact]
    public void Serialize_CallOverDefaults_ReplacesInPlaceAndNullRemoves()
    {
        var wire = ApiParameters.Serialize(
            [new("action", "query"), new("format", "json"), new("maxlag", 5)],
            [new("action", "parse"), new("maxlag", null), new("page", "A b")]);

        Assert.Equal("action=parse&format=json&page=A%20b", ApiParameters.Encode(wire));
    }
}
