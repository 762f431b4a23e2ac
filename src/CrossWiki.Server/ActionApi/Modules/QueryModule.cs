using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

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

    private JsonObject? _generatorContinue;

    /// <summary>Continuation parameters of the generator: it has more pages.</summary>
    public JsonObject GeneratorContinue => _generatorContinue ??= [];

    public bool HasGeneratorContinue => _generatorContinue is { Count: > 0 };

    /// <summary>Whether a prop module set continuation parameters (asked without creating the object).</summary>
    public bool HasPropContinue => _propContinue is { Count: > 0 };

    public bool HasOtherContinue => _otherContinue is { Count: > 0 };
}

/// <summary>The pages a generator lists: titles (prop generators: the pages linked to) or page ids (list generators).</summary>
internal sealed record GeneratedPages(IReadOnlyList<string> Titles, IReadOnlyList<int> PageIds);

/// <summary>A <c>meta</c>, <c>prop</c> or <c>list</c> module of action=query.</summary>
internal abstract class QuerySubmodule : ApiModule
{
    public abstract string Group { get; }

    public override string Path => field ??= "query+" + Name;

    /// <summary>The module's own prefix (<c>cm</c>); as a generator its parameters take a <c>g</c> before it.</summary>
    protected virtual string ModulePrefix => "";

    public sealed override string Prefix => field ??= (IsGenerator ? "g" : "") + ModulePrefix;

    /// <summary>Whether this instance runs as <c>generator=</c> (see <see cref="AsGenerator"/>).</summary>
    public bool IsGenerator { get; private set; }

    /// <summary>Whether the module can be a generator.</summary>
    public virtual bool CanGenerate => false;

    public override Task ExecuteAsync(ApiContext ctx) =>
        throw new InvalidOperationException("Query submodules run inside action=query.");

    public abstract Task ExecuteAsync(ApiContext ctx, QueryState state);

    /// <summary>As a generator: the pages it lists for the input pages of <paramref name="state"/>.</summary>
    public virtual Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        throw new InvalidOperationException($"{Name} is not a generator.");

    /// <summary>A second instance of the module for <c>generator=</c>, its parameters read with the <c>g</c> prefix.</summary>
    public QuerySubmodule AsGenerator()
    {
        var generator = (QuerySubmodule)Activator.CreateInstance(GetType())!;
        generator.IsGenerator = true;
        return generator;
    }

    /// <summary>
    /// A feed's continuation, <c>timestamp|id</c> (recent changes, logs, contributions); anything else is
    /// <c>badcontinue</c>, as MediaWiki's parseContinueParamOrDie.
    /// </summary>
    protected static (DateTime At, long Id) TimeContinuation(ApiContext ctx, string value)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Split('|') is [var stamp, var idText] && Timestamps.TryParse(stamp, ctx.Now, out var at)
            && long.TryParse(idText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return (at, id);
        }

