using System.Text;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>What a save came to; each front end turns it into its protocol's answer.</summary>
internal enum EditStatus
{
    /// <summary>A new revision was saved.</summary>
    Saved,

    /// <summary>The text equals the latest revision's: nothing was saved.</summary>
    NoChange,

    /// <summary>Someone else saved after the edit's base (MediaWiki's edit conflict).</summary>
    Conflict,

    /// <summary>The text is over <see cref="EditLimits.MaxArticleBytes"/>.</summary>
    TooBig,

    /// <summary>The user may not edit, or may not create this page (<see cref="EditResult.Refusal"/>).</summary>
    PermissionDenied,

    /// <summary>No page of the wiki has the given page id.</summary>
    NoSuchPageId,

    /// <summary>The title is in a namespace without pages (Special, Media).</summary>
    CannotExist,

    /// <summary>The edit may only create the page, and it exists.</summary>
    PageExists,

    /// <summary>The edit may not create the page, and it does not exist.</summary>
    MissingPage,

    /// <summary>The text is not valid content of the page's model (JSON that does not parse).</summary>
    InvalidContent,

    /// <summary>The edit names another content model than the page's: no one may change a page's model here.</summary>
    CannotChangeModel,
}

/// <summary>
/// The revision an edit was based on, as the client names it. Without one the edit is based on the
/// latest revision when the editor reads it.
/// </summary>
internal readonly record struct EditBase(int? RevisionId, DateTime? Timestamp, bool SawNoPage)
{
    public static EditBase Latest => default;

    /// <summary>The client edited this revision (api.php <c>baserevid</c>, rest.php <c>latest.id</c>, the form's <c>baseRevId</c>).</summary>
    public static EditBase Revision(int id) => new(id, null, false);

    /// <summary>The client edited the revision of this timestamp (api.php <c>basetimestamp</c>, whole seconds).</summary>
    public static EditBase Time(DateTime timestamp) => new(null, timestamp, false);

    /// <summary>The client saw no page: every revision of a page created since is later than the base.</summary>
    public static EditBase NoPage => new(null, null, true);
}

/// <summary>One edit, as a front end read it from its request.</summary>
internal sealed record PageEdit
{
    public required Wiki Wiki { get; init; }

    public required WikiUser User { get; init; }

    /// <summary>The page by title; or set <see cref="PageId"/>.</summary>
    public Title? Title { get; init; }

    public int? PageId { get; init; }

    /// <summary>
    /// The new text from the latest revision's text (null when the page does not exist), before the
    /// pre-save transform. Called inside the write, possibly more than once; it may throw the front
    /// end's own error, and nothing is saved then.
    /// </summary>
    public required Func<string?, string> Compose { get; init; }

    /// <summary>
    /// True for appends, prepends and new sections: they are built on whatever text is latest, so they
    /// ignore <see cref="Base"/> and never conflict.
    /// </summary>
    public bool OnLatest { get; init; }

    public EditBase Base { get; init; }

    public string Summary { get; init; } = "";

    /// <summary>Marked minor (the front end checked the right); a page's first revision never is.</summary>
    public bool Minor { get; init; }

    public bool CreateOnly { get; init; }

    public bool NoCreate { get; init; }

    /// <summary>The content model the client says the text has (api.php <c>contentmodel</c>); null: the page's own.</summary>
    public string? Model { get; init; }

    /// <summary>Asked to be flagged a bot's edit (api.php <c>bot</c>); it is when the user has the <c>bot</c> right.</summary>
    public bool Bot { get; init; }

    /// <summary>Kept out of recent changes and the creation log (an uploaded file's page: the upload log tells of it).</summary>
    public bool SuppressFeed { get; init; }
}

/// <summary>
/// The outcome of <see cref="PageEditor.SaveAsync"/>: the page's title and id when known, the saved
/// revision, the latest revision on a conflict, the refusal, and the size of the text that was too big.
/// </summary>
internal sealed record EditResult(EditStatus Status)
{
    public Title? Title { get; init; }

