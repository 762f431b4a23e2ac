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
        await Browser.ArrivedAsync(page, new System.Text.RegularExpressions.Regex("Special:CreateAccount"));
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
        await Browser.ArrivedAsync(page, farm.Local + "/wiki/Sign_up_here");
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

/// <summary>The page administration forms in the browser: a sysop moves, protects and deletes a page through its tabs.</summary>
[Collection(BrowserSuite.Name)]
public sealed class AdminPagesTests(BrowserFarm farm)
{
    [Fact]
    public async Task MoveProtectDeleteForms_SysopUsesThePageTabs_PageMovedProtectedAndDeleted()
    {
        var sysop = await farm.CreateUserAsync("Admin", "sysop");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1000, 700);
        await Browser.LogInAsync(page, farm.Local, sysop, BrowserFarm.Password);
        var id = Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync(farm.Local + $"/w/index.php?title=Admin_form_{id}&action=edit");
        await page.FillAsync("#wpTextbox1", "A page to administer.");
        await page.ClickAsync("#wpSave");
        await Browser.ArrivedAsync(page, farm.Local + $"/wiki/Admin_form_{id}");

        // Move, with the redirect left behind.
        await page.ClickAsync("#ca-move a");
        await page.Locator("#movepage").WaitForAsync();
        Assert.Equal($"Admin form {id}", await page.InputValueAsync("#wpNewTitleMain"));
        await page.FillAsync("#wpNewTitleMain", $"Administered form {id}");
        await page.FillAsync("#wpReason", "a better name");
        await WikiPagesTests.Shot(page, "special-movepage.png");
        await page.ClickAsync("#wpMove");
        await page.Locator("#message").WaitForAsync();
        Assert.Equal($"\"Admin form {id}\" has been moved to \"Administered form {id}\".", await page.TextContentAsync("#message"));
        await page.GotoAsync(farm.Local + $"/wiki/Admin_form_{id}");
        Assert.Equal($"Administered form {id}", await page.TextContentAsync("#firstHeading"));

        // Protect: edits for administrators only; the form shows the level in force afterwards.
        await page.ClickAsync("#ca-protect a");
        await page.Locator("#mw-Protect-Form").WaitForAsync();
        await page.SelectOptionAsync("#mwProtect-level-edit", "sysop");
        await page.FillAsync("#mwProtect-reason", "vandalism");
        await WikiPagesTests.Shot(page, "action-protect.png");
        await page.ClickAsync("#mw-Protect-submit");
        await Browser.ArrivedAsync(page, farm.Local + $"/wiki/Administered_form_{id}");
        await page.GotoAsync(farm.Local + $"/w/index.php?title=Administered_form_{id}&action=protect");
        Assert.Equal("sysop", await page.InputValueAsync("#mwProtect-level-edit"));
        Assert.Equal("", await page.InputValueAsync("#mwProtect-level-move"));

        // Delete, after the confirmation form.
        await page.ClickAsync("#ca-delete a");
        await page.Locator("#deleteconfirm").WaitForAsync();
        await page.FillAsync("#wpReason", "no longer needed");
        await WikiPagesTests.Shot(page, "action-delete.png");
        await page.ClickAsync("#wpConfirmB");
        await page.Locator("#message").WaitForAsync();
        Assert.StartsWith($"\"Administered form {id}\" has been deleted.", await page.TextContentAsync("#message"), StringComparison.Ordinal);
        var gone = await page.GotoAsync(farm.Local + $"/wiki/Administered_form_{id}");
        Assert.Equal(404, gone!.Status);
    }

    [Fact]
    public async Task AdminForms_UserWithoutTheRights_GetsNoTabsAndAPermissionError()
    {
        var user = await farm.CreateUserAsync("NoAdmin");
        await using var context = await farm.DefaultContextAsync();
        var page = await context.NewPageAsync();
        await Browser.LogInAsync(page, farm.Local, user, BrowserFarm.Password);

        await page.GotoAsync(farm.Local + "/wiki/Main_Page");
        Assert.True(await page.IsVisibleAsync("#ca-move"));
        Assert.False(await page.IsVisibleAsync("#ca-delete"));
        Assert.False(await page.IsVisibleAsync("#ca-protect"));
        var delete = await page.GotoAsync(farm.Local + "/w/index.php?title=Main_Page&action=delete");
        Assert.Equal(403, delete!.Status);
        Assert.Equal("You do not have permission to delete pages.", await page.TextContentAsync("#message"));
    }
}
