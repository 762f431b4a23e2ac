namespace CrossWiki.BrowserTests;

/// <summary>Special:CreateAccount in the browser: the visitor's sign-up, refused and then accepted.</summary>
[Collection(BrowserSuite.Name)]
public sealed class AccountPagesTests(BrowserFarm farm)
{
    [Fact]
    public async Task SpecialCreateAccount_VisitorSignsUp_RefusedPasswordKeptNameThenLoggedInAsTheNewUser()
    {
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        var name = "Signup " + Guid.NewGuid().ToString("N")[..8];

        // The "Create account" link every page shows to visitors, back to the page after signing up.
        await page.GotoAsync(farm.Local + "/wiki/Sign_up_here");
        await page.ClickAsync("#pt-createaccount");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("Special:CreateAccount"));
        await page.FillAsync("#wpName2", name);
        await page.FillAsync("#wpPassword2", "short");
        await page.FillAsync("#wpRetype", "short");
        await WikiPagesTests.Shot(page, "special-createaccount.png");
        await page.ClickAsync("#wpCreateaccount");
        await page.Locator("#mw-createacct-error").WaitForAsync();
        Assert.Equal("Passwords must be at least 8 characters.", (await page.TextContentAsync("#mw-createacct-error"))?.Trim());
        Assert.Equal(name, await page.InputValueAsync("#wpName2"));
        Assert.Equal("", await page.InputValueAsync("#wpPassword2"));
        await WikiPagesTests.Shot(page, "special-createaccount-error.png");

        await page.FillAsync("#wpPassword2", "a much longer secret");
        await page.FillAsync("#wpRetype", "a much longer secret");
        await page.ClickAsync("#wpCreateaccount");
        await page.WaitForURLAsync(farm.Local + "/wiki/Sign_up_here");
        Assert.Equal(name, await page.TextContentAsync("#pt-userpage"));
        Assert.False(await page.IsVisibleAsync("#pt-createaccount"));

        // The same name again is taken.
        await using var other = await farm.DefaultContextAsync();
        var second = await other.NewPageAsync();
        await second.GotoAsync(farm.Local + "/wiki/Special:CreateAccount");
        await second.FillAsync("#wpName2", name);
        await second.FillAsync("#wpPassword2", "a much longer secret");
        await second.FillAsync("#wpRetype", "a much longer secret");
        await second.ClickAsync("#wpCreateaccount");
        await second.Locator("#mw-createacct-error").WaitForAsync();
        Assert.StartsWith("Username entered already in use.", (await second.TextContentAsync("#mw-createacct-error"))?.Trim(), StringComparison.Ordinal);
    }
}
