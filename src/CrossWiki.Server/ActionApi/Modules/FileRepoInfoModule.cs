using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// meta=filerepoinfo (ApiQueryFileRepoInfo): the wiki's file repositories with the properties of
/// <c>friprop</c>, which the upload dialog and <c>mw.ForeignUpload</c> read to find where to upload
/// (<c>scriptDirUrl</c>) and whether they may (<c>canUpload</c>). This wiki has its local repository.
/// </summary>
internal sealed class FileRepoInfoModule : QuerySubmodule
{
    private static readonly string[] Props = ["canUpload", "descBaseUrl", "displayname", "favicon", "initialCapital", "local", "name", "rootUrl", "scriptDirUrl", "thumbUrl", "url"];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "filerepoinfo";

    public override string Group => "meta";

    protected override string ModulePrefix => "fri";

    public override string Description => "Return meta information about image repositories configured on the wiki.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = string.Join('|', Props), Help = "Which repository properties to get." },
    ];

    public override Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var wiki = ctx.Wiki;
        var root = wiki.Server + wiki.UploadPath;
        var repo = new JsonObject();
        void Put(string name, JsonNode? value)
        {
            if (props.Contains(name))
            {
                repo[name] = value;
            }
        }

        // ApiQueryFileRepoInfo's order: the repository's own info, then canUpload.
        Put("name", "local");
        Put("displayname", wiki.Sitename);
        Put("rootUrl", root);
        if (props.Contains("local"))
        {
            ctx.Result.SetFlag(repo, "local", true);
        }

        Put("url", root);
        Put("thumbUrl", root + "/thumb");
        if (props.Contains("initialCapital"))
        {
            ctx.Result.SetFlag(repo, "initialCapital", true);
        }

        Put("descBaseUrl", wiki.Server + wiki.ArticleUrl(wiki.Namespaces[NamespaceTable.File].Name + ":"));
        Put("scriptDirUrl", wiki.Server + wiki.ScriptPath);
        Put("favicon", wiki.Server + "/favicon.ico");
        if (props.Contains("canUpload"))
        {
            ctx.Result.SetFlag(repo, "canUpload", true);
        }

        state.Query["repos"] = new JsonArray(repo);
        return Task.CompletedTask;
    }
}
