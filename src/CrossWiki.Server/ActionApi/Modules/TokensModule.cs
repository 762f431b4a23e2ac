using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>meta=tokens (spec §7.2); nothing but a warning when same-origin security is missing (spec §4).</summary>
internal sealed class TokensModule : QuerySubmodule
{
    /// <summary>Token types, sorted as MediaWiki sorts them (spec §7.2).</summary>
    public static readonly IReadOnlyList<string> Types = ["createaccount", "csrf", "login", "patrol", "rollback", "userrights", "watch"];

    public override string Name => "tokens";

    public override string Group => "meta";

    public override string Description => "Gets tokens for data-modifying actions.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("type", ApiParamType.Enum) { Multi = true, Default = "csrf", Values = Types, Help = "Types of token to request." },
    ];

    public override Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var types = GetMulti(ctx, "type");
        if (types.Count == 0)
        {
            // Only unrecognized types: MediaWiki still answers with the default csrf token (spec §7.2).
            types = ["csrf"];
        }

        if (ctx.LacksSameOriginSecurity)
        {
            ctx.Result.Warn(Path, "tokens-origin", "Tokens may not be obtained when the same-origin policy is not applied.");
            return Task.CompletedTask;
        }

        var tokens = new JsonObject();
        foreach (var type in types)
        {
            tokens[type + "token"] = ctx.TokenFor(type);
        }

        state.Query["tokens"] = tokens;
        return Task.CompletedTask;
    }
}
