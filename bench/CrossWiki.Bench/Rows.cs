namespace CrossWiki.Bench;

/// <summary>
/// One measured row: a request, and what varies per request (if anything). A row that serves a file names
/// it (<paramref name="StaticFile"/>), to be measured a second time beside Kestrel's own static files.
/// </summary>
internal sealed record Row(string Name, BenchRequest Request, Wrk.Dynamic? Dynamic = null, string? StaticFile = null);

/// <summary>The hot paths of issue 8 (design.md, Performance), as a browser or a bot sends them.</summary>
internal static class Rows
{
    private const string Api = "/w/api.php";
    private static readonly string Allowed = Uri.EscapeDataString(FarmProcess.AllowedOrigin);

    public static IEnumerable<Row> Hot(string sessionCookie, string csrf, (string Path, string LocalFile) image)
    {
        KeyValuePair<string, string> H(string name, string value) => new(name, value);
        var host = H("Host", FarmProcess.Host);
        var origin = H("Origin", FarmProcess.AllowedOrigin);
        var cookie = H("Cookie", sessionCookie);

        yield return new Row("OPTIONS preflight (allowed origin, Api-User-Agent)", new BenchRequest("OPTIONS",
            $"{Api}?action=query&meta=userinfo&format=json&formatversion=2&origin={Allowed}",
            [host, origin, H("Access-Control-Request-Method", "GET"), H("Access-Control-Request-Headers", "api-user-agent")]));
        yield return new Row("GET meta=userinfo, origin=*", new BenchRequest("GET",
            $"{Api}?action=query&meta=userinfo&format=json&formatversion=2&origin=*", [host, origin]));
        yield return new Row("GET meta=userinfo, allowed origin + session", new BenchRequest("GET",
            $"{Api}?action=query&meta=userinfo&format=json&formatversion=2&origin={Allowed}", [host, origin, cookie]));
        yield return new Row("GET meta=tokens, allowed origin + session", new BenchRequest("GET",
            $"{Api}?action=query&meta=tokens&format=json&formatversion=2&origin={Allowed}", [host, origin, cookie]));
        yield return new Row("GET rest.php/v1/page/{title}/html (20 kB)", new BenchRequest("GET",
            "/w/rest.php/v1/page/Bench_page/html", [host, origin]));
        yield return new Row($"GET rest.php/v1/page/{{title}}/history ({BenchText.HistoryRevisions} revisions, 20 answered)", new BenchRequest("GET",
            "/w/rest.php/v1/page/Bench_history/history", [host, origin]));
        yield return new Row($"GET {BenchImages.ServedName} from /w/images", new BenchRequest("GET", image.Path, [host]), StaticFile: image.LocalFile);

        var category = Uri.EscapeDataString("Category:" + BenchText.LinkedCategory);
        yield return new Row($"GET list=categorymembers ({BenchText.LinkedPages} members)", new BenchRequest("GET",
            $"{Api}?action=query&list=categorymembers&cmtitle={category}&cmlimit=50&format=json&formatversion=2", [host]));
        yield return new Row($"GET generator=categorymembers&prop=info ({BenchText.LinkedPages} pages)", new BenchRequest("GET",
            $"{Api}?action=query&generator=categorymembers&gcmtitle={category}&gcmlimit=50&prop=info&format=json&formatversion=2", [host]));
        yield return new Row("GET generator=allpages&prop=info (50 pages)", new BenchRequest("GET",
            $"{Api}?action=query&generator=allpages&gaplimit=50&prop=info&format=json&formatversion=2", [host]));
        yield return new Row("GET list=search (a word of every linked page)", new BenchRequest("GET",
            $"{Api}?action=query&list=search&srsearch=linked&format=json&formatversion=2", [host]));

        // Every request saves a new value: a real write (SQLite commit), not a no-op.
        const string Head = "action=options&format=json&formatversion=2&change=userjs-bench%3D";
        var tail = "&token=" + Uri.EscapeDataString(csrf);
        yield return new Row("POST action=options with token (write)", new BenchRequest("POST", Api, [host, cookie], Head + "0" + tail),
            new Wrk.Dynamic(BodyExpression: $"{Wrk.Lua(Head)} .. n .. {Wrk.Lua(tail)}"));
    }

    /// <summary>Page reads of the scaling run: content of a random page among <paramref name="pages"/>, through api.php.</summary>
    public static Row RandomRead(int pages)
    {
        var path = $"{Api}?action=query&prop=revisions&rvprop=content%7Ctimestamp&rvslots=main&format=json&formatversion=2&titles={PageLoader.Prefix}";
        return new Row($"page read, {pages} pages", new BenchRequest("GET", path + "1", [new("Host", FarmProcess.Host)]),
            new Wrk.Dynamic(PathExpression: $"{Wrk.Lua(path)} .. math.random({pages})"));
    }

    /// <summary>
    /// The listings whose cost must not grow with the wiki, measured at every size of the scaling run: the
    /// first 50 members of the category every scale page is in, the first 50 scale pages by title with their
    /// info, and a full-text search for a word a few scale pages have (page 500's number: itself, the page
    /// that links to it, and the source link).
    /// </summary>
    public static IReadOnlyList<(Row Row, string Cost)> ScaledListings() =>
    [
        (new("list=categorymembers, first 50 of the scale category", new BenchRequest("GET",
            $"{Api}?action=query&list=categorymembers&cmtitle={Uri.EscapeDataString("Category:" + BenchText.ScaleCategory)}&cmlimit=50&format=json&formatversion=2",
            [new("Host", FarmProcess.Host)])), "Category listing cost"),
        (new("generator=allpages&prop=info, first 50 scale pages", new BenchRequest("GET",
            $"{Api}?action=query&generator=allpages&gapprefix={PageLoader.Prefix}&gaplimit=50&prop=info&format=json&formatversion=2",
            [new("Host", FarmProcess.Host)])), "Generator cost"),
        (new("list=search, a word of 3 pages (with totalhits and snippets)", new BenchRequest("GET",
            $"{Api}?action=query&list=search&srsearch=500&format=json&formatversion=2",
            [new("Host", FarmProcess.Host)])), "Search cost"),
        (new($"list=recentchanges, newest 50 ({PageLoader.ChangesPerPage} changes per page)", new BenchRequest("GET",
            $"{Api}?action=query&list=recentchanges&rcprop=title%7Cids%7Csizes%7Cflags%7Cuser%7Ccomment%7Ctimestamp&rclimit=50&format=json&formatversion=2",
            [new("Host", FarmProcess.Host)])), "Recent changes cost"),
        (new("list=recentchanges, newest 50 without bots and minor edits", new BenchRequest("GET",
            $"{Api}?action=query&list=recentchanges&rcshow=!bot%7C!minor&rcprop=title%7Cids%7Csizes%7Cflags%7Cuser%7Ctimestamp&rclimit=50&format=json&formatversion=2",
            [new("Host", FarmProcess.Host)])), "Filtered recent changes cost"),
        (new("Special:RecentChanges, newest 50 of 30 days (bots hidden)", new BenchRequest("GET",
            "/wiki/Special:RecentChanges?limit=50&days=30", [new("Host", FarmProcess.Host)])), "Special:RecentChanges cost"),
    ];
}
