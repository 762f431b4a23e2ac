using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>list=users (ApiQueryUsers): information about the named users, in the order asked for.</summary>
internal sealed class UsersModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.AnonPublicUserPrivate;

    public override string Name => "users";

    public override string Group => "list";

    protected override string ModulePrefix => "us";

    public override string Description => "Get information about a list of users.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Values = ["blockinfo", "groups", "groupmemberships", "implicitgroups", "rights", "editcount", "registration", "emailable", "gender", "centralids"],
            Help = "Which pieces of information to include.",
        },
        new("attachedwiki") { Help = "With usprop=centralids, indicate whether the user is attached with the wiki identified by this ID." },
        new("users") { Multi = true, Help = "A list of users to get information for." },
        new("userids", ApiParamType.Integer) { Multi = true, Help = "A list of user IDs to get information for." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        GetString(ctx, "attachedwiki");
        var names = GetMulti(ctx, "users");
        var ids = GetMulti(ctx, "userids");
        var wanted = names.Select(n => UserNames.Normalize(n)).Where(n => UserNames.IsValid(n, ctx.Wiki.Namespaces)).Distinct(StringComparer.Ordinal).ToList();
        var wantedIds = ids.Select(i => int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        var accounts = new List<UserAccount>();
        if (wanted.Count > 0 || wantedIds.Count > 0)
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            accounts = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Name) || wantedIds.Contains(u.Id)).ToListAsync(ctx.Aborted);
        }

        var editCounts = await UserProps.EditCountsAsync(ctx, props, accounts);
        var blocks = await UserProps.BlocksAsync(ctx, props, accounts);
        var list = new JsonArray();
        var listed = new HashSet<int>();
        foreach (var raw in names)
        {
            var name = UserNames.Normalize(raw);
            if (!UserNames.IsValid(name, ctx.Wiki.Namespaces))
            {
                var o = new JsonObject { ["name"] = raw };
                ctx.Result.SetFlag(o, "invalid", true);
                list.Add(o);
            }
            else if (accounts.FirstOrDefault(a => a.Name == name) is { } account)
            {
                if (listed.Add(account.Id))
                {
                    list.Add(UserProps.Describe(ctx, account, props, editCounts, blocks));
                }
            }
            else
            {
                var o = new JsonObject { ["name"] = name };
                ctx.Result.SetFlag(o, "missing", true);
                list.Add(o);
            }
        }

        foreach (var id in wantedIds)
        {
            if (accounts.FirstOrDefault(a => a.Id == id) is { } account)
            {
                if (listed.Add(account.Id))
                {
                    list.Add(UserProps.Describe(ctx, account, props, editCounts, blocks));
                }
            }
            else
            {
                var o = new JsonObject { ["userid"] = id };
                ctx.Result.SetFlag(o, "missing", true);
                list.Add(o);
            }
        }

        state.Query[Name] = list;
    }
}

