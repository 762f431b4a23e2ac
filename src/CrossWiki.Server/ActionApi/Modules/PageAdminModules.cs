using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>What the page-administration modules share: the page by title or id, the watchlist parameters, an expiry.</summary>
internal abstract class PageAdminModule : ApiModule
{
    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string? TokenType => "csrf";

    protected static ApiParam TokenParam { get; } = new("token") { Required = true, TokenType = "csrf", Help = "A \"csrf\" token retrieved from action=query&meta=tokens." };

    protected static ApiParam TitleParam(string help) => new("title") { Help = help };

    protected static ApiParam PageIdParam(string help) => new("pageid", ApiParamType.Integer) { Help = help };

    /// <summary>The page named by <c>title</c> or <c>pageid</c> (exactly one of them).</summary>
    protected async Task<Title> PageAsync(ApiContext ctx, string titleName = "title", string pageIdName = "pageid")
    {
        var text = GetString(ctx, titleName);
        var pageId = GetInt(ctx, pageIdName);
        RequireOnlyOne(titleName, text, pageIdName, pageId);
        return await LinkQueries.TitleOrPageIdAsync(ctx, text, pageId);
    }

    /// <summary>The <c>watchlist</c> parameter applied to a page the action changed (ApiWatchlistTrait).</summary>
    protected async Task WatchAsync(ApiContext ctx, Title title)
    {
        var raw = Raw(ctx, "watchlistexpiry");
        var expiry = ApiWatchlist.Expiry(ctx, Name, raw, out var given);
        await ApiWatchlist.ApplyAsync(ctx, title, GetString(ctx, "watchlist") ?? "preferences", expiry, given, created: false);
    }

    /// <summary>An expiry of a protection or block (no longest duration), or MediaWiki's error for it.</summary>
    protected static DateTime? ExpiryOf(ApiContext ctx, string raw, string invalidCode, string invalidInfo, string pastCode, string pastInfo)
    {
        var value = Expiries.Parse(raw, ctx.Now);
        return value.ErrorCode switch
        {
            "badexpiry" => throw new ApiError(invalidCode, invalidInfo),
            "badexpiry-past" => throw new ApiError(pastCode, pastInfo),
            _ => value.Expiry,
        };
    }
}

/// <summary>action=move (ApiMove): a page to a new title, with its talk page and subpages when asked.</summary>
internal sealed class MoveModule : PageAdminModule
{
    public override string Name => "move";

