using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CrossWiki.Bench;

/// <summary>
/// What the bench does as a user before measuring: logs in (session cookie) and creates pages through api.php,
/// on the server at <paramref name="origin"/>, naming the wiki by <paramref name="host"/>.
/// </summary>
internal sealed class WikiSetup(string origin, string host, string cookieName) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _http;

    private HttpClient Http => _http ??= new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseProxy = false })
    {
        BaseAddress = new Uri(origin),
        Timeout = TimeSpan.FromMinutes(5),
        DefaultRequestHeaders = { Host = host },
    };

    public const string ApiPath = "/w/api.php";

    /// <summary>The <c>Cookie</c> header value of the logged-in session.</summary>
    public string SessionCookie => $"{cookieName}={_cookies.GetCookies(new Uri(origin))[cookieName]?.Value}";

    public async Task LogInAsync(string name, string password)
    {
        var token = (await GetAsync("action=query&meta=tokens&type=login&format=json"))["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var login = await PostAsync(new() { ["action"] = "login", ["lgname"] = name, ["lgpassword"] = password, ["lgtoken"] = token, ["format"] = "json" });
        if (login["login"]?["result"]?.GetValue<string>() != "Success")
        {
            throw new InvalidOperationException("Login failed: " + login.ToJsonString());
        }
    }

    public async Task<string> CsrfTokenAsync() =>
        (await GetAsync("action=query&meta=tokens&format=json"))["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();

    public async Task EditAsync(string title, string text, string csrf)
    {
        var result = await PostAsync(new() { ["action"] = "edit", ["title"] = title, ["text"] = text, ["summary"] = "bench", ["token"] = csrf, ["format"] = "json" });
        if (result["edit"]?["result"]?.GetValue<string>() != "Success")
        {
            throw new InvalidOperationException($"Edit of {title} failed: " + result.ToJsonString());
        }
    }

    /// <summary>Uploads a local file as <paramref name="fileName"/> (one multipart POST, warnings ignored); returns the upload's answer.</summary>
    public async Task<JsonNode> UploadAsync(string fileName, string path, string csrf)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent("upload"), "action" },
            { new StringContent("json"), "format" },
            { new StringContent("2"), "formatversion" },
            { new StringContent(fileName), "filename" },
            { new StringContent("1"), "ignorewarnings" },
            { new StringContent(csrf), "token" },
        };
        var file = new StreamContent(File.OpenRead(path), 256 * 1024);
        content.Add(file, "file", Path.GetFileName(path));
        using var response = await Http.PostAsync(new Uri(ApiPath, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (answer["upload"]?["result"]?.GetValue<string>() != "Success")
        {
            throw new InvalidOperationException($"Upload of {fileName} failed: " + answer.ToJsonString());
        }

        return answer["upload"]!;
    }

    /// <summary>GETs a path of the wiki's server (an image, a thumbnail) and returns its bytes.</summary>
    public async Task<byte[]> FetchAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A query through api.php (GET), as JSON.</summary>
    public Task<JsonNode> QueryAsync(string query) => GetAsync(query);

    private async Task<JsonNode> GetAsync(string query)
    {
        using var response = await Http.GetAsync(new Uri(ApiPath + "?" + query, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> PostAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri(ApiPath, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public void Dispose() => _http?.Dispose();
}

/// <summary>Wikitext of the bench pages.</summary>
internal static class BenchText
{
    public const int LinkedPages = 20;

    /// <summary>Revisions of the page whose REST history is read: more than one answer's 20, so it has an <c>older</c> link.</summary>
    public const int HistoryRevisions = 25;

    /// <summary>
    /// A page of about <paramref name="bytes"/> bytes as articles look: sections, paragraphs with bold and
    /// italic text, internal links (existing and missing), external links, lists.
    /// </summary>
    public static string Article(int bytes)
    {
        var sb = new StringBuilder();
        sb.Append("'''Bench page''' is a long article used by the CrossWiki benchmark. It reads like an encyclopedia entry.\n\n");
        for (var section = 1; Encoding.UTF8.GetByteCount(sb.ToString()) < bytes; section++)
        {
            sb.Append("== Section ").Append(section).Append(" ==\n");
            for (var p = 0; p < 3; p++)
            {
                var k = (section * 3) + p;
                sb.Append("The ''history'' of the subject is long: it was first described in ").Append(1800 + k)
                    .Append(" and later studied in [[Bench link ").Append((k % LinkedPages) + 1).Append("|several works]]. ")
                    .Append("'''Many''' details are still discussed, see [[Missing article ").Append(k).Append("]] and ")
                    .Append("[https://example.org/source/").Append(k).Append(" the source]. ")
                    .Append("Further reading includes [[Bench link ").Append(((k + 7) % LinkedPages) + 1).Append("]] and notes on ")
                    .Append("tables, lists & symbols such as <, > and \"quotes\".\n\n");
            }

            sb.Append("* First point of section ").Append(section).Append('\n')
                .Append("* Second point, with a [[Bench link ").Append((section % LinkedPages) + 1).Append("]]\n")
                .Append("# Numbered step one\n# Numbered step two\n\n");
        }

        return sb.ToString();
    }

    /// <summary>A short page of the scaling run (about 700 bytes), linking to its neighbours.</summary>
    public static string ScalePage(int n) =>
        $"'''Scale page {n}''' is one of many small pages of the scaling run.\n\n== About ==\n"
        + $"It links to [[Scale page {n + 1}]], to [[Bench page]] and to [[Missing scale {n}]]. "
        + "The text is ordinary prose, with ''italic'' and '''bold''' words, long enough to look like a stub article "
        + "that a bot created from a table of places, people or species. Such wikis have hundreds of thousands of them.\n\n"
        + "* A list item\n* Another list item\n\n== References ==\n[https://example.org/scale/" + n + " Source]\n\n[[Category:" + ScaleCategory + "]]\n";

    /// <summary>The category every scale page is in (list=categorymembers of a category as big as the wiki).</summary>
    public const string ScaleCategory = "Scale pages";

    /// <summary>The category the linked pages are in.</summary>
    public const string LinkedCategory = "Bench links";
}
