using CrossWiki.Server.Accounts;
using CrossWiki.Server.Web.Components;

namespace CrossWiki.Server.Web;

/// <content>Special:CreateAccount: MediaWiki's sign-up form, through the one account maker (<see cref="AccountAdmin"/>).</content>
internal sealed partial class WikiWeb
{
    private Task CreateAccountFormAsync(WebRequest r, string? error = null, string name = "", string? returnTo = null, int status = 200)
    {
        if (!AccountAdmin.MayCreateAccounts(r.User, farm.SelfRegistration))
        {
            return MessageAsync(r, "Permission error", "The action you have requested is limited to users in the group: Administrators.", 403);
        }

        // The createaccount token is bound to this (maybe anonymous) session, so its cookie must reach the browser.
        SessionCookie.Append(r.Http.Response, r.Wiki, r.Session.Id);
        return RenderAsync<CreateAccountPage>(r.Http, new CreateAccountModel(Chrome(r), IndexUrl(r.Wiki, r.Title, null),
            tokens.For(r.Session, r.User, "createaccount"), name, returnTo ?? r.Http.Request.Query["returnto"].ToString(), !r.User.IsAnonymous, error), status);
    }

    private async Task CreateAccountPostAsync(WebRequest r)
    {
        var form = await ReadFormAsync(r);
        var name = form["wpName"].ToString();
        var returnTo = form["returnto"].ToString();
        if (!tokens.Validate(r.Session, r.User, "createaccount", form["wpCreateaccountToken"]))
        {
            await CreateAccountFormAsync(r, "There seems to be a problem with your login session; this action has been canceled as a precaution against session hijacking. Please resubmit the form.", name, returnTo, 400);
            return;
        }

        var (account, refusal) = await accounts.CreateAsync(r.Wiki, r.User, r.Session, ClientAddress(r), name, form["wpPassword"].ToString(), form["wpRetype"].ToString(), form["wpReason"].ToString(), r.Http.RequestAborted);
        if (refusal is not null)
        {
            await CreateAccountFormAsync(r, refusal.Message, name, returnTo, refusal.Code == "badaccess-groups" ? 403 : 400);
            return;
        }

        if (!r.User.IsAnonymous)
        {
            // A logged-in creator stays who they are (accountcreatedtext).
            await MessageAsync(r, "Account created", $"The user account for {account!.Name} has been created.", 200);
            return;
        }

        // The new user is logged in now; on to where they came from.
        SessionCookie.Append(r.Http.Response, r.Wiki, r.Session.Id);
        RedirectToReturnTo(r, returnTo);
    }
}