    public int PageId { get; init; }

    public Revision? Saved { get; init; }

    /// <summary>The save created the page.</summary>
    public bool Created { get; init; }

    /// <summary>The page's latest revision (on a conflict: the one the user must merge with).</summary>
    public Revision? Current { get; init; }

    public EditRefusal? Refusal { get; init; }

    /// <summary>For <see cref="EditStatus.TooBig"/>: the text's size in bytes.</summary>
    public int Bytes { get; init; }
}

/// <summary>
/// The one way a page is saved, for api.php, rest.php and the edit form: title or page id lookup,
/// permissions, the pre-save transform, the size limit, the conflict rule and the write, all inside
/// one turn of the <see cref="WriteGate"/> so that what is checked is what is saved on.
/// <para>
/// The conflict rule is MediaWiki's (EditPage::internalAttemptSave with
/// RevisionStore::userWasLastToEdit): an edit based on an older revision conflicts unless every later
/// revision, by revision id, is the same registered user's. Anonymous users are never "the same user"
/// (several people can share an IP). A <c>basetimestamp</c> names a second, not a revision: of the
/// revisions saved in that second the earliest is taken as the base, so a race within one second
/// conflicts rather than silently losing an edit (MediaWiki compares timestamps and lets it through).
/// This server never merges.
/// </para>
/// </summary>
internal sealed class PageEditor(IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, PageChanges changes, TimeProvider time)
{
    /// <summary>
    /// Saves tried per edit. Within one process the write gate orders writers, so a save loses only to
    /// another process on the same database (PostgreSQL farms); then an edit on the latest text is built
    /// again on the new latest text, and a based edit checks the rule again.
    /// </summary>
    private const int MaxAttempts = 5;

