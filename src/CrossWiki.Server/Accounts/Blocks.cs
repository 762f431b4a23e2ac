using System.Text.Json.Nodes;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// Blocks of one wiki: a registered user by account, an anonymous one by IP address. A block in force stops every
/// write of the page core (edits, uploads, moves, deletions, protections, rollbacks); MediaWiki checks it before the
/// page's protections, and api.php reports it as <c>blocked</c> with the block's details.
/// </summary>
internal static class Blocks
{
    /// <summary>The block in force on <paramref name="user"/> at <paramref name="now"/>, if any.</summary>
    public static async Task<UserBlock?> FindAsync(WikiDbContext db, string wikiId, WikiUser user, DateTime now, CancellationToken ct)
    {
        var block = await db.Blocks.AsNoTracking().FirstOrDefaultAsync(b => b.WikiId == wikiId && b.Target == user.Name, ct);
        return block is not null && (block.Expiry is null || block.Expiry > now) ? block : null;
    }

    /// <summary>
    /// The refusal of a write by a blocked user, or null when the block lets this one through: a user allowed to
    /// edit their own talk page may save it (and nothing else).
    /// </summary>
    public static EditRefusal? Refusal(UserBlock? block, WikiUser user, Title? title)
    {
        if (block is null)
        {
            return null;
        }

        if (block.AllowUserTalk && title is { Namespace: NamespaceTable.UserTalk } && title.Text == user.Name)
        {
            return null;
        }

        return new EditRefusal("blocked", "You have been blocked from editing.") { Data = new JsonObject { ["blockinfo"] = Info(block) } };
    }

    /// <summary>The block's details as api.php gives them (ApiBlockInfoTrait): in a <c>blocked</c> error and <c>usprop=blockinfo</c>.</summary>
    public static JsonObject Info(UserBlock block) => new()
    {
        ["blockid"] = block.Id,
        ["blockedby"] = block.ByUserText,
        ["blockedbyid"] = block.ByUserId,
        ["blockreason"] = block.Reason,
        ["blockedtimestamp"] = Timestamps.Iso(block.Timestamp),
        ["blockexpiry"] = ExpiryText(block.Expiry),
        ["blockpartial"] = false,
        ["blocknocreate"] = block.NoCreate,
        ["blockanononly"] = block.AnonOnly,
    };

    /// <summary>An expiry as api.php writes it: <c>infinite</c>, or the timestamp.</summary>
    public static string ExpiryText(DateTime? expiry) => expiry is { } at ? Timestamps.Iso(at) : "infinite";
}

/// <summary>What a block stops besides writing, as api.php's <c>action=block</c> takes it.</summary>
internal readonly record struct BlockOptions(bool NoCreate, bool AllowUserTalk, bool AnonOnly, bool AutoBlock, bool NoEmail);