        throw new ApiError("badcontinue", "Invalid continue param. You should pass the original value returned by the previous query.");
    }

    /// <summary>A <c>show</c> parameter with both values of one of the pairs is refused, as ApiBase refuses it.</summary>
    protected static void RequireExclusive(IEnumerable<string> show, params (string A, string B)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (a, b) in pairs)
        {
            if (show.Contains(a) && show.Contains(b))
            {
                throw new ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.");
            }
        }
    }

    /// <summary>The changes of the module's <c>user</c>, or all but those of its <c>excludeuser</c>.</summary>
    protected IQueryable<Storage.RecentChange> ByUser(ApiContext ctx, IQueryable<Storage.RecentChange> changes)
    {
        if (GetString(ctx, "user") is { } user)
        {
            var name = RecentChangesModule.UserName(user);
            changes = changes.Where(c => c.UserText == name);
        }

        if (GetString(ctx, "excludeuser") is { } excluded)
        {
            var name = RecentChangesModule.UserName(excluded);
            changes = changes.Where(c => c.UserText != name);
        }

        return changes;
    }

    /// <summary>
    /// One batch of a change feed (recentchanges, watchlist) between the module's <c>start</c> and <c>end</c>, from its
    /// <c>continue</c> on, newest first unless <paramref name="older"/> is false; where the next batch starts goes
    /// to the continuation as <c>timestamp|rcid</c>.
    /// </summary>
    protected async Task<List<Storage.RecentChange>> PageOfChangesAsync(ApiContext ctx, QueryState state, IQueryable<Storage.RecentChange> changes, bool older, int limit)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (GetTimestamp(ctx, "start") is { } start)
        {
            changes = older ? changes.Where(c => c.Timestamp <= start) : changes.Where(c => c.Timestamp >= start);
        }

        if (GetTimestamp(ctx, "end") is { } end)
        {
            changes = older ? changes.Where(c => c.Timestamp >= end) : changes.Where(c => c.Timestamp <= end);
        }

        if (GetString(ctx, "continue") is { } continuation)
        {
            var (at, id) = TimeContinuation(ctx, continuation);
            changes = older
                ? changes.Where(c => c.Timestamp < at || (c.Timestamp == at && c.Id <= id))
                : changes.Where(c => c.Timestamp > at || (c.Timestamp == at && c.Id >= id));
        }

        changes = older ? changes.OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id) : changes.OrderBy(c => c.Timestamp).ThenBy(c => c.Id);
        var rows = await changes.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = Timestamps.Mw(next.Timestamp) + "|" + next.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            rows.RemoveAt(limit);
        }

        return rows;
    }

    /// <summary>
    /// ApiQueryBase::getWatchlistUser: the owner named by <c>owner</c> with their <c>watchlisttoken</c>, else the
    /// logged-in user with viewmywatchlist; returns the user's id.
    /// </summary>
    protected static async Task<int> WatchlistUserAsync(ApiContext ctx, string? owner, string? token)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (owner is not null && token is not null)
        {
            var account = await ctx.Services.Users.FindByNameAsync(RecentChangesModule.UserName(owner), ctx.Aborted)
                ?? throw new ApiError("bad_wlowner", $"There is no user by the name \"{owner}\". Check your spelling.");
            var saved = await Accounts.PreferenceStore.GetAsync(ctx.Services.Db, ctx.Wiki.Id, account.Id, "watchlisttoken", ctx.Aborted);
            if (string.IsNullOrEmpty(saved) || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(saved), System.Text.Encoding.UTF8.GetBytes(token)))
            {
                throw new ApiError("bad_wltoken", "Incorrect watchlist token provided. Please set a correct token in Special:Preferences.");
            }

            return account.Id;
        }

        ApiWatchlist.RequireOwn(ctx, "viewmywatchlist", "view your watchlist");

        return ctx.User.Id;
    }

    /// <summary>The patrol flags are shown to those who may patrol; others asking for them get <c>permissiondenied</c>.</summary>
    protected static void RequirePatrolRight(ApiContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!ctx.User.HasRight("patrol") && !ctx.User.HasRight("patrolmarks"))
        {
            throw new ApiError("permissiondenied", "You need the patrol or patrolmarks right to request the patrolled flag.");
        }
    }

    /// <summary>
    /// A title parameter as a key of one namespace (<paramref name="namespaceName"/>, e.g. <c>Category</c>):
    /// spaces as underscores, first letter upper case, without the namespace's prefix; the text as it is
    /// (underscored) when it is no valid title.
    /// </summary>
    protected static string? KeyIn(ApiContext ctx, string namespaceName, string? text) =>
        TitlePart(string.IsNullOrWhiteSpace(text) ? null : Pages.TitleParser.Parse(namespaceName + ":" + text, ctx.Wiki.Namespaces).Title?.DbKey ?? text.Trim().Replace(' ', '_'), text);

    /// <summary>
    /// A title part (a prefix, from or to) as a key, refused as ApiQueryBase::titlePartToKey refuses one that no title
    /// can start with: longer than a title may be (<c>invalidtitle</c>), so the database never sees a pattern it refuses.
    /// </summary>
    protected static string? TitlePart(string? key, string? text) =>
        key is not null && System.Text.Encoding.UTF8.GetByteCount(key) > Pages.TitleParser.MaxTitleBytes ? throw new ApiError("invalidtitle", $"Bad title \"{text}\".") : key;

    /// <summary>Whether a user name prefix can begin any name (a longer one matches none: no query needed).</summary>
    protected static bool CanPrefixAName(string prefix) => System.Text.Encoding.UTF8.GetByteCount(prefix) <= Accounts.UserNames.MaxNameBytes;

    /// <summary>Where this module's continuation goes: the generator's, the prop modules' or the others'.</summary>
    protected JsonObject ContinueTarget(QueryState state) =>
        IsGenerator ? state.GeneratorContinue : Group == "prop" ? state.PropContinue : state.OtherContinue;
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
        new("generator", ApiParamType.Enum) { Values = [.. registry.Generators.Select(m => m.Name)], Help = "Get the list of pages to work on by executing the specified query module." },
        new("redirects", ApiParamType.Boolean) { Help = "Automatically resolve redirects." },
        new("converttitles", ApiParamType.Boolean) { Help = "Convert titles to other variants if necessary." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var meta = GetMulti(ctx, "meta");
        var prop = GetMulti(ctx, "prop");
        var list = GetMulti(ctx, "list");
        var redirects = GetBool(ctx, "redirects");
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

        var input = await PageSet.LoadAsync(ctx, titles, pageIds, revIds, redirects,
            withLatestRevisions: prop.Contains("revisions") && ctx.Request.Peek("generator") is null && RevisionsModule.ReadsLatestWithPages(ctx));
        var generator = GetString(ctx, "generator") is { } name ? registry.Generators.First(m => m.Name == name) : null;
        JsonObject? generatorContinue = null;
        if (generator is not null)
        {
            // The generator lists pages (of the input set, for a prop generator); they are the set the others work on.
            var generating = new QueryState(input);
            ctx.ModulePath = generator.Path;
            var generated = await generator.GenerateAsync(ctx, generating);
            ctx.ModulePath = Path;
            generatorContinue = generating.HasGeneratorContinue ? generating.GeneratorContinue : null;
            input = await PageSet.LoadGeneratedAsync(ctx, generated, redirects);
        }

        var state = new QueryState(input);
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
        // batchcomplete means every prop module is done with this set of pages. While they are not, the
        // generator's continuation stays the one of this request, so that the same pages come again.
        var generatorPart = state.HasPropContinue ? RequestedContinue(ctx, generator) : generatorContinue;
        if (state.HasPropContinue || state.HasOtherContinue || generatorPart is not null)
        {
            var cont = new JsonObject();
            foreach (var (k, v) in state.PropContinue.Concat(state.OtherContinue).Concat(generatorPart ?? []).ToList())
            {
                cont[k] = v?.DeepClone();
            }

            var generatorDone = !state.HasPropContinue && generatorPart is null;
            cont["continue"] = (generatorDone ? "-" : string.Join('|', (generatorPart ?? []).Select(p => p.Key))) + "||";
            ctx.Result.AddOnTop("continue", cont);
        }

        if (!state.HasPropContinue)
        {
            ctx.Result.AddOnTop("batchcomplete", ctx.Result.FormatVersion == 2 ? true : "");
        }
    }

    /// <summary>The generator's continuation as this request gave it (<c>gcmcontinue=...</c>), or null.</summary>
    private static JsonObject? RequestedContinue(ApiContext ctx, QuerySubmodule? generator) =>
        generator is not null && ctx.Request.Peek(generator.Prefix + "continue") is { } value
            ? new JsonObject { [generator.Prefix + "continue"] = value }
            : null;

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
