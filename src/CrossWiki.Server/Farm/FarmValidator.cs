using System.Globalization;
using System.Text.RegularExpressions;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.Farm;

/// <summary>The outcome of validating a farm file: every error and warning, each with its key path.</summary>
internal sealed record FarmValidation(FarmConfig? Farm, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Checks the whole farm file at once and reports every problem with its configuration key path,
/// so an operator fixes them in one pass; the server refuses to start on any error.
/// </summary>
internal static partial class FarmValidator
{
    /// <summary>MediaWiki 1.39's <c>$wgAllowedCorsHeaders</c> default, in its order (spec §1).</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedCorsHeaders =
    [
        "Accept", "Accept-Language", "Content-Language", "Content-Type", "Accept-Encoding", "DNT", "Origin",
        "User-Agent", "Api-User-Agent", "Access-Control-Max-Age", "Authorization",
    ];

    /// <summary>
    /// Binds and validates the <c>Farm</c> section: keys no option has (<see cref="FarmKeys"/>) together with
    /// every check of <see cref="Validate(FarmOptions)"/>; a value that does not convert stops before binding.
    /// </summary>
    public static FarmValidation Validate(IConfigurationSection farm)
    {
        var keys = FarmKeys.Check(farm, out var bindable);
        if (!bindable)
        {
            // The binder drops what it cannot convert (a wiki with a bad boolean is bound as no wiki at all),
            // so the checks of the bound options would only add misleading errors.
            return new FarmValidation(null, keys, []);
        }

        var validation = Validate(farm.Get<FarmOptions>() ?? new FarmOptions());
        return keys.Count == 0 ? validation : validation with { Farm = null, Errors = [.. keys, .. validation.Errors] };
    }

    public static FarmValidation Validate(FarmOptions options)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Farm:DataDirectory: must not be empty.");
        }

        if (options.Wikis.Count == 0)
        {
            errors.Add("Farm:Wikis: at least one wiki is required.");
        }

        if (options.Database.Provider is not ("sqlite" or "postgres"))
        {
            errors.Add($"Farm:Database:Provider: '{options.Database.Provider}' is not a provider; use 'sqlite' or 'postgres'.");
        }
        else if (options.Database.Provider == "postgres" && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            errors.Add("Farm:Database:ConnectionString: is required with the 'postgres' provider.");
        }

        if (options.Redis is { } redis && string.IsNullOrWhiteSpace(redis))
        {
            errors.Add("Farm:Redis: must not be empty; leave it out for the embedded in-memory stores.");
        }

        if (!options.SingleProcess && options.Redis is null)
        {
            // In-memory sessions and centralauthtokens would be each node's own: a login or token from one
            // node would be unknown on the others.
            errors.Add("Farm:SingleProcess: false needs Farm:Redis, so that every node shares sessions and centralauthtokens.");
        }

        var s3Store = ValidateFileStore(options.FileStore, errors, warnings);

        var wikis = new List<Wiki>();
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, w) in options.Wikis.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = "Farm:Wikis:" + id;
            var before = errors.Count;
            if (!WikiIdRegex().IsMatch(id))
            {
                errors.Add($"{path}: the wiki id must be lower-case letters, digits and underscores.");
            }

            Uri? server = null;
            if (string.IsNullOrWhiteSpace(w.Server))
            {
                errors.Add($"{path}:Server: is required (the wiki's canonical origin, e.g. https://en.example.test:8443).");
            }
            else if (!Uri.TryCreate(w.Server, UriKind.Absolute, out server)
                || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps)
                || server.AbsolutePath != "/" || server.Query.Length > 0 || server.Fragment.Length > 0
                || server.UserInfo.Length > 0 || w.Server.EndsWith('/'))
            {
                errors.Add($"{path}:Server: '{w.Server}' must be an http or https origin (scheme, host and optional port, no path or trailing slash).");
                server = null;
            }

            if (!ScriptPathRegex().IsMatch(w.ScriptPath))
            {
                errors.Add($"{path}:ScriptPath: '{w.ScriptPath}' must be empty or a path starting with '/' and not ending with '/'.");
            }

            if (!w.ArticlePath.StartsWith('/') || w.ArticlePath.IndexOf("$1", StringComparison.Ordinal) < 0)
            {
                errors.Add($"{path}:ArticlePath: '{w.ArticlePath}' must start with '/' and contain '$1'.");
            }
            else if (w.ArticlePath.StartsWith(w.ScriptPath + "/", StringComparison.Ordinal) && w.ScriptPath.Length > 0
                && !w.ArticlePath.StartsWith(w.ScriptPath + "/index.php", StringComparison.Ordinal))
            {
                errors.Add($"{path}:ArticlePath: '{w.ArticlePath}' must not lie under ScriptPath '{w.ScriptPath}'.");
            }

            ValidateCorsRules(w.CrossSiteAJAXdomains, $"{path}:CrossSiteAJAXdomains", errors, warnings);
            ValidateCorsRules(w.CrossSiteAJAXdomainExceptions, $"{path}:CrossSiteAJAXdomainExceptions", errors, warnings);
            if (w.CentralAuthTokenLifetime is < 1 or > 3600)
            {
                errors.Add($"{path}:CentralAuthTokenLifetime: must be between 1 and 3600 seconds.");
            }

            if (w.CorsPreflightMaxAge < 0)
            {
                errors.Add($"{path}:CorsPreflightMaxAge: must not be negative.");
            }

            if (w.AllowedCorsHeaders is { } headers)
            {
                for (var i = 0; i < headers.Length; i++)
                {
                    if (string.IsNullOrWhiteSpace(headers[i]) || !HeaderNameRegex().IsMatch(headers[i]))
                    {
                        errors.Add($"{path}:AllowedCorsHeaders:{i}: '{headers[i]}' is not an HTTP header name.");
                    }
                }
            }

            if (server is not null)
            {
                var key = HostKey(server.Host, server.Port);
                if (hosts.TryGetValue(key, out var other))
                {
                    errors.Add($"{path}:Server: host and port '{key}' are already used by wiki '{other}'.");
                }
                else
                {
                    hosts.Add(key, id);
                }
            }

            if (errors.Count == before && server is not null)
            {
                var sitename = string.IsNullOrWhiteSpace(w.Sitename) ? id : w.Sitename.Trim();
                var rules = new OriginRules(w.CrossSiteAJAXdomains ?? [], w.CrossSiteAJAXdomainExceptions ?? []);
                var corsHeaders = w.AllowedCorsHeaders ?? DefaultAllowedCorsHeaders;
                wikis.Add(new Wiki
                {
                    Id = id,
                    Sitename = sitename,
                    Server = w.Server!,
                    ServerUri = server,
                    ScriptPath = w.ScriptPath,
                    ArticlePath = w.ArticlePath,
                    CrossSiteAJAXdomains = w.CrossSiteAJAXdomains ?? [],
                    CrossSiteAJAXdomainExceptions = w.CrossSiteAJAXdomainExceptions ?? [],
                    AllowedCorsHeaders = corsHeaders,
                    OriginRules = rules,
                    ApiCors = new ApiCorsPolicy(rules, corsHeaders, w.CorsPreflightMaxAge),

                    // The wiki's own origin is allowed implicitly, with its port (the issue's rule; 1.39 used the host only).
                    RestCors = new RestCorsPolicy(w.AllowCrossOrigin, w.RestAllowCrossOriginCookieAuth, server.IsDefaultPort ? server.Host : server.Authority,
                        w.CrossSiteAJAXdomains ?? [], w.CrossSiteAJAXdomainExceptions ?? [], corsHeaders, w.CorsPreflightMaxAge),
                    AllowCrossOrigin = w.AllowCrossOrigin,
                    RestAllowCrossOriginCookieAuth = w.RestAllowCrossOriginCookieAuth,
                    CentralAuth = w.CentralAuth,
                    CentralAuthTokenLifetime = w.CentralAuthTokenLifetime,
                    Namespaces = NamespaceTable.Create(sitename),
                });
            }
        }

        foreach (var (prefix, url) in options.Interwiki)
        {
            if (prefix.Length == 0 || prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) || !url.Contains("$1", StringComparison.Ordinal)
                || !Uri.TryCreate(url.Replace("$1", "x", StringComparison.Ordinal), UriKind.Absolute, out _))
            {
                errors.Add($"Farm:Interwiki:{prefix}: a prefix is letters, digits, '-', '_' or '.', and its URL an absolute URL with $1 for the page ('{url}').");
            }
        }

        // Each wiki's interwiki map: the farm's other wikis by id, then the farm file's own prefixes.
        wikis = [.. wikis.Select(w => w.WithNamespaces(w.Namespaces.WithInterwiki(new InterwikiMap(
            wikis.Where(o => o.Id != w.Id).Select(o => new InterwikiPrefix(o.Id, o.Server + o.ArticlePath, Local: true, o.Id, o.ApiUrl))
                .Concat(options.Interwiki.Select(e => new InterwikiPrefix(e.Key.ToLowerInvariant(), e.Value, Local: false)))))))];
        if (options.SharedRepository is { } shared && !options.Wikis.ContainsKey(shared))
        {
            errors.Add($"Farm:SharedRepository: '{shared}' is not a wiki of this farm (its wikis: {string.Join(", ", options.Wikis.Keys.Order(StringComparer.Ordinal))}).");
        }

        foreach (var (group, rights) in options.RevokePermissions)
        {
            if (!Accounts.Rights.AllGroups.Contains(group))
            {
                errors.Add($"Farm:RevokePermissions:{group}: not a group (groups: {string.Join(", ", Accounts.Rights.AllGroups)}).");
            }

            foreach (var right in rights.Where(r => !Accounts.Rights.AllRights.Contains(r)))
            {
                errors.Add($"Farm:RevokePermissions:{group}: '{right}' is not a right any group has.");
            }
        }

        var revoked = options.RevokePermissions.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal);
        var passwordThrottle = ThrottleRules(errors, "PasswordAttemptThrottle", options.PasswordAttemptThrottle, Accounts.ThrottleRule.PasswordAttemptDefault);
        var creationThrottle = ThrottleRules(errors, "AccountCreationThrottle", options.AccountCreationThrottle, Accounts.ThrottleRule.AccountCreationDefault);
        var tokenSecret = TokenSecret(errors, options);
        var farm = errors.Count == 0
            ? new FarmConfig(options.DataDirectory, wikis, options.Database, options.Redis, options.SingleProcess, s3Store, options.SharedRepository, options.SelfRegistration, revoked)
            {
                PasswordAttemptThrottle = passwordThrottle,
                AccountCreationThrottle = creationThrottle,
                TokenSecret = tokenSecret,
            }
            : null;
        return new FarmValidation(farm, errors, warnings);
    }

    /// <summary>
    /// The file store: nothing to check for the folder; for <c>s3</c> every setting its requests need, so that a
    /// farm with half a store refuses to start rather than failing its first upload.
    /// </summary>
    private static Files.S3StoreSettings? ValidateFileStore(FileStoreOptions store, List<string> errors, List<string> warnings)
    {
        const string Section = "Farm:FileStore";
        if (store.Type == "local")
        {
            foreach (var (key, value) in new[] { ("ServiceUrl", store.ServiceUrl), ("Bucket", store.Bucket), ("AccessKey", store.AccessKey), ("SecretKey", store.SecretKey) })
            {
                if (value is not null)
                {
                    warnings.Add($"{Section}:{key}: is not used by the 'local' file store; set {Section}:Type to 's3' to keep files in a bucket.");
                }
            }

            return null;
        }

        if (store.Type != "s3")
        {
            errors.Add($"{Section}:Type: '{store.Type}' is not a file store; use 'local' or 's3'.");
            return null;
        }

        var before = errors.Count;
        Uri? url = null;
        if (string.IsNullOrWhiteSpace(store.ServiceUrl))
        {
            errors.Add($"{Section}:ServiceUrl: is required with the 's3' file store (the store's URL, e.g. https://s3.eu-west-1.amazonaws.com).");
        }
        else if (!Uri.TryCreate(store.ServiceUrl, UriKind.Absolute, out url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            // Buckets are addressed by path (Swift and most S3-compatible stores have no bucket host names),
            // so the URL is the store's origin alone.
            errors.Add($"{Section}:ServiceUrl: '{store.ServiceUrl}' must be an http or https origin (scheme, host and optional port, no path).");
        }

        if (string.IsNullOrWhiteSpace(store.Bucket))
        {
            errors.Add($"{Section}:Bucket: is required with the 's3' file store.");
        }
        else if (!BucketNameRegex().IsMatch(store.Bucket) || store.Bucket.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{Section}:Bucket: '{store.Bucket}' is not a bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(store.AccessKey))
        {
            errors.Add($"{Section}:AccessKey: is required with the 's3' file store.");
        }

        if (string.IsNullOrWhiteSpace(store.SecretKey))
        {
            errors.Add($"{Section}:SecretKey: is required with the 's3' file store.");
        }

        if (string.IsNullOrWhiteSpace(store.Region))
        {
            errors.Add($"{Section}:Region: must not be empty (requests are signed for a region; Swift's s3api takes its 'location', us-east-1 by default).");
        }

        return errors.Count == before ? new Files.S3StoreSettings(url!, store.Bucket!, store.AccessKey!, store.SecretKey!, store.Region) : null;
    }

    public static string HostKey(string host, int port) =>
        host.ToLowerInvariant() + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A rule is a wildcard pattern over host[:port] (spec §1, §2.3). One with a scheme, a path or a
    /// space can never equal a host and is an error; a leading <c>*</c> glued to a name
    /// (<c>*wikipedia.org</c>) also matches <c>evilwikipedia.org</c>, so it is a warning.
    /// </summary>
    private static void ValidateCorsRules(string[]? rules, string path, List<string> errors, List<string> warnings)
    {
        if (rules is null)
        {
            return;
        }

        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (string.IsNullOrEmpty(rule))
            {
                errors.Add($"{path}:{i}: an empty rule can never match an origin.");
            }
            else if (rule.Contains("://", StringComparison.Ordinal))
            {
                errors.Add($"{path}:{i}: '{rule}' contains a scheme; rules are host[:port] patterns and never match with one.");
            }
            else if (rule.Contains('/', StringComparison.Ordinal) || rule.Any(char.IsWhiteSpace))
            {
                errors.Add($"{path}:{i}: '{rule}' contains a path or a space and can never match an origin's host[:port].");
            }
            else if (rule.Length > 1 && rule[0] == '*' && rule[1] != '.')
            {
                warnings.Add($"{path}:{i}: '{rule}' also matches hosts that merely end with '{rule[1..]}' (e.g. 'evil{rule[1..]}'); did you mean '*.{rule[1..]}'?");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex WikiIdRegex();

    [GeneratedRegex("^(|/[^/?#]+(/[^/?#]+)*)$")]
    private static partial Regex ScriptPathRegex();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderNameRegex();

    /// <summary>S3's rule for bucket names that work with every addressing style.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNameRegex();

    /// <summary>The configured token secret (<c>Farm:TokenSecret</c> or the file <c>Farm:TokenSecretFile</c> names) as bytes; null for the database's.</summary>
    private static byte[]? TokenSecret(List<string> errors, FarmOptions options)
    {
        if (options.TokenSecret is not null && options.TokenSecretFile is not null)
        {
            errors.Add("Farm:TokenSecretFile: give either Farm:TokenSecret or Farm:TokenSecretFile, not both.");
            return null;
        }

        var secret = options.TokenSecret;
        if (options.TokenSecretFile is { } file)
        {
            try
            {
                secret = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"Farm:TokenSecretFile: '{file}' cannot be read ({e.Message}).");
                return null;
            }
        }

        if (secret is null)
        {
            return null;
        }

        if (secret.Length < 32)
        {
            errors.Add($"Farm:{(options.TokenSecretFile is null ? "TokenSecret" : "TokenSecretFile")}: the secret must have at least 32 characters (it has {secret.Length}).");
            return null;
        }

        return secret.Length == 64 && secret.All(char.IsAsciiHexDigit) ? Convert.FromHexString(secret) : System.Text.Encoding.UTF8.GetBytes(secret);
    }

    private static IReadOnlyList<Accounts.ThrottleRule> ThrottleRules(List<string> errors, string key, List<ThrottleOptions>? rules, IReadOnlyList<Accounts.ThrottleRule> defaults)
    {
        if (rules is null)
        {
            return defaults;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Count < 0 || rules[i].Seconds < 1)
            {
                errors.Add($"Farm:{key}:{i}: Count must be at least 0 and Seconds at least 1 (got {rules[i].Count} in {rules[i].Seconds} s).");
            }
        }

        // A count of 0 turns a rule off, as in MediaWiki.
        return [.. rules.Where(r => r.Count > 0).Select(r => new Accounts.ThrottleRule(r.Count, r.Seconds))];
    }
}

