using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=upload as ApiUpload answers: whole files, the stash, chunks, warnings and refusals; prop=imageinfo; the files served.</summary>
public sealed class UploadTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _file;

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    private static string NewName(string what, string extension = "png") => $"Upload test {what} {Interlocked.Increment(ref _file)}.{extension}";

    private async Task<(ApiClient Client, string Token, string User)> UploaderAsync(string prefix = "Uploader")
    {
        var (client, name) = await TestUsers.LoggedInAsync(Farm, prefix);
        return (client, await client.CsrfTokenAsync(), name);
    }

    private static Task<ApiClient.Answer> UploadAsync(ApiClient client, string token, string fileName, byte[] content, params (string Key, string Value)[] more) =>
        client.PostFileAsync("file", fileName, content, [("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", fileName), .. more, ("token", token)]);

    private static Task<ApiClient.Answer> PostAsync(ApiClient client, string token, params (string Key, string Value)[] parameters) =>
        client.PostAsync([("action", "upload"), ("format", "json"), ("formatversion", "2"), .. parameters, ("token", token)]);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "The sha1 MediaWiki reports.")]
    private static string Sha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));

    [Fact]
    public async Task Upload_PngWhole_SuccessWithImageInfoAndAFilePage()
    {
        var (client, token, user) = await UploaderAsync();
        using var _ = client;
        var name = NewName("whole");
        var png = TestImages.Png(3, 2);

        var answer = await UploadAsync(client, token, name, png, ("comment", "First version"), ("text", "A [[test]] image."));

        var upload = answer.Json["upload"]!;
        Assert.Equal("Success", upload["result"]!.GetValue<string>());
        var dbKey = name.Replace(' ', '_');
        Assert.Equal(dbKey, upload["filename"]!.GetValue<string>());
        var info = upload["imageinfo"]!.AsObject();
        Assert.Equal(
            ["timestamp", "user", "userid", "size", "width", "height", "parsedcomment", "comment", "canonicaltitle", "url", "descriptionurl", "descriptionshorturl", "sha1", "metadata", "commonmetadata", "mime", "mediatype"],
            info.Select(p => p.Key).ToList());
        Assert.Equal(user, info["user"]!.GetValue<string>());
        Assert.Equal(png.Length, info["size"]!.GetValue<int>());
        Assert.Equal(3, info["width"]!.GetValue<int>());
        Assert.Equal(2, info["height"]!.GetValue<int>());
        Assert.Equal("First version", info["comment"]!.GetValue<string>());
        Assert.Equal("File:" + name, info["canonicaltitle"]!.GetValue<string>());
        Assert.Equal(Sha1(png), info["sha1"]!.GetValue<string>());
        Assert.Equal("image/png", info["mime"]!.GetValue<string>());
        Assert.Equal("BITMAP", info["mediatype"]!.GetValue<string>());
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/w/images/[0-9a-f]/[0-9a-f]{2}/" + System.Text.RegularExpressions.Regex.Escape(Uri.EscapeDataString(dbKey)) + "$", info["url"]!.GetValue<string>());

        var raw = await client.Http.GetStringAsync(Farm.AlphaServer + "/w/index.php?title=" + Uri.EscapeDataString("File:" + name) + "&action=raw");
        Assert.Equal("A [[test]] image.", raw);
    }

    [Fact]
    public async Task StashImageInfo_StashedFile_DescribedAndServedToItsOwnerOnly()
    {
        var (client, token, user) = await UploaderAsync("Stasher");
        using var _ = client;
        var png = TestImages.Png(6, 5, seed: 41);
        var key = (await UploadAsync(client, token, NewName("stash info"), png, ("stash", "1"))).Json["upload"]!["filekey"]!.GetValue<string>();

        var answer = await client.GetAsync(("action", "query"), ("prop", "stashimageinfo"), ("siifilekey", key), ("siiprop", "timestamp|url|size|sha1|mime"),
            ("format", "json"), ("formatversion", "2"));

        var info = answer.Json["query"]!["stashimageinfo"]![0]!.AsObject();
        Assert.Equal(["timestamp", "size", "width", "height", "url", "descriptionurl", "sha1", "mime"], info.Select(p => p.Key).ToList());
        Assert.Equal(png.Length, info["size"]!.GetValue<int>());
        Assert.Equal(6, info["width"]!.GetValue<int>());
        Assert.Equal(Sha1(png), info["sha1"]!.GetValue<string>());
        Assert.Equal("image/png", info["mime"]!.GetValue<string>());
        var url = info["url"]!.GetValue<string>();
        Assert.Equal(Farm.AlphaServer + "/wiki/Special:UploadStash/file/" + key, url);
        using var served = await client.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("default-src 'none'; sandbox", served.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(served.Headers.CacheControl!.Private);

        // Another user neither sees it nor gets it.
        var (other, _, _) = await UploaderAsync("Snoop");
        using (other)
        {
            var refused = await other.GetAsync(("action", "query"), ("prop", "stashimageinfo"), ("siifilekey", key), ("format", "json"));
            Assert.Equal("stashedfilenotfound", refused.Json["error"]!["code"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(url)).StatusCode);
        }

        Assert.Equal("stashpathinvalid", (await client.GetAsync(("action", "query"), ("prop", "stashimageinfo"), ("siifilekey", "../x"), ("format", "json"))).Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal("missingparam", (await client.GetAsync(("action", "query"), ("prop", "stashimageinfo"), ("format", "json"))).Json["error"]!["code"]!.GetValue<string>());
        using var anonymous = Farm.Client();
        Assert.Equal("notloggedin", (await anonymous.GetAsync(("action", "query"), ("prop", "stashimageinfo"), ("siifilekey", key), ("format", "json"))).Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServedFile_Uploaded_SafeHeadersConditionalAndRangeRequests()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var png = TestImages.Png(4, 4, seed: 7);
        var answer = await UploadAsync(client, token, NewName("served"), png);
        var url = answer.Json["upload"]!["imageinfo"]!["url"]!.GetValue<string>();
        using var http = new HttpClient();

        using var whole = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(png, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal("default-src 'none'; sandbox", string.Join(",", whole.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", whole.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("*", string.Join(",", whole.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.NotNull(whole.Content.Headers.LastModified);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(whole.Headers.ETag!);
        using var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(1, 8);
        using var partial = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(png[1..9], await partial.Content.ReadAsByteArrayAsync());

        using var missing = await http.GetAsync(url.Replace("served", "never-uploaded", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>The width and height in a PNG's header.</summary>
    private static (int Width, int Height) PngSize(byte[] png) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

    [Fact]
    public async Task ImageInfo_UrlWidth_ThumbnailMadeOnFirstFetchAndNeverScaledUp()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("thumb");
        await UploadAsync(client, token, name, TestImages.Png(40, 30, seed: 71));

        var info = async (string width, string height) => JsonNode.Parse(await Farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "url|size"),
            ("iiurlwidth", width), ("iiurlheight", height), ("formatversion", "2")))!["query"]!["pages"]![0]!["imageinfo"]![0]!;
        var small = await info("20", "-1");
        var boxed = await info("-1", "15");
        var large = await info("100", "-1");

        Assert.Equal((20, 15), (small["thumbwidth"]!.GetValue<int>(), small["thumbheight"]!.GetValue<int>()));
        Assert.Equal(small["thumburl"]!.GetValue<string>(), boxed["thumburl"]!.GetValue<string>());
        Assert.EndsWith("/thumb/" + small["url"]!.GetValue<string>().Split("/images/")[1] + "/20px-" + Uri.EscapeDataString(name.Replace(' ', '_')), small["thumburl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(large["url"]!.GetValue<string>(), large["thumburl"]!.GetValue<string>());
        Assert.Equal((40, 30), (large["thumbwidth"]!.GetValue<int>(), large["thumbheight"]!.GetValue<int>()));

        using var http = new HttpClient();
        using var thumb = await http.GetAsync(small["thumburl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        Assert.Equal("image/png", thumb.Content.Headers.ContentType!.MediaType);
        Assert.Equal((20, 15), PngSize(await thumb.Content.ReadAsByteArrayAsync()));
        Assert.Equal("default-src 'none'; sandbox", string.Join(",", thumb.Headers.GetValues("Content-Security-Policy")));

        // No thumbnail larger than the file, and none of a size nobody could have been given.
        using var upscaled = await http.GetAsync(small["thumburl"]!.GetValue<string>().Replace("/20px-", "/80px-", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, upscaled.StatusCode);
    }

    [Fact]
    public async Task Parse_FileEmbeds_ImagesThumbnailsAndRedLinksAsMediaWikisLinker()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("embed");
        var key = name.Replace(' ', '_');
        var upload = await UploadAsync(client, token, name, TestImages.Png(40, 30, seed: 81));
        var path = new Uri(upload.Json["upload"]!["imageinfo"]!["url"]!.GetValue<string>()).AbsolutePath;
        var hashed = path["/w/images/".Length..path.LastIndexOf('/')];
        var href = "/wiki/File:" + Uri.EscapeDataString(key).Replace("%20", "_", StringComparison.Ordinal);

        async Task<string> ParseAsync(string text) =>
            (await client.PostAsync(("action", "parse"), ("text", text), ("contentmodel", "wikitext"), ("prop", "text|images"), ("format", "json"), ("formatversion", "2")))
                .Json["parse"]!["text"]!.GetValue<string>();

        var plain = await ParseAsync($"[[File:{name}]]");
        var thumb = await ParseAsync($"[[File:{name}|thumb|20px|A [[Caption link]] here]]");
        var centred = await ParseAsync($"[[Image:{name}|center|10px|link=|A title]]");
        var missing = await ParseAsync("[[File:Never uploaded here.png|thumb|Gone]]");
        var media = await ParseAsync($"[[Media:{name}]] and [[:Media:Never uploaded here.png|the missing one]]");

        Assert.Contains($"<a href=\"{href}\" class=\"image\"><img alt=\"{name}\" src=\"{path}\" decoding=\"async\" width=\"40\" height=\"30\" /></a>", plain, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"thumb tright\"><div class=\"thumbinner\" style=\"width:22px;\"><a href=\"{href}\" class=\"image\"><img alt=\"\" src=\"/w/images/thumb/{hashed}/{Uri.EscapeDataString(key)}/20px-{Uri.EscapeDataString(key)}\" decoding=\"async\" width=\"20\" height=\"15\" class=\"thumbimage\" /></a>  <div class=\"thumbcaption\"><div class=\"magnify\"><a href=\"{href}\" class=\"internal\" title=\"Enlarge\"></a></div>A <a href=\"/w/index.php?title=Caption_link&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"Caption link (page does not exist)\">Caption link</a> here</div></div></div>", thumb, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"center\"><div class=\"floatnone\"><img alt=\"A title\" src=\"/w/images/thumb/{hashed}/{Uri.EscapeDataString(key)}/10px-{Uri.EscapeDataString(key)}\" decoding=\"async\" width=\"10\" height=\"8\" /></div></div>", centred, StringComparison.Ordinal);
        Assert.Contains("<div class=\"thumb tright\"><div class=\"thumbinner\" style=\"width:182px;\"><a href=\"/w/index.php?title=Special:Upload&amp;wpDestFile=Never_uploaded_here.png\" class=\"new\" title=\"File:Never uploaded here.png\">File:Never uploaded here.png</a>  <div class=\"thumbcaption\">Gone</div></div></div>", missing, StringComparison.Ordinal);

        // [[Media:X]] links to the file itself (Linker::makeMediaLinkFile), a missing one to its upload form.
        Assert.Contains($"<a href=\"{path}\" class=\"internal\" title=\"{name}\">Media:{name}</a> and <a href=\"/w/index.php?title=Special:Upload&amp;wpDestFile=Never_uploaded_here.png\" class=\"new\" title=\"Never uploaded here.png\">the missing one</a>", media, StringComparison.Ordinal);

        // The page view shows the thumbnail, and it is served.
        using var http = new HttpClient();
        var thumbUrl = Farm.AlphaServer + $"/w/images/thumb/{hashed}/{Uri.EscapeDataString(key)}/20px-{Uri.EscapeDataString(key)}";
        Assert.Equal((20, 15), PngSize(await http.GetByteArrayAsync(thumbUrl)));
    }

    [Fact]
    public async Task FileRepoInfo_LocalRepository_WhereAndWhetherToUpload()
    {
        var answer = await Farm.QueryAsync(("meta", "filerepoinfo"), ("formatversion", "2"));
        var server = Farm.AlphaServer;

        Assert.Equal(
            "{\"batchcomplete\":true,\"query\":{\"repos\":[{\"name\":\"local\",\"displayname\":\"Alpha Wiki\",\"rootUrl\":\"" + server + "/w/images\",\"local\":true,\"url\":\"" + server + "/w/images\",\"thumbUrl\":\"" + server + "/w/images/thumb\","
            + "\"initialCapital\":true,\"descBaseUrl\":\"" + server + "/wiki/File:\",\"scriptDirUrl\":\"" + server + "/w\",\"favicon\":\"" + server + "/favicon.ico\",\"canUpload\":true}]}}",
            answer);
        var only = await Farm.QueryAsync(("meta", "filerepoinfo"), ("friprop", "name|scriptDirUrl"), ("formatversion", "2"));
        Assert.Equal("{\"batchcomplete\":true,\"query\":{\"repos\":[{\"name\":\"local\",\"scriptDirUrl\":\"" + server + "/w\"}]}}", only);
    }

    [Fact]
    public async Task AllImages_ByNameWithPrefix_ContinuesAndGeneratesFilePages()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var prefix = "Listed " + Guid.NewGuid().ToString("N")[..8];
        foreach (var (letter, seed) in new[] { ("a", 91), ("b", 92), ("c", 93) })
        {
            await UploadAsync(client, token, $"{prefix} {letter}.png", TestImages.Png(2, 2, seed: seed));
        }

        var first = JsonNode.Parse(await Farm.QueryAsync(("list", "allimages"), ("aiprefix", prefix), ("ailimit", "2"), ("aiprop", "size|mime"), ("formatversion", "2")))!;
        var key = prefix.Replace(' ', '_');
        Assert.Equal(
            $$"""[{"name":"{{key}}_a.png","size":{{TestImages.Png(2, 2, seed: 91).Length}},"width":2,"height":2,"mime":"image/png","ns":6,"title":"File:{{prefix}} a.png"},{"name":"{{key}}_b.png","size":{{TestImages.Png(2, 2, seed: 92).Length}},"width":2,"height":2,"mime":"image/png","ns":6,"title":"File:{{prefix}} b.png"}]""",
            first["query"]!["allimages"]!.ToJsonString());
        Assert.Equal($"{key}_c.png", first["continue"]!["aicontinue"]!.GetValue<string>());

        var rest = JsonNode.Parse(await Farm.QueryAsync(("list", "allimages"), ("aiprefix", prefix), ("ailimit", "2"), ("aicontinue", $"{key}_c.png"), ("formatversion", "2")))!;
        Assert.Equal([$"{key}_c.png"], rest["query"]!["allimages"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Null(rest["continue"]);

        var generated = JsonNode.Parse(await Farm.QueryAsync(("generator", "allimages"), ("gaiprefix", prefix), ("prop", "imageinfo"), ("iiprop", "mime"), ("formatversion", "2")))!;
        Assert.Equal(3, generated["query"]!["pages"]!.AsArray().Count(p => p!["imageinfo"]![0]!["mime"]!.GetValue<string>() == "image/png"));
    }

    [Fact]
    public async Task ImageInfo_SvgUrlWidth_RasterisedToPngAtAnySize()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("drawing", "svg");
        var svg = """<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="#36c"/></svg>"""u8.ToArray();
        var upload = await UploadAsync(client, token, name, svg);
        Assert.Equal("DRAWING", upload.Json["upload"]!["imageinfo"]!["mediatype"]!.GetValue<string>());

        var info = JsonNode.Parse(await Farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "url"), ("iiurlwidth", "300"), ("formatversion", "2")))!["query"]!["pages"]![0]!["imageinfo"]![0]!;
        Assert.Equal(150, info["thumbheight"]!.GetValue<int>());
        Assert.EndsWith(".svg.png", info["thumburl"]!.GetValue<string>(), StringComparison.Ordinal);
        using var http = new HttpClient();
        using var thumb = await http.GetAsync(info["thumburl"]!.GetValue<string>());
        Assert.Equal("image/png", thumb.Content.Headers.ContentType!.MediaType);
        Assert.Equal((300, 150), PngSize(await thumb.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Upload_ExistingName_ExistsWarningThenIgnoreWarningsArchivesTheOldVersion()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("again");
        var first = TestImages.Png(2, 2, seed: 11);
        var second = TestImages.Png(5, 5, seed: 12);
        await UploadAsync(client, token, name, first, ("comment", "one"));

        var warned = await UploadAsync(client, token, name, second, ("comment", "two"));
        var upload = warned.Json["upload"]!;
        Assert.Equal("Warning", upload["result"]!.GetValue<string>());
        Assert.Equal($$"""{"exists":"{{name.Replace(' ', '_')}}"}""", upload["warnings"]!.ToJsonString());
        var fileKey = upload["filekey"]!.GetValue<string>();
        Assert.Equal(fileKey, upload["sessionkey"]!.GetValue<string>());

        var published = await PostAsync(client, token, ("filename", name), ("filekey", fileKey), ("ignorewarnings", "1"), ("comment", "two"));
        Assert.Equal("Success", published.Json["upload"]!["result"]!.GetValue<string>());
        Assert.Equal($$"""{"exists":"{{name.Replace(' ', '_')}}"}""", published.Json["upload"]!["warnings"]!.ToJsonString());

        var history = await Farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "size|sha1|comment|url|archivename"), ("iilimit", "5"), ("formatversion", "2"));
        var versions = JsonNode.Parse(history)!["query"]!["pages"]![0]!["imageinfo"]!.AsArray();
        Assert.Equal(2, versions.Count);
        Assert.Equal(Sha1(second), versions[0]!["sha1"]!.GetValue<string>());
        Assert.Equal("two", versions[0]!["comment"]!.GetValue<string>());
        Assert.Null(versions[0]!["archivename"]);
        Assert.Equal(Sha1(first), versions[1]!["sha1"]!.GetValue<string>());
        Assert.EndsWith("!" + name.Replace(' ', '_'), versions[1]!["archivename"]!.GetValue<string>(), StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(first, await http.GetByteArrayAsync(versions[1]!["url"]!.GetValue<string>()));
        Assert.Equal(second, await http.GetByteArrayAsync(versions[0]!["url"]!.GetValue<string>()));

        // The stashed file was used up by the publication.
        var reused = await PostAsync(client, token, ("filename", name), ("filekey", fileKey), ("ignorewarnings", "1"));
        Assert.Equal("stashfailed", reused.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_SameContentAgain_NoChangeAndDuplicateWarnings()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("dupe");
        var png = TestImages.Png(2, 3, seed: 21);
        await UploadAsync(client, token, name, png);

        var same = await UploadAsync(client, token, name, png);
        var other = await UploadAsync(client, token, NewName("dupe twin"), png);

        Assert.Equal("Warning", same.Json["upload"]!["result"]!.GetValue<string>());
        Assert.NotNull(same.Json["upload"]!["warnings"]!["nochange"]!["timestamp"]);
        Assert.Equal($$"""["{{name.Replace(' ', '_')}}"]""", other.Json["upload"]!["warnings"]!["duplicate"]!.ToJsonString());
    }

    [Fact]
    public async Task Upload_Stash_GivesAFileKeyOnlyItsUserCanPublish()
    {
        var (client, token, _) = await UploaderAsync();
        var (other, otherToken, _) = await UploaderAsync("Otheruploader");
        using var _1 = client;
        using var _2 = other;
        var name = NewName("stash");
        var png = TestImages.Png(6, 1, seed: 31);

        var stashed = await UploadAsync(client, token, name, png, ("stash", "1"));
        Assert.Equal("Success", stashed.Json["upload"]!["result"]!.GetValue<string>());
        var key = stashed.Json["upload"]!["filekey"]!.GetValue<string>();
        Assert.Matches(@"^[0-9a-z]+\.[0-9a-z]+\.\d+\.png$", key);
        var notYet = await Farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("formatversion", "2"));
        Assert.Equal("", JsonNode.Parse(notYet)!["query"]!["pages"]![0]!["imagerepository"]!.GetValue<string>());

        var stolen = await PostAsync(other, otherToken, ("filename", name), ("filekey", key));
        Assert.Equal("stashfailed", stolen.Json["error"]!["code"]!.GetValue<string>());

        var published = await PostAsync(client, token, ("filename", name), ("filekey", key));
        Assert.Equal("Success", published.Json["upload"]!["result"]!.GetValue<string>());
        Assert.Equal(Sha1(png), published.Json["upload"]!["imageinfo"]!["sha1"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_Chunked_ContinueSuccessResumeAfterAWrongOffsetAndPublish()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("chunked");
        var png = TestImages.Png(40, 40, seed: 41, noisy: true);
        Assert.True(png.Length > 5000);
        const int ChunkSize = 2048;
        var size = png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Task<ApiClient.Answer> ChunkAsync(int offset, string? key) =>
            client.PostFileAsync("chunk", "blob", png[offset..Math.Min(png.Length, offset + ChunkSize)],
                [("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", name), ("stash", "1"), ("ignorewarnings", "1"),
                 ("filesize", size), ("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. key is null ? Array.Empty<(string, string)>() : [("filekey", key)], ("token", token)]);

        var first = (await ChunkAsync(0, null)).Json["upload"]!;
        Assert.Equal("Continue", first["result"]!.GetValue<string>());
        Assert.Equal(ChunkSize, first["offset"]!.GetValue<int>());
        var key = first["filekey"]!.GetValue<string>();

        // A chunk sent at the wrong place is refused with where the upload stands, and nothing is lost.
        var wrong = (await ChunkAsync(2 * ChunkSize, key)).Json;
        Assert.Equal("stashfailed", wrong["error"]!["code"]!.GetValue<string>());
        Assert.Equal(ChunkSize, wrong["error"]!["offset"]!.GetValue<int>());

        var status = await PostAsync(client, token, ("filekey", key), ("checkstatus", "1"));
        Assert.Equal("""{"result":"Continue","stage":"uploading","offset":2048}""", status.Json["upload"]!.ToJsonString());

        JsonNode last = first;
        for (var offset = ChunkSize; offset < png.Length; offset += ChunkSize)
        {
            last = (await ChunkAsync(offset, key)).Json["upload"]!;
            Assert.Equal(offset + ChunkSize < png.Length ? "Continue" : "Success", last["result"]!.GetValue<string>());
        }

        var wholeKey = last["filekey"]!.GetValue<string>();
        Assert.NotEqual(key, wholeKey);
        var published = await PostAsync(client, token, ("filename", name), ("filekey", wholeKey), ("comment", "in chunks"));
        var info = published.Json["upload"]!["imageinfo"]!;
        Assert.Equal(Sha1(png), info["sha1"]!.GetValue<string>());
        Assert.Equal(40, info["width"]!.GetValue<int>());
        using var http = new HttpClient();
        Assert.Equal(png, await http.GetByteArrayAsync(info["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Upload_BadChunks_InvalidChunkTooSmallAndFileKeyRules()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = NewName("bad chunks");

        Task<ApiClient.Answer> ChunkAsync(byte[] bytes, int filesize, int offset, string? key = null) =>
            client.PostFileAsync("chunk", "blob", bytes,
                [("action", "upload"), ("format", "json"), ("filename", name), ("filesize", filesize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 ("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. key is null ? Array.Empty<(string, string)>() : [("filekey", key)], ("token", token)]);

        Assert.Equal(Expect.Error(Api, "invalid-chunk", "Offset plus current chunk is greater than claimed file size."), (await ChunkAsync(new byte[2000], 1000, 0)).Body);
        Assert.Equal(Expect.Error(Api, "chunk-too-small", "Minimum chunk size is 1,024 bytes for non-final chunks."), (await ChunkAsync(new byte[100], 5000, 0)).Body);
        Assert.Equal(Expect.Error(Api, "filekeyneeded", "Must supply a filekey when offset is non-zero."), (await ChunkAsync(new byte[2000], 5000, 2000)).Body);
        Assert.Equal(Expect.Error(Api, "filekeynotallowed", "Cannot supply a filekey when offset is 0."), (await ChunkAsync(new byte[2000], 5000, 0, "abc.def.1.png")).Body);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "empty", "", "empty-file: The file you submitted was empty." },
        { "no extension", "noext", "filetype-missing: The file has no extension (like \".jpg\")." },
        { "exe", "exe", "filetype-banned" },
        { "png named jpg", "jpg", "verification-error" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Upload_RefusedFile_MediaWikisErrorAndNothingPublished(string what, string extension, string expected)
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var name = extension == "noext" ? $"Upload test {what} {Interlocked.Increment(ref _file)}" : NewName(what, extension);
        // An executable's bytes are no type MediaWiki recognises, so its name's extension decides; a PNG named .jpg is found out by its content.
        var content = what switch
        {
            "empty" => [],
            "exe" => [(byte)'M', (byte)'Z', .. new byte[200]],
            _ => TestImages.Png(2, 2, seed: 51),
        };

        var answer = await UploadAsync(client, token, name, content);

        var error = answer.Json["error"]!;
        var got = error["code"]!.GetValue<string>() + (expected.Contains(':', StringComparison.Ordinal) ? ": " + error["info"]!.GetValue<string>() : "");
        Assert.Equal(expected, got);
        if (expected == "filetype-banned")
        {
            Assert.Equal("exe", error["filetype"]!.GetValue<string>());
            Assert.Contains("png", error["allowed"]!.AsArray().Select(e => e!.GetValue<string>()));
        }

        if (expected == "verification-error")
        {
            Assert.Equal("filetype-mime-mismatch", error["details"]![0]!.GetValue<string>());
        }

        var info = await Farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:" + name), ("formatversion", "2"));
        Assert.DoesNotContain("\"imagerepository\":\"local\"", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WrongRequests_ApiUploadsErrors()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var png = TestImages.Png(1, 1);

        Assert.Equal(Expect.Error(Api, "missingparam", "One of the parameters \"filekey\", \"file\" and \"url\" is required."),
            (await client.PostAsync(("action", "upload"), ("format", "json"), ("filename", "X.png"), ("token", token))).Body);
        Assert.Equal(Expect.Error(Api, "copyuploaddisabled", "Upload by URL disabled."),
            (await client.PostAsync(("action", "upload"), ("format", "json"), ("filename", "X.png"), ("url", "http://127.0.0.1/x.png"), ("token", token))).Body);
        Assert.Equal(Expect.Error(Api, "invalid-file-key", "Not a valid file key."),
            (await client.PostAsync(("action", "upload"), ("format", "json"), ("filename", "X.png"), ("filekey", "../../etc/passwd"), ("token", token))).Body);
        Assert.Equal(Expect.Error(Api, "missingparam", "The \"filename\" parameter must be set."),
            (await client.PostFileAsync("file", "x.png", png, ("action", "upload"), ("format", "json"), ("token", token))).Body);

        using var anonymous = Farm.Client();
        var refused = await anonymous.PostFileAsync("file", "x.png", png, ("action", "upload"), ("format", "json"), ("filename", "X.png"), ("token", "+\\"));
        Assert.Equal(Expect.Error(Api, "notloggedin", "You must be logged in to upload this file."), refused.Body);
    }

    [Fact]
    public async Task Upload_NameWithIllegalCharacters_BadFilenameWarningWithTheNameUsed()
    {
        var (client, token, _) = await UploaderAsync();
        using var _1 = client;
        var n = Interlocked.Increment(ref _file);

        var answer = await UploadAsync(client, token, $"upload test a:b {n}.png", TestImages.Png(1, 2, seed: 61));

        Assert.Equal("Warning", answer.Json["upload"]!["result"]!.GetValue<string>());
        Assert.Equal($"Upload_test_a-b_{n}.png", answer.Json["upload"]!["warnings"]!["badfilename"]!.GetValue<string>());
    }
}
