using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// The <c>watchlist</c> and <c>watchlistexpiry</c> parameters of the modules that change pages (MediaWiki's
/// ApiWatchlistTrait): what the user's watchlist should say of the page after the change, applied.
/// </summary>
internal static class ApiWatchlist
{
    /// <summary>
    /// A module that works on the caller's own watchlist: anonymous users have none (<c>notloggedin</c>), and the
    /// caller needs <paramref name="right"/> (<c>viewmywatchlist</c> or <c>editmywatchlist</c>).
    /// </summary>
    public static void RequireOwn(ApiContext ctx, string right, string action)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.User.IsAnonymous)
        {
            throw new ApiError("notloggedin", "Please log in to view or edit items on your watchlist.");
        }

        if (!ctx.User.HasRight(right))
        {
            throw ApiError.PermissionDenied(action);
        }
    }

    public static ApiParam Param { get; } = new("watchlist", ApiParamType.Enum)
    {
        Values = ["nochange", "preferences", "unwatch", "watch"],
        Default = "preferences",
        Help = "Unconditionally add or remove the page from the current user's watchlist, use preferences (ignored for bot users) or do not change watch.",
    };

    public static ApiParam ExpiryParam { get; } = new("watchlistexpiry") { Help = "Watchlist expiry timestamp. Omit this parameter entirely to leave the current expiry unchanged." };

    /// <summary>The expiry a module was given (ExpiryDef), or null when none; refused values are MediaWiki's errors.</summary>
    public static DateTime? Expiry(ApiContext ctx, string module, string? raw, out bool given)
    {
        given = raw is not null;
        if (raw is null)
        {
            return null;
        }

        var value = Expiries.Parse(raw, ctx.Now, Watchlist.MaxDuration);
        switch (value.ErrorCode)
        {
            case "badexpiry":
                throw new ApiError("badexpiry", $"Invalid expiry time \"{raw}\".");
            case "badexpiry-past":
                throw new ApiError("badexpiry-past", $"Expiry time \"{raw}\" is in the past.");
        }

        if (value.Clamped)
        {
            ctx.Result.Warn(module, "badexpiry-duration-max", $"Expiry time \"{raw}\" exceeds the maximum allowable duration, so the maximum was used instead.");
        }

        return value.Expiry;
    }

    /// <summary>
    /// ApiWatchlistTrait::getWatchlistValue then setWatch: <c>watch</c> and <c>unwatch</c> do what they say,
    /// <c>nochange</c> keeps the page as it is, <c>preferences</c> keeps a watched page watched and otherwise follows
    /// the user's option (watchdefault, or watchcreations for a new page), never for bots. Returns whether the page
    /// is watched afterwards.
    /// </summary>
    public static async Task<bool> ApplyAsync(ApiContext ctx, Title title, string watchlist, DateTime? expiry, bool expiryGiven, bool created)
    {
        if (!Watchlist.IsWatchable(title))
        {
            return false;
        }

        // An anonymous user has no watchlist, but is answered as MediaWiki answers one: by the default options.
        WatchedItem? current = null;
        if (!ctx.User.IsAnonymous)
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            current = await Watchlist.FindAsync(db, ctx.Wiki.Id, ctx.User.Id, title, ctx.Now, ctx.Aborted);
        }

        var watching = current is not null;
        var watch = watchlist switch
        {
            "watch" => true,
            "unwatch" => false,
            "preferences" when watching || ctx.User.Groups.Contains("bot") => watching,
            "preferences" => await BoolOptionAsync(ctx, "watchdefault") || (created && await BoolOptionAsync(ctx, "watchcreations")),
            _ => watching,
        };
        var newExpiry = expiryGiven ? expiry : current?.Expiry;
        if (!ctx.User.IsAnonymous && (watch != watching || (watch && expiryGiven && newExpiry != current?.Expiry)))
        {
            await Watchlist.SetAsync(ctx.Services.Db, ctx.Services.Writes, ctx.Wiki.Id, ctx.User.Id, title, watch, newExpiry, ctx.Aborted);
        }

        return watch;
    }

    /// <summary>UserOptionsLookup::getBoolOption: the saved value, else the default; anonymous users have the defaults.</summary>
    private static async Task<bool> BoolOptionAsync(ApiContext ctx, string name)
    {
        if (ctx.User.IsAnonymous)
        {
            return Preferences.DefaultOf(name) is 1 or true;
        }

        var saved = await PreferenceStore.GetAsync(ctx.Services.Db, ctx.Wiki.Id, ctx.User.Id, name, ctx.Aborted);
        return saved is null ? Preferences.DefaultOf(name) is 1 or true : saved is not ("" or "0");
    }
}
