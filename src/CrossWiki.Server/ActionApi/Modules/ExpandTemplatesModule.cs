using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Pages.Wikitext;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>action=expandtemplates: the wikitext with its templates, parser functions and magic words expanded (ApiExpandTemplates).</summary>
internal sealed class ExpandTemplatesModule : ApiModule
{
    private static readonly string[] Props =
        ["wikitext", "categories", "properties", "volatile", "ttl", "modules", "jsconfigvars", "encodedjsconfigvars"];

    public override ApiCacheMode CacheMode => ApiCacheMode.AnonPublicUserPrivate;

    public override string Name => "expandtemplates";

    public override string Description => "Expands all templates within wikitext.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title") { Help = "Title of the page." },
        new("text", ApiParamType.Text) { Required = true, Help = "Wikitext to convert." },
        new("revid", ApiParamType.Integer) { Help = "Revision ID, for {{REVISIONID}} and similar variables." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Help = "Which pieces of information to get." },
        new("includecomments", ApiParamType.Boolean) { Help = "Whether to include HTML comments in the output." },
        new("showstrategykeys", ApiParamType.Boolean) { Help = "Whether to include internal merge strategy information in jsconfigvars." },
        new("generatexml", ApiParamType.Boolean) { Help = "Generate XML parse tree (replaced by prop=parsetree)." },
        new("templatesandboxprefix") { Multi = true, Help = "Template sandbox prefix." },
        new("templatesandboxtitle") { Help = "Parse the page using templatesandboxtext in place of the contents of the page named here." },
        new("templatesandboxtext", ApiParamType.Text) { Help = "Parse the page using this page content in place of the page named by templatesandboxtitle." },
        new("templatesandboxcontentmodel") { Help = "Content model of templatesandboxtext." },
        new("templatesandboxcontentformat") { Help = "Content format of templatesandboxtext." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var titleParam = GetString(ctx, "title");
        var text = GetString(ctx, "text") ?? "";
        var revId = GetInt(ctx, "revid");
        var propGiven = ctx.Request.Peek("prop") is not null;
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var includeComments = GetBool(ctx, "includecomments");
        GetBool(ctx, "showstrategykeys");
        if (GetBool(ctx, "generatexml") && propGiven)
        {
            throw new ApiError("invalidparammix", "The parameters \"prop\" and \"generatexml\" can not be used together.");
        }

        if (!propGiven)
        {
            ctx.Result.Deprecate(Path, "deprecation-missingparam",
                "Because \"prop\" was not specified, a legacy format has been used for the output. This format is deprecated, and in the future the new format will always be used.");
        }

        var title = TitleParser.Parse(titleParam ?? "API", ctx.Wiki.Namespaces).Title is { Namespace: >= NamespaceTable.Special } t
            ? t
            : throw new ApiError("invalidtitle", $"Bad title \"{titleParam}\".");
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var page = new ExpansionPage(title, ctx.Services.Time.GetUtcNow())
        {
            Mode = ExpansionMode.Preprocess,
            IncludeComments = includeComments,
            RevisionId = revId,
            RevisionUser = ctx.User.Name,
        };
        if (revId is { } id)
        {
            var rev = await Storage.PageReads.RevisionByIdAsync(db, ctx.Wiki.Id, id, ctx.Aborted)
                ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {id}.");
            var revTitle = await Storage.PageReads.TitleOfRevisionAsync(db, ctx.Wiki.Namespaces, rev, ctx.Aborted);
            if (titleParam is not null && revTitle.PrefixedText != title.PrefixedText)
            {
                ctx.Result.Warn(Path, "revwrongpage", $"r{id} is not a revision of {title.PrefixedText}.");
            }

            page = page with
            {
                Title = revTitle,
                PageId = rev.PageId,
                RevisionTimestamp = new DateTimeOffset(DateTime.SpecifyKind(rev.Timestamp, DateTimeKind.Utc)),
                RevisionUser = rev.UserText,
            };
        }

        var expansion = await TemplateExpansion.ExpandAsync(db, ctx.Wiki, page, text, ctx.Aborted);
        var r = ctx.Result;
        var o = new JsonObject();
        r.Data["expandtemplates"] = o;
        if (!propGiven)
        {
            o[r.FormatVersion == 2 ? "wikitext" : "*"] = expansion.Text;
            return;
        }

        if (props.Contains("categories") && expansion.TrackingCategories.Count > 0)
        {
            o["categories"] = new JsonArray([.. expansion.TrackingCategories.Select(c => (JsonNode)(r.FormatVersion == 2
                ? new JsonObject { ["sortkey"] = expansion.DefaultSort ?? "", ["category"] = c }
                : new JsonObject { ["sortkey"] = expansion.DefaultSort ?? "", ["*"] = c }))]);
        }

        if (props.Contains("properties"))
        {
            var properties = new List<(string Name, string Value)>();
            if (expansion.DefaultSort is { } sort)
            {
                properties.Add(("defaultsort", sort));
            }

            if (expansion.DisplayTitle is { } display)
            {
                properties.Add(("displaytitle", display));
            }

            if (properties.Count > 0)
            {
                if (r.FormatVersion == 2)
                {
                    var p = new JsonObject();
                    foreach (var (name, value) in properties)
                    {
                        p[name] = value;
                    }

                    o["properties"] = p;
                }
                else
                {
                    o["properties"] = new JsonArray([.. properties.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["*"] = p.Value })]);
                }
            }
        }

        if (props.Contains("volatile"))
        {
            r.SetBool(o, "volatile", expansion.Volatile);
        }

        if (props.Contains("ttl") && expansion.CacheTtl is { } ttl)
        {
            o["ttl"] = ttl;
        }

        if (props.Contains("wikitext"))
        {
            o["wikitext"] = expansion.Text;
        }

        if (props.Contains("modules"))
        {
            o["modules"] = new JsonArray();
            o["modulescripts"] = new JsonArray();
            o["modulestyles"] = new JsonArray();
        }

        if (props.Contains("jsconfigvars"))
        {
            o["jsconfigvars"] = new JsonObject();
        }

        if (props.Contains("encodedjsconfigvars"))
        {
            o["encodedjsconfigvars"] = "[]";
        }

        if (props.Contains("modules") && !props.Contains("jsconfigvars") && !props.Contains("encodedjsconfigvars"))
        {
            r.Warn(Path, "moduleswithoutvars",
                "Property \"modules\" was set but not \"jsconfigvars\" or \"encodedjsconfigvars\". Configuration variables are necessary for proper module usage.");
        }
    }
}
