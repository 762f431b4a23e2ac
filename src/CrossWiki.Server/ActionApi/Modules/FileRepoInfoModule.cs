using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// meta=filerepoinfo (ApiQueryFileRepoInfo): the wiki's file repositories with the properties of
/// <c>friprop</c>, which the upload dialog and <c>mw.ForeignUpload</c> read to find where to upload
/// (<c>scriptDirUrl</c>) and whether they may (<c>canUpload</c>): the local repository, and the farm's shared one
/// (<c>Farm:SharedRepository</c>) as <c>shared</c>.
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
        var repos = new JsonArray(Describe(ctx, props, ctx.Wiki, "local"));
        if (ctx.Services.Files.SharedRepositoryFor(ctx.Wiki) is { } shared)
        {
            repos.Add(Describe(ctx, props, shared, "shared"));
        }

        state.Query["repos"] = repos;
        return Task.CompletedTask;
    }

    /// <summary>One repository in ApiQueryFileRepoInfo's order: its own info, then canUpload.</summary>
    private static JsonObject Describe(ApiContext ctx, HashSet<string> props, Farm.Wiki wiki, string name)
    {
        var root = wiki.Server + wiki.UploadPath;
        var repo = new JsonObject();
        void Put(string key, JsonNode? value)
        {
            if (props.Contains(key))
            {
                repo[key] = value;
            }
        }

        void Flag(string key, bool value)
        {
            if (props.Contains(key))
            {
                ctx.Result.SetBool(repo, key, value);
            }
        }

        Put("name", name);
        Put("displayname", wiki.Sitename);
        Put("rootUrl", root);
        Flag("local", name == "local");
        Put("url", root);
        Put("thumbUrl", root + "/thumb");
        Flag("initialCapital", true);
        Put("descBaseUrl", wiki.Server + wiki.ArticleUrl(wiki.Namespaces[NamespaceTable.File].Name + ":"));
        Put("scriptDirUrl", wiki.Server + wiki.ScriptPath);
        Put("favicon", wiki.Server + "/favicon.ico");
        Flag("canUpload", true);
        return repo;
    }
}
