using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>The state of one action=query run: the page set and the <c>query</c> object modules fill.</summary>
internal sealed class QueryState(PageSet pages)
{
    public PageSet Pages { get; } = pages;

    public JsonObject Query { get; } = [];

    private JsonObject? _propContinue;
    private JsonObject? _otherContinue;

    /// <summary>Continuation parameters of prop modules: the batch of pages is not complete.</summary>
    public JsonObject PropContinue => _propContinue ??= [];

    /// <summary>Continuation parameters of list and meta modules.</summary>
    public JsonObject OtherContinue => _otherContinue ??= [];

    /// <summary>Whether a prop module set continuation parameters (asked without creating the object).</summary>
    public bool HasPropContinue => _propContinue is { Count: > 0 };

    public bool HasOtherContinue => _otherContinue is { Count: > 0 };
}

/// <summary>A <c>meta</c>, <c>prop</c> or <c>list</c> module of action=query.</summary>
internal abstract class QuerySubmodule : ApiModule
{
    public abstract string Group { get; }

    public override string Path => field ??= "query+" + Name;

    public override Task ExecuteAsync(ApiContext ctx) =>
        throw new InvalidOperationException("Query submodules run inside action=query.");

    public abstract Task ExecuteAsync(ApiContext ctx, QueryState state);
}

/// <summary>action=query: resolves titles/pageids/revids, runs the meta, prop and list modules, continuation.</summary>
internal sealed class QueryModule(ApiModuleRegistry registry) : ApiModule
{
    private IReadOnlyList<ApiParam>? _parameters;

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "query";

    public override string Description => "Fetch data from and about MediaWiki.";

    public override IReadOnlyList<ApiParam> Parameters => _parameters ??=
    [
        new("prop", ApiParamType.Enum) { Multi = true, Values = [.. registry.Group("prop").Select(m => m.Name)], Help = "Which properties to get for the queried pages." },
        new("list", ApiParamType.Enum) { Multi = true, Values = [.. registry.Group("list").Select(m => m.Name)], Help = "Which lists to get." },
        new("meta", ApiParamType.Enum) { Multi = true, Values = [.. registry.Group("meta").Select(m => m.Name)], Help = "Which metadata to get." },
        new("indexpageids", ApiParamType.Boolean) { Help = "Include an additional pageids section listing all returned page IDs." },
        new("export", ApiParamType.Boolean) { Help = "Not supported; accepted for compatibility." },
        new("exportnowrap", ApiParamType.Boolean) { Help = "Not supported; accepted for compatibility." },
        new("iwurl", ApiParamType.Boolean) { Help = "Whether to get the full URL if the title is an interwiki link." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("rawcontinue", ApiParamType.Boolean) { Help = "Return raw query-continue data for continuation." },
        new("titles") { Multi = true, Help = "A list of titles to work on." },
        new("pageids", ApiParamType.Integer) { Multi = true, Help = "A list of page IDs to work on." },
        new("revids", ApiParamType.Integer) { Multi = true, Help = "A list of revision IDs to work on." },
        new("redirects", ApiParamType.Boolean) { Help = "Automatically resolve redirects." },
        new("converttitles", ApiParamType.Boolean) { Help = "Convert titles to other variants if necessary." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var meta = GetMulti(ctx, "meta");
        var prop = GetMulti(ctx, "prop");
        var list = GetMulti(ctx, "list");
        GetBool(ctx, "redirects");
        GetBool(ctx, "converttitles");
        GetBool(ctx, "rawcontinue");
        GetBool(ctx, "iwurl");
        GetBool(ctx, "export");
        GetBool(ctx, "exportnowrap");
        GetString(ctx, "continue");
        var indexPageIds = GetBool(ctx, "indexpageids");

        var titles = GetMulti(ctx, "titles");
        var pageIds = ParseIds(ctx, "pageids");
        var revIds = ParseIds(ctx, "revids");
        var given = (titles.Count > 0 ? 1 : 0) + (pageIds.Count > 0 ? 1 : 0) + (revIds.Count > 0 ? 1 : 0);
        if (given > 1)
        {
            throw new ApiError("multisource", "Cannot use more than one of titles, pageids and revids.");
        }

        // The answer is as cacheable as its least cacheable submodule.
        var modules = new List<QuerySubmodule>(prop.Count + list.Count + meta.Count);
        AddSubmodules(modules, "prop", prop);
        AddSubmodules(modules, "list", list);
        AddSubmodules(modules, "meta", meta);
        var cacheMode = ApiCacheMode.Public;
        foreach (var module in modules)
        {
            cacheMode = module.CacheMode > cacheMode ? module.CacheMode : cacheMode;
        }

        ctx.Result.CacheMode = cacheMode;

        var state = new QueryState(await PageSet.LoadAsync(ctx, titles, pageIds, revIds));
        state.Pages.WriteGeneral(ctx, state.Query, indexPageIds);
        foreach (var submodule in modules)
        {
            ctx.ModulePath = submodule.Path;
            await submodule.ExecuteAsync(ctx, state);
            ctx.ModulePath = Path;
        }

        state.Pages.Finish(ctx, state.Query);
        if (state.Query.Count > 0)
        {
            ctx.Result.Data["query"] = state.Query;
        }

        // ApiContinuationManager::setContinuationIntoResult: continue, then batchcomplete, each added on top.
        // batchcomplete means every prop module is done with this set of pages.
        if (state.HasPropContinue || state.HasOtherContinue)
        {
            var cont = new JsonObject();
            foreach (var (k, v) in state.PropContinue.Concat(state.OtherContinue).ToList())
            {
                cont[k] = v?.DeepClone();
            }

            cont["continue"] = state.HasPropContinue ? "||" : "-||";
            ctx.Result.AddOnTop("continue", cont);
        }

        if (!state.HasPropContinue)
        {
            ctx.Result.AddOnTop("batchcomplete", ctx.Result.FormatVersion == 2 ? true : "");
        }
    }

    private void AddSubmodules(List<QuerySubmodule> modules, string group, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            foreach (var module in registry.QueryModules)
            {
                if (module.Group == group && module.Name == name)
                {
                    modules.Add(module);
                    break;
                }
            }
        }
    }

    private IReadOnlyList<int> ParseIds(ApiContext ctx, string name)
    {
        var values = GetMulti(ctx, name);
        if (values.Count == 0)
        {
            return Array.Empty<int>();
        }

        var ids = new List<int>(values.Count);
        foreach (var raw in values)
        {
            if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                throw ApiError.BadInteger(name, raw);
            }

            ids.Add(id);
        }

        return ids;
    }
}
