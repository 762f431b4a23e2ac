using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>meta=userinfo (spec §7.1): who the request acts as.</summary>
internal sealed class UserInfoModule : QuerySubmodule
{
    public override string Name => "userinfo";

    public override string Group => "meta";

    protected override string ModulePrefix => "ui";

    public override string Description => "Get information about the current user.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Values =
            [
                "blockinfo", "hasmsg", "groups", "groupmemberships", "implicitgroups", "rights", "changeablegroups",
                "options", "editcount", "ratelimits", "theoreticalratelimits", "email", "realname", "acceptlang",
                "registrationdate", "unreadcount", "centralids", "preferencestoken", "latestcontrib", "cancreateaccount",
            ],
            Help = "Which pieces of information to include.",
        },
        new("attachedwiki") { Help = "With prop=centralids, indicate whether the user is attached with the wiki identified by this ID." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop");
        GetString(ctx, "attachedwiki");
        var user = ctx.User;
        var r = ctx.Result;
        var o = new JsonObject { ["id"] = user.Id, ["name"] = user.Name };
        r.SetFlag(o, "anon", user.IsAnonymous);
        if (props.Contains("hasmsg"))
        {
            // No talk-page messages are tracked; fv1 drops the false boolean (spec §7.1).
            r.SetBool(o, "messages", false);
        }

        if (props.Contains("groups"))
        {
            o["groups"] = Strings(user.Groups);
        }

        if (props.Contains("groupmemberships"))
        {
            o["groupmemberships"] = new JsonArray([.. user.Groups.Where(g => Rights.ExplicitGroups.Contains(g))
                .Select(g => (JsonNode)new JsonObject { ["group"] = g, ["expiry"] = "infinity" })]);
        }

        if (props.Contains("implicitgroups"))
        {
            o["implicitgroups"] = Strings(user.Groups.Where(g => !Rights.ExplicitGroups.Contains(g)));
        }

        if (props.Contains("rights"))
        {
            // Without self-registration only sysops keep createaccount (AccountAdmin.MayCreateAccounts).
            o["rights"] = Strings(user.Rights.Where(r => r != "createaccount" || AccountAdmin.MayCreateAccounts(user, ctx.Services.Farm.SelfRegistration)));
        }

        if (props.Contains("changeablegroups"))
        {
            o["changeablegroups"] = new JsonObject
            {
                ["add"] = new JsonArray(), ["remove"] = new JsonArray(), ["add-self"] = new JsonArray(), ["remove-self"] = new JsonArray(),
            };
        }

        if (props.Contains("options"))
        {
            o["options"] = await OptionsAsync(ctx);
        }

        if (props.Contains("preferencestoken") && !ctx.LacksSameOriginSecurity && user.HasRight("editmyoptions"))
        {
            o["preferencestoken"] = ctx.TokenFor("csrf");
        }

        if (props.Contains("editcount"))
        {
            o["editcount"] = user.IsAnonymous ? 0 : await EditCountAsync(ctx);
        }

        if (props.Contains("ratelimits"))
        {
            o["ratelimits"] = new JsonObject();
        }

        if (props.Contains("theoreticalratelimits"))
        {
            o["theoreticalratelimits"] = new JsonObject();
        }

        var account = !user.IsAnonymous && (props.Contains("realname") || props.Contains("email") || props.Contains("registrationdate"))
            ? await ctx.Services.Users.FindByNameAsync(user.Name, ctx.Aborted)
            : null;
        if (props.Contains("realname") && account is not null)
        {
            o["realname"] = account.RealName;
        }

        if (props.Contains("email") && account is not null)
        {
            o["email"] = account.Email;
        }

        if (props.Contains("registrationdate") && account is not null)
        {
            o["registrationdate"] = Timestamps.Iso(account.Registration);
        }

        if (props.Contains("acceptlang"))
        {
            o["acceptlang"] = new JsonArray();
        }

        if (props.Contains("unreadcount"))
        {
            o["unreadcount"] = 0;
        }

        if (props.Contains("centralids"))
        {
            o["centralids"] = new JsonObject { ["local"] = user.Id };
        }

        if (props.Contains("cancreateaccount"))
        {
            r.SetBool(o, "cancreateaccount", user.HasRight("createaccount"));
        }

        state.Query["userinfo"] = o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static async Task<int> EditCountAsync(ApiContext ctx)
    {
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var wikiId = ctx.Wiki.Id;
        var userId = ctx.User.Id;
        return await db.Revisions.CountAsync(r => r.WikiId == wikiId && r.UserId == userId, ctx.Aborted);
    }

    /// <summary>
    /// Every option: the defaults (with their PHP types) merged with the saved values. Saved values come back
    /// as the strings the database holds, except <c>"0"</c>, which UserOptionsManager::loadUserOptions turns
    /// into <c>0</c>; booleans stay booleans even in formatversion 1 (spec §7.1).
    /// </summary>
    public static async Task<JsonObject> OptionsAsync(ApiContext ctx)
    {
        var saved = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!ctx.User.IsAnonymous)
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var wikiId = ctx.Wiki.Id;
            var userId = ctx.User.Id;
            foreach (var p in await db.Preferences.AsNoTracking().Where(p => p.WikiId == wikiId && p.UserId == userId).ToListAsync(ctx.Aborted))
            {
                saved[p.Name] = p.Value;
            }
        }

        var options = new JsonObject();
        foreach (var (name, value) in Preferences.Defaults)
        {
            options[name] = saved.Remove(name, out var v) ? Loaded(v) : JsonValue.Create(value);
        }

        foreach (var (name, v) in saved.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            options[name] = Loaded(v);
        }

        return options;
    }

    private static JsonValue Loaded(string saved) => saved == "0" ? JsonValue.Create(0) : JsonValue.Create(saved);
}
