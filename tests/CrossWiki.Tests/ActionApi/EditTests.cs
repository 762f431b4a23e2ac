using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>action=edit: answers, checks in ApiEditPage's order, conflicts and saves (messages.md §2).</summary>
public sealed class EditTests(FakeClockFarmFixture fixture) : IClassFixture<FakeClockFarmFixture>
{
    private static int _page;

    private TestFarm Farm => fixture.Farm;

    private string Api => Farm.AlphaApi;

    private static string NewTitle(string what) => $"Edit test {what} {Interlocked.Increment(ref _page)}";

    private async Task<(ApiClient Client, string Token)> EditorAsync(string prefix, params string[] groups)
    {
        var (client, _) = await TestUsers.LoggedInAsync(Farm, prefix, null, groups);
        return (client, await client.CsrfTokenAsync());
    }

    private static Task<ApiClient.Answer> EditAsync(ApiClient client, string token, params (string Key, string Value)[] parameters) =>
        client.PostAsync([("action", "edit"), .. parameters, ("token", token), ("format", "json")]);

    private static async Task<JsonNode> SaveAsync(ApiClient client, string token, string title, string text, params (string Key, string Value)[] more)
    {
        var answer = await EditAsync(client, token, [("title", title), ("text", text), .. more]);
        Assert.True(answer.Json["edit"]?["result"]?.GetValue<string>() == "Success", answer.Body);
        return answer.Json["edit"]!;
    }

