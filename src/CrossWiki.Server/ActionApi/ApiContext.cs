using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi;

/// <summary>The shared, stateless services api.php modules use.</summary>
internal sealed class ApiServices(
    IDbContextFactory<WikiDbContext> db,
    SessionStore sessions,
    TokenService tokens,
    UserDirectory users,
    TimeProvider time,
    ApiModuleRegistry modules,
    CentralAuth.CentralAuthTokens centralTokens,
    WriteGate writes,
    Pages.PageEditor editor,
    Files.FileRepository files,
    Files.Uploader uploader,
    Pages.RenderedPages rendered,
    Pages.PageAdmin admin,
    BlockList blocks,
    AccountAdmin accounts,
    FarmConfig farm)
{
    public Pages.PageAdmin Admin { get; } = admin;

    public AccountAdmin Accounts { get; } = accounts;

    public FarmConfig Farm { get; } = farm;

    public BlockList Blocks { get; } = blocks;

    public Pages.RenderedPages Rendered { get; } = rendered;

    public Files.FileRepository Files { get; } = files;

    public Files.Uploader Uploader { get; } = uploader;

    public WriteGate Writes { get; } = writes;

    public Pages.PageEditor Editor { get; } = editor;

    public CentralAuth.CentralAuthTokens CentralTokens { get; } = centralTokens;

    public IDbContextFactory<WikiDbContext> Db { get; } = db;

    public SessionStore Sessions { get; } = sessions;

    public TokenService Tokens { get; } = tokens;

    public UserDirectory Users { get; } = users;

    public TimeProvider Time { get; } = time;

    public ApiModuleRegistry Modules { get; } = modules;
}

/// <summary>Everything one api.php request runs with.</summary>
internal sealed class ApiContext
{
    public required Wiki Wiki { get; init; }

    public required HttpContext Http { get; init; }

    public required ApiRequest Request { get; init; }

    public required ApiResult Result { get; init; }

    public required ApiServices Services { get; init; }

    public required Session Session { get; init; }

    public required WikiUser User { get; set; }

    /// <summary>
    /// True for <c>origin=*</c>, JSONP and <c>Treat-as-Untrusted</c> (spec §4): the request runs as an
    /// anonymous user and gets no tokens. Decided with CORS (<see cref="Cors.ApiCorsDecision.Anonymous"/>).
    /// </summary>
    public required bool LacksSameOriginSecurity { get; init; }

    /// <summary>
    /// The path of the module running now (<c>main</c> for api.php's own checks, <c>query+revisions</c> inside
    /// a query submodule): errors that do not name their module are reported with it.
    /// </summary>
    public string ModulePath { get; set; } = "main";

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The mark of a parameter value not parsed yet in this request.</summary>
    public static readonly object NotParsed = new();

    /// <summary>Parsed parameter values of the modules that ran, by module: each is parsed once per request.</summary>
    private List<(ApiModule Module, object?[] Values)>? _parameterValues;

    /// <summary>The parsed values of <paramref name="module"/>'s parameters in this request, by declaration index.</summary>
    public object?[] ParameterValues(ApiModule module, int count)
    {
        _parameterValues ??= new(2);
        foreach (var (known, values) in _parameterValues)
        {
            if (ReferenceEquals(known, module))
            {
                return values;
            }
        }

        var fresh = new object?[count];
        Array.Fill(fresh, NotParsed);
        _parameterValues.Add((module, fresh));
        return fresh;
    }

    public string ClientIp => RequestIdentities.ClientAddress(Http);

    public DateTime Now => Services.Time.GetUtcNow().UtcDateTime;

    /// <summary>A token of <paramref name="type"/> for this session, or <c>+\</c> where MediaWiki gives that to anonymous users.</summary>
    public string TokenFor(string type) => Services.Tokens.For(Session, User, type);

    public bool ValidateToken(string type, string? token) => Services.Tokens.Validate(Session, User, type, token);
}
