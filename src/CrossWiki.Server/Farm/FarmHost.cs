using System.Security.Cryptography;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.CentralAuth;
using CrossWiki.Server.ActionApi;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Rest;
using CrossWiki.Server.Web;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Farm;

/// <summary>Builds the farm's web application: configuration, validation, services, middleware and routes.</summary>
internal static partial class FarmHost
{
    /// <summary>Thrown when the farm file has errors; the message lists every one with its key path.</summary>
    internal sealed class InvalidFarmException(IReadOnlyList<string> errors)
        : Exception("The farm configuration is invalid:\n  " + string.Join("\n  ", errors))
    {
        public IReadOnlyList<string> Errors { get; } = errors;
    }

    /// <summary>
    /// Creates the application. The farm comes from <paramref name="farmFile"/> (JSON), else from
    /// <paramref name="farmSettings"/> (configuration keys, as tests give them), else the demo farm;
    /// environment variables and the command line win over it. <paramref name="listen"/>, when set, chooses
    /// Kestrel's endpoints instead of the wikis' ports: tests hand it sockets they bound to port 0 before
    /// the farm settings named those ports, so no other process can take a port between choice and bind.
    /// </summary>
    public static WebApplication Build(
        string[] args,
        string? farmFile,
        IReadOnlyDictionary<string, string?>? farmSettings = null,
        Action<IServiceCollection>? configureServices = null,
        Action<IWebHostBuilder>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Clear();
        if (farmFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(farmFile), optional: false);
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(farmSettings ?? DemoFarm.Settings);
        }

        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);

        var validation = FarmValidator.Validate(builder.Configuration.GetSection("Farm"));
        if (validation.Farm is not { } farm)
        {
            throw new InvalidFarmException(validation.Errors);
        }

        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("CrossWiki", LogLevel.Information);

        // Hosting logs only request start and end (Information); left on, it also makes an Activity and a
        // logging scope for every request, which no one here reads.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (listen is not null)
        {
            listen(builder.WebHost);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            // Listen on every port a wiki names; the Host header picks the wiki (design.md, Farm file).
            builder.WebHost.UseUrls([.. farm.Wikis.Select(w => $"{w.ServerUri.Scheme}://{(w.ServerUri.IsLoopback ? "localhost" : "*")}:{w.ServerUri.Port}").Distinct()]);
        }

        // https wikis take their certificate from Kestrel's configuration (Kestrel:Certificates:Default).
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = ApiRequest.MaxBodyBytes;

            // PHP reads query strings of any length; long GET requests (many titles, long text) must reach
            // api.php and get its answer rather than a bare 414. Still bounded.
            k.Limits.MaxRequestLineSize = 256 * 1024;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(f =>
        {
            f.ValueLengthLimit = (int)ApiRequest.MaxBodyBytes;
            f.MultipartBodyLengthLimit = ApiRequest.MaxBodyBytes;
        });

        Storage.DataFolder.Create(farm.DataDirectory);
        builder.Services.AddSingleton(farm);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache();
        if (farm.Redis is { } redis)
        {
            // Sessions and centralauthtokens shared by every node of the farm (README, several nodes).
            builder.Services.AddStackExchangeRedisCache(o => o.Configuration = redis);
            builder.Services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(redis));
            builder.Services.AddSingleton<OneTimeStore, RedisOneTimeStore>();
        }
        else
        {
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddSingleton<OneTimeStore, MemoryOneTimeStore>();
        }

        if (farm.Database.Provider == "postgres")
        {
            // Pooled: a request's context is reset and reused rather than built from the options each time.
            builder.Services.AddPooledDbContextFactory<WikiDbContext>(o => StorageSetup.Configure(o, farm));

            // PostgreSQL takes concurrent writers itself; the concurrency token catches the races.
            builder.Services.AddSingleton(WriteGate.None);
        }
        else
        {
            // Contexts are reused with their SQLite connection open (see WikiDbContextFactory), and the
            // factory's gate lets this process's writers into SQLite's single writer slot in turn.
            builder.Services.AddSingleton(sp => new WikiDbContextFactory(StorageSetup.SqliteConnectionString(farm), sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddSingleton<IDbContextFactory<WikiDbContext>>(sp => sp.GetRequiredService<WikiDbContextFactory>());
            builder.Services.AddSingleton(sp => sp.GetRequiredService<WikiDbContextFactory>().Writes);
        }

        builder.Services.AddSingleton<PageChanges>();
        builder.Services.AddSingleton<PageEditor>();
        builder.Services.AddSingleton<PageAdmin>();
        builder.Services.AddSingleton<BlockList>();
        builder.Services.AddSingleton<AccountAdmin>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton<Files.IFileStore>(_ => farm.S3Store is { } s3 ? new Files.S3FileStore(s3) : new Files.LocalFileStore(Path.Combine(farm.DataDirectory, "images")));
        builder.Services.AddSingleton<Files.FileRepository>();
        builder.Services.AddSingleton<Files.Uploader>();
        builder.Services.AddSingleton<Files.FileServer>();
        builder.Services.AddSingleton<Files.Thumbnails>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<Throttler>();
        if (farm.Redis is null)
        {
            builder.Services.AddSingleton<IThrottleCounters, MemoryThrottleCounters>();
        }
        else
        {
            builder.Services.AddSingleton<IThrottleCounters, RedisThrottleCounters>();
        }

        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<CentralAuthTokens>();
        builder.Services.AddSingleton(sp => new TokenService(farm.TokenSecret ?? LoadSecret(sp.GetRequiredService<IDbContextFactory<WikiDbContext>>()), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ApiModuleRegistry>();
        builder.Services.AddSingleton<ApiServices>();
        builder.Services.AddSingleton<RequestIdentities>();
        builder.Services.AddSingleton<Web.RazorRenderer>();
        builder.Services.AddSingleton<ApiResponseWriter>();
        builder.Services.AddSingleton<ApiMain>();
        builder.Services.AddSingleton<RenderedPages>();
        builder.Services.AddSingleton<RestApi>();
        builder.Services.AddSingleton<WikiWeb>();
        HealthChecks.Add(builder.Services, farm);

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        foreach (var warning in validation.Warnings)
        {
            LogConfigWarning(app.Logger, warning);
        }

        app.Use((ctx, next) =>
        {
            // MediaWiki sends this on every response (spec §0).
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            return next(ctx);
        });
        HealthChecks.Use(app);
        app.UseMiddleware<WikiResolver>();
        var router = new Router(app.Services);
        app.Run(router.Route);
        return app;
    }

    /// <summary>Sends a request to api.php, rest.php, the client script or the HTML pages of its wiki.</summary>
    private sealed class Router(IServiceProvider services)
    {
        // Resolved on the first request, once the database exists (TokenService reads its secret from it).
        private ApiMain Api => field ??= services.GetRequiredService<ApiMain>();

        private RestApi Rest => field ??= services.GetRequiredService<RestApi>();

        private WikiWeb Web => field ??= services.GetRequiredService<WikiWeb>();

        private Files.FileServer FileServer => field ??= services.GetRequiredService<Files.FileServer>();

        public Task Route(HttpContext ctx)
        {
            var wiki = ctx.Features.Get<Wiki>()!;
            var path = ctx.Request.Path.Value ?? "/";
            if (path == wiki.ApiPath)
            {
                return Api.HandleAsync(ctx, wiki);
            }

            var restPath = wiki.RestPath;
            if (path.Length > restPath.Length && path[restPath.Length] == '/' && path.StartsWith(restPath, StringComparison.Ordinal))
            {
                return Rest.HandleAsync(ctx, wiki);
            }

            if (path.Length == wiki.ScriptPath.Length + ClientScript.PathInScriptPath.Length
                && path.StartsWith(wiki.ScriptPath, StringComparison.Ordinal) && path.EndsWith(ClientScript.PathInScriptPath, StringComparison.Ordinal))
            {
                return ClientScript.ServeAsync(ctx);
            }

            var uploadPath = wiki.UploadPath;
            if (path.Length > uploadPath.Length && path[uploadPath.Length] == '/' && path.StartsWith(uploadPath, StringComparison.Ordinal))
            {
                return FileServer.ServeAsync(ctx, wiki, path[uploadPath.Length..]);
            }

            if (path == "/")
            {
                ctx.Response.Redirect(wiki.FullArticleUrl("Main_Page"));
                return Task.CompletedTask;
            }

            return Web.HandleAsync(ctx, wiki);
        }
    }

    /// <summary>
    /// Migrates the database, creates what a new farm needs (Main Page, first admin) and, once after the
    /// upgrade that added them, fills the link tables of the pages saved before.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, TextWriter output, CancellationToken ct)
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>();
        await StorageSetup.MigrateAsync(dbFactory, ct);
        await FarmSeeder.SeedAsync(app.Services, output, ct);
        await LinkTablesBackfill.RunAsync(app.Services, ct);
    }

    private static byte[] LoadSecret(IDbContextFactory<WikiDbContext> dbFactory)
    {
        using var db = dbFactory.CreateDbContext();
        var row = db.Settings.Find("token-secret");
        if (row is null)
        {
            row = new FarmSetting { Name = "token-secret", Value = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };
            db.Settings.Add(row);
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another node created it first; use theirs.
                db.ChangeTracker.Clear();
                row = db.Settings.Find("token-secret")!;
            }
        }

        return Convert.FromHexString(row.Value);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Farm configuration: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);
}
