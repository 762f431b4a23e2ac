using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=centralauthtoken on the local wiki (spec foreignapi-centralauth.md §3.2): a single-use token
/// that lets another wiki of the farm act as this user for one request, without third-party cookies.
/// </summary>
internal sealed class CentralAuthTokenModule : ApiModule
{
    public override string Name => "centralauthtoken";

    public override string Description => "Fetch a centralauthtoken for making an authenticated request to an attached wiki.";

    public override IReadOnlyList<ApiParam> Parameters { get; } = [];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        if (!ctx.Wiki.CentralAuth)
        {
            throw ApiError.BadValue("action", Name);
        }

        if (ctx.LacksSameOriginSecurity)
        {
            throw new ApiError("hascallback", "Tokens may not be obtained when the same-origin policy is not applied.");
        }

        if (ctx.User.IsAnonymous)
        {
            throw new ApiError("notloggedin", "Anonymous users cannot obtain a centralauthtoken.");
        }

        if (ctx.Session.IsCentral)
        {
            throw new ApiError("badsession", "Can only obtain a centralauthtoken when using CentralAuth sessions.");
        }

        var token = await ctx.Services.CentralTokens.IssueAsync(ctx.Wiki, ctx.Session, ctx.User, ctx.Aborted);
        ctx.Result.Data["centralauthtoken"] = new JsonObject { ["centralauthtoken"] = token };
    }
}