    public async Task<EditResult> SaveAsync(PageEdit edit, CancellationToken ct)
    {
        if (edit.Title is { Namespace: < 0 })
        {
            return new EditResult(EditStatus.CannotExist) { Title = edit.Title };
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int? baseId = null;
        Revision? current = null;
        Title? title = edit.Title;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            using var turn = await writes.EnterAsync(ct);
            db.ChangeTracker.Clear();
            Page? page;
            if (edit.PageId is { } pageId)
            {
                page = await PageReads.PageForSaveById(db, edit.Wiki.Id, pageId, ct);
                if (page is null)
                {
                    return new EditResult(EditStatus.NoSuchPageId);
                }

                title = Title.Create(edit.Wiki.Namespaces, page.Namespace, page.DbKey);
            }
            else
            {
                title = edit.Title ?? throw new ArgumentException("An edit names its page by title or page id.", nameof(edit));
                page = await PageReads.PageForSaveByTitle(db, edit.Wiki.Id, title.Namespace, title.DbKey, ct);
            }

            if (edit.CreateOnly && page is not null)
            {
                return new EditResult(EditStatus.PageExists) { Title = title, PageId = page.Id };
            }

            if (edit.NoCreate && page is null)
            {
                return new EditResult(EditStatus.MissingPage) { Title = title };
            }

            var now = time.GetUtcNow().UtcDateTime;
            if (await RefusalAsync(db, edit, title, page, now, ct) is { } refusal)
            {
                return new EditResult(EditStatus.PermissionDenied) { Title = title, PageId = page?.Id ?? 0, Refusal = refusal };
            }

            // EditPage's content model check: changing it needs editcontentmodel, which no group grants here.
            if (edit.Model is { } model && model != ContentModel.For(title).Name)
            {
                return new EditResult(EditStatus.CannotChangeModel) { Title = title, PageId = page?.Id ?? 0 };
            }

            current = page is null ? null : await PageReads.LatestRevisionAsync(db, page.WikiId, page.Id, page.LatestRevisionId, ct);
            var composed = edit.Compose(current?.Text);
            var text = ContentModel.For(title).IsCode
                ? EditText.PreSaveTransform(composed)
                : await Wikitext.PreSaveTransform.ApplyAsync(db, edit.Wiki, title, new(edit.User.Name, edit.User.IsAnonymous), new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)), composed, ct);
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > EditLimits.MaxArticleBytes)
            {
                return new EditResult(EditStatus.TooBig) { Title = title, PageId = page?.Id ?? 0, Bytes = bytes };
            }

            if (!ContentModel.For(title).IsValid(text))
            {
                return new EditResult(EditStatus.InvalidContent) { Title = title, PageId = page?.Id ?? 0 };
            }

            if (!edit.OnLatest)
            {
                // The base is resolved on the first reading only: after a lost race the winner's revision is later than it.
                baseId ??= await BaseRevisionIdAsync(db, edit.Base, page, current, ct);
                if (page is not null && baseId != page.LatestRevisionId
                    && await PageReads.AnyLaterRevisionByOthers(db, page.WikiId, page.Id, baseId.Value, edit.User.Id, ct))
                {
                    return new EditResult(EditStatus.Conflict) { Title = title, PageId = page.Id, Current = current };
                }
            }

            if (current is not null && text == current.Text)
            {
                return new EditResult(EditStatus.NoChange) { Title = title, PageId = page!.Id, Current = current };
            }

            var saved = await PageWriter.SaveAsync(db, edit.Wiki.Id, title, page, text, await PageLinkSet.FromTextAsync(db, text, title, edit.Wiki, now, ct), edit.Summary, edit.Minor && page is not null,
                edit.User.Id, edit.User.Name, now, edit.SuppressFeed ? null : ChangeFlags.Of(edit.User, edit.Bot), ct);
            if (saved is not null)
            {
                changes.Saved();
                return new EditResult(EditStatus.Saved) { Title = title, PageId = saved.PageId, Saved = saved, Created = page is null, Current = saved };
            }
        }

        // Lost to other processes every time: report it as a conflict rather than wait longer.
        return new EditResult(EditStatus.Conflict) { Title = title, PageId = current?.PageId ?? 0, Current = current };
    }

    /// <summary>
    /// Why the user may not save this page, in MediaWiki's order: the rights, then a block (reported before anything
    /// else that refuses), then the page's protections (or the title's, for a new page).
    /// </summary>
    private static async Task<EditRefusal?> RefusalAsync(WikiDbContext db, PageEdit edit, Title title, Page? page, DateTime now, CancellationToken ct) =>
        EditPermissions.Check(edit.User, title, page is null, edit.Wiki.Sitename)
        ?? Blocks.Refusal(await Blocks.FindAsync(db, edit.Wiki.Id, edit.User, now, ct), edit.User, title)
        ?? await Protection.CheckAsync(db, edit.Wiki.Id, edit.User, title, page?.Id, page is null ? "create" : "edit", now, ct);

    /// <summary>
    /// The revision id an edit is based on: every revision after it is "later". Conservative where the
    /// client's base is vague: a timestamp shared by several revisions gives the earliest of them; a
    /// timestamp between revisions gives the last one before it; a revision of another page gives 0.
    /// </summary>
    private static async Task<int> BaseRevisionIdAsync(WikiDbContext db, EditBase editBase, Page? page, Revision? current, CancellationToken ct)
    {
        if (page is null || editBase.SawNoPage)
        {
            return 0;
        }

        if (editBase.RevisionId is { } id)
        {
            return id == current?.Id || (await PageReads.RevisionByIdAsync(db, page.WikiId, id, ct))?.PageId == page.Id ? id : 0;
        }

        if (editBase.Timestamp is { } timestamp)
        {
            return await PageReads.FirstRevisionIdAt(db, page.WikiId, page.Id, timestamp, ct)
                ?? await PageReads.LastRevisionIdBefore(db, page.WikiId, page.Id, timestamp, ct)
                ?? 0;
        }

        return current?.Id ?? 0;
    }
}
