using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>A move as a front end read it: the page, where to, and what goes with it.</summary>
internal sealed record PageMove(Wiki Wiki, WikiUser User, Title From, Title To, string Reason)
{
    public bool MoveTalk { get; init; }

    public bool MoveSubpages { get; init; }

    /// <summary>Asked to leave no redirect behind; honoured for users with <c>suppressredirect</c>.</summary>
    public bool NoRedirect { get; init; }
}

/// <summary>One page moved: from, to, whether a redirect was left at the old title, and whether it went over one at the new.</summary>
internal sealed record MovedPage(Title From, Title To, int PageId, bool RedirectCreated, bool OverRedirect);

/// <summary>A page that went along with a move (talk page, subpage), or why it did not.</summary>
internal sealed record AlongMove(Title From, Title To, MovedPage? Moved, EditRefusal? Refusal);

/// <summary>What a move did: the page, its talk page (when asked and there is one) and the subpages.</summary>
internal sealed record MoveOutcome(MovedPage Page, AlongMove? Talk, IReadOnlyList<AlongMove> Subpages, IReadOnlyList<AlongMove> TalkSubpages);

/// <summary>One action's protection as asked: a level (empty to lift it) and when it ends.</summary>
internal sealed record ProtectionChange(string Type, string Level, DateTime? Expiry);

/// <summary>What a rollback saved: the new revision, the one rolled back and the one restored.</summary>
internal sealed record RollbackOutcome(Title Title, int PageId, string Summary, int RevisionId, int OldRevisionId, int LastRevisionId);

/// <summary>
/// The one way pages are moved, deleted, restored, protected and rolled back, for api.php and the HTML forms:
/// MediaWiki's checks in its order (rights, a block, the protections, the titles), each change written with its log
/// entry and recent change in one transaction inside a turn of the <see cref="WriteGate"/>. Refusals are thrown as
/// <see cref="PageActionRefusedException"/> with MediaWiki's codes.
/// </summary>
internal sealed class PageAdmin(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, PageChanges changes, PageEditor editor, RenderedPages rendered, TimeProvider time)
{
    /// <summary>How many subpages a move takes along (MediaWiki's <c>$wgMaximumMovedPages</c>).</summary>
    public const int MaxMovedSubpages = 100;

    private DateTime Now() => UserDirectory.Truncate(time.GetUtcNow().UtcDateTime);

    private static void Refuse(EditRefusal? refusal)
    {
        if (refusal is not null)
        {
            throw new PageActionRefusedException(refusal);
        }
    }

    private static async Task CheckBlockAsync(WikiDbContext db, Wiki wiki, WikiUser user, DateTime now, CancellationToken ct) =>
        Refuse(Blocks.Refusal(await Blocks.FindAsync(db, wiki.Id, user, now, ct), user, title: null));

    private static void RequireRight(WikiUser user, string right)
    {
        if (!user.HasRight(right))
        {
            throw new PageActionRefusedException("permissiondenied", "The action you have requested is limited to users in the group: Administrators.");
        }
    }

    // ---- move ----