    public override string Description => "Move a page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("from") { Help = "Title of the page to rename. Cannot be used together with fromid." },
        new("fromid", ApiParamType.Integer) { Help = "Page ID of the page to rename. Cannot be used together with from." },
        new("to") { Required = true, Help = "Title to rename the page to." },
        new("reason") { Default = "", Help = "Reason for the rename." },
        new("movetalk", ApiParamType.Boolean) { Help = "Rename the talk page, if it exists." },
        new("movesubpages", ApiParamType.Boolean) { Help = "Rename subpages, if applicable." },
        new("noredirect", ApiParamType.Boolean) { Help = "Don't create a redirect." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        new("ignorewarnings", ApiParamType.Boolean) { Help = "Ignore any warnings." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the move log and to the null revision on the destination page." },
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var from = await PageAsync(ctx, "from", "fromid");
        var toText = RequireString(ctx, "to");
        var to = TitleParser.Parse(toText, ctx.Wiki.Namespaces).Title ?? throw new ApiError("invalidtitle", $"Bad title \"{toText}\".");
        var reason = GetString(ctx, "reason") ?? "";
        var outcome = await ctx.Services.Admin.MoveAsync(new PageMove(ctx.Wiki, ctx.User, from, to, reason)
        {
            MoveTalk = GetBool(ctx, "movetalk"),
            MoveSubpages = GetBool(ctx, "movesubpages"),
            NoRedirect = GetBool(ctx, "noredirect"),
        }, ctx.Aborted);

        var r = ctx.Result;
        var o = new JsonObject { ["from"] = outcome.Page.From.PrefixedText, ["to"] = outcome.Page.To.PrefixedText, ["reason"] = reason };
        r.SetFlag(o, "redirectcreated", outcome.Page.RedirectCreated);
        r.SetFlag(o, "moveoverredirect", outcome.Page.OverRedirect);
        if (outcome.Talk is { } talk)
        {
            if (talk.Moved is { } moved)
            {
                o["talkfrom"] = moved.From.PrefixedText;
                o["talkto"] = moved.To.PrefixedText;
                r.SetFlag(o, "talkmoveoverredirect", moved.OverRedirect);
            }
            else
            {
                o["talkmove-errors"] = Errors(talk.Refusal!);
            }
        }

        if (GetBool(ctx, "movesubpages"))
        {
            o["subpages"] = Along(outcome.Subpages);
            if (GetBool(ctx, "movetalk"))
            {
                o["subpages-talk"] = Along(outcome.TalkSubpages);
            }
        }

        await WatchAsync(ctx, outcome.Page.From);
        await WatchAsync(ctx, outcome.Page.To);
        r.Data["move"] = o;
    }

    private static JsonArray Errors(EditRefusal refusal) => [new JsonObject { ["code"] = refusal.Code, ["text"] = refusal.Message }];

    private static JsonArray Along(IReadOnlyList<AlongMove> pages)
    {
        var list = new JsonArray();
        foreach (var page in pages)
        {
            list.Add(page.Moved is not null
                ? new JsonObject { ["from"] = page.From.PrefixedText, ["to"] = page.To.PrefixedText }
                : new JsonObject { ["errors"] = Errors(page.Refusal!) });
        }

        return list;
    }
}

/// <summary>action=delete (ApiDelete): the page's revisions to the archive, logged.</summary>
internal sealed class DeleteModule : PageAdminModule
{
    public override string Name => "delete";

    public override string Description => "Delete a page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        TitleParam("Title of the page to delete. Cannot be used together with pageid."),
        PageIdParam("Page ID of the page to delete. Cannot be used together with title."),
        new("reason") { Help = "Reason for the deletion. If not set, an automatically generated reason will be used." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the deletion log." },
        new("deletetalk", ApiParamType.Boolean) { Help = "Delete the talk page, if it exists." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        new("oldimage") { Help = "The name of the old image to delete as provided by action=query&prop=imageinfo&iiprop=archivename." },
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var title = await PageAsync(ctx);
        var (logId, reason) = await ctx.Services.Admin.DeleteAsync(ctx.Wiki, ctx.User, title, GetString(ctx, "reason"), ctx.Aborted);
        if (GetBool(ctx, "deletetalk") && !title.IsTalk)
        {
            var talk = title.TalkPage(ctx.Wiki.Namespaces);
            try
            {
                await ctx.Services.Admin.DeleteAsync(ctx.Wiki, ctx.User, talk, reason, ctx.Aborted);
            }
            catch (PageActionRefusedException refused) when (refused.Refusal.Code == "missingtitle")
            {
                // No talk page to delete along.
            }
        }

        await WatchAsync(ctx, title);
        ctx.Result.Data["delete"] = new JsonObject { ["title"] = title.PrefixedText, ["reason"] = reason, ["logid"] = logId };
    }
}

/// <summary>action=undelete (ApiUndelete): a deleted title's revisions back into its page.</summary>
internal sealed class UndeleteModule : PageAdminModule
{
    public override string Name => "undelete";