/// <summary>The validated farm.</summary>
internal sealed class FarmConfig(string dataDirectory, IReadOnlyList<Wiki> wikis, DatabaseOptions? database = null, string? redis = null, bool singleProcess = true,
    Files.S3StoreSettings? s3Store = null, string? sharedRepository = null, bool selfRegistration = true,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? revokePermissions = null)
{
    /// <summary>The token secret from the farm file or its file (<c>Farm:TokenSecret</c>, <c>Farm:TokenSecretFile</c>); null to keep it in the database.</summary>
    public byte[]? TokenSecret { get; init; }

    /// <summary>Password attempts allowed per user name and address (<c>Farm:PasswordAttemptThrottle</c>).</summary>
    public IReadOnlyList<Accounts.ThrottleRule> PasswordAttemptThrottle { get; init; } = Accounts.ThrottleRule.PasswordAttemptDefault;

    /// <summary>Accounts a visitor may create per address (<c>Farm:AccountCreationThrottle</c>).</summary>
    public IReadOnlyList<Accounts.ThrottleRule> AccountCreationThrottle { get; init; } = Accounts.ThrottleRule.AccountCreationDefault;

    /// <summary>Rights taken from the members of a group (<c>Farm:RevokePermissions</c>, MediaWiki's <c>$wgRevokePermissions</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RevokePermissions { get; } = revokePermissions ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether visitors may make their own accounts (<c>Farm:SelfRegistration</c>); sysops always can.</summary>
    public bool SelfRegistration { get; } = selfRegistration;

    /// <summary>The wiki whose files the others show (<c>Farm:SharedRepository</c>), for a wiki other than itself; null when there is none.</summary>
    public Wiki? SharedRepositoryFor(Wiki wiki)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        return sharedRepository is null || sharedRepository == wiki.Id ? null : Wikis.FirstOrDefault(w => w.Id == sharedRepository);
    }

    /// <summary>The bucket uploaded files live in (<c>Farm:FileStore</c> of type <c>s3</c>); null for the folder in <see cref="DataDirectory"/>.</summary>
    public Files.S3StoreSettings? S3Store { get; } = s3Store;

    /// <summary>Whether this process is the only one serving the farm (<c>Farm:SingleProcess</c>).</summary>
    public bool SingleProcess { get; } = singleProcess;

    public DatabaseOptions Database { get; } = database ?? new DatabaseOptions();

    public string? Redis { get; } = redis;

    private readonly Dictionary<string, Wiki>.AlternateLookup<ReadOnlySpan<char>> _byHost =
        wikis.ToDictionary(w => w.HostKey, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public string DataDirectory { get; } = dataDirectory;

    public IReadOnlyList<Wiki> Wikis { get; } = wikis;

    /// <summary>The wiki serving a request's Host (host and port); null when none does.</summary>
    public Wiki? ForHost(string host, int port) =>
        _byHost.Dictionary.GetValueOrDefault(FarmValidator.HostKey(host, port));

    /// <summary>
    /// The wiki serving a request's Host header. A header that is already <c>host:port</c> (what clients
    /// send for the non-default ports wikis usually have) is looked up as it is, in lower case, without
    /// building a string; any other form goes through <see cref="ForHost(string, int)"/>.
    /// </summary>
    public Wiki? ForHost(HostString host, bool isHttps)
    {
        if (host.Value is not { Length: > 0 and <= 256 } value)
        {
            return host.HasValue ? ForHost(host.Host, host.Port ?? (isHttps ? 443 : 80)) : null;
        }

        Span<char> lower = stackalloc char[value.Length];
        value.AsSpan().ToLowerInvariant(lower);
        return _byHost.TryGetValue(lower, out var wiki) ? wiki : ForHost(host.Host, host.Port ?? (isHttps ? 443 : 80));
    }
}
