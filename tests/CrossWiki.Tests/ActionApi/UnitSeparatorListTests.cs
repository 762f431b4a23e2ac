using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>
/// Multi-value parameters sent as U+001F lists (mwn and mw.Api, when an element contains <c>|</c>;
/// spec api-clients.md): the separators survive input cleaning, each element is cleaned on its own.
/// </summary>
public sealed class UnitSeparatorListTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task Options_ChangeAsUnitSeparatorList_StoresValuesWithPipeWithoutWarning()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);

        var answer = await client.PostAsync(("action", "options"), ("change", "\u001fuserjs-us-a=x|y\u001fuserjs-us-b=z"),
            ("format", "json"), ("formatversion", "2"), ("token", await client.CsrfTokenAsync()));

        Assert.Equal("""{"options":"success"}""", answer.Body);
        var options = (await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2")))
            .Json["query"]!["userinfo"]!["options"]!;
        Assert.Equal("x|y", options["userjs-us-a"]!.GetValue<string>());
        Assert.Equal("z", options["userjs-us-b"]!.GetValue<string>());
    }

    [Fact]
    public async Task Options_ControlCharacterInsideUnitSeparatorList_BecomesReplacementCharacterWithBadUtf8Warning()
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);

        var answer = await client.PostAsync(("action", "options"), ("change", "\u001fuserjs-us-c=x\u0001|y"),
            ("format", "json"), ("formatversion", "2"), ("token", await client.CsrfTokenAsync()));

        Assert.Equal("""{"warnings":{"options":{"warnings":"The value passed for \"change\" contains invalid or non-normalized data. Textual data should be valid, NFC-normalized Unicode without C0 control characters other than HT (\\t), LF (\\n), and CR (\\r)."}},"options":"success"}""", answer.Body);
        var options = (await client.GetAsync(("action", "query"), ("meta", "userinfo"), ("uiprop", "options"), ("format", "json"), ("formatversion", "2")))
            .Json["query"]!["userinfo"]!["options"]!;
        // MediaWiki's input normalisation replaces C0 controls with U+FFFD; the U+001F separators survive.
        Assert.Equal("x\uFFFD|y", options["userjs-us-c"]!.GetValue<string>());
    }
}