    public override string Description => "Undelete revisions of a deleted page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Required = true, Help = "Title of the page to undelete." },
        new("reason") { Default = "", Help = "Reason for restoring." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the deletion log." },
        new("timestamps") { Multi = true, Help = "Timestamps of the revisions to undelete. If both timestamps and fileids are empty, all will be undeleted." },
        new("fileids") { Multi = true, Help = "IDs of the file revisions to restore." },
        new("undeletetalk", ApiParamType.Boolean) { Help = "Undelete all revisions of the associated talk page, if any." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var text = RequireString(ctx, "title");
        var title = TitleParser.Parse(text, ctx.Wiki.Namespaces).Title ?? throw new ApiError("invalidtitle", $"Bad title \"{text}\".");
        var reason = GetString(ctx, "reason") ?? "";
        var count = await ctx.Services.Admin.UndeleteAsync(ctx.Wiki, ctx.User, title, reason, ctx.Aborted);
        await WatchAsync(ctx, title);
        ctx.Result.Data["undelete"] = new JsonObject { ["title"] = title.PrefixedText, ["revisions"] = count, ["fileversions"] = 0, ["reason"] = reason };
    }
}

/// <summary>action=protect (ApiProtect): who may edit, move (upload) a page, or create a missing title, and until when.</summary>
internal sealed class ProtectModule : PageAdminModule
{
    public override string Name => "protect";

    public override string Description => "Change the protection level of a page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        TitleParam("Title of the page to (un)protect. Cannot be used together with pageid."),
        PageIdParam("ID of the page to (un)protect. Cannot be used together with title."),
        new("protections") { Required = true, Multi = true, Help = "List of protection levels, formatted action=level (e.g. edit=sysop). A level of all means everyone is allowed to take the action, i.e. no restriction." },
        new("expiry") { Multi = true, Default = "infinite", Help = "Expiry timestamps. If only one timestamp is set, it'll be used for all protections." },
        new("reason") { Default = "", Help = "Reason for (un)protecting." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the protection log." },
        new("cascade", ApiParamType.Boolean) { Help = "Enable cascading protection (i.e. protect transcluded templates and images used in this page)." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var title = await PageAsync(ctx);
        var asked = GetMulti(ctx, "protections");
        var expiries = GetMulti(ctx, "expiry");
        if (expiries.Count != 1 && expiries.Count != asked.Count)
        {
            throw new ApiError("toofewexpiries", $"{expiries.Count} expiry timestamps were provided where {asked.Count} were needed.");
        }

        var types = new[] { "edit", "move", "upload", "create" };
        var changes = new List<ProtectionChange>();
        for (var i = 0; i < asked.Count; i++)
        {
            var eq = asked[i].IndexOf('=', StringComparison.Ordinal);
            var (type, level) = eq < 0 ? (asked[i], "") : (asked[i][..eq], asked[i][(eq + 1)..]);
            if (!types.Contains(type))
            {
                throw new ApiError("protect-invalidaction", $"Invalid protection type \"{type}\".");
            }

            if (level != "all" && !Protection.Levels.Contains(level))
            {
                throw new ApiError("protect-invalidlevel", $"Invalid protection level \"{level}\".");
            }

            var raw = expiries.Count == 1 ? expiries[0] : expiries[i];
            var expiry = level == "all" ? null : ExpiryOf(ctx, raw, "invalidexpiry", $"Invalid expiry time \"{raw}\".", "pastexpiry", $"Expiry time \"{raw}\" is in the past.");
            changes.Add(new ProtectionChange(type, level == "all" ? "" : level, expiry));
        }

        var reason = GetString(ctx, "reason") ?? "";
        var cascade = GetBool(ctx, "cascade");
        await ctx.Services.Admin.ProtectAsync(ctx.Wiki, ctx.User, title, changes, reason, cascade, ctx.Aborted);
        await WatchAsync(ctx, title);

        // ApiProtect answers what was asked, in the asked order ("all" as an empty level).
        var list = new JsonArray();
        foreach (var change in changes)
        {
            list.Add(new JsonObject { [change.Type] = change.Level, ["expiry"] = Blocks.ExpiryText(change.Expiry) });
        }

        var o = new JsonObject { ["title"] = title.PrefixedText, ["reason"] = reason };
        ctx.Result.SetFlag(o, "cascade", cascade);
        o["protections"] = list;
        ctx.Result.Data["protect"] = o;
    }
}

/// <summary>action=rollback (ApiRollback): undo the last user's run of edits on a page, with the rollback token.</summary>
internal sealed class RollbackModule : PageAdminModule
{
    public override string Name => "rollback";