    /// <summary>Moves a page (and, when asked, its talk page and subpages), leaving a redirect unless told not to.</summary>
    public async Task<MoveOutcome> MoveAsync(PageMove move, CancellationToken ct)
    {
        var user = move.User;
        if (!user.HasRight("move"))
        {
            throw user.IsAnonymous
                ? new PageActionRefusedException("cantmove-anon", "You must be a registered user and [[Special:UserLogin|logged in]] to move a page.")
                : new PageActionRefusedException("cantmove", "You don't have permission to move pages.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = Now();
        await CheckBlockAsync(db, move.Wiki, user, now, ct);
        var moved = await MoveOneAsync(db, move, move.From, move.To, now, ct);

        // The talk page goes along from a subject page to a subject page only.
        var namespaces = move.Wiki.Namespaces;
        var withTalk = move.MoveTalk && !move.From.IsTalk && !move.To.IsTalk;
        var (fromTalk, toTalk) = (move.From.TalkPage(namespaces), move.To.TalkPage(namespaces));
        AlongMove? talk = null;
        if (withTalk && await PageReads.PageByTitleAsync(db, move.Wiki.Id, fromTalk.Namespace, fromTalk.DbKey, ct) is not null)
        {
            talk = await AlongAsync(db, move, fromTalk, toTalk, now, ct);
        }

        IReadOnlyList<AlongMove> subpages = [];
        IReadOnlyList<AlongMove> talkSubpages = [];
        if (move.MoveSubpages)
        {
            subpages = await SubpagesAsync(db, move, move.From, move.To, now, ct);
            if (withTalk)
            {
                talkSubpages = await SubpagesAsync(db, move, fromTalk, toTalk, now, ct);
            }
        }

        return new MoveOutcome(moved, talk, subpages, talkSubpages);
    }

    private async Task<AlongMove> AlongAsync(WikiDbContext db, PageMove move, Title from, Title to, DateTime now, CancellationToken ct)
    {
        try
        {
            return new AlongMove(from, to, await MoveOneAsync(db, move, from, to, now, ct), null);
        }
        catch (PageActionRefusedException refused)
        {
            return new AlongMove(from, to, null, refused.Refusal);
        }
    }

    /// <summary>The subpages of <paramref name="from"/> (in its namespace, where it has subpages), each moved under <paramref name="to"/>.</summary>
    private async Task<IReadOnlyList<AlongMove>> SubpagesAsync(WikiDbContext db, PageMove move, Title from, Title to, DateTime now, CancellationToken ct)
    {
        if (!move.Wiki.Namespaces.TryGet(from.Namespace, out var info) || !info.Subpages)
        {
            return [];
        }

        var (wikiId, ns, prefix) = (move.Wiki.Id, from.Namespace, from.DbKey + "/");
        var keys = await db.Pages.AsNoTracking()
            .Where(p => p.WikiId == wikiId && p.Namespace == ns && p.DbKey.StartsWith(prefix))
            .OrderBy(p => p.DbKey).Select(p => p.DbKey).Take(MaxMovedSubpages).ToListAsync(ct);
        var list = new List<AlongMove>();
        foreach (var key in keys)
        {
            var subFrom = Title.Create(move.Wiki.Namespaces, ns, key);
            var subTo = Title.Create(move.Wiki.Namespaces, to.Namespace, to.DbKey + key[from.DbKey.Length..]);
            list.Add(await AlongAsync(db, move, subFrom, subTo, now, ct));
        }

        return list;
    }

    /// <summary>MovePage's checks for one page, then the move in one transaction.</summary>
    private async Task<MovedPage> MoveOneAsync(WikiDbContext db, PageMove move, Title from, Title to, DateTime now, CancellationToken ct)
    {
        var (wiki, user) = (move.Wiki, move.User);
        db.ChangeTracker.Clear();
        var page = await PageReads.PageForSaveByTitle(db, wiki.Id, from.Namespace, from.DbKey, ct)
            ?? throw new PageActionRefusedException("missingtitle", "The page you specified doesn't exist.");
        CheckTitles(user, from, to);
        Refuse(await Protection.CheckAsync(db, wiki.Id, user, from, page.Id, "move", now, ct));
        Refuse(await Protection.CheckAsync(db, wiki.Id, user, to, null, "create", now, ct));

        var target = await PageReads.PageForSaveByTitle(db, wiki.Id, to.Namespace, to.DbKey, ct);
        var overRedirect = false;
        if (target is not null)
        {
            // Only a redirect back to the page, with no other history, may be moved over (MovePage::isValidMoveTarget).
            var points = await db.Redirects.AsNoTracking().AnyAsync(r => r.WikiId == wiki.Id && r.FromId == target.Id && r.Namespace == from.Namespace && r.Title == from.DbKey, ct);
            var single = await db.Revisions.CountAsync(r => r.WikiId == wiki.Id && r.PageId == target.Id, ct) == 1;
            if (!points || !single)
            {
                throw new PageActionRefusedException("articleexists", $"A page already exists at [[:{to.PrefixedText}]], or the page name you have chosen is not valid.\nPlease choose another name.");
            }

            overRedirect = true;
        }

        var leaveRedirect = !move.NoRedirect || !user.HasRight("suppressredirect");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (target is not null)
        {
            await ArchivePageAsync(db, target, to, now, ct);
            await db.SaveChangesAsync(ct);
        }

        var summary = $"{user.Name} moved page [[{from.PrefixedText}]] to [[{to.PrefixedText}]]{(overRedirect ? " over redirect" : "")}{(move.Reason.Length > 0 ? ": " + move.Reason : "")}";
        page.Namespace = to.Namespace;
        page.DbKey = to.DbKey;
        var nullRevision = await PageWriter.AddNullRevisionAsync(db, page, summary, user.Id, user.Name, now, ct);
        await db.SaveChangesAsync(ct);

        // The moved page's own rows again under its new title (category sort keys, the search title).
        await PageWriter.ReplaceLinksAsync(db, wiki.Id, to, page.Id, await PageLinkSet.FromTextAsync(db, nullRevision.Text, to, wiki, now, ct), now, ct);
        await SearchIndex.WriteAsync(db, wiki.Id, page.Id, to.Text, nullRevision.Text, ct);
        await CopyWatchersAsync(db, wiki.Id, from, to, ct);
        JobRunner.EnqueueBacklinkTouch(db, wiki.Id, from, now);
        JobRunner.EnqueueBacklinkTouch(db, wiki.Id, to, now);
        await db.SaveChangesAsync(ct);

        if (leaveRedirect)
        {
            var text = $"#REDIRECT [[{to.PrefixedText}]]";
            await PageWriter.SaveAsync(db, wiki.Id, from, null, text, await PageLinkSet.FromTextAsync(db, text, from, wiki, now, ct), summary, false, user.Id, user.Name, now, feed: null, ct);
        }

        var parameters = new JsonObject { ["target_ns"] = to.Namespace, ["target_title"] = to.PrefixedText, ["suppressredirect"] = !leaveRedirect };
        var entry = ChangeFeed.Entry(wiki.Id, "move", overRedirect ? "move_redir" : "move", from, page.Id, user.Id, user.Name, move.Reason, parameters, now);
        await ChangeFeed.LogAsync(db, entry, nullRevision.Id, nullRevision.ParentId, ChangeFlags.Of(user, askedForBot: true), ct);
        await tx.CommitAsync(ct);
        changes.Saved();
        return new MovedPage(from, to, page.Id, leaveRedirect, overRedirect);
    }

    /// <summary>MovePage::isValidMove's title rules and the rights a page's kind needs.</summary>
    private static void CheckTitles(WikiUser user, Title from, Title to)
    {
        if (from.Namespace == to.Namespace && from.DbKey == to.DbKey)
        {
            throw new PageActionRefusedException("selfmove", "The title is the same; cannot move a page over itself.");
        }

        if (to.Namespace < 0)
        {
            throw new PageActionRefusedException("immobile-target-namespace", $"Cannot move pages into namespace \"{to.NamespaceName}\".");
        }

        if (from.Namespace == NamespaceTable.File)
        {
            // Moving a file renames its bytes in the store: not done here, so no group has movefile.
            throw new PageActionRefusedException("cantmovefile", "You don't have permission to move files.");
        }

        if (to.Namespace == NamespaceTable.File)
        {
            throw new PageActionRefusedException("nonfile-cannot-move-to-file", "Cannot move non-file to file namespace.");
        }

        if (from.Namespace == NamespaceTable.Category && !user.HasRight("move-categorypages"))
        {
            throw new PageActionRefusedException("cant-move-category-page", "You do not have permission to move category pages.");
        }

        if (from.Namespace == NamespaceTable.User && !from.DbKey.Contains('/', StringComparison.Ordinal) && !user.HasRight("move-rootuserpages"))
        {
            throw new PageActionRefusedException("cant-move-user-page", "You do not have permission to move user pages (apart from subpages).");
        }

        if (ContentModel.For(from).Name != ContentModel.For(to).Name)
        {
            throw new PageActionRefusedException("content-not-allowed-here", $"\"{ContentModel.For(from).Name}\" content is not allowed on page [[:{to.PrefixedText}]] in slot \"main\"");
        }
    }

    /// <summary>Who watched the old title watches the new one too (MediaWiki's WatchedItemStore::duplicateAllAssociatedEntries).</summary>
    private static async Task CopyWatchersAsync(WikiDbContext db, string wikiId, Title from, Title to, CancellationToken ct)
    {
        var (fromSubject, fromTalk) = Watchlist.Pair(from.Namespace);
        var (toSubject, _) = Watchlist.Pair(to.Namespace);
        var (fromKey, toKey) = (from.DbKey, to.DbKey);
        var rows = await db.Watchlist.AsNoTracking()
            .Where(w => w.WikiId == wikiId && (w.Namespace == fromSubject || w.Namespace == fromTalk) && w.Title == fromKey).ToListAsync(ct);
        foreach (var row in rows)
        {
            var ns = toSubject + (row.Namespace - fromSubject);
            var userId = row.UserId;
            if (!await db.Watchlist.AnyAsync(w => w.WikiId == wikiId && w.UserId == userId && w.Namespace == ns && w.Title == toKey, ct))
            {
                db.Watchlist.Add(new WatchedItem { WikiId = wikiId, UserId = userId, Namespace = ns, Title = toKey, Expiry = row.Expiry });
            }
        }
    }

    // ---- delete and undelete ----

    /// <summary>
    /// Deletes a page: its revisions go to the archive, its rows and edits' recent changes go, the deletion is logged.
    /// Without a <paramref name="reason"/> (null or empty) MediaWiki's automatic one is logged. Returns the log id and the reason.
    /// </summary>
    public async Task<(long LogId, string Reason)> DeleteAsync(Wiki wiki, WikiUser user, Title title, string? reason, CancellationToken ct)
    {
        RequireRight(user, "delete");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = Now();
        await CheckBlockAsync(db, wiki, user, now, ct);
        var page = await PageReads.PageForSaveByTitle(db, wiki.Id, title.Namespace, title.DbKey, ct)
            ?? throw new PageActionRefusedException("missingtitle", "The page you specified doesn't exist.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var latest = page.LatestRevisionId;
        if (string.IsNullOrEmpty(reason))
        {
            var recent = await db.Revisions.AsNoTracking().Where(r => r.WikiId == wiki.Id && r.PageId == page.Id)
                .OrderByDescending(r => r.Id).Take(20).Select(r => new { r.Text, r.UserText }).ToListAsync(ct);
            reason = AutoDeleteReason(recent[0].Text, recent.Count > 1 ? recent[1].Text : null, [.. recent.Select(r => r.UserText)]);
        }

        await ArchivePageAsync(db, page, title, now, ct);
        var entry = ChangeFeed.Entry(wiki.Id, "delete", "delete", title, page.Id, user.Id, user.Name, reason, null, now);
        await ChangeFeed.LogAsync(db, entry, 0, 0, ChangeFlags.Of(user, askedForBot: true), ct);
        await tx.CommitAsync(ct);
        rendered.Forget(wiki.Id, latest);
        changes.Saved();
        return (entry.Id, entry.Comment);
    }

    /// <summary>
    /// MediaWiki's automatic deletion reason (WikiPage::getAutoDeleteReason): the page's text (that before blanking
    /// when the latest revision is empty), with its only author when the last 20 revisions have one, cut to fit a
    /// 500-character comment.
    /// </summary>
    internal static string AutoDeleteReason(string latestText, string? previousText, IReadOnlyList<string> authorsNewestFirst)
    {
        var blank = latestText.Length == 0 && previousText is not null;
        var text = blank ? previousText! : latestText;
        var onlyAuthor = authorsNewestFirst.Distinct(StringComparer.Ordinal).Count() == 1 ? authorsNewestFirst[0] : null;
        var template = blank ? "content before blanking was: \"$1\""
            : onlyAuthor is not null ? $"content was: \"$1\", and the only contributor was \"[[Special:Contributions/{onlyAuthor}|{onlyAuthor}]]\" ([[User talk:{onlyAuthor}|talk]])"
            : "content was: \"$1\"";
        var room = 500 - (template.Length - 2);
        var flat = text.ReplaceLineEndings(" ");
        if (flat.Length > room)
        {
            flat = flat[..Math.Max(0, room - 3)].TrimEnd() + "...";
        }

        return template.Replace("$1", flat, StringComparison.Ordinal);
    }

    /// <summary>
    /// A page's revisions into the archive under <paramref name="title"/>, and the page, its link rows, search entry,
    /// protections and its edits' recent changes removed (log entries stay). Saved by the caller, in its transaction.
    /// </summary>
    private static async Task ArchivePageAsync(WikiDbContext db, Page page, Title title, DateTime now, CancellationToken ct)
    {
        var (wikiId, pageId) = (page.WikiId, page.Id);
        foreach (var r in await db.Revisions.Where(r => r.WikiId == wikiId && r.PageId == pageId).ToListAsync(ct))
        {
            db.Archive.Add(ArchivedRevision.Of(r, title.Namespace, title.DbKey, pageId));
            db.Revisions.Remove(r);
        }

        await PageWriter.DeleteLinksAsync(db, wikiId, pageId, ct);
        await SearchIndex.DeleteAsync(db, wikiId, pageId, ct);
        await db.Restrictions.Where(r => r.WikiId == wikiId && r.PageId == pageId).ExecuteDeleteAsync(ct);
        await db.RecentChanges.Where(c => c.WikiId == wikiId && c.PageId == pageId && c.Type != ChangeFeed.Log).ExecuteDeleteAsync(ct);
        db.Pages.Remove(page);

        // Links to it turn red.
        JobRunner.EnqueueBacklinkTouch(db, wikiId, title, now);
    }

    /// <summary>
    /// Restores a deleted title's archived revisions (all of them) into its page, made again with its old id when that
    /// is free; the latest of them is the page's text unless the page exists with later ones. Returns how many were restored.
    /// </summary>
    public async Task<int> UndeleteAsync(Wiki wiki, WikiUser user, Title title, string reason, CancellationToken ct)
    {
        RequireRight(user, "undelete");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = Now();
        await CheckBlockAsync(db, wiki, user, now, ct);
        var (ns, key) = (title.Namespace, title.DbKey);
        var archived = await db.Archive.Where(a => a.WikiId == wiki.Id && a.Namespace == ns && a.Title == key).OrderBy(a => a.Timestamp).ThenBy(a => a.RevisionId).ToListAsync(ct);
        if (archived.Count == 0)
        {
            throw new PageActionRefusedException("cantundelete", "Couldn't undelete: the requested revisions may not exist, or may have been undeleted already.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var page = await PageReads.PageForSaveByTitle(db, wiki.Id, ns, key, ct);
        if (page is null)
        {
            var oldId = archived[^1].PageId;
            var free = oldId > 0 && !await db.Pages.AnyAsync(p => p.WikiId == wiki.Id && p.Id == oldId, ct);
            var id = free ? oldId : (await PageWriter.NextIdsAsync(db, wiki.Id, newPage: true, ct)).PageId;
            page = new Page { WikiId = wiki.Id, Id = id, Namespace = ns, DbKey = key, Random = Random.Shared.NextDouble() };
            db.Pages.Add(page);
        }

        var latest = page.LatestRevisionId == 0 ? null : await PageReads.LatestRevisionAsync(db, wiki.Id, page.Id, page.LatestRevisionId, ct);
        foreach (var a in archived)
        {
            db.Revisions.Add(a.ToRevision(page.Id));
            db.Archive.Remove(a);
        }

        var newest = archived[^1];
        if (latest is null || newest.Timestamp > latest.Timestamp)
        {
            page.LatestRevisionId = newest.RevisionId;
            page.Length = newest.Length;
            page.IsNew = latest is null && archived.Count == 1;
            page.Touched = now;
            await db.SaveChangesAsync(ct);
            await PageWriter.ReplaceLinksAsync(db, wiki.Id, title, page.Id, await PageLinkSet.FromTextAsync(db, newest.Text, title, wiki, now, ct), now, ct);
            await SearchIndex.WriteAsync(db, wiki.Id, page.Id, title.Text, newest.Text, ct);
        }

        JobRunner.EnqueueBacklinkTouch(db, wiki.Id, title, now);
        var parameters = new JsonObject { ["count"] = new JsonObject { ["revisions"] = archived.Count, ["files"] = 0 } };
        var entry = ChangeFeed.Entry(wiki.Id, "delete", "restore", title, page.Id, user.Id, user.Name, reason, parameters, now);
        await ChangeFeed.LogAsync(db, entry, 0, 0, ChangeFlags.Of(user, askedForBot: true), ct);
        await tx.CommitAsync(ct);
        changes.Saved();
        return archived.Count;
    }

    // ---- protect ----

    /// <summary>
    /// Sets a page's protections (or a missing title's creation protection): each action named is set to its level
    /// (an empty level lifts it), the others stay. Logged as protect, modify or unprotect; an existing page gets a null
    /// revision that tells of it. Returns the protections in force afterwards.
    /// </summary>
    public async Task<IReadOnlyList<ProtectionChange>> ProtectAsync(Wiki wiki, WikiUser user, Title title, IReadOnlyList<ProtectionChange> protections, string reason, bool cascade, CancellationToken ct)
    {
        RequireRight(user, "protect");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var now = Now();
        await CheckBlockAsync(db, wiki, user, now, ct);
        var page = await PageReads.PageForSaveByTitle(db, wiki.Id, title.Namespace, title.DbKey, ct);
        var types = Protection.TypesFor(title, page is not null);
        foreach (var p in protections)
        {
            if (!types.Contains(p.Type))
            {
                throw page is null
                    ? new PageActionRefusedException("missingtitle-createonly", "Missing titles can only be protected with <kbd>create</kbd>.")
                    : new PageActionRefusedException("create-titleexists", "Existing titles can't be protected with <kbd>create</kbd>.");
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        List<ProtectionChange> before, after;
        if (page is null)
        {
            var (ns, key) = (title.Namespace, title.DbKey);
            var row = await db.ProtectedTitles.FirstOrDefaultAsync(t => t.WikiId == wiki.Id && t.Namespace == ns && t.Title == key, ct);
            before = row is not null && Active(row.Expiry, now) ? [new ProtectionChange("create", row.Level, row.Expiry)] : [];
            if (protections.FirstOrDefault(p => p.Level.Length > 0) is not { } create)
            {
                if (row is not null)
                {
                    db.ProtectedTitles.Remove(row);
                }

                after = [];
            }
            else
            {
                if (row is null)
                {
                    row = new ProtectedTitle { WikiId = wiki.Id, Namespace = ns, Title = key, Level = create.Level, UserText = user.Name };
                    db.ProtectedTitles.Add(row);
                }

                (row.Level, row.Expiry, row.UserId, row.UserText, row.Reason, row.Timestamp) = (create.Level, create.Expiry, user.Id, user.Name, reason, now);
                after = [new ProtectionChange("create", create.Level, create.Expiry)];
            }
        }
        else
        {
            // Each named action's row is changed in place (or removed for an empty level); the others stay as they are.
            var pageId = page.Id;
            var rows = await db.Restrictions.Where(r => r.WikiId == wiki.Id && r.PageId == pageId).ToListAsync(ct);
            before = [.. rows.Where(r => Active(r.Expiry, now)).Select(r => new ProtectionChange(r.Type, r.Level, r.Expiry))];
            foreach (var p in protections)
            {
                var row = rows.FirstOrDefault(r => r.Type == p.Type);
                if (p.Level.Length == 0)
                {
                    if (row is not null)
                    {
                        db.Restrictions.Remove(row);
                        rows.Remove(row);
                    }
                }
                else if (row is not null)
                {
                    (row.Level, row.Expiry, row.Cascade) = (p.Level, p.Expiry, cascade);
                }
                else
                {
                    rows.Add(db.Restrictions.Add(new PageRestriction { WikiId = wiki.Id, PageId = pageId, Type = p.Type, Level = p.Level, Expiry = p.Expiry, Cascade = cascade }).Entity);
                }
            }

            after = [.. types.SelectMany(t => rows.Where(r => r.Type == t && Active(r.Expiry, now)).Select(r => new ProtectionChange(r.Type, r.Level, r.Expiry)))];
        }

        await db.SaveChangesAsync(ct);
        var action = after.Count == 0 ? "unprotect" : before.Count == 0 ? "protect" : "modify";
        var description = Description(after);
        JsonObject? parameters = null;
        if (action != "unprotect")
        {
            var details = new JsonArray();
            foreach (var a in after)
            {
                details.Add(new JsonObject { ["type"] = a.Type, ["level"] = a.Level, ["expiry"] = Blocks.ExpiryText(a.Expiry), ["cascade"] = cascade });
            }

            parameters = new JsonObject { ["description"] = description, ["cascade"] = cascade, ["details"] = details };
        }

        var revisionId = 0;
        var parentId = 0;
        if (page is not null)
        {
            var said = reason.Length > 0 ? ": " + reason : "";
            var summary = action switch
            {
                "unprotect" => $"Removed protection from \"[[{title.PrefixedText}]]\"{said}",
                "modify" => $"Changed protection settings for \"[[{title.PrefixedText}]]\"{said} ({SummaryDescription(after)})",
                _ => $"Protected \"[[{title.PrefixedText}]]\"{said} ({SummaryDescription(after)})",
            };
            var nullRevision = await PageWriter.AddNullRevisionAsync(db, page, summary, user.Id, user.Name, now, ct);
            await db.SaveChangesAsync(ct);
            (revisionId, parentId) = (nullRevision.Id, nullRevision.ParentId);
        }

        var entry = ChangeFeed.Entry(wiki.Id, "protect", action, title, page?.Id ?? 0, user.Id, user.Name, reason, parameters, now);
        await ChangeFeed.LogAsync(db, entry, revisionId, parentId, ChangeFlags.Of(user, askedForBot: true), ct);
        await tx.CommitAsync(ct);
        changes.Saved();
        return after;
    }

    private static bool Active(DateTime? expiry, DateTime now) => expiry is null || expiry > now;

    /// <summary>The log's description of protections: <c>[edit=sysop] (indefinite) [move=sysop] (expires 12:00, 1 January 2027 (UTC))</c>.</summary>
    private static string Description(IEnumerable<ProtectionChange> protections) =>
        string.Join(" ", protections.Select(p => $"[{p.Type}={p.Level}] ({ExpiryWords(p.Expiry)})"));

    /// <summary>The null revision's description, with the levels in words: <c>[Edit=Allow only administrators] (indefinite)</c>.</summary>
    /// <summary>The protections in a summary or log line: <c>[Edit=Allow only administrators] (indefinite)</c>.</summary>
    internal static string SummaryDescription(IEnumerable<ProtectionChange> protections) =>
        string.Join(" ", protections.Select(p => $"[{char.ToUpperInvariant(p.Type[0])}{p.Type[1..]}={Protection.LevelName(p.Level)}] ({ExpiryWords(p.Expiry)})"));

    private static string ExpiryWords(DateTime? expiry) => expiry is { } at
        ? "expires " + at.ToString("HH:mm, d MMMM yyyy", CultureInfo.InvariantCulture) + " (UTC)"
        : "indefinite";

    // ---- rollback ----

    /// <summary>
    /// Rolls back the latest edits of <paramref name="fromUser"/> on a page to the last revision by someone else,
    /// through the page editor (so rights, blocks and protections apply); refused with <c>alreadyrolled</c> when the
    /// latest edit is not theirs (or someone saves meanwhile) and <c>onlyauthor</c> when no one else edited.
    /// </summary>
    public async Task<RollbackOutcome> RollbackAsync(Wiki wiki, WikiUser user, Title title, string fromUser, string? summary, bool markBot, CancellationToken ct)
    {
        RequireRight(user, "rollback");
        Revision latest;
        Revision? restore;
        int pageId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var page = await PageReads.PageByTitleAsync(db, wiki.Id, title.Namespace, title.DbKey, ct)
                ?? throw new PageActionRefusedException("missingtitle", "The page you specified doesn't exist.");
            pageId = page.Id;
            latest = await PageReads.LatestRevisionAsync(db, wiki.Id, page.Id, page.LatestRevisionId, ct);
            if (latest.UserText != fromUser)
            {
                throw AlreadyRolled(title, fromUser, latest.UserText);
            }

            var (wikiId, latestUser) = (wiki.Id, latest.UserText);
            restore = await db.Revisions.AsNoTracking().Where(r => r.WikiId == wikiId && r.PageId == pageId && r.UserText != latestUser)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        }

        if (restore is null)
        {
            throw new PageActionRefusedException("onlyauthor", "Cannot revert the edit; the last contributor is the only author of this page.");
        }

        var text = string.IsNullOrEmpty(summary)
            ? $"Reverted edits by [[Special:Contributions/{fromUser}|{fromUser}]] ([[User talk:{fromUser}|talk]]) to last revision by [[User:{restore.UserText}|{restore.UserText}]]"
            : summary;
        var bot = markBot && user.HasRight("markbotedits");
        var outcome = await editor.SaveAsync(new PageEdit
        {
            Wiki = wiki,
            User = user,
            Title = title,
            Compose = _ => restore.Text,
            Base = EditBase.Revision(latest.Id),
            Summary = text,
            Minor = user.HasRight("minoredit"),
            NoCreate = true,
            Bot = bot,
        }, ct);
        switch (outcome.Status)
        {
            case EditStatus.Saved or EditStatus.NoChange:
                if (bot)
                {
                    await MarkBotAsync(wiki.Id, pageId, restore.Id, latest.Id, ct);
                }

                return new RollbackOutcome(title, pageId, text, outcome.Saved?.Id ?? latest.Id, latest.Id, restore.Id);
            case EditStatus.PermissionDenied:
                throw new PageActionRefusedException(outcome.Refusal!);
            case EditStatus.MissingPage:
                throw new PageActionRefusedException("missingtitle", "The page you specified doesn't exist.");
            default:
                throw AlreadyRolled(title, fromUser, outcome.Current?.UserText ?? fromUser);
        }
    }

    private static PageActionRefusedException AlreadyRolled(Title title, string fromUser, string lastUser) =>
        new("alreadyrolled", $"Cannot rollback the last edit of [[:{title.PrefixedText}]] by [[User:{fromUser}|{fromUser}]] ([[User talk:{fromUser}|talk]]); someone else has edited or rolled back the page already.\n\nThe last edit to the page was by [[User:{lastUser}|{lastUser}]] ([[User talk:{lastUser}|talk]]).");

    /// <summary>With <c>markbot</c>: the rolled-back edits are flagged as a bot's in recent changes, as MediaWiki hides them.</summary>
    private async Task MarkBotAsync(string wikiId, int pageId, int afterRevision, int upToRevision, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        await db.RecentChanges.Where(c => c.WikiId == wikiId && c.PageId == pageId && c.RevisionId > afterRevision && c.RevisionId <= upToRevision)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Bot, true), ct);
    }
}
