using System.Text;
using System.Text.RegularExpressions;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=options (spec §7.3): change the current user's preferences on this wiki. Unknown names are
/// warned about, not fatal; <c>userjs-</c> names are free-form.
/// </summary>
internal sealed partial class OptionsModule : ApiModule
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

        var wikiId = ctx.Wiki.Id;
        var userId = ctx.User.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var saved = await db.Preferences.Where(p => p.WikiId == wikiId && p.UserId == userId).ToDictionaryAsync(p => p.Name, StringComparer.Ordinal, ctx.Aborted);
        if (reset)
        {
            var all = kinds.Contains("all");
            foreach (var pref in saved.Values.ToList())
            {
                var isUserJs = pref.Name.StartsWith(Preferences.UserJsPrefix, StringComparison.Ordinal);
                var isRegistered = Preferences.DefaultOf(pref.Name) is not null;
                if (all || (isUserJs && kinds.Contains("userjs")) || (isRegistered && kinds.Contains("registered")) || (!isUserJs && !isRegistered && kinds.Contains("unused")))
                {
                    db.Preferences.Remove(pref);
                    saved.Remove(pref.Name);
                }
            }
        }

        foreach (var (name, value) in changes)
        {
            if (Validate(name, value) is { } problem)
            {
                ctx.Result.Warn(Path, "validationfailed", $"Validation error for \"{name}\": {problem}");
                continue;
            }

            var isDefault = value is null || (Preferences.DefaultOf(name) is { } d && Format(d) == value);
            if (saved.TryGetValue(name, out var existing))
            {
                if (isDefault)
                {
                    db.Preferences.Remove(existing);
                    saved.Remove(name);
                }
                else
                {
                    existing.Value = value!;
                }
            }
            else if (!isDefault)
            {
                saved[name] = db.Preferences.Add(new UserPreference { WikiId = wikiId, UserId = userId, Name = name, Value = value! }).Entity;
            }
        }

        await db.SaveChangesAsync(ctx.Aborted);
        ctx.Result.Data["options"] = "success";
    }

    /// <summary>Why an option cannot be set, in MediaWiki's words (apiwarn-validationfailed-*), or null.</summary>
    private static string? Validate(string name, string? value)
    {
        if (name.StartsWith(Preferences.UserJsPrefix, StringComparison.Ordinal))
        {
            if (Encoding.UTF8.GetByteCount(name) > Preferences.MaxKeyBytes)
            {
                return "key too long (no more than 255 bytes allowed).";
            }

            if (!UserJsKeyRegex().IsMatch(name))
            {
                return "invalid characters in key (only \"a-z\", \"A-Z\", \"0-9\", \"_\", and \"-\" are allowed).";
            }
        }
        else if (!Preferences.IsKnown(name))
        {
            return "not a valid preference.";
        }

        return value is not null && Encoding.UTF8.GetByteCount(value) > Preferences.MaxValueBytes
            ? "value too long (no more than 65,530 bytes allowed)."
            : null;
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "1" : "0",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex UserJsKeyRegex();
}
