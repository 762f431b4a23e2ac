using CrossWiki.Server.ActionApi.Modules;

namespace CrossWiki.Server.ActionApi;

/// <summary>The module tree of api.php: actions, and the query submodules by group.</summary>
internal sealed class ApiModuleRegistry
{
    public ApiModuleRegistry()
    {
        Query = new QueryModule(this);
        QueryModules =
        [
            new SiteInfoModule(), new UserInfoModule(), new TokensModule(),
            new RevisionsModule(), new DeletedRevisionsModule(), new InfoModule(), new PageCategoriesModule(), new PageLinksModule(), new PageTemplatesModule(),
            new PageImagesModule(), new ExternalLinksModule(), new LinksHereModule(), new TranscludedInModule(), new FileUsageModule(),
            new PageRedirectsModule(), new CategoryInfoModule(), new PagePropsModule(), new ContributorsModule(),
            new AllCategoriesModule(), new AllLinksModule(), new AllTransclusionsModule(), new AllFileUsagesModule(), new AllRedirectsModule(),
            new PrefixSearchModule(), new SearchModule(), new RandomModule(), new PagesWithPropModule(), new PagePropNamesModule(), new UsersModule(), new AllUsersModule(), new AllMessagesModule(), new ImageInfoModule(), new StashImageInfoModule(), new RecentChangesModule(), new LogEventsModule(), new UserContribsModule(), new WatchlistModule(), new WatchlistRawModule(), new FileRepoInfoModule(), new AllImagesModule(),
            new AllPagesModule(), new BacklinksModule(), new EmbeddedInModule(), new ImageUsageModule(), new CategoryMembersModule(),
        ];
        Actions = new ApiModule[]
        {
            Query, new LoginModule(), new ClientLoginModule(), new LogoutModule(), new EditModule(),
            new OptionsModule(), new ParseModule(), new ExpandTemplatesModule(), new ParamInfoModule(this), new HelpModule(this), new CentralAuthTokenModule(), new OpenSearchModule(), new UploadModule(), new CompareModule(), new WatchModule(), new PurgeModule(),
            new MoveModule(), new DeleteModule(), new UndeleteModule(), new ProtectModule(), new RollbackModule(), new BlockModule(), new UnblockModule(),
            new CreateAccountModule(), new UserRightsModule(), new SetNotificationTimestampModule(),
        }.ToDictionary(m => m.Name, StringComparer.Ordinal);
        Main = new MainModule(this);
    }

    /// <summary>api.php's own module: its parameters and the checks before an action runs.</summary>
    public MainModule Main { get; }

    public IReadOnlyDictionary<string, ApiModule> Actions { get; }

    public QueryModule Query { get; }

    public IReadOnlyList<QuerySubmodule> QueryModules { get; }

    /// <summary>The modules that can be <c>generator=</c>, as their generator instances (<c>g</c>-prefixed parameters).</summary>
    public IReadOnlyList<QuerySubmodule> Generators => field ??= [.. QueryModules.Where(m => m.CanGenerate).Select(m => m.AsGenerator())];

    public IEnumerable<QuerySubmodule> Group(string group) => QueryModules.Where(m => m.Group == group);

    /// <summary>Finds a module by its path (<c>main</c>, <c>edit</c>, <c>query+tokens</c>, <c>query+revisions</c>).</summary>
    public ApiModule? ByPath(string path)
    {
        if (path == Main.Path)
        {
            return Main;
        }

        if (Actions.TryGetValue(path, out var action))
        {
            return action;
        }

        return path.StartsWith("query+", StringComparison.Ordinal)
            ? QueryModules.FirstOrDefault(m => m.Name == path["query+".Length..])
            : null;
    }
}
