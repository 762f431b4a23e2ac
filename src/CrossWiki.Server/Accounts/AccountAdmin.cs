using System.Text.Json.Nodes;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Accounts;

/// <summary>Why an account was not made, with MediaWiki's message key (api.php's <c>messagecode</c>) and English text.</summary>
internal sealed record AccountRefusal(string Code, string Message);

/// <summary>The groups a user was put in and taken out of (<c>action=userrights</c>'s <c>added</c> and <c>removed</c>).</summary>
internal sealed record GroupChange(UserAccount Account, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>
/// The one way accounts are made and their groups changed, for api.php's <c>action=createaccount</c> and
/// <c>action=userrights</c> and for Special:CreateAccount: MediaWiki's checks in its order (the right, a block
/// that stops account creation, the name, the retyped password, the password policy), the account and its
/// <c>newusers</c> log entry in one transaction, and a visitor who made their own account logged in to it.
/// </summary>
internal sealed class AccountAdmin(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, UserDirectory users, SessionStore sessions, FarmConfig farm, TimeProvider time, Throttler throttler)
{
    private static readonly AccountRefusal NoName = new("noname", "You have not specified a valid username.");

    /// <summary>
    /// Whether this user may make accounts: everyone has <c>createaccount</c> unless the farm turned
    /// self-registration off (<see cref="FarmConfig.SelfRegistration"/>), which leaves it to sysops.
    /// </summary>
    public static bool MayCreateAccounts(WikiUser user, bool selfRegistration) =>
        user.HasRight("createaccount") && (selfRegistration || user.Groups.Contains("sysop"));

    /// <summary>
    /// Makes the account <paramref name="rawName"/> as <paramref name="creator"/> on <paramref name="wiki"/>. A visitor
    /// making their own account is logged in to it in <paramref name="session"/> (unless it is a central-token
    /// session, which cannot change its user); a logged-in creator stays who they are, and their reason is logged.
    /// Creations from one <paramref name="address"/> count against <c>AccountCreationThrottle</c>, except by creators
    /// with <c>noratelimit</c> (sysops), as MediaWiki's ThrottlePreAuthenticationProvider does.
    /// </summary>
    public async Task<(UserAccount? Account, AccountRefusal? Refusal)> CreateAsync(
        Wiki wiki, WikiUser creator, Session session, string address, string? rawName, string? password, string? retype, string reason, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(rawName))
        {
            return (null, NoName);
        }

        if (!MayCreateAccounts(creator, farm.SelfRegistration))
        {
            return (null, new AccountRefusal("badaccess-groups", "The action you have requested is limited to users in the group: Administrators."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = UserDirectory.Truncate(time.GetUtcNow().UtcDateTime);
        if (await Blocks.FindAsync(db, wiki.Id, creator, now, ct) is { NoCreate: true } block)
        {
            return (null, new AccountRefusal("cantcreateaccount-text",
                $"Account creation from this IP address or by this user ({creator.Name}) has been blocked by {block.ByUserText}.\n\nThe reason given by {block.ByUserText} is {block.Reason}"));
        }

        var name = UserNames.Normalize(rawName);
        if (!UserNames.IsCreatable(name, wiki.Namespaces))
        {
            return (null, NoName);
        }

        if (await db.Users.AnyAsync(u => u.Name == name, ct))
        {
            return (null, UserExists);
        }

        if (!creator.HasRight("noratelimit") && await throttler.AccountCreationAsync(address, ct) is { } broken)
        {
            var accounts = broken.Count == 1 ? "1 account" : $"{broken.Count} accounts";
            return (null, new AccountRefusal("acct_creation_throttle_hit",
                $"Visitors to this wiki using your IP address have created {accounts} in the last {Throttler.Duration(broken)}, which is the maximum allowed in this time period.\n"
                + "As a result, visitors using this IP address cannot create any more accounts at the moment."));
        }

        password ??= "";
        if (password != retype)
        {
            return (null, new AccountRefusal("badretype", "The passwords you entered do not match."));
        }

        if (PasswordPolicy.Check(name, password, []) is { } weak)
        {
            return (null, new AccountRefusal(weak.Code, weak.Message));
        }

        var account = users.NewAccount(name, password);
        using (await writes.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Users.Add(account);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Made by another request since the check above (the name is unique).
                return (null, UserExists);
            }

            // MediaWiki's newusers log: "create" by the new user themselves, "create2" by someone logged in, with their reason.
            var self = creator.IsAnonymous;
            var performer = self ? WikiUser.Registered(account.Id, account.Name, "") : creator;
            var entry = ChangeFeed.Entry(wiki.Id, "newusers", self ? "create" : "create2", Title.Create(wiki.Namespaces, NamespaceTable.User, name), 0,
                performer.Id, performer.Name, self ? "" : reason, new JsonObject { ["userid"] = account.Id }, now);
            await ChangeFeed.LogAsync(db, entry, 0, 0, ChangeFlags.Of(performer, askedForBot: false), ct);
            await tx.CommitAsync(ct);
        }

        if (creator.IsAnonymous && !session.IsCentral)
        {
            await sessions.LogInAsync(wiki, session, account.Id, ct);
        }

        return (account, null);
    }

    /// <summary>
    /// Puts the user named <paramref name="target"/> in the groups of <paramref name="add"/> and takes them out
    /// of those of <paramref name="remove"/>, as far as <paramref name="by"/> may change them (a bureaucrat's
    /// <c>userrights</c> changes every group; without it, none), logged in the rights log when anything changed.
    /// A user blocked sitewide without <c>userrights</c> is refused.
    /// </summary>
    public async Task<GroupChange> ChangeGroupsAsync(Wiki wiki, WikiUser by, string target, IReadOnlyList<string> add, IReadOnlyList<string> remove, string reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = UserDirectory.Truncate(time.GetUtcNow().UtcDateTime);
        if (!by.HasRight("userrights") && Blocks.Refusal(await Blocks.FindAsync(db, wiki.Id, by, now, ct), by, null) is { } blocked)
        {
            throw new PageActionRefusedException(blocked);
        }

        var name = UserNames.Normalize(target);
        var account = UserNames.IsValid(name, wiki.Namespaces) ? await db.Users.FirstOrDefaultAsync(u => u.Name == name, ct) : null;
        if (account is null)
        {
            throw new PageActionRefusedException("nosuchuser", $"There is no user by the name \"{target}\". Check your spelling.");
        }

        var changeable = by.HasRight("userrights") ? Rights.ExplicitGroups : [];
        var old = WikiUser.ParseGroups(account.Groups);
        // UserrightsPage::doSaveUserGroups: a group is removed only if the user is in it and added only if not.
        var removed = remove.Where(g => changeable.Contains(g) && old.Contains(g)).Distinct(StringComparer.Ordinal).ToList();
        var added = add.Where(g => changeable.Contains(g) && !old.Contains(g)).Distinct(StringComparer.Ordinal).ToList();
        var groups = old.Except(removed, StringComparer.Ordinal).Concat(added).ToList();
        if (added.Count > 0 || removed.Count > 0)
        {
            using (await writes.EnterAsync(ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                account.Groups = string.Join(',', groups);
                await db.SaveChangesAsync(ct);
                var parameters = new JsonObject
                {
                    ["oldgroups"] = GroupArray(old),
                    ["newgroups"] = GroupArray(groups),
                    ["oldmetadata"] = Metadata(old.Length),
                    ["newmetadata"] = Metadata(groups.Count),
                };
                var entry = ChangeFeed.Entry(wiki.Id, "rights", "rights", Title.Create(wiki.Namespaces, NamespaceTable.User, account.Name), 0, by.Id, by.Name, reason, parameters, now);
                await ChangeFeed.LogAsync(db, entry, 0, 0, ChangeFlags.Of(by, askedForBot: false), ct);
                await tx.CommitAsync(ct);
            }

            users.Forget(account.Id);
        }

        return new GroupChange(account, added, removed);
    }

    private static readonly AccountRefusal UserExists = new("userexists", "Username entered already in use.\nPlease choose a different name.");

    private static JsonArray GroupArray(IEnumerable<string> groups) => new([.. groups.Select(g => (JsonNode)g)]);

    private static JsonArray Metadata(int count) => new([.. Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["expiry"] = null })]);
}