/// <summary>
/// Blocking and unblocking (SpecialBlock, ApiBlock, ApiUnblock): for users with <c>block</c>, who are not blocked
/// themselves (a sysop may lift their own block with <c>unblockself</c>); each logged in the block log on the
/// target's user page.
/// </summary>
internal sealed class BlockList(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, UserDirectory users, TimeProvider time)
{
    public async Task<UserBlock> BlockAsync(Farm.Wiki wiki, WikiUser by, string target, DateTime? expiry, string reason, BlockOptions options, bool reblock, CancellationToken ct)
    {
        CheckRight(by);
        var name = UserNames.NormalizeNameOrIp(target, out var ip);
        var userId = 0;
        if (!ip)
        {
            userId = (await users.FindByNameAsync(name, ct))?.Id
                ?? throw new PageActionRefusedException("nosuchuser", $"The user \"{name}\" does not exist.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = UserDirectory.Truncate(time.GetUtcNow().UtcDateTime);
        await CheckNotBlockedAsync(db, wiki, by, name, now, ct);
        var block = await db.Blocks.FirstOrDefaultAsync(b => b.WikiId == wiki.Id && b.Target == name, ct);
        var expired = block is { Expiry: { } ends } && ends <= now;
        if (block is not null && !expired && !reblock)
        {
            throw new PageActionRefusedException("alreadyblocked", $"\"{name}\" is already blocked.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var action = block is not null && !expired ? "reblock" : "block";
        if (block is not null)
        {
            db.Blocks.Remove(block);
            await db.SaveChangesAsync(ct);
        }

        block = new UserBlock
        {
            WikiId = wiki.Id, Target = name, UserId = userId, ByUserId = by.Id, ByUserText = by.Name, Reason = reason, Timestamp = now, Expiry = expiry,
            NoCreate = options.NoCreate, AllowUserTalk = options.AllowUserTalk, AnonOnly = ip && options.AnonOnly, AutoBlock = !ip && options.AutoBlock, NoEmail = options.NoEmail,
        };
        db.Blocks.Add(block);
        await db.SaveChangesAsync(ct);

        var flags = new System.Text.Json.Nodes.JsonArray();
        foreach (var (on, flag) in new[] { (block.AnonOnly, "anononly"), (block.NoCreate, "nocreate"), (!block.AutoBlock && !ip, "noautoblock"), (block.NoEmail, "noemail"), (!block.AllowUserTalk, "nousertalk") })
        {
            if (on)
            {
                flags.Add(flag);
            }
        }

        var parameters = new JsonObject { ["duration"] = expiry is null ? "infinity" : Timestamps.Iso(expiry.Value), ["flags"] = flags, ["sitewide"] = true };
        if (expiry is { } at)
        {
            parameters["expiry"] = Timestamps.Iso(at);
        }

        await LogAsync(db, wiki, by, name, action, reason, parameters, now, ct);
        await tx.CommitAsync(ct);
        return block;
    }

    /// <summary>Lifts a block, named by its id or its target; <c>cantunblock</c> when there is none.</summary>
    public async Task<UserBlock> UnblockAsync(Farm.Wiki wiki, WikiUser by, long? id, string? target, string reason, CancellationToken ct)
    {
        CheckRight(by);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = UserDirectory.Truncate(time.GetUtcNow().UtcDateTime);
        var name = target is null ? null : UserNames.NormalizeNameOrIp(target, out _);
        var block = await db.Blocks.FirstOrDefaultAsync(b => b.WikiId == wiki.Id && (id != null ? b.Id == id : b.Target == name), ct);
        if (block is null || (block.Expiry is { } ends && ends <= now))
        {
            throw new PageActionRefusedException("cantunblock", $"Block ID {id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? name} not found. It may have been unblocked already.");
        }

        await CheckNotBlockedAsync(db, wiki, by, block.Target, now, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Blocks.Remove(block);
        await db.SaveChangesAsync(ct);
        await LogAsync(db, wiki, by, block.Target, "unblock", reason, null, now, ct);
        await tx.CommitAsync(ct);
        return block;
    }

    private static void CheckRight(WikiUser by)
    {
        if (!by.HasRight("block"))
        {
            throw new PageActionRefusedException("permissiondenied", "You don't have permission to block other users from editing.");
        }
    }

    /// <summary>A blocked user may not block or unblock others; with <c>unblockself</c> they may act on their own block.</summary>
    private static async Task CheckNotBlockedAsync(WikiDbContext db, Farm.Wiki wiki, WikiUser by, string target, DateTime now, CancellationToken ct)
    {
        if (await Blocks.FindAsync(db, wiki.Id, by, now, ct) is not null && !(target == by.Name && by.HasRight("unblockself")))
        {
            throw new PageActionRefusedException("ipbblocked", "You cannot block or unblock other users while you are yourself blocked.");
        }
    }

    private static async Task LogAsync(WikiDbContext db, Farm.Wiki wiki, WikiUser by, string target, string action, string reason, JsonObject? parameters, DateTime now, CancellationToken ct)
    {
        var title = Title.Create(wiki.Namespaces, NamespaceTable.User, target);
        var entry = ChangeFeed.Entry(wiki.Id, "block", action, title, 0, by.Id, by.Name, reason, parameters, now);
        await ChangeFeed.LogAsync(db, entry, 0, 0, ChangeFlags.Of(by, askedForBot: true), ct);
    }
}