    private async Task<JsonNode> LatestAsync(string title)
    {
        using var reader = Farm.Client();
        var answer = await reader.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "ids|user|comment|content"), ("rvslots", "main"), ("format", "json"), ("formatversion", "2"));
        return answer.Json["query"]!["pages"]![0]!["revisions"]![0]!;
    }

    private static string Content(JsonNode revision) => revision["slots"]!["main"]!["content"]!.GetValue<string>();

    /// <summary>Revision timestamps have whole seconds; moves the server's clock so the next save gets a later one.</summary>
    private Task NextSecondAsync()
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(1, "\"new\":\"\",", ",\"watched\":\"\"")]
    [InlineData(2, "\"new\":true,", ",\"watched\":true")]
    public async Task Edit_NewPage_SuccessWithNewAndWatched(int formatVersion, string newFlag, string watched)
    {
        var (client, token) = await EditorAsync("Editnew");
        using var _ = client;
        var title = NewTitle("new page");
        var answer = await EditAsync(client, token, ("title", title), ("text", "Hello"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        var edit = answer.Json["edit"]!;
        Expect.IsTimestamp(edit["newtimestamp"]!.GetValue<string>());
        Assert.Equal(
            Expect.Fill("""{"edit":{$NEW"result":"Success","pageid":$PAGE,"title":"$TITLE","contentmodel":"wikitext","oldrevid":0,"newrevid":$REV,"newtimestamp":"$TS"$W}}""",
                ("NEW", newFlag), ("PAGE", edit["pageid"]!.GetValue<int>()), ("TITLE", title), ("REV", edit["newrevid"]!.GetValue<int>()),
                ("TS", edit["newtimestamp"]!.GetValue<string>()), ("W", watched)),
            answer.Body);
    }

    [Fact]
    public async Task Edit_Update_OldAndNewRevisionAndTimestamp()
    {
        var (client, token) = await EditorAsync("Editupdate");
        using var _ = client;
        var title = NewTitle("update");
        var first = await SaveAsync(client, token, title, "One");
        var answer = await EditAsync(client, token, ("title", title), ("text", "Two"), ("summary", "second"));
        var edit = answer.Json["edit"]!;
        Assert.Equal(
            Expect.Fill("""{"edit":{"result":"Success","pageid":$PAGE,"title":"$TITLE","contentmodel":"wikitext","oldrevid":$OLD,"newrevid":$REV,"newtimestamp":"$TS","watched":""}}""",
                ("PAGE", first["pageid"]!.GetValue<int>()), ("TITLE", title), ("OLD", first["newrevid"]!.GetValue<int>()),
                ("REV", edit["newrevid"]!.GetValue<int>()), ("TS", edit["newtimestamp"]!.GetValue<string>())),
            answer.Body);
        Assert.True(edit["newrevid"]!.GetValue<int>() > first["newrevid"]!.GetValue<int>());
        var latest = await LatestAsync(title);
        Assert.Equal("Two", Content(latest));
        Assert.Equal("second", latest["comment"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, "\"nochange\":\"\",\"watched\":\"\"")]
    [InlineData(2, "\"nochange\":true,\"watched\":true")]
    public async Task Edit_SameText_NoChange(int formatVersion, string flags)
    {
        var (client, token) = await EditorAsync("Editsame");
        using var _ = client;
        var title = NewTitle("same");
        var first = await SaveAsync(client, token, title, "Same text");
        var answer = await EditAsync(client, token, ("title", title), ("text", "Same text\n\n"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(
            Expect.Fill("""{"edit":{"result":"Success","pageid":$PAGE,"title":"$TITLE","contentmodel":"wikitext",$FLAGS}}""",
                ("PAGE", first["pageid"]!.GetValue<int>()), ("TITLE", title), ("FLAGS", flags)),
            answer.Body);
        Assert.Equal(first["newrevid"]!.GetValue<int>(), (await LatestAsync(title))["revid"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null, "bot", false)]
    [InlineData("nochange", null, false)]
    [InlineData("unwatch", null, false)]
    [InlineData("watch", "bot", true)]
    public async Task Edit_WatchlistAndBots_WatchedOnlyWhenTheWatchlistValueSaysSo(string? watchlist, string? group, bool watched)
    {
        var (client, token) = await EditorAsync("Editwatch", group is null ? [] : [group]);
        using var _ = client;
        var parameters = new List<(string, string)> { ("title", NewTitle("watch")), ("text", "x") };
        if (watchlist is not null)
        {
            parameters.Add(("watchlist", watchlist));
        }

        var answer = await EditAsync(client, token, [.. parameters]);
        Assert.Equal(watched, answer.Json["edit"]!.AsObject().ContainsKey("watched"));
    }

    [Fact]
    public async Task Edit_WatchDefaultOff_NewPageFollowsWatchCreations()
    {
        var (client, token) = await EditorAsync("Editwatchpref");
        using var _ = client;
        var set = await client.PostAsync(("action", "options"), ("change", "watchdefault=0"), ("token", token), ("format", "json"));
        Assert.Equal("""{"options":"success"}""", set.Body);
        var title = NewTitle("watch pref");
        var created = await EditAsync(client, token, ("title", title), ("text", "x"));
        var updated = await EditAsync(client, token, ("title", title), ("text", "y"));
        Assert.True(created.Json["edit"]!.AsObject().ContainsKey("watched"));

        // The page is on the watchlist now, so the next edit keeps it there.
        Assert.True(updated.Json["edit"]!.AsObject().ContainsKey("watched"));

        // A page created without watching it is not watched by a later edit when watchdefault is off.
        var other = NewTitle("watch pref other");
        await EditAsync(client, token, ("title", other), ("text", "x"), ("watchlist", "nochange"));
        var later = await EditAsync(client, token, ("title", other), ("text", "y"));
        Assert.False(later.Json["edit"]!.AsObject().ContainsKey("watched"));
    }

    [Theory]
    [InlineData("appendtext", " and more", "Base text and more")]
    [InlineData("prependtext", "Before: ", "Before: Base text")]
    public async Task Edit_AppendOrPrepend_CombinesWithTheCurrentText(string parameter, string value, string expected)
    {
        var (client, token) = await EditorAsync("Editappend");
        using var _ = client;
        var title = NewTitle(parameter);
        await SaveAsync(client, token, title, "Base text");
        var answer = await EditAsync(client, token, ("title", title), (parameter, value));
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        Assert.Equal(expected, Content(await LatestAsync(title)));
    }

    [Fact]
    public async Task Edit_AppendToMissingPage_CreatesIt()
    {
        var (client, token) = await EditorAsync("Editappendnew");
        using var _ = client;
        var title = NewTitle("append new");
        var answer = await EditAsync(client, token, ("title", title), ("appendtext", "Fresh"));
        Assert.Equal("", answer.Json["edit"]!["new"]!.GetValue<string>());
        Assert.Equal("Fresh", Content(await LatestAsync(title)));
    }

    [Theory]
    [InlineData(null, "Topic", "Intro\n\n== Topic ==\n\nHello", "/* Topic */ new section")]
    [InlineData("Heading", null, "Intro\n\n== Heading ==\n\nHello", "/* Heading */ new section")]
    [InlineData("Heading", "My summary", "Intro\n\n== Heading ==\n\nHello", "My summary")]
    public async Task Edit_NewSection_HeadingFromSectionTitleOrSummary(string? sectionTitle, string? summary, string expected, string comment)
    {
        var (client, token) = await EditorAsync("Editsection");
        using var _ = client;
        var title = NewTitle("new section");
        await SaveAsync(client, token, title, "Intro");
        var parameters = new List<(string, string)> { ("title", title), ("section", "new"), ("text", "Hello") };
        if (sectionTitle is not null)
        {
            parameters.Add(("sectiontitle", sectionTitle));
        }

        if (summary is not null)
        {
            parameters.Add(("summary", summary));
        }

        var answer = await EditAsync(client, token, [.. parameters]);
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        var latest = await LatestAsync(title);
        Assert.Equal(expected, Content(latest));
        Assert.Equal(comment, latest["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_NewSectionWithoutText_MissingCommentText()
    {
        var (client, token) = await EditorAsync("Editsectionempty");
        using var _ = client;
        var title = NewTitle("empty section");
        await SaveAsync(client, token, title, "Intro");
        var answer = await EditAsync(client, token, ("title", title), ("section", "new"), ("sectiontitle", "Empty"), ("text", ""));
        Assert.Equal(Expect.Error(Api, "missingcommenttext", "Please enter a comment."), answer.Body);
    }

    [Fact]
    public async Task Edit_NumericSection_ReplacesOnlyThatSection()
    {
        var (client, token) = await EditorAsync("Editsectionnum");
        using var _ = client;
        var title = NewTitle("section replace");
        await SaveAsync(client, token, title, "Intro\n\n== A ==\nold a\n\n== B ==\nold b");
        var answer = await EditAsync(client, token, ("title", title), ("section", "1"), ("text", "== A ==\nnew a"));
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        Assert.Equal("Intro\n\n== A ==\nnew a\n\n== B ==\nold b", Content(await LatestAsync(title)));
        var missing = await EditAsync(client, token, ("title", title), ("section", "9"), ("text", "x"));
        Assert.Equal(Expect.Error(Api, "nosuchsection", "There is no section 9."), missing.Body);
        var invalid = await EditAsync(client, token, ("title", title), ("section", "first"), ("text", "x"));
        Assert.Equal(Expect.Error(Api, "invalidsection", "The \"section\" parameter must be a valid section ID or \"new\"."), invalid.Body);
    }

    [Theory]
    [InlineData("MediaWiki:Edit-test-tagline", "", "protectednamespace-interface")]
    [InlineData("MediaWiki:Common.js", "", "protectednamespace-interface")]
    [InlineData("User:Someone else/common.js", "", "customjsprotected")]
    [InlineData("User:Someone else/vector.css", "", "customcssprotected")]
    [InlineData("User:{me}/common.js", "", null)]
    [InlineData("User:Someone else/notes", "", null)]
    [InlineData("MediaWiki:Edit-test-tagline", "sysop", null)]
    [InlineData("User:Someone else/common.json", "sysop", null)]
    public async Task Edit_ConfigurationPages_NeedTheirRights(string title, string group, string? code)
    {
        var (client, name) = await TestUsers.LoggedInAsync(Farm, "Config editor ", null, group.Length == 0 ? [] : [group]);
        using var _ = client;
        var token = await client.CsrfTokenAsync();

        var text = title.EndsWith(".json", StringComparison.Ordinal) ? "{}" : "x";
        var answer = await EditAsync(client, token, ("title", title.Replace("{me}", name, StringComparison.Ordinal)), ("text", text));

        Assert.Equal(code ?? "Success", code is null ? answer.Json["edit"]?["result"]?.GetValue<string>() : answer.Json["error"]?["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task Edit_ContentModelAndFormat_OnlyThePagesOwnAreTaken()
    {
        var (client, token) = await EditorAsync("Editmodel", "sysop");
        using var _ = client;
        var title = NewTitle("model");

        var change = await EditAsync(client, token, ("title", title), ("text", "{}"), ("contentmodel", "json"));
        var format = await EditAsync(client, token, ("title", title), ("text", "x"), ("contentformat", "text/css"));
        var own = await EditAsync(client, token, ("title", title), ("text", "x"), ("contentmodel", "wikitext"), ("contentformat", "text/x-wiki"));
        var json = await EditAsync(client, token, ("title", "MediaWiki:Edit test model.json"), ("text", "{}"), ("contentformat", "application/json"));

        Assert.Equal(Expect.Error(Api, "cantchangecontentmodel", "You don't have permission to change the content model of a page."), change.Body);
        Assert.Equal(Expect.Error(Api, "badformat", $"The requested format text/css is not supported for content model wikitext used by {title}."), format.Body);
        Assert.Equal("Success", own.Json["edit"]?["result"]?.GetValue<string>());
        Assert.Equal("Success", json.Json["edit"]?["result"]?.GetValue<string>());
        Assert.Equal("x", Content(await LatestAsync(title)));
    }

    [Fact]
    public async Task Edit_CreateOnlyOnExistingPage_ArticleExists()
    {
        var (client, token) = await EditorAsync("Editcreateonly");
        using var _ = client;
        var title = NewTitle("createonly");
        await SaveAsync(client, token, title, "x");
        var answer = await EditAsync(client, token, ("title", title), ("text", "y"), ("createonly", ""));
        Assert.Equal(Expect.Error(Api, "articleexists", "The article you tried to create has been created already."), answer.Body);
    }

    [Fact]
    public async Task Edit_NoCreateOnMissingPage_MissingTitle()
    {
        var (client, token) = await EditorAsync("Editnocreate");
        using var _ = client;
        var answer = await EditAsync(client, token, ("title", NewTitle("nocreate")), ("text", "y"), ("nocreate", "1"));
        Assert.Equal(Expect.Error(Api, "missingtitle", "The page you specified doesn't exist."), answer.Body);
    }

    /// <summary>ApiEditPage's parameter and title checks, in its order (messages.md §2).</summary>
    [Theory]
    [InlineData("title=Foo[bar]&text=x", "invalidtitle", "Bad title \"Foo[bar]\".")]
    [InlineData("title=Special:Version&text=x", "pagecannotexist", "Namespace doesn't allow actual pages.")]
    [InlineData("title=Media:Foo.png&text=x", "pagecannotexist", "Namespace doesn't allow actual pages.")]
    [InlineData("pageid=987654&text=x", "nosuchpageid", "There is no page with ID 987654.")]
    [InlineData("title=Foo&pageid=1&text=x", "invalidparammix", "The parameters \"title\" and \"pageid\" can not be used together.")]
    [InlineData("text=x", "missingparam", "One of the parameters \"title\" and \"pageid\" is required.")]
    [InlineData("title=Foo", "missingparam", "At least one of the parameters \"text\", \"appendtext\", \"prependtext\" and \"undo\" is required.")]
    [InlineData("title=Foo&summary=x", "missingparam", "At least one of the parameters \"text\", \"appendtext\", \"prependtext\" and \"undo\" is required.")]
    [InlineData("title=Foo&text=x&contentmodel=bogus", "badvalue", "Unrecognized value for parameter \"contentmodel\": bogus.")]
    public async Task Edit_BadParameters_MediaWikisErrors(string body, string code, string info)
    {
        var (client, token) = await EditorAsync("Editbad");
        using var _ = client;
        var answer = await client.SendRawAsync(HttpMethod.Post, "format=json", Encoding.UTF8.GetBytes("action=edit&" + body + "&token=" + Uri.EscapeDataString(token)), "application/x-www-form-urlencoded");
        Assert.Equal(Expect.Error(Api, code, info), answer.Body);
    }

    [Fact]
    public async Task Edit_Md5_MustMatchTheTextExactly()
    {
        var (client, token) = await EditorAsync("Editmd5");
        using var _ = client;
        var title = NewTitle("md5");
#pragma warning disable CA5351 // The md5 parameter is MediaWiki's transport checksum.
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("Checked text ü")));
#pragma warning restore CA5351
        var bad = await EditAsync(client, token, ("title", title), ("text", "Checked text ü"), ("md5", "0123456789abcdef0123456789abcdef"));
        var upper = await EditAsync(client, token, ("title", title), ("text", "Checked text ü"), ("md5", md5.ToUpperInvariant()));
        var good = await EditAsync(client, token, ("title", title), ("text", "Checked text ü"), ("md5", md5));
        Assert.Equal(Expect.Error(Api, "badmd5", "The supplied MD5 hash was incorrect."), bad.Body);
        Assert.Equal(Expect.Error(Api, "badmd5", "The supplied MD5 hash was incorrect."), upper.Body);
        Assert.Equal("Success", good.Json["edit"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_Md5OfAppend_IsOfPrependAndAppendTextOnly()
    {
        var (client, token) = await EditorAsync("Editmd5append");
        using var _ = client;
        var title = NewTitle("md5 append");
        await SaveAsync(client, token, title, "Middle");
#pragma warning disable CA5351 // The md5 parameter is MediaWiki's transport checksum.
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("<< " + " >>")));
#pragma warning restore CA5351
        var answer = await EditAsync(client, token, ("title", title), ("prependtext", "<< "), ("appendtext", " >>"), ("md5", md5));
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        Assert.Equal("<< Middle >>", Content(await LatestAsync(title)));
    }

    /// <summary>mwclient sends basetimestamp in ISO 8601, other clients in 14-digit form; both detect the same conflict.</summary>
    [Theory]
    [InlineData("iso")]
    [InlineData("mw")]
    public async Task Edit_BaseTimestampBeforeAnotherUsersEdit_EditConflict(string form)
    {
        var (alice, aliceToken) = await EditorAsync("Editbasea");
        var (bob, bobToken) = await EditorAsync("Editbaseb");
        using var _1 = alice;
        using var _2 = bob;
        var title = NewTitle("base " + form);
        var first = await SaveAsync(alice, aliceToken, title, "Line one");
        await NextSecondAsync();
        var second = await SaveAsync(bob, bobToken, title, "Line one by Bob");
        string Stamp(JsonNode edit)
        {
            var iso = edit["newtimestamp"]!.GetValue<string>();
            return form == "iso" ? iso : iso.Replace("-", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal).Replace("T", "", StringComparison.Ordinal).TrimEnd('Z');
        }

        var conflict = await EditAsync(alice, aliceToken, ("title", title), ("text", "Line one by Alice"), ("basetimestamp", Stamp(first)));
        Assert.Equal(Expect.Error(Api, "editconflict", "Edit conflict."), conflict.Body);
        Assert.Equal("editconflict", conflict.Header("MediaWiki-API-Error"));
        var onLatest = await EditAsync(alice, aliceToken, ("title", title), ("text", "Line one by Alice"), ("basetimestamp", Stamp(second)));
        Assert.Equal("Success", onLatest.Json["edit"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_BaseTimestampBeforeOwnEdits_NoConflict()
    {
        var (client, token) = await EditorAsync("Editbaseself");
        using var _ = client;
        var title = NewTitle("base self");
        var first = await SaveAsync(client, token, title, "One");
        await NextSecondAsync();
        await SaveAsync(client, token, title, "Two");
        var answer = await EditAsync(client, token, ("title", title), ("text", "Three"), ("basetimestamp", first["newtimestamp"]!.GetValue<string>()));
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_EmptyBaseTimestamp_MeansNowWithAWarning()
    {
        var (client, token) = await EditorAsync("Editbaseempty");
        using var _ = client;
        var title = NewTitle("base empty");
        await SaveAsync(client, token, title, "One");
        var answer = await EditAsync(client, token, ("title", title), ("text", "Two"), ("basetimestamp", ""));
        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        Assert.Equal(
            "Passing \"\" for timestamp parameter \"basetimestamp\" has been deprecated. If for some reason you need to explicitly specify the current time without calculating it client-side, use \"now\".",
            answer.Json["warnings"]!["edit"]!["*"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_BaseRevIdNotLatest_EditConflict()
    {
        var (alice, aliceToken) = await EditorAsync("Editreva");
        var (bob, bobToken) = await EditorAsync("Editrevb");
        using var _1 = alice;
        using var _2 = bob;
        var title = NewTitle("baserevid");
        var first = await SaveAsync(alice, aliceToken, title, "Start");
        var second = await SaveAsync(bob, bobToken, title, "Bob was here");
        var conflict = await EditAsync(alice, aliceToken, ("title", title), ("text", "Alice was here"), ("baserevid", first["newrevid"]!.ToString()));
        var onLatest = await EditAsync(alice, aliceToken, ("title", title), ("text", "Alice was here"), ("baserevid", second["newrevid"]!.ToString()));
        Assert.Equal(Expect.Error(Api, "editconflict", "Edit conflict."), conflict.Body);
        Assert.Equal("Success", onLatest.Json["edit"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_TextOver2MiB_ContentTooBig()
    {
        var (client, token) = await EditorAsync("Editbig");
        using var _ = client;
        var answer = await EditAsync(client, token, ("title", NewTitle("big")), ("text", new string('a', (2 * 1024 * 1024) + 1)));
        Assert.Equal(Expect.Error(Api, "contenttoobig", "The content you supplied exceeds the article size limit of 2048 kibibytes."), answer.Body);
    }

    [Fact]
    public async Task Edit_Anonymous_WorksWithPlusBackslashAndIsAttributedToTheIp()
    {
        using var client = Farm.Client();
        var title = NewTitle("anon");
        var answer = await EditAsync(client, "+\\", ("title", title), ("text", "By an IP"), ("summary", "anon edit"));
        var edit = answer.Json["edit"]!;
        Assert.Equal(
            Expect.Fill("""{"edit":{"new":"","result":"Success","pageid":$PAGE,"title":"$TITLE","contentmodel":"wikitext","oldrevid":0,"newrevid":$REV,"newtimestamp":"$TS","watched":""}}""",
                ("PAGE", edit["pageid"]!.GetValue<int>()), ("TITLE", title), ("REV", edit["newrevid"]!.GetValue<int>()), ("TS", edit["newtimestamp"]!.GetValue<string>())),
            answer.Body);
        var history = await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "user|userid|comment"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(
            Expect.Fill("""{"batchcomplete":true,"query":{"pages":[{"pageid":$PAGE,"ns":0,"title":"$TITLE","revisions":[{"user":"127.0.0.1","anon":true,"userid":0,"comment":"anon edit"}]}]}}""",
                ("PAGE", edit["pageid"]!.GetValue<int>()), ("TITLE", title)),
            history.Body);
    }

    [Theory]
    [InlineData(true, "+\\")]
    [InlineData(true, "0123456789abcdef0123456789abcdef01234567+\\")]
    [InlineData(false, "0123456789abcdef0123456789abcdef01234567+\\")]
    [InlineData(false, "")]
    public async Task Edit_WrongToken_BadToken(bool loggedIn, string token)
    {
        ApiClient client;
        if (loggedIn)
        {
            (client, _) = await TestUsers.LoggedInAsync(Farm, "Editbadtoken");
        }
        else
        {
            client = Farm.Client();
        }

        using var _1 = client;
        var answer = await EditAsync(client, token, ("title", NewTitle("badtoken")), ("text", "x"));
        Assert.Equal(token.Length == 0 ? Expect.Error(Api, "missingparam", "The \"token\" parameter must be set.") : Expect.Error(Api, "badtoken", "Invalid CSRF token."), answer.Body);
    }

    /// <summary>
    /// Twenty users save on the same base at once, named by baserevid or by basetimestamp (the saves land
    /// in the base's second or just after): one wins, the others conflict, and the history stays a chain.
    /// </summary>
    [Theory]
    [InlineData("baserevid")]
    [InlineData("basetimestamp")]
    public async Task Edit_TwentyUsersOnTheSameBase_OneSuccessTheRestConflict(string baseParameter)
    {
        var (client, token) = await EditorAsync("Editrace");
        using var _ = client;
        var editors = await Task.WhenAll(Enumerable.Range(1, 20).Select(_ => EditorAsync("Editracer")));
        var title = NewTitle("race " + baseParameter);
        var created = await SaveAsync(client, token, title, "Base");
        var baseValue = baseParameter == "baserevid" ? created["newrevid"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture) : created["newtimestamp"]!.GetValue<string>();

        var answers = await Task.WhenAll(editors.Select((e, i) =>
            EditAsync(e.Client, e.Token, ("title", title), ("text", "Edit number " + i), (baseParameter, baseValue))));

        var codes = answers.Select(a => a.Json["edit"]?["result"]?.GetValue<string>() ?? a.Json["error"]!["code"]!.GetValue<string>()).ToList();
        Assert.Equal(1, codes.Count(c => c == "Success"));
        Assert.Equal(19, codes.Count(c => c == "editconflict"));
        var history = await client.GetAsync(("action", "query"), ("prop", "revisions"), ("titles", title), ("rvprop", "ids|content"), ("rvslots", "main"), ("rvlimit", "max"), ("rvdir", "newer"), ("format", "json"), ("formatversion", "2"));
        var revisions = history.Json["query"]!["pages"]![0]!["revisions"]!.AsArray();
        Assert.Equal(2, revisions.Count);
        Assert.Equal(0, revisions[0]!["parentid"]!.GetValue<int>());
        Assert.Equal(revisions[0]!["revid"]!.GetValue<int>(), revisions[1]!["parentid"]!.GetValue<int>());
        var winner = answers.Single(a => a.Json["edit"] is not null).Json["edit"]!["newrevid"]!.GetValue<int>();
        Assert.Equal(winner, revisions[1]!["revid"]!.GetValue<int>());
        foreach (var (e, _) in editors)
        {
            e.Dispose();
        }
    }

    /// <summary>Appends are built on the latest text inside the save, so concurrent ones never conflict and none is lost.</summary>
    [Fact]
    public async Task Edit_TwentyConcurrentAppends_AllSucceedAndEachLineIsKeptOnce()
    {
        var (client, token) = await EditorAsync("Editappendrace");
        using var _ = client;
        var editors = await Task.WhenAll(Enumerable.Range(1, 4).Select(_ => EditorAsync("Editappender")));
        var title = NewTitle("append race");
        var created = await SaveAsync(client, token, title, "Lines:");

        // Some name a base: an append ignores it.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
        {
            var (editor, editorToken) = editors[i % editors.Length];
            return i % 3 == 0
                ? EditAsync(editor, editorToken, ("title", title), ("appendtext", $"\nline {i}"), ("baserevid", created["newrevid"]!.ToString()))
                : EditAsync(editor, editorToken, ("title", title), ("appendtext", $"\nline {i}"));
        }));

        Assert.All(answers, a => Assert.True(a.Json["edit"]?["result"]?.GetValue<string>() == "Success", a.Body));
        var lines = Content(await LatestAsync(title)).Split('\n');
        Assert.Equal("Lines:", lines[0]);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"line {i}").Order(StringComparer.Ordinal), lines.Skip(1).Order(StringComparer.Ordinal));
        foreach (var (e, _) in editors)
        {
            e.Dispose();
        }
    }

    /// <summary>MediaWiki suppresses a conflict with oneself: later revisions all by the same user do not conflict.</summary>
    [Fact]
    public async Task Edit_BaseRevIdBeforeOwnEdits_NoConflict()
    {
        var (client, token) = await EditorAsync("Editrevself");
        using var _ = client;
        var title = NewTitle("baserevid self");
        var first = await SaveAsync(client, token, title, "One");
        await SaveAsync(client, token, title, "Two");

        var answer = await EditAsync(client, token, ("title", title), ("text", "Three"), ("baserevid", first["newrevid"]!.ToString()));

        Assert.Equal("Success", answer.Json["edit"]!["result"]!.GetValue<string>());
        Assert.Equal("Three", Content(await LatestAsync(title)));
    }

    /// <summary>An anonymous user is never "the same user" as the author of a later revision, even from the same IP.</summary>
    [Fact]
    public async Task Edit_AnonymousOnOldBase_ConflictsEvenAfterOwnEdits()
    {
        using var client = Farm.Client();
        var title = NewTitle("anon base");
        var first = await SaveAsync(client, "+\\", title, "One");
        await SaveAsync(client, "+\\", title, "Two");

        var answer = await EditAsync(client, "+\\", ("title", title), ("text", "Three"), ("baserevid", first["newrevid"]!.ToString()));

        Assert.Equal(Expect.Error(Api, "editconflict", "Edit conflict."), answer.Body);
    }

    [Theory]
    [InlineData("Trailing  \n\n\t ", "Trailing")]
    [InlineData("Line\r\nbreaks\r\n", "Line\nbreaks")]
    [InlineData("No-break space\u00a0", "No-break space\u00a0")]
    public async Task Edit_TrailingWhitespace_TrimmedAsPhpRtrim(string text, string saved)
    {
        var (client, token) = await EditorAsync("Edittrim");
        using var _ = client;
        var title = NewTitle("trim");
        await SaveAsync(client, token, title, text);
        Assert.Equal(saved, Content(await LatestAsync(title)));
    }
}
