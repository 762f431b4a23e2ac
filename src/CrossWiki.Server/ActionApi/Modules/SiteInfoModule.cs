using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>meta=siteinfo: what clients read to learn the wiki (spec api-clients.md, action=query).</summary>
internal sealed class SiteInfoModule : QuerySubmodule
{
    /// <summary>mwclient, nodemw and mwbot parse this; claiming 1.39 selects their modern code paths.</summary>
    public const string Generator = "MediaWiki 1.39.17";

    /// <summary>MediaWiki's <c>$wgLegalTitleChars</c>, as siteinfo reports it.</summary>
    public const string LegalTitleChars = " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+";

    private static readonly string[] ImplicitGroups = ["*", "user", "autoconfirmed"];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "siteinfo";

    public override string Group => "meta";

    public override string Prefix => "si";

    public override string Description => "Return general information about the site.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Default = "general",
            Values =
            [
                "general", "namespaces", "namespacealiases", "specialpagealiases", "magicwords", "interwikimap",
                "dbrepllag", "statistics", "usergroups", "libraries", "extensions", "fileextensions", "rightsinfo",
                "restrictions", "languages", "languagevariants", "skins", "extensiontags", "functionhooks",
                "showhooks", "variables", "protocols", "defaultoptions", "uploaddialog",
            ],
            Help = "Which information to get.",
        },
        new("filteriw", ApiParamType.Enum) { Values = ["local", "!local"], Help = "Return only local or only nonlocal entries of the interwiki map." },
        new("showalldb", ApiParamType.Boolean) { Help = "List all database servers, not just the one lagging the most." },
        new("numberingroup", ApiParamType.Boolean) { Help = "Lists the number of users in user groups." },
        new("inlanguagecode") { Help = "Language code for localised language names." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        GetString(ctx, "filteriw");
        GetBool(ctx, "showalldb");
        GetBool(ctx, "numberingroup");
        GetString(ctx, "inlanguagecode");
        var q = state.Query;
        var r = ctx.Result;
        var fv2 = r.FormatVersion == 2;
        foreach (var prop in GetMulti(ctx, "prop"))
        {
            switch (prop)
            {
                case "general":
                    q["general"] = General(ctx);
                    break;
                case "namespaces":
                    var namespaces = new JsonObject();
                    foreach (var ns in ctx.Wiki.Namespaces.All)
                    {
                        var o = new JsonObject { ["id"] = ns.Id, ["case"] = "first-letter" };
                        o[fv2 ? "name" : "*"] = ns.Name;
                        r.SetBool(o, "subpages", ns.Subpages);
                        if (ns.Canonical is { } canonical)
                        {
                            o["canonical"] = canonical;
                        }

                        r.SetBool(o, "content", ns.Content);
                        r.SetBool(o, "nonincludable", false);
                        namespaces[ns.Id.ToString(CultureInfo.InvariantCulture)] = o;
                    }

                    q["namespaces"] = namespaces;
                    break;
                case "namespacealiases":
                    q["namespacealiases"] = new JsonArray([.. ctx.Wiki.Namespaces.Aliases.Select(a => (JsonNode)new JsonObject { ["id"] = a.Id, [fv2 ? "alias" : "*"] = a.Alias })]);
                    break;
                case "statistics":
                    q["statistics"] = await StatisticsAsync(ctx);
                    break;
                case "usergroups":
                    var groups = new JsonArray();
                    foreach (var g in ImplicitGroups.Concat(Rights.ExplicitGroups))
                    {
                        groups.Add(new JsonObject { ["name"] = g, ["rights"] = new JsonArray([.. Rights.ForGroups([g]).Select(x => (JsonNode)x)]) });
                    }

                    q["usergroups"] = groups;
                    break;
                case "rightsinfo":
                    q["rightsinfo"] = new JsonObject { ["url"] = "", ["text"] = "" };
                    break;
                case "restrictions":
                    q["restrictions"] = new JsonObject
                    {
                        ["types"] = new JsonArray("create", "edit", "move", "upload"),
                        ["levels"] = new JsonArray("", "autoconfirmed", "sysop"),
                        ["cascadinglevels"] = new JsonArray("sysop"),
                        ["semiprotectedlevels"] = new JsonArray("autoconfirmed"),
                    };
                    break;
                case "languages":
                    q["languages"] = new JsonArray(new JsonObject { ["code"] = "en", ["bcp47"] = "en", [fv2 ? "name" : "*"] = "English" });
                    break;
                case "skins":
                    var skin = new JsonObject { ["code"] = "vector", [fv2 ? "name" : "*"] = "Vector" };
                    r.SetFlag(skin, "default", true);
                    q["skins"] = new JsonArray(skin);
                    break;
                case "extensiontags":
                    q["extensiontags"] = new JsonArray("<pre>", "<nowiki>");
                    break;
                case "protocols":
                    q["protocols"] = new JsonArray("http://", "https://", "mailto:", "//");
                    break;
                case "defaultoptions":
                    var defaults = new JsonObject();
                    foreach (var (name, value) in Preferences.Defaults)
                    {
                        defaults[name] = JsonValue.Create(value);
                    }

                    q["defaultoptions"] = defaults;
                    break;
                case "dbrepllag":
                    q["dbrepllag"] = new JsonArray(new JsonObject { ["host"] = "", ["lag"] = 0 });
                    break;
                case "uploaddialog":
                    q["uploaddialog"] = new JsonObject();
                    break;
                default:
                    // Lists this farm has nothing to report in (no extensions, hooks, interwikis...).
                    q[prop] = new JsonArray();
                    break;
            }
        }
    }

    private static JsonObject General(ApiContext ctx)
    {
        var wiki = ctx.Wiki;
        var r = ctx.Result;
        var mainPage = "Main Page";
        var g = new JsonObject
        {
            ["mainpage"] = mainPage,
            ["base"] = wiki.Server + wiki.ArticleUrl("Main_Page"),
            ["sitename"] = wiki.Sitename,
            ["logo"] = "",
            ["generator"] = Generator,
            ["phpversion"] = "",
            ["phpsapi"] = "",
            ["dbtype"] = "sqlite",
            ["dbversion"] = "",
            ["langconversion"] = r.FormatVersion == 2 ? false : null,
            ["linkprefixcharset"] = "",
            ["linkprefix"] = "",
            ["linktrail"] = "/^([a-z]+)(.*)$/sD",
            ["legaltitlechars"] = LegalTitleChars,
            ["invalidusernamechars"] = "@:>=",
            ["case"] = "first-letter",
            ["lang"] = "en",
            ["fallback"] = new JsonArray(),
            ["fallback8bitEncoding"] = "windows-1252",
        };
        if (g["langconversion"] is null)
        {
            g.Remove("langconversion");
        }

        r.SetBool(g, "rtl", false);
        r.SetBool(g, "readonly", false);
        r.SetBool(g, "writeapi", true);
        g["maxarticlesize"] = Pages.EditLimits.MaxArticleBytes;
        g["timezone"] = "UTC";
        g["timeoffset"] = 0;
        g["articlepath"] = wiki.ArticlePath;
        g["scriptpath"] = wiki.ScriptPath;
        g["script"] = wiki.ScriptPath + "/index.php";
        g["variantarticlepath"] = false;
        g["server"] = wiki.Server;
        g["servername"] = wiki.ServerUri.Host;
        g["wikiid"] = wiki.Id;
        g["time"] = Timestamps.Iso(ctx.Now);
        r.SetBool(g, "misermode", false);
        r.SetBool(g, "uploadsenabled", false);
        g["maxuploadsize"] = 0;
        g["minuploadchunksize"] = 1024;
        g["thumblimits"] = new JsonArray();
        g["imagelimits"] = new JsonArray();
        g["favicon"] = wiki.Server + "/favicon.ico";
        g["centralidlookupprovider"] = "local";
        g["allcentralidlookupproviders"] = new JsonArray("local");
        r.SetBool(g, "interwikimagic", true);
        g["magiclinks"] = new JsonObject();
        g["categorycollation"] = "uppercase";
        r.SetBool(g, "nofollowlinks", true);
        g["citeresponsivereferences"] = false;
        return g;
    }

    private static async Task<JsonObject> StatisticsAsync(ApiContext ctx)
    {
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var wikiId = ctx.Wiki.Id;
        var pages = db.Pages.Count(p => p.WikiId == wikiId);
        var articles = db.Pages.Count(p => p.WikiId == wikiId && p.Namespace == 0);
        var edits = db.Revisions.Count(r => r.WikiId == wikiId);
        var users = db.Users.Count();
        return new JsonObject
        {
            ["pages"] = pages, ["articles"] = articles, ["edits"] = edits, ["images"] = 0, ["users"] = users,
            ["activeusers"] = 0, ["admins"] = 0, ["jobs"] = 0,
        };
    }
}