    public override string? TokenType => "rollback";

    public override string Description => "Undo the last edit to the page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        TitleParam("Title of the page to roll back. Cannot be used together with pageid."),
        PageIdParam("Page ID of the page to roll back. Cannot be used together with title."),
        new("tags") { Multi = true, Help = "Tags to apply to the rollback." },
        new("user") { Required = true, Help = "Name of the user whose edits are to be rolled back." },
        new("summary") { Default = "", Help = "Custom edit summary. If empty, default summary will be used." },
        new("markbot", ApiParamType.Boolean) { Help = "Mark the reverted edits and the revert as bot edits." },
        ApiWatchlist.Param,
        ApiWatchlist.ExpiryParam,
        new("token") { Required = true, TokenType = "rollback", Help = "A \"rollback\" token retrieved from action=query&meta=tokens." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var title = await PageAsync(ctx);
        var raw = RequireString(ctx, "user");
        var user = UserNames.NormalizeNameOrIp(raw, out var ip);
        if (!ip && !UserNames.IsValid(user, ctx.Wiki.Namespaces))
        {
            throw new ApiError("baduser", $"Invalid value \"{raw}\" for user parameter \"user\".");
        }

        var done = await ctx.Services.Admin.RollbackAsync(ctx.Wiki, ctx.User, title, user, GetString(ctx, "summary"), GetBool(ctx, "markbot"), ctx.Aborted);
        await WatchAsync(ctx, title);
        ctx.Result.Data["rollback"] = new JsonObject
        {
            ["title"] = done.Title.PrefixedText,
            ["pageid"] = done.PageId,
            ["summary"] = done.Summary,
            ["revid"] = done.RevisionId,
            ["old_revid"] = done.OldRevisionId,
            ["last_revid"] = done.LastRevisionId,
        };
    }
}

/// <summary>action=block (ApiBlock): a user name or IP address may write nothing on this wiki until the expiry.</summary>
internal sealed class BlockModule : PageAdminModule
{
    public override string Name => "block";

    public override string Description => "Block a user.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("user") { Help = "User to block." },
        new("userid", ApiParamType.Integer) { Help = "Specify user=#ID instead." },
        new("expiry") { Default = "never", Help = "Expiry time. May be relative (e.g. 5 months or 2 weeks) or absolute (e.g. 2014-09-18T12:34:56Z). If set to infinite, indefinite, or never, the block will never expire." },
        new("reason") { Default = "", Help = "Reason for block." },
        new("anononly", ApiParamType.Boolean) { Help = "Block anonymous users only (i.e. disable anonymous edits for this IP address)." },
        new("nocreate", ApiParamType.Boolean) { Help = "Prevent account creation." },
        new("autoblock", ApiParamType.Boolean) { Help = "Automatically block the last used IP address, and any subsequent IP addresses they try to login from." },
        new("noemail", ApiParamType.Boolean) { Help = "Prevent user from sending email through the wiki." },
        new("hidename", ApiParamType.Boolean) { Help = "Hide the username from the block log." },
        new("allowusertalk", ApiParamType.Boolean) { Help = "Allow the user to edit their own talk page." },
        new("reblock", ApiParamType.Boolean) { Help = "If the user is already blocked, overwrite the existing block." },
        new("watchuser", ApiParamType.Boolean) { Help = "Watch the user's or IP address's user and talk pages." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the block log." },
        new("partial", ApiParamType.Boolean) { Help = "Block user from specific pages or namespaces rather than the entire site." },
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var target = await TargetAsync(ctx, GetString(ctx, "user"), GetInt(ctx, "userid"));
        if (GetBool(ctx, "partial"))
        {
            throw new ApiError("partialblocks-unsupported", "Partial blocks are not supported on this wiki.");
        }

        var raw = GetString(ctx, "expiry") ?? "never";
        var expiry = ExpiryOf(ctx, raw, "invalidexpiry", "Expiry time invalid.", "ipb_expiry_old", "Expiry time is in the past.");
        var reason = GetString(ctx, "reason") ?? "";
        var options = new BlockOptions(GetBool(ctx, "nocreate"), GetBool(ctx, "allowusertalk"), GetBool(ctx, "anononly"), GetBool(ctx, "autoblock"), GetBool(ctx, "noemail"));
        var block = await ctx.Services.Blocks.BlockAsync(ctx.Wiki, ctx.User, target, expiry, reason, options, GetBool(ctx, "reblock"), ctx.Aborted);
        if (GetBool(ctx, "watchuser"))
        {
            var userPage = Title.Create(ctx.Wiki.Namespaces, NamespaceTable.User, block.Target);
            await ApiWatchlist.ApplyAsync(ctx, userPage, "watch", null, expiryGiven: false, created: false);
        }

        var r = ctx.Result;
        var o = new JsonObject { ["user"] = block.Target, ["userID"] = block.UserId, ["expiry"] = Blocks.ExpiryText(block.Expiry), ["id"] = block.Id, ["reason"] = reason };
        foreach (var (name, on) in new[] { ("anononly", block.AnonOnly), ("nocreate", block.NoCreate), ("autoblock", block.AutoBlock), ("noemail", block.NoEmail), ("hidename", false), ("allowusertalk", block.AllowUserTalk), ("watchuser", GetBool(ctx, "watchuser")), ("partial", false) })
        {
            r.SetFlag(o, name, on);
        }

        o["pagerestrictions"] = new JsonArray();
        o["namespacerestrictions"] = new JsonArray();
        r.Data["block"] = o;
    }

