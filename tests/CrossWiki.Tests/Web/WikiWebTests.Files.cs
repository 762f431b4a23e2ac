using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrossWiki.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Web;

/// <summary>Special:Upload and Special:ListFiles over real HTTP: the HTML form goes through the same uploader as api.php.</summary>
public sealed partial class WikiWebTests
{
    private const string UploadUrl = "/w/index.php?title=Special:Upload";

    private static async Task<HttpResponseMessage> PostUploadFormAsync(ApiClient client, string url, byte[]? file, string fileName, params (string, string)[] fields)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "wpUploadFile", fileName);
        }

        return await client.Http.PostAsync(url, content);
    }

    private static async Task<ApiClient> FormUploaderAsync(TestFarm farm, string name)
    {
        await farm.CreateUserAsync(name, name.ToLowerInvariant() + "-password");
        var client = farm.Client();
        await LoginThroughFormAsync(farm, client, name, name.ToLowerInvariant() + "-password");
        return client;
    }

    private static async Task<JsonNode> ImageInfoAsync(ApiClient client, string name) =>
        (await client.GetAsync(("action", "query"), ("prop", "imageinfo"), ("titles", "File:" + name), ("iiprop", "user|comment|sha1|size"), ("iilimit", "10"),
            ("format", "json"), ("formatversion", "2"))).Json["query"]!["pages"]![0]!;

    [Fact]
    public async Task Upload_FormPost_PublishesTheFileAndGoesToItsFilePage()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = await FormUploaderAsync(farm, "Uma");
        var form = await GetAsync(client, farm.AlphaServer + "/wiki/Special:Upload");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("enctype=\"multipart/form-data\"", form.Body, StringComparison.Ordinal);
        var png = TestImages.Png(24, 16, seed: 5);

        var saved = await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, png, "holiday.png",
            ("wpDestFile", "Form upload.png"), ("wpUploadDescription", "A '''form''' upload"), ("wpEditToken", Hidden(form.Body, "wpEditToken")));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(farm.AlphaServer + "/wiki/File:Form_upload.png", saved.Headers.Location!.OriginalString);
        var info = (await ImageInfoAsync(client, "Form upload.png"))["imageinfo"]![0]!;
        Assert.Equal("Uma", info["user"]!.GetValue<string>());
        Assert.Equal("A '''form''' upload", info["comment"]!.GetValue<string>());
        Assert.Equal(png.Length, info["size"]!.GetValue<int>());
        var page = await GetAsync(client, farm.AlphaServer + "/wiki/File:Form_upload.png");
        Assert.Contains("A <b>form</b> upload", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_NameInUse_WarnsKeepsTheFileAndUploadsAnyway()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = await FormUploaderAsync(farm, "Wes");
        var token = Hidden((await GetAsync(client, farm.AlphaServer + "/wiki/Special:Upload")).Body, "wpEditToken");
        await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, TestImages.Png(8, 8, seed: 1), "a.png", ("wpDestFile", "Twice.png"), ("wpEditToken", token));
        var second = TestImages.Png(9, 9, seed: 2);

        var warned = await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, second, "b.png",
            ("wpDestFile", "Twice.png"), ("wpUploadDescription", "second try"), ("wpEditToken", token));
        var body = await warned.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        Assert.Contains("Upload warning", body, StringComparison.Ordinal);
        Assert.Contains("A file with this name exists already.", body, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/File:Twice.png\"", body, StringComparison.Ordinal);
        Assert.Single((await ImageInfoAsync(client, "Twice.png"))["imageinfo"]!.AsArray());

        // The file was kept: "Upload anyway" sends only its key, with the summary shown again.
        var key = Hidden(body, "wpSessionKey");
        Assert.NotEmpty(key);
        Assert.Contains(">second try</textarea>", body, StringComparison.Ordinal);
        var saved = await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, null, "",
            ("wpSessionKey", key), ("wpDestFile", "Twice.png"), ("wpUploadDescription", "second try"), ("wpUploadIgnoreWarning", "1"), ("wpEditToken", token));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var versions = (await ImageInfoAsync(client, "Twice.png"))["imageinfo"]!.AsArray();
        Assert.Equal(2, versions.Count);
        Assert.Equal(second.Length, versions[0]!["size"]!.GetValue<int>());
        Assert.Equal("Wes", versions[0]!["user"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("<html><body><script>alert(1)</script></body></html>", "Page.png", "Files of the MIME type \"text/html\" are not allowed to be uploaded.")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "Drawing.svg", "This file contains HTML or script code that may be erroneously interpreted by a web browser.")]
    [InlineData("MZ\u0090\0\u0003\0\0\0", "Tool.exe", "\".exe\" is not a permitted file type.")]
    [InlineData("", "Empty.png", "The file you submitted was empty.")]
    public async Task Upload_RefusedFile_ShowsMediaWikisReasonAndSavesNothing(string content, string name, string reason)
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = await FormUploaderAsync(farm, "Rex");
        var token = Hidden((await GetAsync(client, farm.AlphaServer + "/wiki/Special:Upload")).Body, "wpEditToken");

        var refused = await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, System.Text.Encoding.Latin1.GetBytes(content), name, ("wpEditToken", token));
        var body = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Upload error", body, StringComparison.Ordinal);
        Assert.Contains(reason, Regex.Match(WebUtility.HtmlDecode(body), "<h2>Upload error</h2>\\s*<p>([^<]*)</p>").Groups[1].Value, StringComparison.Ordinal);
        Assert.True((await ImageInfoAsync(client, name))["missing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Upload_AnonymousOrWithoutToken_SavesNothing()
    {
        await using var farm = await TestFarm.StartAsync();
        using var anonymous = farm.Client();
        var asked = await GetAsync(anonymous, farm.AlphaServer + "/wiki/Special:Upload");
        Assert.Equal(HttpStatusCode.Unauthorized, asked.Status);
        Assert.Contains("Please log in to upload files.", asked.Body, StringComparison.Ordinal);

        using var client = await FormUploaderAsync(farm, "Tia");
        var forged = await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, TestImages.Png(4, 4), "x.png", ("wpDestFile", "Forged.png"), ("wpEditToken", "+\\"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("your session data was lost", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var notForm = await client.Http.PostAsync(farm.AlphaServer + UploadUrl, new StringContent("wpDestFile=Plain.png"));
        Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
        Assert.True((await ImageInfoAsync(client, "Forged.png"))["missing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ListFiles_ThreeFiles_NewestFirstWithThumbnailsPagingAndUserFilter()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        using var client = await FormUploaderAsync(farm, "Lia");
        var token = Hidden((await GetAsync(client, farm.AlphaServer + "/wiki/Special:Upload")).Body, "wpEditToken");
        foreach (var (name, seed) in new[] { ("First.png", 1), ("Second.png", 2), ("Third.png", 3) })
        {
            await PostUploadFormAsync(client, farm.AlphaServer + UploadUrl, TestImages.Png(300, 200, seed: seed), name, ("wpUploadDescription", "about " + name), ("wpEditToken", token));
            clock.Advance(TimeSpan.FromSeconds(1)); // one second apart, as MediaWiki's timestamps are
        }

        var first = await GetAsync(client, farm.AlphaServer + "/wiki/Special:ListFiles?limit=2");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var names = Regex.Matches(first.Body, "<td class=\"TablePager_col_img_name\"><a href=\"[^\"]+\">([^<]+)</a>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Third.png", "Second.png"], names);
        Assert.Contains("/w/images/thumb/", first.Body, StringComparison.Ordinal);
        Assert.Contains("about Third.png", first.Body, StringComparison.Ordinal);
        var next = WebUtility.HtmlDecode(Regex.Match(first.Body, "href=\"([^\"]+)\" id=\"mw-listfiles-next\"").Groups[1].Value);
        var rest = await GetAsync(client, farm.AlphaServer + next);
        Assert.Contains(">First.png</a>", rest.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(">Second.png</a>", rest.Body, StringComparison.Ordinal);

        var nobody = await GetAsync(client, farm.AlphaServer + "/wiki/Special:ListFiles?user=Nobody");
        Assert.Contains("No files match.", nobody.Body, StringComparison.Ordinal);
    }
}
