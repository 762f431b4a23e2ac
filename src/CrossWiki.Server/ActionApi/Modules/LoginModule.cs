using CrossWiki.Server.Accounts;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=login, the legacy flow every bot client uses (spec api-clients.md): <c>NeedToken</c> without a
/// token, <c>WrongToken</c>, <c>Failed</c>, <c>Aborted</c> without same-origin security, <c>Success</c>.
/// </summary>
internal sealed class LoginModule : ApiModule
{
    private static readonly string[] MustBePostedParams = ["lgpassword", "lgtoken"];

    /// <summary>How the session made from a centralauthtoken is named in MediaWiki's refusal messages.</summary>
    public const string CentralSessionName = "a centralauthtoken session";

    public const string WrongPassword = "Incorrect username or password entered.\nPlease try again.";

    public override string Name => "login";

    public override string Prefix => "lg";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override bool IsReadMode => false;

    public override string Description => "Log in and get authentication cookies.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("name", ApiParamType.User) { Help = "Username." },
        new("password", ApiParamType.Password) { Help = "Password." },
        new("domain") { Help = "Domain (optional)." },
        new("token") { Help = "A \"login\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var login = new System.Text.Json.Nodes.JsonObject();

        // ApiLogin::execute: without same-origin security nothing else is looked at.
        if (ctx.LacksSameOriginSecurity)
        {
            login["result"] = "Aborted";
            login["reason"] = "Cannot log in when the same-origin policy is not applied.";
            ctx.Result.Data["login"] = login;
            return;
        }

        if (ctx.Session.IsCentral)
        {
            // A token session cannot change its user (api-login-fail-badsessionprovider).
            login["result"] = "Aborted";
            login["reason"] = "Cannot log in when using " + CentralSessionName + ".";
            ctx.Result.Data["login"] = login;
            return;
        }

        var posted = MustBePostedParams.Where(ctx.Request.IsInQueryString).ToList();
        if (posted.Count > 0)
        {
            throw ApiError.MustPostParams(posted);
        }

        var name = GetString(ctx, "name");
        var password = GetString(ctx, "password");
        GetString(ctx, "domain");
        var token = GetString(ctx, "token");
        if (string.IsNullOrEmpty(token))
        {
            login["result"] = "NeedToken";
            login["token"] = ctx.TokenFor("login");
            ctx.Result.Deprecate(Path, "deprecation", "Fetching a token via \"action=login\" is deprecated. Use \"action=query&meta=tokens&type=login\" instead.");
        }
        else if (ctx.Session.IsNew)
        {
            // The session's login token did not exist before this request: the session was lost
            // (authpage-cannot-login-continue, code sessionlost).
            login["result"] = "Failed";
            login["reason"] = "Unable to continue login. Your session most likely timed out.";
        }
        else if (!ctx.ValidateToken("login", token))
        {
            login["result"] = "WrongToken";
        }
        else if (string.IsNullOrEmpty(password))
        {
            login["result"] = "Failed";
            login["reason"] = string.IsNullOrEmpty(name)
                ? "The supplied credentials could not be authenticated."
                : "Password entered was blank.\nPlease try again.";
        }
        else
        {
            var attempt = await ctx.Services.Users.LogInAsync(UserNames.Normalize(name ?? ""), password, ctx.ClientIp, ctx.Aborted);
            if (attempt.Account is not { } account)
            {
                // The same text for an unknown user as for a wrong password (T134100).
                login["result"] = "Failed";
                login["reason"] = attempt.Throttled is null ? WrongPassword : attempt.ThrottledMessage;
            }
            else
            {
                await ctx.Services.Sessions.LogInAsync(ctx.Wiki, ctx.Session, account.Id, ctx.Aborted);
                ctx.Result.Deprecate(Path, "deprecation",
                    "Main-account login via \"action=login\" is deprecated and may stop working without warning. To safely log in, see \"action=clientlogin\".");
                login["result"] = "Success";
                login["lguserid"] = account.Id;
                login["lgusername"] = account.Name;
            }
        }

        ctx.Result.Data["login"] = login;
    }
}

/// <summary>
/// The api.php modules of MediaWiki's AuthManager (clientlogin, createaccount): its standard parameters, of which this
/// one-step flow needs only the return URL or <c>continue</c>, and the unprefixed fields of its requests.
/// </summary>
internal abstract class AuthManagerModule : ApiModule
{
    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override bool IsReadMode => false;