/// <summary>list=allusers (ApiQueryAllUsers): the farm's accounts in name order, with continuation by name.</summary>
internal sealed class AllUsersModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "allusers";

    public override string Group => "list";

    protected override string ModulePrefix => "au";

    public override string Description => "Enumerate all registered users.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("from") { Help = "The user name to start enumerating from." },
        new("to") { Help = "The user name to stop enumerating at." },
        new("prefix") { Help = "Search for all users that begin with this value." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending"], Default = "ascending", Help = "Direction to sort in." },
        new("group", ApiParamType.Enum) { Multi = true, Values = Rights.AllGroups, Help = "Only include users in the given groups." },
        new("excludegroup", ApiParamType.Enum) { Multi = true, Values = Rights.AllGroups, Help = "Exclude users in the given groups." },
        new("rights", ApiParamType.Enum) { Multi = true, Values = Rights.AllRights, Help = "Only include users with the given rights." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["blockinfo", "groups", "implicitgroups", "rights", "editcount", "registration", "centralids"], Help = "Which pieces of information to include." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many total user names to return." },
        new("witheditsonly", ApiParamType.Boolean) { Help = "Only list users who have made edits." },
        new("activeusers", ApiParamType.Boolean) { Help = "Only list users active in the last 30 days." },
        new("attachedwiki") { Help = "With auprop=centralids, also indicate whether the user is attached with the wiki identified by this ID." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var descending = GetString(ctx, "dir") == "descending";
        var limit = GetInt(ctx, "limit") ?? 10;
        var filter = new UserFilter(GetMulti(ctx, "group"), GetMulti(ctx, "excludegroup"), GetMulti(ctx, "rights"), []);
        var withEdits = GetBool(ctx, "witheditsonly");
        var active = GetBool(ctx, "activeusers");
        GetString(ctx, "attachedwiki");
        var from = UserName(GetString(ctx, "from"));
        var to = UserName(GetString(ctx, "to"));
        var prefix = UserName(GetString(ctx, "prefix"));
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var users = db.Users.AsNoTracking();
        if (prefix is not null)
        {
            users = CanPrefixAName(prefix) ? users.Where(u => u.Name.StartsWith(prefix)) : users.Where(u => false);
        }

#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare names by code point.
        if (from is not null)
        {
            users = descending ? users.Where(u => string.Compare(u.Name, from) <= 0) : users.Where(u => string.Compare(u.Name, from) >= 0);
        }

        if (to is not null)
        {
            users = descending ? users.Where(u => string.Compare(u.Name, to) >= 0) : users.Where(u => string.Compare(u.Name, to) <= 0);
        }
#pragma warning restore CA1309

        if (withEdits || active)
        {
            var since = active ? ctx.Services.Time.GetUtcNow().UtcDateTime.AddDays(-30) : DateTime.MinValue;
            users = users.Where(u => db.Revisions.Any(r => r.WikiId == wikiId && r.UserId == u.Id && r.Timestamp >= since));
        }

        users = descending ? users.OrderByDescending(u => u.Name) : users.OrderBy(u => u.Name);

        // Group and right filters are decided in code (implicit groups are not stored), so read in pages until enough pass.
        var kept = new List<UserAccount>(limit + 1);
        for (var skip = 0; kept.Count <= limit; skip += 500)
        {
            var batch = await users.Skip(skip).Take(filter.IsEmpty ? limit + 1 : 500).ToListAsync(ctx.Aborted);
            kept.AddRange(filter.IsEmpty ? batch : batch.Where(u => Rights.Passes(WikiUser.ParseGroups(u.Groups), filter)));
            if (filter.IsEmpty || batch.Count < 500)
            {
                break;
            }
        }

        if (kept.Count > limit)
        {
            ContinueTarget(state)[Prefix + "from"] = kept[limit].Name;
            kept = kept[..limit];
        }

        var editCounts = await UserProps.EditCountsAsync(ctx, props, kept);
        var blocks = await UserProps.BlocksAsync(ctx, props, kept);
        state.Query[Name] = new JsonArray([.. kept.Select(u => (JsonNode)UserProps.Describe(ctx, u, props, editCounts, blocks))]);
    }

    private static string? UserName(string? text) => string.IsNullOrWhiteSpace(text) ? null : UserNames.Normalize(text);
}

/// <summary>What list=users and list=allusers say about an account.</summary>
internal static class UserProps
{
    /// <summary>The accounts' edits on this wiki, when <c>editcount</c> is asked for.</summary>
    public static async Task<Dictionary<int, int>> EditCountsAsync(ApiContext ctx, HashSet<string> props, List<UserAccount> accounts)
    {
        if (!props.Contains("editcount") || accounts.Count == 0)
        {
            return [];
        }

        var ids = accounts.Select(a => a.Id).ToList();
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        return await db.Revisions.AsNoTracking().Where(r => r.WikiId == wikiId && ids.Contains(r.UserId))
            .GroupBy(r => r.UserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ctx.Aborted);
    }

    /// <summary>The blocks in force on this wiki of the accounts, when <c>blockinfo</c> is asked for.</summary>
    public static async Task<Dictionary<int, UserBlock>> BlocksAsync(ApiContext ctx, HashSet<string> props, List<UserAccount> accounts)
    {
        if (!props.Contains("blockinfo") || accounts.Count == 0)
        {
            return [];
        }

        var names = accounts.Select(a => a.Name).ToList();
        var (wikiId, now) = (ctx.Wiki.Id, ctx.Now);
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        return await db.Blocks.AsNoTracking().Where(b => b.WikiId == wikiId && b.UserId != 0 && names.Contains(b.Target) && (b.Expiry == null || b.Expiry > now))
            .ToDictionaryAsync(b => b.UserId, ctx.Aborted);
    }

    public static JsonObject Describe(ApiContext ctx, UserAccount account, HashSet<string> props, Dictionary<int, int> editCounts, Dictionary<int, UserBlock> blocks)
    {
        var r = ctx.Result;
        var o = new JsonObject { ["userid"] = account.Id, ["name"] = account.Name };
        var explicitGroups = WikiUser.ParseGroups(account.Groups);
        var groups = Rights.EffectiveGroups(explicitGroups, registered: true);
        if (props.Contains("editcount"))
        {
            o["editcount"] = editCounts.GetValueOrDefault(account.Id);
        }

        if (props.Contains("registration"))
        {
            o["registration"] = Timestamps.Iso(account.Registration);
        }

        if (blocks.TryGetValue(account.Id, out var block))
        {
            foreach (var (key, value) in Blocks.Info(block))
            {
                o[key] = value?.DeepClone();
            }
        }

        if (props.Contains("groups"))
        {
            o["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]);
        }

        if (props.Contains("groupmemberships"))
        {
            o["groupmemberships"] = new JsonArray([.. explicitGroups.Select(g => (JsonNode)new JsonObject { ["group"] = g, ["expiry"] = "infinity" })]);
        }

        if (props.Contains("implicitgroups"))
        {
            o["implicitgroups"] = new JsonArray([.. groups.Where(g => !explicitGroups.Contains(g)).Select(g => (JsonNode)g)]);
        }

        if (props.Contains("rights"))
        {
            o["rights"] = new JsonArray([.. Rights.ForGroups(groups).Select(g => (JsonNode)g)]);
        }

        if (props.Contains("emailable"))
        {
            r.SetFlag(o, "emailable", account.Email.Length > 0);
        }

        if (props.Contains("gender"))
        {
            o["gender"] = "unknown";
        }

        if (props.Contains("centralids"))
        {
            // Accounts are the farm's: the central id is the local one.
            o["centralids"] = new JsonObject { ["CentralAuth"] = account.Id, ["local"] = account.Id };
        }

        return o;
    }
}
