namespace CrossWiki.Server.Farm;

/// <summary>The farm file as bound from configuration (section <c>Farm</c>); validated by <see cref="FarmValidator"/>.</summary>
internal sealed class FarmOptions
{
    public string DataDirectory { get; init; } = "data";

    public Dictionary<string, WikiOptions> Wikis { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Where pages, revisions, accounts and preferences live; SQLite in <see cref="DataDirectory"/> by default.</summary>
    public DatabaseOptions Database { get; init; } = new();

    /// <summary>A StackExchange.Redis configuration string; when set, sessions and centralauthtokens live there, shared by every node.</summary>
    public string? Redis { get; init; }

    /// <summary>
    /// Whether one server process serves the farm (the default): it may then keep what it read until its
    /// own next save. Set false for several nodes, which also need <see cref="Redis"/>.
    /// </summary>
    public bool SingleProcess { get; init; } = true;

    /// <summary>
    /// Interwiki prefixes every wiki has besides the farm's own wikis (which are prefixes of each other, by
    /// id): prefix to URL with <c>$1</c> for the page, e.g. <c>"wikipedia": "https://en.wikipedia.org/wiki/$1"</c>.
    /// </summary>
    public Dictionary<string, string> Interwiki { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where the bytes of uploaded files live: a folder in <see cref="DataDirectory"/> by default, or a bucket of an S3-compatible store.</summary>
    public FileStoreOptions FileStore { get; init; } = new();

    /// <summary>
    /// The id of the wiki whose files every other wiki of the farm shows, as Commons is for Wikipedia
    /// (MediaWiki's <c>$wgForeignFileRepos</c> with a shared database): a name with no local file is looked up
    /// there, and it is the other wikis' upload target (<c>ForeignUploadTargets</c>). None by default.
    /// </summary>
    public string? SharedRepository { get; init; }

    /// <summary>
    /// Whether visitors may make their own accounts (Special:CreateAccount, <c>action=createaccount</c>); when
    /// false only sysops can, as MediaWiki with <c>$wgGroupPermissions['*']['createaccount'] = false</c>. True by default.
    /// </summary>
    public bool SelfRegistration { get; init; } = true;

    /// <summary>
    /// MediaWiki's <c>$wgRevokePermissions</c>: rights taken from every member of a group whatever their other groups
    /// grant, e.g. <c>"bot": ["move"]</c>. None by default.
    /// </summary>
    public Dictionary<string, string[]> RevokePermissions { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// MediaWiki's <c>$wgPasswordAttemptThrottle</c>: password attempts allowed per user name and address, each rule a
    /// count in a number of seconds; 5 in 300 and 150 in 172,800 by default; a rule with a count of 0 is off.
    /// </summary>
    public List<ThrottleOptions>? PasswordAttemptThrottle { get; init; }

    /// <summary>
    /// The secret the farm's tokens are made with (at least 32 characters; 64 hex digits are read as 32 bytes), instead of
    /// the one the server makes and keeps in the database. Best given in the environment (<c>Farm__TokenSecret</c>).
    /// </summary>
    public string? TokenSecret { get; init; }

    /// <summary>A file holding <see cref="TokenSecret"/> (one line), e.g. a container secret; not with <see cref="TokenSecret"/>.</summary>
    public string? TokenSecretFile { get; init; }

    /// <summary>MediaWiki's <c>$wgAccountCreationThrottle</c>: accounts made per address; 6 in 86,400 seconds by default. Sysops are exempt.</summary>
    public List<ThrottleOptions>? AccountCreationThrottle { get; init; }
}

/// <summary>One rule of a throttle: <c>{ "Count": 5, "Seconds": 300 }</c>.</summary>
internal sealed class ThrottleOptions
{
    public int Count { get; init; }

    public int Seconds { get; init; }
}

/// <summary>
/// The file store (<c>Farm:FileStore</c>). Several nodes need one they all reach: an S3 bucket (Amazon S3, or
/// OpenStack Swift's s3api as Wikimedia runs it, MinIO, Ceph), or the same folder on a shared file system.
/// The keys are best kept out of the farm file, in the environment (<c>Farm__FileStore__SecretKey</c>).
/// </summary>
internal sealed class FileStoreOptions
{
    /// <summary><c>local</c> (the folder <c>{DataDirectory}/images</c>) or <c>s3</c>.</summary>
    public string Type { get; init; } = "local";

    /// <summary>For <c>s3</c>: the store's http or https URL, e.g. <c>https://s3.eu-west-1.amazonaws.com</c>; buckets are addressed by path.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>For <c>s3</c>: the bucket, created at start when it does not exist.</summary>
    public string? Bucket { get; init; }

    /// <summary>For <c>s3</c>: the access key id (for Swift's tempauth, <c>account:user</c>).</summary>
    public string? AccessKey { get; init; }

    /// <summary>For <c>s3</c>: the secret key.</summary>
    public string? SecretKey { get; init; }

    /// <summary>For <c>s3</c>: the region requests are signed for (Swift's s3api <c>location</c>).</summary>
    public string Region { get; init; } = "us-east-1";
}

internal sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (embedded, one node) or <c>postgres</c> (several nodes).</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>For <c>postgres</c>: an Npgsql connection string. For <c>sqlite</c>: optional; default is a file in DataDirectory.</summary>
    public string? ConnectionString { get; init; }
}

/// <summary>One wiki of the farm. Names and defaults follow MediaWiki's settings without <c>$wg</c>.</summary>
internal sealed class WikiOptions
{
    public string? Sitename { get; init; }

    /// <summary>Canonical origin, e.g. <c>https://en.example.test:8443</c>.</summary>
    public string? Server { get; init; }

    public string ScriptPath { get; init; } = "/w";

    public string ArticlePath { get; init; } = "/wiki/$1";

    public string[]? CrossSiteAJAXdomains { get; init; }

    public string[]? CrossSiteAJAXdomainExceptions { get; init; }

    /// <summary>Null means MediaWiki's default list.</summary>
    public string[]? AllowedCorsHeaders { get; init; }

    public bool AllowCrossOrigin { get; init; }

    public bool RestAllowCrossOriginCookieAuth { get; init; }

    public bool CentralAuth { get; init; }

    /// <summary>Seconds a browser may cache a successful api.php preflight (MediaWiki sends no Max-Age).</summary>
    public int CorsPreflightMaxAge { get; init; } = 600;

    /// <summary>Seconds a <c>centralauthtoken</c> stays valid (MediaWiki's effective value: 60).</summary>
    public int CentralAuthTokenLifetime { get; init; } = 60;
}