    protected static ApiParam[] StandardParams(string tokenType) =>
    [
        new("requests") { Multi = true, Help = "Only use these authentication requests." },
        new("messageformat", ApiParamType.Enum) { Values = ["html", "none", "raw", "wikitext"], Default = "wikitext", Help = "Format to use for returning messages." },
        new("mergerequestfields", ApiParamType.Boolean) { Help = "Merge field information for all authentication requests into one array." },
        new("preservestate", ApiParamType.Boolean) { Help = "Preserve state from a previous failed login attempt, if possible." },
        new("returnurl") { Help = "Return URL for third-party authentication flows." },
        new("continue", ApiParamType.Boolean) { Help = "This request is a continuation after an earlier UI or REDIRECT response." },
        new("token") { Required = true, TokenType = tokenType, Help = $"A \"{tokenType}\" token retrieved from action=query&meta=tokens." },
    ];

    /// <summary>Reads the standard parameters: one of the return URL and <c>continue</c> is required, and the URL must have a scheme (wfParseUrl).</summary>
    protected void ReadStandard(ApiContext ctx)
    {
        GetMulti(ctx, "requests");
        GetString(ctx, "messageformat");
        GetBool(ctx, "mergerequestfields");
        GetBool(ctx, "preservestate");
        var returnUrl = GetString(ctx, "returnurl");
        if (returnUrl is null && !GetBool(ctx, "continue"))
        {
            throw new ApiError("missingparam", $"At least one of the parameters \"{Prefix}continue\" and \"{Prefix}returnurl\" is required.");
        }

        if (returnUrl is not null && !Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
        {
            throw new ApiError($"badurl_{Prefix}returnurl", $"Invalid value \"{returnUrl}\" for URL parameter \"{Prefix}returnurl\".");
        }
    }

    /// <summary>A field of an authentication request (not prefixed), marked used.</summary>
    protected static string? Field(ApiContext ctx, string name)
    {
        ctx.Request.MarkUsed(name);
        return ctx.Request.Get(name);
    }

    /// <summary>
    /// A sensitive field (a password): as ApiAuthManagerHelper requires, only from the POST body, never from a
    /// query string that server logs and browser histories keep (<c>mustpostparams</c>).
    /// </summary>
    protected static string? SensitiveField(ApiContext ctx, string name) =>
        ctx.Request.IsInQueryString(name) ? throw ApiError.MustPostParams([name]) : Field(ctx, name);
}

/// <summary>action=clientlogin with username and password (the AuthManager flow, one step).</summary>
internal sealed class ClientLoginModule : AuthManagerModule
{
    public override string Name => "clientlogin";

    public override string Prefix => "login";

    public override string? TokenType => "login";

    public override string Description => "Log in to the wiki using the interactive flow.";

    public override IReadOnlyList<ApiParam> Parameters { get; } = StandardParams("login");

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        if (ctx.Session.IsCentral)
        {
            throw new ApiError("cannotlogin", "Cannot log in when using " + LoginModule.CentralSessionName + ".");
        }

        ReadStandard(ctx);

        // The credential fields of AuthManager's password request are not prefixed.
        var name = Field(ctx, "username");
        var password = SensitiveField(ctx, "password");
        Field(ctx, "rememberMe");
        var result = new System.Text.Json.Nodes.JsonObject();
        ctx.Result.Data["clientlogin"] = result;
        var attempt = string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password)
            ? null
            : await ctx.Services.Users.LogInAsync(UserNames.Normalize(name), password, ctx.ClientIp, ctx.Aborted);
        if (attempt is { Throttled: not null })
        {
            result["status"] = "FAIL";
            result["message"] = attempt.ThrottledMessage;
            result["messagecode"] = "login-throttled";
            ctx.Result.SetBool(result, "canpreservestate", false);
            return;
        }

        if (attempt?.Account is not { } account)
        {
            result["status"] = "FAIL";
            result["message"] = string.IsNullOrEmpty(password) && !string.IsNullOrEmpty(name)
                ? "Password entered was blank.\nPlease try again."
                : LoginModule.WrongPassword;
            result["messagecode"] = string.IsNullOrEmpty(password) && !string.IsNullOrEmpty(name) ? "wrongpasswordempty" : "wrongpassword";
            ctx.Result.SetBool(result, "canpreservestate", false);
            return;
        }

        await ctx.Services.Sessions.LogInAsync(ctx.Wiki, ctx.Session, account.Id, ctx.Aborted);
        result["status"] = "PASS";
        result["username"] = account.Name;
    }
}

/// <summary>action=logout: needs POST and a csrf token; the session is dropped and a fresh anonymous one begins.</summary>
internal sealed class LogoutModule : ApiModule
{
    public override string Name => "logout";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    public override bool IsReadMode => false;

    public override string Description => "Log out and clear session data.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override Task ExecuteAsync(ApiContext ctx) => ctx.Session.IsCentral
        ? throw new ApiError("cannotlogout", "Logging out is not possible when using " + LoginModule.CentralSessionName + ".")
        : ctx.Services.Sessions.LogOutAsync(ctx.Session, ctx.Aborted);
}
