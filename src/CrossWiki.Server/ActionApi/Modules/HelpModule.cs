using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>action=help (also what api.php shows without an action): the modules and their parameters.</summary>
internal sealed class HelpModule(ApiModuleRegistry registry) : ApiModule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "help";

    public override bool IsReadMode => false;

    public override string Description => "Display help for the specified modules.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("modules") { Multi = true, Default = "main", Help = "Modules to display help for (values of the action and format parameters, or main)." },
        new("submodules", ApiParamType.Boolean) { Help = "Include help for submodules of the named module." },
        new("recursivesubmodules", ApiParamType.Boolean) { Help = "Include help for submodules recursively." },
        new("wrap", ApiParamType.Boolean) { Help = "Wrap the output in a standard API response structure." },
        new("toc", ApiParamType.Boolean) { Help = "Include a table of contents in the HTML output." },
    ];

    public override Task ExecuteAsync(ApiContext ctx)
    {
        GetBool(ctx, "submodules");
        GetBool(ctx, "recursivesubmodules");
        GetBool(ctx, "wrap");
        GetBool(ctx, "toc");
        var requested = GetMulti(ctx, "modules");
        var modules = requested.Contains("main")
            ? new ApiModule[] { registry.Main }.Concat(registry.Actions.Values).Concat(registry.QueryModules)
            : requested.Select(registry.ByPath).OfType<ApiModule>();
        var enc = HtmlEncoder.Default;
        var html = new StringBuilder("<div class=\"apihelp\"><h1>")
            .Append(enc.Encode(ctx.Wiki.Sitename)).Append(" API</h1><p>This is a MediaWiki-compatible Action API. Besides the parameters of <code>main</code> below, the JSON printer takes <code>formatversion=1|2</code>, <code>utf8</code>, <code>ascii</code> and <code>callback</code>.</p>");
        foreach (var m in modules)
        {
            html.Append("<h2 id=\"").Append(enc.Encode(m.Path)).Append("\">").Append(enc.Encode(m.Path)).Append("</h2><p>")
                .Append(enc.Encode(m.Description)).Append("</p><dl>");
            foreach (var p in m.Parameters)
            {
                html.Append("<dt>").Append(enc.Encode(m.Prefix + p.Name)).Append("</dt><dd>").Append(enc.Encode(p.Help)).Append("</dd>");
            }

            html.Append("</dl>");
        }

        html.Append("</div>");
        ctx.Result.Data["help"] = new JsonObject { ["mime"] = "text/html", ["help"] = html.ToString() };
        return Task.CompletedTask;
    }
}
