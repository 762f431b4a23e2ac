namespace CrossWiki.Server.ActionApi;

/// <summary>
/// api.php's own module: its parameters, declared like any module's and validated in
/// ApiMain::getAllowedParams order, and MediaWiki's order of checks before the action runs
/// (ApiMain::executeAction; spec §7.3, messages.md "Request processing order").
/// </summary>
internal sealed class MainModule(ApiModuleRegistry modules) : ApiModule
{
    /// <summary>The error formats of <c>errorformat</c>; any other value prints as <c>bc</c> (ApiMain::__construct).</summary>
    public static readonly string[] ErrorFormats = ["bc", "plaintext", "wikitext", "html", "raw", "none"];

    public override string Name => "main";

    public override string Description => "The main module.";

    public override IReadOnlyList<ApiParam> Parameters => field ??=
    [
        new("action", ApiParamType.Enum) { Values = [.. modules.Actions.Keys.Order(StringComparer.Ordinal)], Default = "help", Help = "Which action to perform." },
        new("format") { Default = "jsonfm", Help = "The format of the output." },
        new("maxlag", ApiParamType.Integer) { Help = "Maximum lag can be used when MediaWiki is installed on a database replicated cluster." },
        new("smaxage", ApiParamType.Integer) { Help = "Set the s-maxage HTTP cache control header to this many seconds." },
        new("maxage", ApiParamType.Integer) { Help = "Set the max-age HTTP cache control header to this many seconds." },
        new("assert", ApiParamType.Enum) { Values = ["anon", "user", "bot"], Help = "Verify that the user is logged in (user), not logged in (anon) or has the bot right (bot)." },
        new("assertuser", ApiParamType.User) { Help = "Verify the current user is the named user." },
        new("requestid") { Help = "Any value given here will be included in the response." },
        new("servedby", ApiParamType.Boolean) { Help = "Include the hostname that served the request in the results." },
        new("curtimestamp", ApiParamType.Boolean) { Help = "Include the current timestamp in the result." },
        new("responselanginfo", ApiParamType.Boolean) { Help = "Include the languages used for uselang and errorlang in the result." },
        new("origin") { Help = "When accessing the API using a cross-domain AJAX request (CORS), set this to the originating domain." },
        new("uselang") { Help = "Language to use for message translations." },
        new("variant") { Help = "Variant of the language." },
        new("errorformat", ApiParamType.Enum) { Values = ErrorFormats, Default = "bc", Help = "Format to use for warning and error text output." },
        new("errorlang") { Help = "Language to use for warnings and errors." },
        new("errorsuselocal", ApiParamType.Boolean) { Help = "If given, error texts will use locally-customized messages from the MediaWiki namespace." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var request = ctx.Request;

        // 1. The main module's parameters, in declaration order.
        ValidateParameters(ctx);
        var module = modules.Actions[GetString(ctx, "action")!];

        // 2. The assert checks run before the module's own parameter errors (ApiMainTest::testAssertBeforeModule).
        CheckAsserts(ctx);

        // 3. ApiMain::setupModule: every module parameter in declaration order, then the token:
        //    missing, in the query string (mustpostparams), then invalid.
        ctx.ModulePath = module.Path;
        module.ValidateParameters(ctx);
        if (module.TokenType is { } tokenType)
        {
            var tokenName = module.TokenParamName;
            if (request.IsInQueryString(tokenName))
            {
                throw ApiError.MustPostParams([tokenName]);
            }

            if (!ctx.ValidateToken(tokenType, request.Get(tokenName)))
            {
                throw ApiError.BadToken();
            }
        }

        // 4. ApiMain::checkExecutePermissions.
        ctx.ModulePath = Path;
        if (module.IsReadMode && !ctx.User.HasRight("read"))
        {
            throw new ApiError("readapidenied", "You need read permission to use this module.");
        }

        if (module.IsWriteMode && !ctx.User.HasRight("writeapi"))
        {
            throw new ApiError("writeapidenied", "You're not allowed to edit this wiki through the API.");
        }

        // 5. A single database has no replication lag, so maxlag never trips.
        // 6. ApiMain::setupExternalResponse: the HTTP method (405), then POST-only modules.
        if (request.Method is not ("GET" or "HEAD" or "POST" or "OPTIONS"))
        {
            throw new ApiError("invalidmethod", "Invalid HTTP method. Consider using GET or POST.", 405);
        }

        if (module.MustBePosted && !request.WasPosted)
        {
            throw ApiError.MustBePosted(module.Name);
        }

        if (request.WasPosted && !request.HasContentType)
        {
            ctx.Result.Deprecate(Path, "deprecation", "A POST request was made without a \"Content-Type\" header. This does not work reliably.");
        }

        ctx.ModulePath = module.Path;
        ctx.Result.CacheMode = module.CacheMode;
        await module.ExecuteAsync(ctx);
        ctx.ModulePath = Path;
    }

    private void CheckAsserts(ApiContext ctx)
    {
        switch (GetString(ctx, "assert"))
        {
            case "user" when ctx.User.IsAnonymous:
                throw new ApiError("assertuserfailed", "You are no longer logged in, so the action could not be completed.");
            case "bot" when !ctx.User.HasRight("bot"):
                throw new ApiError("assertbotfailed", "You do not have the \"bot\" right, so the action could not be completed.");
            case "anon" when !ctx.User.IsAnonymous:
                throw new ApiError("assertanonfailed", "You are no longer logged out, so the action could not be completed.");
        }

        if (GetString(ctx, "assertuser") is { } expected)
        {
            var normalized = expected.Replace('_', ' ').Trim();
            if (normalized.Length > 0)
            {
                normalized = char.ToUpperInvariant(normalized[0]) + normalized[1..];
            }

            if (!string.Equals(normalized, ctx.User.Name, StringComparison.Ordinal))
            {
                throw new ApiError("assertnameduserfailed", $"You are no longer logged in as \"{expected}\", so the action could not be completed.");
            }
        }
    }
}
