using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=createaccount (ApiAMCreateAccount) with the password fields of MediaWiki's AuthManager, in one step:
/// <c>username</c>, <c>password</c> and <c>retype</c> (both only in the POST body), <c>reason</c> for a logged-in
/// creator, a <c>createaccount</c> token; answered <c>PASS</c> with the name or <c>FAIL</c> with the message.
/// </summary>
internal sealed class CreateAccountModule : AuthManagerModule
{
    private static readonly string[] Sensitive = ["password", "retype"];

    public override string Name => "createaccount";

    public override string Prefix => "create";

    public override string? TokenType => "createaccount";

    public override string Description => "Create a new user account.";

    public override IReadOnlyList<ApiParam> Parameters { get; } = StandardParams("createaccount");

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        ReadStandard(ctx);

        // The fields of AuthManager's requests are not prefixed; the passwords must not travel in a URL.
        var inQuery = Sensitive.Where(ctx.Request.IsInQueryString).ToList();
        if (inQuery.Count > 0)
        {
            throw ApiError.MustPostParams(inQuery);
        }

        Field(ctx, "email");
        Field(ctx, "realname");
        var (account, refusal) = await ctx.Services.Accounts.CreateAsync(
            ctx.Wiki, ctx.User, ctx.Session, ctx.ClientIp, Field(ctx, "username"), SensitiveField(ctx, "password"), SensitiveField(ctx, "retype"), Field(ctx, "reason") ?? "", ctx.Aborted);
        ctx.Result.Data["createaccount"] = refusal is null
            ? new JsonObject { ["status"] = "PASS", ["username"] = account!.Name }
            : new JsonObject { ["status"] = "FAIL", ["message"] = refusal.Message, ["messagecode"] = refusal.Code };
    }
}

/// <summary>
/// action=userrights (ApiUserrights): adds and removes a user's groups, as far as the caller may (a bureaucrat
/// every group, anyone else none, which is an empty change rather than an error, as on MediaWiki). Memberships
/// do not expire here: an <c>expiry</c> other than infinite is refused.
/// </summary>
internal sealed class UserRightsModule : ApiModule
{
    public override string Name => "userrights";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "userrights";

    public override string Description => "Change a user's group membership.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("user") { Help = "User." },
        new("userid", ApiParamType.Integer) { Help = "Specify user=#ID instead." },
        new("add", ApiParamType.Enum) { Multi = true, Values = Rights.ExplicitGroups, Help = "Add the user to these groups, or if they are already a member, update the expiry of their membership in that group." },
        new("expiry") { Multi = true, Default = "infinite", Help = "Expiry timestamps. Only \"infinite\" (or \"infinity\", \"indefinite\", \"never\") is supported here." },
        new("remove", ApiParamType.Enum) { Multi = true, Values = Rights.ExplicitGroups, Help = "Remove the user from these groups." },
        new("reason") { Default = "", Help = "Reason for the change." },
        new("token") { Required = true, TokenType = "userrights", Help = "A \"userrights\" token retrieved from action=query&meta=tokens." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the user rights log." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var add = GetMulti(ctx, "add");
        var expiries = GetMulti(ctx, "expiry");
        if (add.Count > 0 && expiries.Count != add.Count && expiries.Count != 1)
        {
            throw new ApiError("toofewexpiries", $"{expiries.Count} expiry timestamps were provided where {add.Count} were needed.");
        }

        foreach (var raw in add.Count > 0 ? expiries : [])
        {
            var value = Expiries.Parse(raw, ctx.Now);
            if (value.ErrorCode == "badexpiry-past")
            {
                throw new ApiError("pastexpiry", $"Expiry time \"{raw}\" is in the past.");
            }

            if (value.ErrorCode is not null || value.Expiry is not null)
            {
                throw new ApiError("invalidexpiry", $"Invalid expiry time \"{raw}\": group memberships do not expire on this wiki.");
            }
        }

        GetMulti(ctx, "tags");
        var target = await BlockModule.TargetAsync(ctx, GetString(ctx, "user"), GetInt(ctx, "userid"));
        var change = await ctx.Services.Accounts.ChangeGroupsAsync(ctx.Wiki, ctx.User, target, add, GetMulti(ctx, "remove"), GetString(ctx, "reason") ?? "", ctx.Aborted);
        ctx.Result.Data["userrights"] = new JsonObject
        {
            ["user"] = change.Account.Name,
            ["userid"] = change.Account.Id,
            ["added"] = new JsonArray([.. change.Added.Select(g => (JsonNode)g)]),
            ["removed"] = new JsonArray([.. change.Removed.Select(g => (JsonNode)g)]),
        };
    }
}
