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

    protected override string ModulePrefix => "si";

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
                        // The name is the content value: "*" in formatversion 1, which the printer puts last.
                        var o = new JsonObject { ["id"] = ns.Id, ["case"] = "first-letter" };
                        o[fv2 ? "name" : "*"] = ns.Name;
                        r.SetBool(o, "subpages", ns.Subpages);
                        if (ns.Canonical is { } canonical)
                        {
                            o["canonical"] = canonical;
                        }

                        r.SetBool(o, "content", ns.Content);
                        r.SetBool(o, "nonincludable", false);
                        if (ns.Id == NamespaceTable.MediaWiki)
                        {
                            // $wgNamespaceProtection's default.
                            o["namespaceprotection"] = "editinterface";
                        }

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
                case "interwikimap":
                    q["interwikimap"] = InterwikiMap(ctx, GetString(ctx, "filteriw"));
                    break;
                case "uploaddialog":
                    // MediaWiki 1.39's default $wgUploadDialog, which the upload dialog reads.
                    q["uploaddialog"] = new JsonObject
                    {
                        ["fields"] = new JsonObject { ["description"] = true, ["date"] = false, ["categories"] = false },
                        ["licensemessages"] = new JsonObject { ["local"] = "generic-local", ["foreign"] = "generic-foreign" },
                        ["comment"] = new JsonObject { ["local"] = "", ["foreign"] = "" },
                        ["format"] = new JsonObject { ["filepage"] = "$DESCRIPTION", ["description"] = "$TEXT", ["ownwork"] = "", ["license"] = "", ["uncategorized"] = "" },
                    };
                    break;
                default:
                    // Lists this farm has nothing to report in (no extensions, hooks, interwikis...).
                    q[prop] = new JsonArray();
                    break;
            }
        }
    }

    /// <summary>ApiQuerySiteinfo::appendInterwikiMap: the farm's other wikis (local) and the farm file's prefixes.</summary>
    private static JsonArray InterwikiMap(ApiContext ctx, string? filter)
    {
        var r = ctx.Result;
        return new JsonArray([.. ctx.Wiki.Namespaces.Interwiki.All
            .Where(p => filter is null || (filter == "local") == p.Local)
            .Select(p =>
            {
                var o = new JsonObject { ["prefix"] = p.Prefix };
                r.SetFlag(o, "local", p.Local);
                o["url"] = p.Url;
                r.SetBool(o, "protorel", p.Url.StartsWith("//", StringComparison.Ordinal));
                if (p.WikiId is not null)
                {
                    o["wikiid"] = p.WikiId;
                }

                if (p.Api is not null)
                {
                    o["api"] = p.Api;
                }

                return (JsonNode)o;
            })]);
    }

    /// <summary>
    /// ApiQuerySiteinfo::appendGeneralInfo, key for key, with MediaWiki 1.39's defaults where this farm has no
    /// setting of its own (no PHP, no uploads, no language variants).
    /// </summary>
    private static JsonObject General(ApiContext ctx)
    {
        var wiki = ctx.Wiki;
        var r = ctx.Result;
        var fv2 = r.FormatVersion == 2;
        var g = new JsonObject
        {
            ["mainpage"] = "Main Page",
            ["base"] = wiki.Server + wiki.ArticleUrl("Main_Page"),
            ["sitename"] = wiki.Sitename,
        };
        r.SetBool(g, "mainpageisdomainroot", false);
        g["logo"] = "//" + wiki.ServerUri.Authority + wiki.ScriptPath + "/resources/assets/change-your-logo.svg";
        g["generator"] = Generator;
        g["phpversion"] = "";
        g["phpsapi"] = "";
        g["dbtype"] = "sqlite";
        g["dbversion"] = "";
        r.SetBool(g, "imagewhitelistenabled", false);
        r.SetBool(g, "langconversion", true);
        r.SetBool(g, "linkconversion", true);
        r.SetBool(g, "titleconversion", true);
        g["linkprefixcharset"] = "";
        g["linkprefix"] = "";
        g["linktrail"] = "/^([a-z]+)(.*)$/sD";
        g["legaltitlechars"] = LegalTitleChars;
        g["invalidusernamechars"] = "@:>=";
        r.SetBool(g, "allunicodefixes", false);
        r.SetBool(g, "fixarabicunicode", true);
        r.SetBool(g, "fixmalayalamunicode", true);
        g["case"] = "first-letter";
        g["lang"] = "en";
        g["fallback"] = new JsonArray();
        r.SetBool(g, "rtl", false);
        g["fallback8bitEncoding"] = "windows-1252";
        r.SetBool(g, "readonly", false);
        r.SetBool(g, "writeapi", true);
        g["maxarticlesize"] = EditLimits.MaxArticleBytes;
        g["timezone"] = "UTC";
        g["timeoffset"] = 0;
        g["articlepath"] = wiki.ArticlePath;
        g["scriptpath"] = wiki.ScriptPath;
        g["script"] = wiki.ScriptPath + "/index.php";

        // A META_BC_BOOLS key: false in both formats.
        g["variantarticlepath"] = false;
        g["server"] = wiki.Server;
        g["servername"] = wiki.ServerUri.Host;
        g["wikiid"] = wiki.Id;
        g["time"] = Timestamps.Iso(ctx.Now);
        r.SetBool(g, "misermode", false);
        r.SetBool(g, "uploadsenabled", false);
        g["maxuploadsize"] = 104857600;
        g["minuploadchunksize"] = 1024;
        var gallery = new JsonObject { ["imagesPerRow"] = 0, ["imageWidth"] = 120, ["imageHeight"] = 120 };
        r.SetBool(gallery, "captionLength", true);
        r.SetBool(gallery, "showBytes", true);
        r.SetBool(gallery, "showDimensions", true);
        gallery["mode"] = "traditional";
        g["galleryoptions"] = gallery;

        // 'BCassoc' lists: objects keyed "0", "1", ... in formatversion 2, plain lists in 1.
        int[] thumbs = [120, 150, 180, 200, 250, 300];
        (int W, int H)[] images = [(320, 240), (640, 480), (800, 600), (1024, 768), (1280, 1024), (2560, 2048)];
        g["thumblimits"] = fv2
            ? new JsonObject(thumbs.Select((t, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), (JsonNode?)t)))
            : new JsonArray([.. thumbs.Select(t => (JsonNode)t)]);
        var imageLimits = images.Select(l => new JsonObject { ["width"] = l.W, ["height"] = l.H }).ToList();
        g["imagelimits"] = fv2
            ? new JsonObject(imageLimits.Select((l, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), (JsonNode?)l)))
            : new JsonArray([.. imageLimits]);
        g["favicon"] = wiki.Server + "/favicon.ico";
        g["centralidlookupprovider"] = "local";
        g["allcentralidlookupproviders"] = new JsonArray("local");
        r.SetBool(g, "interwikimagic", true);

        // $wgEnableMagicLinks: all off; formatversion 1 drops the false values and prints an empty list.
        g["magiclinks"] = fv2 ? new JsonObject { ["ISBN"] = false, ["PMID"] = false, ["RFC"] = false } : new JsonArray();
        g["categorycollation"] = "uppercase";
        r.SetBool(g, "nofollowlinks", true);
        g["nofollownsexceptions"] = new JsonArray();
        g["nofollowdomainexceptions"] = new JsonArray("mediawiki.org");
        r.SetBool(g, "externallinktarget", false);
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
