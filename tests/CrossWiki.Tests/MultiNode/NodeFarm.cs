using System.Net;
using System.Text.Json.Nodes;
using CrossWiki.Testing;
using Npgsql;

namespace CrossWiki.Tests.MultiNode;

/// <summary>
/// Two CrossWiki server processes (<see cref="ServerProcess"/>) serving one farm (wikis alpha and beta) from
/// one PostgreSQL database and one Redis, each on its own loopback port, as behind a load balancer: clients
/// pick a node by port and the wiki by the Host header. PostgreSQL and Redis come from the test command
/// (tests/services.sh), which exports CROSSWIKI_TEST_POSTGRES and CROSSWIKI_TEST_REDIS.
/// </summary>
internal sealed class NodeFarm : IAsyncDisposable
{
    public const string AlphaHost = "alpha.test:7001";
    public const string BetaHost = "beta.test:7002";

    private readonly string _database;
    private readonly string _adminConnection;
    private readonly string _dataDirectory;
    private readonly string _farmFile;
    private readonly ServerProcess?[] _nodes = new ServerProcess?[2];

    private NodeFarm(string database, string adminConnection, string dataDirectory, string farmFile)
    {
        _database = database;
        _adminConnection = adminConnection;
        _dataDirectory = dataDirectory;
        _farmFile = farmFile;
    }

    /// <summary>The data folder both nodes are given.</summary>
    public string DataFolder => _dataDirectory;

    public static async Task<NodeFarm> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("CROSSWIKI_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("CROSSWIKI_TEST_REDIS");
        var s3 = Environment.GetEnvironmentVariable("CROSSWIKI_S3_ENDPOINT");
        Assert.True(postgres is not null && redis is not null && s3 is not null,
            "CROSSWIKI_TEST_POSTGRES, CROSSWIKI_TEST_REDIS and CROSSWIKI_S3_ENDPOINT are not set: run the README's test command (bash tests/run.sh), which starts PostgreSQL, Redis and the object store.");

        var database = "crosswiki_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ToString();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var data = Directory.CreateTempSubdirectory("crosswiki-nodes-").FullName;
        var connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database, MaxPoolSize = 30 }.ToString();
        var farmFile = Path.Combine(data, "farm.json");
        var farm = new JsonObject
        {
            ["Farm"] = new JsonObject
            {
                ["DataDirectory"] = data,
                ["Database"] = new JsonObject { ["Provider"] = "postgres", ["ConnectionString"] = connectionString },
                ["Redis"] = redis,
                ["SingleProcess"] = false,

                // The nodes keep files in the object store, in a bucket of their own.
                ["FileStore"] = new JsonObject
                {
                    ["Type"] = "s3",
                    ["ServiceUrl"] = s3,
                    ["Bucket"] = "crosswiki-" + database.Replace('_', '-'),
                    ["AccessKey"] = Environment.GetEnvironmentVariable("CROSSWIKI_S3_ACCESS_KEY"),
                    ["SecretKey"] = Environment.GetEnvironmentVariable("CROSSWIKI_S3_SECRET_KEY"),
                    ["Region"] = Environment.GetEnvironmentVariable("CROSSWIKI_S3_REGION") ?? "us-east-1",
                },
                ["Wikis"] = new JsonObject
                {
                    ["alpha"] = new JsonObject { ["Server"] = "http://" + AlphaHost, ["CentralAuth"] = true, ["CrossSiteAJAXdomains"] = new JsonArray(BetaHost) },
                    ["beta"] = new JsonObject { ["Server"] = "http://" + BetaHost, ["CentralAuth"] = true, ["CrossSiteAJAXdomains"] = new JsonArray(AlphaHost) },
                },
            },
        };
        await File.WriteAllTextAsync(farmFile, farm.ToJsonString());
        var nodes = new NodeFarm(database, admin, data, farmFile);

        // One node at a time, so the first one creates the schema.
        await nodes.StartNodeAsync(0);
        await nodes.StartNodeAsync(1);
        return nodes;
    }

    /// <summary>
    /// Starts a node and sends it one request once it printed the port it listens on. That first request also
    /// builds the node's api.php services (and its Redis connection), which a test's burst of parallel
    /// requests should not race.
    /// </summary>
    public async Task StartNodeAsync(int node)
    {
        _nodes[node] = await ServerProcess.StartAsync(_farmFile, _dataDirectory, TimeSpan.FromSeconds(60));
        using var client = Client(node, AlphaHost);
        var answer = await client.GetAsync(("action", "query"), ("meta", "siteinfo"), ("format", "json"));
        Assert.True(answer["query"] is not null, $"node {node + 1} answered {answer.ToJsonString()}");
    }

    /// <summary>Ends a node at once, as a crash would (SIGKILL).</summary>
    public void Kill(int node)
    {
        _nodes[node]!.Kill();
    }

    public NodeClient Client(int node, string host, CookieContainer? cookies = null) => new(_nodes[node]!.Port, host, cookies ?? new CookieContainer());

    public async Task CreateUserAsync(string name, string password)
    {
        var (exitCode, output, error) = await ServerProcess.RunAsync(_dataDirectory, "createuser", name, password, "--farm", _farmFile);
        Assert.True(exitCode == 0, output + error);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}

/// <summary>An api.php client talking to one node, naming the wiki by Host, with a cookie jar it may share with another node's client.</summary>
internal sealed class NodeClient(int port, string host, CookieContainer cookies) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };

    public CookieContainer Cookies { get; } = cookies;

    public async Task<JsonNode> GetAsync(params (string Key, string Value)[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/w/api.php?" + Infrastructure.ApiClient.Query(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value))));
        return await SendAsync(request);
    }

    public async Task<JsonNode> PostAsync(params (string Key, string Value)[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/w/api.php")
        {
            Content = new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value))),
        };
        return await SendAsync(request);
    }

    /// <summary>A multipart POST with one file part, as upload clients send it.</summary>
    public async Task<JsonNode> PostFileAsync(string part, string fileName, byte[] content, params (string Key, string Value)[] parameters)
    {
        var body = new MultipartFormDataContent();
        foreach (var (key, value) in parameters)
        {
            body.Add(new StringContent(value), key);
        }

        body.Add(new ByteArrayContent(content), part, fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/w/api.php") { Content = body };
        return await SendAsync(request);
    }

    /// <summary>A GET of a path of this node (a file, a thumbnail): the status, the type and the bytes.</summary>
    public async Task<(HttpStatusCode Status, string? Type, byte[] Body)> FetchAsync(string pathAndQuery, (long From, long To)? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{pathAndQuery}");
        request.Headers.Host = host;
        if (range is { } r)
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(r.From, r.To);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    public async Task LoginAsync(string name, string password)
    {
        var token = (await GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json")))["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var login = await PostAsync(("action", "login"), ("lgname", name), ("lgpassword", password), ("lgtoken", token), ("format", "json"));
        Assert.Equal("Success", login["login"]!["result"]!.GetValue<string>());
    }

    public async Task<string> CsrfTokenAsync() =>
        (await GetAsync(("action", "query"), ("meta", "tokens"), ("format", "json")))["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();

    private async Task<JsonNode> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Host = host;
        using var response = await _http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public void Dispose() => _http.Dispose();
}