    /// <summary>The target named by <c>user</c> (a name, an IP address or <c>#id</c>) or <c>userid</c>.</summary>
    internal static async Task<string> TargetAsync(ApiContext ctx, string? user, int? userId)
    {
        if (user is not null && user.StartsWith('#') && int.TryParse(user.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            (user, userId) = (null, id);
        }

        if (userId is { } uid)
        {
            return (await ctx.Services.Users.GetAsync(uid, ctx.Aborted))?.Name ?? throw new ApiError("nosuchuserid", $"There is no user with ID {uid}.");
        }

        return user ?? throw new ApiError("missingparam", "One of the parameters \"user\" and \"userid\" is required.");
    }
}

/// <summary>action=unblock (ApiUnblock): lifts a block, named by its id or its target.</summary>
internal sealed class UnblockModule : PageAdminModule
{
    public override string Name => "unblock";

    public override string Description => "Unblock a user.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("id", ApiParamType.Integer) { Help = "ID of the block to unblock (obtained through list=blocks). Cannot be used together with user." },
        new("user") { Help = "User to unblock. Cannot be used together with id." },
        new("userid", ApiParamType.Integer) { Help = "Specify user=#ID instead." },
        new("reason") { Default = "", Help = "Reason for unblock." },
        new("tags") { Multi = true, Help = "Change tags to apply to the entry in the block log." },
        new("watchuser", ApiParamType.Boolean) { Help = "Watch the user's or IP address's user and talk pages." },
        TokenParam,
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var id = GetInt(ctx, "id");
        string? target = null;
        if (id is null)
        {
            target = await BlockModule.TargetAsync(ctx, GetString(ctx, "user"), GetInt(ctx, "userid"));
        }
        else if (GetString(ctx, "user") is not null || GetInt(ctx, "userid") is not null)
        {
            throw new ApiError("invalidparammix", "The parameters \"id\" and \"user\" can not be used together.");
        }

        var reason = GetString(ctx, "reason") ?? "";
        var block = await ctx.Services.Blocks.UnblockAsync(ctx.Wiki, ctx.User, id, target, reason, ctx.Aborted);
        ctx.Result.Data["unblock"] = new JsonObject { ["id"] = block.Id, ["user"] = block.Target, ["userid"] = block.UserId, ["reason"] = reason };
    }
}
