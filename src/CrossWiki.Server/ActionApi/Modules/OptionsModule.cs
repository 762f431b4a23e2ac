using CrossWiki.Server.Accounts;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=options (spec §7.3): change the current user's preferences on this wiki. Unknown names are
/// warned about, not fatal; <c>userjs-</c> names are free-form.
/// </summary>
internal sealed class OptionsModule : ApiModule
{
    private static readonly string[] ResetKinds = ["registered", "registered-multiselect", "registered-checkmatrix", "userjs", "special", "unused", "all"];

    public override string Name => "options";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    public override string Description => "Change preferences of the current user.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("reset", ApiParamType.Boolean) { Help = "Resets preferences to the site defaults." },
        new("resetkinds", ApiParamType.Enum) { Multi = true, Values = ResetKinds, Default = "all", Help = "List of types of options to reset when the reset option is set." },
        new("change") { Multi = true, Help = "List of changes, formatted name=value. If no value is given, the option is reset to its default." },
        new("optionname") { Help = "The name of the option that should be set to the value given by optionvalue." },
        new("optionvalue") { Help = "The value for the option specified by optionname." },
        new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        if (ctx.User.IsAnonymous)
        {
            throw new ApiError("notloggedin", "You must be logged in to edit your preferences.");
        }

        if (!ctx.User.HasRight("editmyoptions"))
        {
            throw ApiError.PermissionDenied("edit your preferences");
        }

        var reset = GetBool(ctx, "reset");
        var kinds = GetMulti(ctx, "resetkinds");
        var optionName = GetString(ctx, "optionname");
        var optionValue = GetString(ctx, "optionvalue");
        if (optionValue is not null && optionName is null)
        {
            throw new ApiError("nooptionname", "The \"optionname\" parameter must be set.");
        }

        var changes = new List<(string Name, string? Value)>();
        foreach (var entry in GetMulti(ctx, "change"))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            changes.Add(eq < 0 ? (entry, null) : (entry[..eq], entry[(eq + 1)..]));
        }

        if (optionName is not null)
        {
            changes.Add((optionName, optionValue));
        }

        if (!reset && changes.Count == 0)
        {
            throw new ApiError("nochanges", "No changes were requested.");
        }

        var valid = new List<(string Name, string? Value)>();
        foreach (var (name, value) in changes)
        {
            if (PreferenceRules.Problem(name, value) is { } problem)
            {
                ctx.Result.Warn(Path, "validationfailed", $"Validation error for \"{name}\": {problem}");
            }
            else
            {
                valid.Add((name, value));
            }
        }

        var all = kinds.Contains("all");
        Func<string, bool>? resetWhere = !reset ? null : name =>
        {
            var isUserJs = name.StartsWith(Preferences.UserJsPrefix, StringComparison.Ordinal);
            var isRegistered = Preferences.DefaultOf(name) is not null;
            return all || (isUserJs && kinds.Contains("userjs")) || (isRegistered && kinds.Contains("registered"))
                || (!isUserJs && !isRegistered && kinds.Contains("unused"));
        };
        await PreferenceStore.SetAsync(ctx.Services.Db, ctx.Services.Writes, ctx.Wiki.Id, ctx.User.Id, valid, ctx.Aborted, resetWhere);
        ctx.Result.Data["options"] = "success";
    }
}
