using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>action=paraminfo: the declared parameters of modules, in MediaWiki's shape (helpformat=none).</summary>
internal sealed class ParamInfoModule(ApiModuleRegistry registry) : ApiModule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    /// <summary>The PHP classes MediaWiki reports for the modules this server implements.</summary>
    private static readonly Dictionary<string, string> ClassNames = new(StringComparer.Ordinal)
    {
        ["main"] = "ApiMain", ["query"] = "ApiQuery", ["login"] = "ApiLogin", ["clientlogin"] = "ApiClientLogin", ["logout"] = "ApiLogout",
        ["edit"] = "ApiEditPage", ["options"] = "ApiOptions", ["parse"] = "ApiParse", ["expandtemplates"] = "ApiExpandTemplates", ["paraminfo"] = "ApiParamInfo",
        ["help"] = "ApiHelp", ["query+siteinfo"] = "ApiQuerySiteinfo", ["query+userinfo"] = "ApiQueryUserInfo",
        ["query+tokens"] = "ApiQueryTokens", ["query+revisions"] = "ApiQueryRevisions", ["query+info"] = "ApiQueryInfo",
        ["query+allpages"] = "ApiQueryAllPages", ["query+categories"] = "ApiQueryCategories", ["query+links"] = "ApiQueryLinks",
        ["query+backlinks"] = "ApiQueryBacklinks", ["query+categorymembers"] = "ApiQueryCategoryMembers", ["query+templates"] = "ApiQueryLinks",
        ["query+embeddedin"] = "ApiQueryBacklinks", ["query+imageusage"] = "ApiQueryBacklinks",
    };

    public override string Name => "paraminfo";

    public override bool IsReadMode => false;

    public override string Description => "Obtain information about API modules.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("modules") { Multi = true, Help = "List of module names (values of the action and format parameters, or main)." },
        new("helpformat", ApiParamType.Enum) { Values = ["html", "none", "raw", "wikitext"], Default = "none", Help = "Format of help strings." },
        new("querymodules") { Multi = true, Help = "Deprecated: list of query module names." },
        new("mainmodule", ApiParamType.Boolean) { Help = "Deprecated: get information about the main module." },
        new("pagesetmodule", ApiParamType.Boolean) { Help = "Deprecated: get information about the pageset module." },
        new("formatmodules") { Multi = true, Help = "Deprecated: list of format module names." },
    ];

    public override Task ExecuteAsync(ApiContext ctx)
    {
        var helpFormat = GetString(ctx, "helpformat");
        GetBool(ctx, "mainmodule");
        GetBool(ctx, "pagesetmodule");
        GetMulti(ctx, "formatmodules");
        var paths = GetMulti(ctx, "modules").Concat(GetMulti(ctx, "querymodules").Select(m => "query+" + m)).ToList();
        var modules = new JsonArray();
        foreach (var path in paths)
        {
            if (registry.ByPath(path) is not { } module)
            {
                ctx.Result.Warn(Path, "invalidmodule", $"Module \"{path}\" not found.");
                continue;
            }

            modules.Add(Describe(ctx, module, helpFormat != "none"));
        }

        ctx.Result.Data["paraminfo"] = new JsonObject { ["modules"] = modules };
        return Task.CompletedTask;
    }

    private static JsonObject Describe(ApiContext ctx, ApiModule module, bool withHelp)
    {
        var r = ctx.Result;
        var group = module is QuerySubmodule q ? q.Group : "action";
        var o = new JsonObject
        {
            ["name"] = module.Name,
            ["classname"] = ClassNames.GetValueOrDefault(module.Path, "CrossWiki." + module.GetType().Name),
            ["path"] = module.Path,
            ["group"] = group,
            ["prefix"] = module.Prefix,
            ["source"] = "MediaWiki",
            ["sourcename"] = "MediaWiki",
            ["licensetag"] = "GPL-2.0-or-later",
            ["licenselink"] = ctx.Wiki.Server + ctx.Wiki.ArticleUrl("Special:Version/License/MediaWiki"),
        };
        if (withHelp)
        {
            o["description"] = module.Description;
        }

        r.SetFlag(o, "readrights", module.IsReadMode);
        r.SetFlag(o, "writerights", module.IsWriteMode);
        r.SetFlag(o, "mustbeposted", module.MustBePosted);
        o["helpurls"] = module.Path == "edit" ? new JsonArray("https://www.mediawiki.org/wiki/Special:MyLanguage/API:Edit") : new JsonArray();
        var parameters = new JsonArray();
        var index = 1;
        foreach (var p in module.Parameters)
        {
            var po = new JsonObject { ["index"] = index++, ["name"] = p.Name };
            if (withHelp)
            {
                po["description"] = p.Help;
            }

            po["type"] = p.Type switch
            {
                ApiParamType.Enum when p.Values is { } values => new JsonArray([.. values.Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]),
                ApiParamType.Integer => "integer",
                ApiParamType.Limit => "limit",
                ApiParamType.Boolean => "boolean",
                ApiParamType.Timestamp => "timestamp",
                ApiParamType.Title => "title",
                ApiParamType.User => "user",
                ApiParamType.Password => "password",
                ApiParamType.Text => "text",
                ApiParamType.Upload => "upload",
                _ => "string",
            };
            r.SetBool(po, "required", p.Required);
            if (p.Name == "token")
            {
                r.SetFlag(po, "sensitive", true);
            }

            if (p.Default is { } d && p.Type != ApiParamType.Boolean)
            {
                po["default"] = p.Type is ApiParamType.Integer or ApiParamType.Limit && int.TryParse(d, out var di) ? di : d;
            }

            r.SetBool(po, "multi", p.Multi);
            if (p.Multi)
            {
                po["lowlimit"] = 50;
                po["highlimit"] = 500;
                po["limit"] = ctx.User.HasRight("apihighlimits") ? 500 : 50;
            }

            if (p.Min is { } min)
            {
                po["min"] = min;
            }

            if (p.Max is { } max)
            {
                po["max"] = max;
                if (p.HighMax is { } hm && hm > max)
                {
                    po["highmax"] = hm;
                }
            }

            if (p.TokenType is { } tt)
            {
                po["tokentype"] = tt;
            }

            parameters.Add(po);
        }

        o["parameters"] = parameters;
        o["templatedparameters"] = new JsonArray();
        return o;
    }
}
