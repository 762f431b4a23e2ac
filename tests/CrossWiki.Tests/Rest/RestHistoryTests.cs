using System.Net;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Rest;

/// <summary>rest.php's history, history counts, revision, compare and media-links routes against a real farm.</summary>
public sealed class RestHistoryTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _page;

    private TestFarm Farm => fixture.Farm;

    private static string NewTitle(string what) => $"History test {what} {Interlocked.Increment(ref _page)}";

    private static string Key(string title) => title.Replace(' ', '_');

    private string Rest(string path) => Farm.AlphaServer + "/w/rest.php" + path;

    private async Task<ApiClient.Answer> GetAsync(string path, string? origin = null)
    {
        using var client = Farm.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Rest(path));
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Saves a revision through api.php; its id.</summary>
    private static async Task<int> EditAsync(ApiClient client, string title, string text, string summary = "", bool minor = false)
    {
        (string, string)[] flags = minor ? [("minor", "1")] : [("notminor", "1")];
        var answer = await client.PostAsync([("action", "edit"), ("title", title), ("text", text), ("summary", summary), .. flags,
            ("format", "json"), ("formatversion", "2"), ("token", await client.CsrfTokenAsync())]);
        return answer.Json["edit"]?["newrevid"]?.GetValue<int>() ?? throw new InvalidOperationException(answer.Body);
    }

    private static int[] Ids(JsonNode history) => [.. history["revisions"]!.AsArray().Select(r => r!["id"]!.GetValue<int>())];

    [Fact]
    public async Task History_23Revisions_Gives20NewestFirstAndPagesWithOlderAndNewer()
    {
        var (client, user) = await TestUsers.LoggedInAsync(Farm, "Historian");
        using var _ = client;
        var title = NewTitle("paging");
        var ids = new List<int>();
        for (var i = 1; i <= 23; i++)
        {
            ids.Add(await EditAsync(client, title, new string('x', i * 2), $"edit {i}"));
        }

        var first = (await GetAsync($"/v1/page/{Key(title)}/history")).Json;

        Assert.Equal(Enumerable.Range(3, 20).Select(i => ids[i]).Reverse(), Ids(first));
        var newest = first["revisions"]![0]!.AsObject();
        Assert.Equal(["id", "timestamp", "minor", "size", "comment", "user", "delta"], newest.Select(p => p.Key));
        Assert.Equal(46, newest["size"]!.GetValue<int>());
        Assert.Equal(2, newest["delta"]!.GetValue<int>());
        Assert.Equal("edit 23", newest["comment"]!.GetValue<string>());
        Assert.Equal(user, newest["user"]!["name"]!.GetValue<string>());
        Assert.True(newest["user"]!["id"]!.GetValue<int>() > 0);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", newest["timestamp"]!.GetValue<string>());
        var historyUrl = Rest($"/v1/page/{Uri.EscapeDataString(Key(title))}/history");
        Assert.Equal(historyUrl, first["latest"]!.GetValue<string>());
        Assert.Equal($"{historyUrl}?older_than={ids[3]}", first["older"]!.GetValue<string>());
        Assert.Null(first["newer"]);

        var older = (await GetAsync($"/v1/page/{Key(title)}/history?older_than={ids[3]}")).Json;
        Assert.Equal([ids[2], ids[1], ids[0]], Ids(older));
        Assert.Null(older["revisions"]![2]!["delta"]);
        Assert.Null(older["older"]);
        Assert.Equal($"{historyUrl}?newer_than={ids[2]}", older["newer"]!.GetValue<string>());

        var newer = (await GetAsync($"/v1/page/{Key(title)}/history?newer_than={ids[2]}")).Json;
        Assert.Equal(Enumerable.Range(3, 20).Select(i => ids[i]).Reverse(), Ids(newer));
        Assert.Equal($"{historyUrl}?older_than={ids[3]}", newer["older"]!.GetValue<string>());
        Assert.Null(newer["newer"]);
    }

    [Fact]
    public async Task History_Filters_KeepOnlyMinorAnonymousAndBotRevisions()
    {
        var (client, user) = await TestUsers.LoggedInAsync(Farm, "Filterer");
        using var _1 = client;
        var (bot, botName) = await TestUsers.LoggedInAsync(Farm, "Filterbot", null, "bot");
        using var _2 = bot;
        using var anonymous = Farm.Client();
        var title = NewTitle("filters");
        var created = await EditAsync(client, title, "one");
        var minor = await EditAsync(client, title, "two", minor: true);
        var anon = await EditAsync(anonymous, title, "three");
        var byBot = await EditAsync(bot, title, "four");

        Assert.Equal([byBot, anon, minor, created], Ids((await GetAsync($"/v1/page/{Key(title)}/history")).Json));
        var minors = (await GetAsync($"/v1/page/{Key(title)}/history?filter=minor")).Json;
        Assert.Equal([minor], Ids(minors));
        Assert.True(minors["revisions"]![0]!["minor"]!.GetValue<bool>());
        Assert.Equal(Rest($"/v1/page/{Uri.EscapeDataString(Key(title))}/history?filter=minor"), minors["latest"]!.GetValue<string>());
        var anons = (await GetAsync($"/v1/page/{Key(title)}/history?filter=anonymous")).Json;
        Assert.Equal([anon], Ids(anons));
        Assert.Equal("""{"id":null,"name":"127.0.0.1"}""", anons["revisions"]![0]!["user"]!.ToJsonString());
        Assert.Equal([byBot], Ids((await GetAsync($"/v1/page/{Key(title)}/history?filter=bot")).Json));
        Assert.Empty(Ids((await GetAsync($"/v1/page/{Key(title)}/history?filter=reverted")).Json));
        Assert.NotEqual(user, botName);
    }

    [Fact]
    public async Task History_OlderThanARevisionOfAnotherPage_Gives404()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Historian");
        using var _1 = client;
        var other = await EditAsync(client, NewTitle("other page"), "text");
        var foreign = await GetAsync($"/v1/page/Main_Page/history?older_than={other}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.Response.StatusCode);
        Assert.Equal($"The specified revision ({other}) does not exist for the specified title (Main_Page)", foreign.Json["messageTranslations"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task HistoryCounts_EachType_CountsWithFromAndToLeftOut()
    {
        var (alice, _) = await TestUsers.LoggedInAsync(Farm, "Counter");
        using var _1 = alice;
        var (bob, _) = await TestUsers.LoggedInAsync(Farm, "Counter");
        using var _2 = bob;
        var (bot, _) = await TestUsers.LoggedInAsync(Farm, "Countbot", null, "bot");
        using var _3 = bot;
        using var anonymous = Farm.Client();
        var title = Key(NewTitle("counts"));
        var r1 = await EditAsync(alice, title, "1");
        await EditAsync(bob, title, "2", minor: true);
        await EditAsync(alice, title, "3");
        await EditAsync(anonymous, title, "4");
        var r5 = await EditAsync(bot, title, "5");

        async Task<string> Count(string type, string query = "") => (await GetAsync($"/v1/page/{title}/history/counts/{type}{query}")).Body;

        Assert.Equal("""{"count":5,"limit":false}""", await Count("edits"));
        Assert.Equal("""{"count":4,"limit":false}""", await Count("editors"));
        Assert.Equal("""{"count":1,"limit":false}""", await Count("anonymous"));
        Assert.Equal("""{"count":1,"limit":false}""", await Count("minor"));
        Assert.Equal("""{"count":1,"limit":false}""", await Count("bot"));
        Assert.Equal("""{"count":0,"limit":false}""", await Count("reverted"));
        Assert.Equal("""{"count":3,"limit":false}""", await Count("edits", $"?from={r1}&to={r5}"));
        Assert.Equal("""{"count":3,"limit":false}""", await Count("edits", $"?from={r5}&to={r1}"));
        Assert.Equal("""{"count":3,"limit":false}""", await Count("editors", $"?from={r1}&to={r5}"));

        var deprecated = await GetAsync($"/v1/page/{title}/history/counts/anonedits");
        Assert.Equal("""{"count":1,"limit":false}""", deprecated.Body);
        Assert.Equal("version=\"v1\"", deprecated.Header("Deprecation"));
        Assert.Equal("max-age=60", deprecated.Header("Cache-Control"));
    }

    [Fact]
    public async Task Revision_EachForm_GivesMetadataWithSourceHtmlUrlOrHtml()
    {
        var (client, user) = await TestUsers.LoggedInAsync(Farm, "Reviser");
        using var _ = client;
        var title = NewTitle("revision");
        var first = await EditAsync(client, title, "First '''text'''.", "made it");
        var second = await EditAsync(client, title, "Second, longer '''text'''.", "grew it", minor: true);

        var source = (await GetAsync($"/v1/revision/{first}")).Json.AsObject();
        Assert.Equal(["id", "size", "minor", "timestamp", "content_model", "page", "license", "user", "comment", "delta", "source"], source.Select(p => p.Key));
        Assert.Equal(first, source["id"]!.GetValue<int>());
        Assert.Equal("First '''text'''.", source["source"]!.GetValue<string>());
        Assert.Equal("made it", source["comment"]!.GetValue<string>());
        Assert.Null(source["delta"]);
        Assert.Equal("wikitext", source["content_model"]!.GetValue<string>());
        Assert.Equal(Key(title), source["page"]!["key"]!.GetValue<string>());
        Assert.Equal(title, source["page"]!["title"]!.GetValue<string>());
        Assert.Equal(user, source["user"]!["name"]!.GetValue<string>());

        var bare = (await GetAsync($"/v1/revision/{second}/bare")).Json;
        Assert.Equal(Rest($"/v1/revision/{second}/html"), bare["html_url"]!.GetValue<string>());
        Assert.Equal(9, bare["delta"]!.GetValue<int>());
        Assert.True(bare["minor"]!.GetValue<bool>());
        Assert.Null(bare["source"]);

        var withHtml = (await GetAsync($"/v1/revision/{first}/with_html")).Json;
        Assert.Contains("First <b>text</b>.", withHtml["html"]!.GetValue<string>(), StringComparison.Ordinal);

        var html = await GetAsync($"/v1/revision/{first}/html");
        Assert.Equal("text/html; charset=utf-8", html.Header("Content-Type"));
        Assert.Contains("First <b>text</b>.", html.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/page/Main_Page/history?older_than=1&newer_than=2", 400, """{"messageTranslations":{"en":"Parameters \"older_than\" and \"newer_than\" cannot both be specified"},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history?older_than=0", 400, """{"messageTranslations":{"en":"Revision id must be greater than 0"},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history?older_than=abc", 400, """{"error":"parameter-validation-failed","name":"older_than","value":"abc","failureCode":"badinteger","failureData":null,"messageTranslations":{"en":"Invalid value \"abc\" for integer parameter <var>older_than</var>."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history?filter=tagged", 400, """{"error":"parameter-validation-failed","name":"filter","value":"tagged","failureCode":"badvalue","failureData":null,"messageTranslations":{"en":"Unrecognized value for parameter <var>filter</var>: tagged."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history/counts/minor?from=1&to=2", 400, """{"messageTranslations":{"en":"The specified combination of parameters is not supported."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history/counts/edits?from=1", 400, """{"messageTranslations":{"en":"The specified combination of parameters is not supported."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history/counts/everything", 400, """{"error":"parameter-validation-failed","name":"type","value":"everything","failureCode":"badvalue","failureData":null,"messageTranslations":{"en":"Unrecognized value for parameter <var>type</var>: everything."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/page/Main_Page/history/counts/edits?from=1&to=99999", 404, """{"messageTranslations":{"en":"The specified revision (99999) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/page/No_Such_History_Page/history", 404, """{"messageTranslations":{"en":"The specified title (No_Such_History_Page) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/page/No_Such_Media_Page/links/media", 404, """{"messageTranslations":{"en":"The specified title (No_Such_Media_Page) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/page/No_Such_Counted_Page/history/counts/edits", 404, """{"messageTranslations":{"en":"The specified title (No_Such_Counted_Page) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/revision/99999", 404, """{"messageTranslations":{"en":"The specified revision (99999) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/revision/99999/html", 404, """{"messageTranslations":{"en":"The specified revision (99999) does not exist"},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/revision/abc/bare", 400, """{"error":"parameter-validation-failed","name":"id","value":"abc","failureCode":"badinteger","failureData":null,"messageTranslations":{"en":"Invalid value \"abc\" for integer parameter <var>id</var>."},"httpCode":400,"httpReason":"Bad Request"}""")]
    [InlineData("/v1/revision/1/compare/99999", 404, """{"messageTranslations":{"en":"The revision specified by the to parameter does not exist."},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/revision/99999/compare/1", 404, """{"messageTranslations":{"en":"The revision specified by the from parameter does not exist."},"httpCode":404,"httpReason":"Not Found"}""")]
    [InlineData("/v1/revision/1/compare/x", 400, """{"error":"parameter-validation-failed","name":"to","value":"x","failureCode":"badinteger","failureData":null,"messageTranslations":{"en":"Invalid value \"x\" for integer parameter <var>to</var>."},"httpCode":400,"httpReason":"Bad Request"}""")]
    public async Task Route_BadParameterOrUnknownId_GivesMediaWikisStatusAndError(string path, int status, string body)
    {
        var a = await GetAsync(path);

        Assert.Equal(status, (int)a.Response.StatusCode);
        Assert.Equal(body, a.Body);
    }

    [Fact]
    public async Task Revision_OfDeletedPage_Gives404()
    {
        var (sysop, _) = await TestUsers.LoggedInAsync(Farm, "Deleter", null, "sysop");
        using var _1 = sysop;
        var title = NewTitle("deleted");
        var id = await EditAsync(sysop, title, "doomed");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/v1/revision/{id}")).Response.StatusCode);

        var deleted = await sysop.PostAsync(("action", "delete"), ("title", title), ("format", "json"), ("formatversion", "2"), ("token", await sysop.CsrfTokenAsync()));
        Assert.NotNull(deleted.Json["delete"]);

        var a = await GetAsync($"/v1/revision/{id}");
        Assert.Equal(HttpStatusCode.NotFound, a.Response.StatusCode);
        Assert.Equal($"The specified revision ({id}) does not exist", a.Json["messageTranslations"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task Compare_AddedDeletedAndChangedLines_GivesWikidiff2Json()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Comparer");
        using var _1 = client;
        var title = NewTitle("compare");
        var from = await EditAsync(client, title, "A\nB\nC\nD");
        var to = await EditAsync(client, title, "A\nB changed\nD\n== Héading ==\nE");

        var a = await GetAsync($"/v1/revision/{from}/compare/{to}");

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        Assert.Equal("application/json", a.Header("Content-Type"));
        Assert.Equal(
            $$"""{"from":{"id":{{from}},"slot_role":"main","sections":[]},"to":{"id":{{to}},"slot_role":"main","sections":[{"level":2,"heading":"== Héading ==","offset":14}]},"diff":["""
            + """{"type":0,"lineNumber":1,"text":"A","offset":{"from":0,"to":0}},"""
            + """{"type":3,"lineNumber":2,"text":"B changed","offset":{"from":2,"to":2},"highlightRanges":[{"start":1,"length":8,"type":0}]},"""
            + """{"type":2,"text":"C","offset":{"from":4,"to":null}},"""
            + """{"type":0,"lineNumber":3,"text":"D","offset":{"from":6,"to":12}},"""
            + """{"type":1,"lineNumber":4,"text":"== Héading ==","offset":{"from":null,"to":14}},"""
            + """{"type":1,"lineNumber":5,"text":"E","offset":{"from":null,"to":29}}]}""",
            a.Body);
    }

    [Fact]
    public async Task Compare_RevisionsOfTwoPages_Gives400AsMediaWiki()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Comparer");
        using var _1 = client;
        var from = await EditAsync(client, NewTitle("left"), "same\nleft");
        var to = await EditAsync(client, NewTitle("right"), "same\nright");

        var answer = await GetAsync($"/v1/revision/{from}/compare/{to}");

        Assert.Equal(400, (int)answer.Response.StatusCode);
        Assert.Equal("The revisions provided are not for the same page.", answer.Json["messageTranslations"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task MediaLinks_PageWithAnUploadedFile_DescribesItAndLeavesOutMissingFiles()
    {
        var (client, user) = await TestUsers.LoggedInAsync(Farm, "Illustrator");
        using var _ = client;
        var file = $"Media links test {Interlocked.Increment(ref _page)}.png";
        var png = TestImages.Png(1000, 500);
        var upload = await client.PostFileAsync("file", file, png,
            [("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", file), ("comment", "c"), ("token", await client.CsrfTokenAsync())]);
        Assert.Equal("Success", upload.Json["upload"]!["result"]!.GetValue<string>());
        var title = NewTitle("media");
        await EditAsync(client, title, $"[[File:{file}|thumb]] and [[File:No such media file.png]]");

        var a = await GetAsync($"/v1/page/{Key(title)}/links/media");

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        var files = a.Json["files"]!.AsArray();
        var only = Assert.Single(files)!.AsObject();
        Assert.Equal(["title", "file_description_url", "latest", "preferred", "original"], only.Select(p => p.Key));
        Assert.Equal(file, only["title"]!.GetValue<string>());
        Assert.Equal(Farm.AlphaServer + "/wiki/File:" + Key(file), only["file_description_url"]!.GetValue<string>());
        Assert.Equal(user, only["latest"]!["user"]!["name"]!.GetValue<string>());
        var original = only["original"]!;
        Assert.Equal("BITMAP", original["mediatype"]!.GetValue<string>());
        Assert.Equal(png.Length, original["size"]!.GetValue<int>());
        Assert.Equal(1000, original["width"]!.GetValue<int>());
        Assert.Equal(500, original["height"]!.GetValue<int>());
        Assert.Null(original["duration"]);
        Assert.EndsWith("/" + Uri.EscapeDataString(Key(file)), original["url"]!.GetValue<string>(), StringComparison.Ordinal);
        var preferred = only["preferred"]!;
        Assert.Equal(800, preferred["width"]!.GetValue<int>());
        Assert.Equal(400, preferred["height"]!.GetValue<int>());
        Assert.Null(preferred["size"]);
        Assert.Contains("/thumb/", preferred["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(preferred["url"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task MediaLinks_PageUsingMoreThan100Files_Gives400()
    {
        var title = Key(NewTitle("many files"));
        await Farm.EditPagesAsync((title, string.Concat(Enumerable.Range(1, 101).Select(i => $"[[File:Absent {i}.png]]\n"))));

        var a = await GetAsync($"/v1/page/{title}/links/media");

        Assert.Equal(HttpStatusCode.BadRequest, a.Response.StatusCode);
        Assert.Equal($"Too many media links found on title {title} (100 allowed)", a.Json["messageTranslations"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task History_CrossOriginGet_GetsRestCorsHeaders()
    {
        await using var farm = await TestFarm.StartAsync(s => s["Farm:Wikis:alpha:AllowCrossOrigin"] = "true");
        using var client = farm.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, farm.AlphaServer + "/w/rest.php/v1/page/Main_Page/history");
        request.Headers.TryAddWithoutValidation("Origin", "https://elsewhere.example");

        var a = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode);
        Assert.Equal("*", a.Header("Access-Control-Allow-Origin"));
        Assert.Null(a.Header("Access-Control-Allow-Credentials"));
        Assert.Single(a.Json["revisions"]!.AsArray());
    }

    [Fact]
    public async Task History_IfNoneMatchTheLatestRevision_Gives304UntilTheNextEdit()
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, "Poller");
        using var _1 = client;
        var title = Key(NewTitle("etag"));
        var first = await EditAsync(client, title, "one");
        var etag = (await GetAsync($"/v1/page/{title}/history")).Response.Headers.ETag!.Tag;
        Assert.Equal($"\"{first}\"", etag);

        async Task<HttpStatusCode> ConditionalAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Rest($"/v1/page/{title}/history"));
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            return (await client.SendAsync(request)).Response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotModified, await ConditionalAsync());
        await EditAsync(client, title, "two");
        Assert.Equal(HttpStatusCode.OK, await ConditionalAsync());
    }

    [Fact]
    public async Task Preflight_HistoryRoute_AllowsHeadAndGet()
    {
        using var client = Farm.Client();
        using var request = new HttpRequestMessage(HttpMethod.Options, Rest("/v1/revision/1/compare/2"));
        request.Headers.TryAddWithoutValidation("Origin", "https://elsewhere.example");

        var a = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, a.Response.StatusCode);
        Assert.Equal("HEAD, GET", a.Header("Access-Control-Allow-Methods"));
    }
}
