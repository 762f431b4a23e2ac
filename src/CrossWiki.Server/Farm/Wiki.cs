using CrossWiki.Server.Cors;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.Farm;

/// <summary>A validated, immutable wiki of the farm.</summary>
internal sealed class Wiki
{
    public required string Id { get; init; }

    public required string Sitename { get; init; }

    /// <summary>Scheme, host and port exactly as configured, without a trailing slash.</summary>
    public required string Server { get; init; }

    public required Uri ServerUri { get; init; }

    public required string ScriptPath { get; init; }

    public required string ArticlePath { get; init; }

    public required IReadOnlyList<string> CrossSiteAJAXdomains { get; init; }

    public required IReadOnlyList<string> CrossSiteAJAXdomainExceptions { get; init; }

    public required IReadOnlyList<string> AllowedCorsHeaders { get; init; }

    public required bool AllowCrossOrigin { get; init; }

    public required bool RestAllowCrossOriginCookieAuth { get; init; }

    public required bool CentralAuth { get; init; }

    public required int CentralAuthTokenLifetime { get; init; }

    public required NamespaceTable Namespaces { get; init; }

    /// <summary><c>CrossSiteAJAXdomains</c> minus exceptions, compiled once.</summary>
    public required OriginRules OriginRules { get; init; }

    public required ApiCorsPolicy ApiCors { get; init; }

    public required RestCorsPolicy RestCors { get; init; }

    public bool IsHttps => ServerUri.Scheme == Uri.UriSchemeHttps;

    // The derived strings are built once, not on every request that needs them.

    /// <summary><c>host:port</c> in lower case; the key the request's Host is matched against.</summary>
    public string HostKey => field ??= FarmValidator.HostKey(ServerUri.Host, ServerUri.Port);

    public string SessionCookieName => field ??= Id + "_session";

    public string ApiPath => field ??= ScriptPath + "/api.php";

    public string ApiUrl => field ??= Server + ApiPath;

    /// <summary><c>{ScriptPath}/rest.php</c>; rest.php routes follow it.</summary>
    public string RestPath => field ??= ScriptPath + "/rest.php";

    /// <summary>Where the wiki's uploaded files are served (MediaWiki's <c>$wgUploadPath</c>, <c>{ScriptPath}/images</c>).</summary>
    public string UploadPath => field ??= ScriptPath + "/images";

    /// <summary>This wiki with another namespace table (the validator adds the interwiki prefixes once every wiki is known).</summary>
    public Wiki WithNamespaces(NamespaceTable namespaces) => new()
    {
        Id = Id, Sitename = Sitename, Server = Server, ServerUri = ServerUri, ScriptPath = ScriptPath, ArticlePath = ArticlePath,
        CrossSiteAJAXdomains = CrossSiteAJAXdomains, CrossSiteAJAXdomainExceptions = CrossSiteAJAXdomainExceptions,
        AllowedCorsHeaders = AllowedCorsHeaders, AllowCrossOrigin = AllowCrossOrigin, RestAllowCrossOriginCookieAuth = RestAllowCrossOriginCookieAuth,
        CentralAuth = CentralAuth, CentralAuthTokenLifetime = CentralAuthTokenLifetime, Namespaces = namespaces,
        OriginRules = OriginRules, ApiCors = ApiCors, RestCors = RestCors,
    };

    /// <summary>The URL of a page view, from <see cref="ArticlePath"/>.</summary>
    public string ArticleUrl(string prefixedDbKey) => ArticlePath.Replace("$1", WikiUrl.Encode(prefixedDbKey), StringComparison.Ordinal);

    /// <summary>
    /// The absolute URL of a page view on the wiki's server, as MediaWiki redirects to (<c>getFullURL</c> with
    /// <c>PROTO_CURRENT</c>): never a path a browser could read as another host's (<c>//evil.test</c> from an
    /// <see cref="ArticlePath"/> of <c>/$1</c>).
    /// </summary>
    public string FullArticleUrl(string prefixedDbKey) => Server + ArticleUrl(prefixedDbKey);
}
