namespace CrossWiki.Server.Storage;

/// <summary>A farm-wide account: one id and name on every wiki.</summary>
internal sealed class UserAccount
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>Explicit groups, comma-separated (<c>bot,sysop</c>); implicit groups are not stored.</summary>
    public string Groups { get; set; } = "";

    public string RealName { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTime Registration { get; set; }
}

/// <summary>A page of one wiki; its id is the wiki's own (each wiki's first page is 1), as on MediaWiki.</summary>
internal sealed class Page
{
    public int Id { get; set; }

    public required string WikiId { get; set; }

    public int Namespace { get; set; }

    /// <summary>Title text without the namespace, with underscores.</summary>
    public required string DbKey { get; set; }

    /// <summary>Concurrency token: an edit that read another latest revision loses with <c>editconflict</c>.</summary>
    public int LatestRevisionId { get; set; }

    public DateTime Touched { get; set; }

    public int Length { get; set; }

    public bool IsNew { get; set; }

    /// <summary>A number in [0, 1) drawn when the page is created: list=random reads pages in its order (<c>page_random</c>).</summary>
    public double Random { get; set; }
}

/// <summary>One saved revision of a page; its id, like the page's, is the wiki's own.</summary>
internal sealed class Revision
{
    public int Id { get; set; }

    public int PageId { get; set; }

    public required string WikiId { get; set; }

    public int ParentId { get; set; }

    /// <summary>0 for an anonymous edit.</summary>
    public int UserId { get; set; }

    public required string UserText { get; set; }

    public DateTime Timestamp { get; set; }

    public string Comment { get; set; } = "";

    public bool Minor { get; set; }

    public required string Text { get; set; }

    public int Length { get; set; }

    public required string Sha1 { get; set; }
}

/// <summary>
/// A page on a user's watchlist (MediaWiki's <c>watchlist</c> with <c>watchlist_expiry</c>): the subject page and
/// its talk page are watched together, each with a row; an item past its expiry is no longer watched.
/// </summary>
internal sealed class WatchedItem
{
    public required string WikiId { get; set; }

    public int UserId { get; set; }

    public int Namespace { get; set; }

    /// <summary>The page's database key.</summary>
    public required string Title { get; set; }

    /// <summary>When the item stops being watched; null for never.</summary>
    public DateTime? Expiry { get; set; }

    /// <summary>The first change since the user last visited the page (<c>wl_notificationtimestamp</c>); null when seen.</summary>
    public DateTime? NotificationTimestamp { get; set; }
}

/// <summary>A saved user preference on one wiki; defaults are not stored.</summary>
internal sealed class UserPreference
{
    public required string WikiId { get; set; }

    public int UserId { get; set; }

    public required string Name { get; set; }

    public required string Value { get; set; }
}

/// <summary>Farm-wide secrets and settings that must survive restarts and be shared by every node.</summary>
internal sealed class FarmSetting
{
    public required string Name { get; set; }

    public required string Value { get; set; }
}

/// <summary>
/// The next page and revision ids of one wiki. The save path takes them with one update of this row,
/// which also makes saves of one wiki on several nodes take turns for the id (PostgreSQL's row lock).
/// </summary>
internal sealed class WikiCounter
{
    public required string WikiId { get; set; }

    public int NextPageId { get; set; }

    public int NextRevisionId { get; set; }
}

/// <summary>A link from a page to another page of its wiki (MediaWiki's <c>pagelinks</c>); the target may not exist.</summary>
internal sealed class PageLink
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    public int Namespace { get; set; }

    public required string Title { get; set; }
}

/// <summary>A page transcluded by a page (<c>templatelinks</c>).</summary>
internal sealed class TemplateLink
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    public int Namespace { get; set; }

    public required string Title { get; set; }
}

/// <summary>A page's membership of a category (<c>categorylinks</c>).</summary>
internal sealed class CategoryLink
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    /// <summary>The category's key, without the namespace.</summary>
    public required string Category { get; set; }

    /// <summary>The link's label, which sorts the page under it; empty when none was given.</summary>
    public string SortKeyPrefix { get; set; } = "";

    /// <summary>What the member is sorted by: the prefix (or the page's title) in upper case, as the uppercase collation does.</summary>
    public required string SortKey { get; set; }

    /// <summary><c>page</c>, <c>subcat</c> or <c>file</c>, by the member's namespace.</summary>
    public required string Type { get; set; }

    public DateTime Timestamp { get; set; }
}

/// <summary>A file used by a page (<c>imagelinks</c>); the file may not exist.</summary>
internal sealed class ImageLink
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    /// <summary>The file's key, without the namespace.</summary>
    public required string To { get; set; }
}

/// <summary>An external link of a page (<c>externallinks</c>), in the order the page has them.</summary>
internal sealed class ExternalLink
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    public int Index { get; set; }

    public required string Url { get; set; }
}

/// <summary>Where a redirect page points (<c>redirect</c>): one row per page whose text is a redirect.</summary>
internal sealed class RedirectTarget
{
    public required string WikiId { get; set; }

    public int FromId { get; set; }

    public int Namespace { get; set; }

    public required string Title { get; set; }

    public string Fragment { get; set; } = "";
}

/// <summary>A property of a page (<c>page_props</c>): a behaviour switch such as <c>notoc</c> or <c>hiddencat</c>, with its value.</summary>
internal sealed class PageProp
{
    public required string WikiId { get; set; }

    public int PageId { get; set; }

    public required string Name { get; set; }

    public string Value { get; set; } = "";
}

/// <summary>
/// Work a save left for later (MediaWiki's <c>job</c> table), kept in the database so that it survives a
/// restart and any node of the farm can run it (<see cref="Pages.JobRunner"/>).
/// </summary>
internal sealed class Job
{
    public long Id { get; set; }

    public required string WikiId { get; set; }

    /// <summary>What to do, by MediaWiki's job name: <c>htmlCacheUpdate</c> touches the pages that link to the title.</summary>
    public required string Type { get; set; }

    /// <summary>The title the job is about (the page that was created).</summary>
    public int Namespace { get; set; }

    public required string Title { get; set; }

    public DateTime Timestamp { get; set; }
}

/// <summary>
/// What is kept of one version of a file, current or old: the columns MediaWiki's <c>image</c> and <c>oldimage</c>
/// tables share. Not an entity itself; each table maps these columns as its own.
/// </summary>
internal abstract class FileVersionColumns
{
    public required string WikiId { get; set; }

    /// <summary>The file's name: the File page's database key, without the namespace.</summary>
    public required string Name { get; set; }

    public long Size { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>The MIME type read from the file's content (<c>image/png</c>).</summary>
    public required string Mime { get; set; }

    /// <summary>MediaWiki's media type: <c>BITMAP</c>, <c>DRAWING</c>, <c>UNKNOWN</c>.</summary>
    public required string MediaType { get; set; }

    /// <summary>The SHA-1 of the content, 40 hex digits (MediaWiki keeps base 36; the API answers hex).</summary>
    public required string Sha1 { get; set; }

    public DateTime Timestamp { get; set; }

    public int UserId { get; set; }

    public required string UserText { get; set; }

    /// <summary>The upload comment.</summary>
    public string Description { get; set; } = "";
}

/// <summary>
/// The current version of an uploaded file of a wiki (MediaWiki's <c>image</c> table), by its name in the
/// File namespace (a database key, underscores for spaces). Its bytes are in the file store (<see cref="Files.IFileStore"/>).
/// </summary>
internal sealed class FileRecord : FileVersionColumns;

/// <summary>An earlier version of a file, kept when it was uploaded again (MediaWiki's <c>oldimage</c> table).</summary>
internal sealed class OldFileRecord : FileVersionColumns
{
    public long Id { get; set; }

    /// <summary>The version's name in the archive: <c>{timestamp of its replacement}!{name}</c>, as MediaWiki names it.</summary>
    public required string ArchiveName { get; set; }
}

/// <summary>
/// A file uploaded to the stash and not published yet, or a chunked upload under way (MediaWiki's
/// <c>uploadstash</c> table). Only its user may use its key; it expires (<see cref="Files.FileRepository.MaxStashAge"/>).
/// </summary>
internal sealed class StashedFile
{
    public required string WikiId { get; set; }

    /// <summary>The file key the client is given (<c>abc123.def456.7.png</c>).</summary>
    public required string Key { get; set; }

    public int UserId { get; set; }

    /// <summary>The name the client gave when it stashed the file.</summary>
    public required string OriginalName { get; set; }

    /// <summary>Bytes stored so far; for a finished file its size.</summary>
    public long Size { get; set; }

    /// <summary>For a chunked upload: the size the client announced (<c>filesize</c>); 0 otherwise.</summary>
    public long ExpectedSize { get; set; }

    /// <summary>For a chunked upload: the chunks stored so far (each under its own store key).</summary>
    public int Chunks { get; set; }

    /// <summary><c>chunks</c> while chunks are coming, <c>finished</c> once the file is whole.</summary>
    public required string Stage { get; set; }

    public string Mime { get; set; } = "";

    public string MediaType { get; set; } = "";

    public int Width { get; set; }

    public int Height { get; set; }

    public string Sha1 { get; set; } = "";

    public DateTime Timestamp { get; set; }
}

/// <summary>
/// One change in a wiki's recent changes (MediaWiki's <c>recentchanges</c>): an edit, a page creation or a log
/// entry, with what the feeds show of it. Written by the one save path in the same transaction as the change.
/// </summary>
internal sealed class RecentChange
{
    public long Id { get; set; }

    public required string WikiId { get; set; }

    public DateTime Timestamp { get; set; }

    /// <summary>0 for an anonymous change.</summary>
    public int UserId { get; set; }

    public required string UserText { get; set; }

    public int Namespace { get; set; }

    /// <summary>The page's database key.</summary>
    public required string Title { get; set; }

    public string Comment { get; set; } = "";

    public bool Minor { get; set; }

    public bool Bot { get; set; }

    /// <summary>MediaWiki's <c>rc_type</c>: 0 edit, 1 new page, 3 log entry.</summary>
    public int Type { get; set; }

    /// <summary>The page's id (0 for a log entry about no page).</summary>
    public int PageId { get; set; }

    /// <summary>The revision the change saved (<c>rc_this_oldid</c>), and the one before it (<c>rc_last_oldid</c>, 0 for a new page).</summary>
    public int RevisionId { get; set; }

    public int ParentId { get; set; }

    public int OldLength { get; set; }

    public int NewLength { get; set; }

    /// <summary>MediaWiki's <c>rc_patrolled</c>: 0 unpatrolled, 2 autopatrolled.</summary>
    public int Patrolled { get; set; }

    /// <summary>For a log entry: its id, type and action (<c>rc_logid</c>, <c>rc_log_type</c>, <c>rc_log_action</c>).</summary>
    public long LogId { get; set; }

    public string? LogType { get; set; }

    public string? LogAction { get; set; }
}

/// <summary>
/// One entry of a wiki's logs (MediaWiki's <c>logging</c>): who did what to which page (create, upload, move,
/// delete, protect, ...), with the action's parameters as a JSON object.
/// </summary>
internal sealed class LogEntry
{
    public long Id { get; set; }

    public required string WikiId { get; set; }

    /// <summary>The log (<c>create</c>, <c>upload</c>, <c>move</c>, ...) and the action in it (<c>create</c>, <c>upload</c>, <c>overwrite</c>, ...).</summary>
    public required string Type { get; set; }

    public required string Action { get; set; }

    public DateTime Timestamp { get; set; }

    public int UserId { get; set; }

    public required string UserText { get; set; }

    public int Namespace { get; set; }

    public required string Title { get; set; }

    /// <summary>The page's id when the entry was made (0 when it had none).</summary>
    public int PageId { get; set; }

    public string Comment { get; set; } = "";

    /// <summary>The action's parameters, as the API gives them (<c>logparams</c>), a JSON object.</summary>
    public string Params { get; set; } = "{}";
}

/// <summary>
/// A revision of a deleted page (MediaWiki's <c>archive</c>): kept with its id, text and author under the title the
/// page had, so that it can be restored, and shown to users with <c>deletedhistory</c>.
/// </summary>
internal sealed class ArchivedRevision
{
    public required string WikiId { get; set; }

    public int RevisionId { get; set; }

    public int Namespace { get; set; }

    /// <summary>The deleted page's database key.</summary>
    public required string Title { get; set; }

    /// <summary>The page's id when it was deleted (<c>ar_page_id</c>): restoring takes it again when it is free.</summary>
    public int PageId { get; set; }

    public int ParentId { get; set; }

    public int UserId { get; set; }

    public required string UserText { get; set; }

    public DateTime Timestamp { get; set; }

    public string Comment { get; set; } = "";

    public bool Minor { get; set; }

    public required string Text { get; set; }

    public int Length { get; set; }

    public required string Sha1 { get; set; }

    /// <summary>A revision of page <paramref name="pageId"/> kept in the archive under the title it had then.</summary>
    public static ArchivedRevision Of(Revision r, int ns, string dbKey, int pageId) => new()
    {
        WikiId = r.WikiId, RevisionId = r.Id, Namespace = ns, Title = dbKey, PageId = pageId, ParentId = r.ParentId, UserId = r.UserId,
        UserText = r.UserText, Timestamp = r.Timestamp, Comment = r.Comment, Minor = r.Minor, Text = r.Text, Length = r.Length, Sha1 = r.Sha1,
    };

    /// <summary>The revision again, as a revision of page <paramref name="pageId"/> (0 while it is only read).</summary>
    public Revision ToRevision(int pageId) => new()
    {
        WikiId = WikiId, Id = RevisionId, PageId = pageId, ParentId = ParentId, UserId = UserId, UserText = UserText, Timestamp = Timestamp,
        Comment = Comment, Minor = Minor, Text = Text, Length = Length, Sha1 = Sha1,
    };
}

/// <summary>A protection of an existing page for one action (<c>page_restrictions</c>): who may edit, move or upload.</summary>
internal sealed class PageRestriction
{
    public required string WikiId { get; set; }

    public int PageId { get; set; }

    /// <summary><c>edit</c>, <c>move</c> or <c>upload</c>.</summary>
    public required string Type { get; set; }

    /// <summary><c>autoconfirmed</c> or <c>sysop</c>.</summary>
    public required string Level { get; set; }

    /// <summary>When the protection ends; null for never.</summary>
    public DateTime? Expiry { get; set; }

    /// <summary>Asked to protect the pages this one transcludes too (recorded and shown; not applied to them here).</summary>
    public bool Cascade { get; set; }
}

/// <summary>A title no one below a level may create (<c>protected_titles</c>).</summary>
internal sealed class ProtectedTitle
{
    public required string WikiId { get; set; }

    public int Namespace { get; set; }

    public required string Title { get; set; }

    public required string Level { get; set; }

    public DateTime? Expiry { get; set; }

    public int UserId { get; set; }

    public required string UserText { get; set; }

    public string Reason { get; set; } = "";

    public DateTime Timestamp { get; set; }
}

/// <summary>
/// A block of a user name or an IP address on one wiki (MediaWiki's <c>ipblocks</c>): while it lasts, the user
/// can write nothing there (only their own talk page, when <see cref="AllowUserTalk"/>).
/// </summary>
internal sealed class UserBlock
{
    public long Id { get; set; }

    public required string WikiId { get; set; }

    /// <summary>The blocked user name, or the IP address for an anonymous user.</summary>
    public required string Target { get; set; }

    /// <summary>The blocked account's id; 0 for an IP address.</summary>
    public int UserId { get; set; }

    public int ByUserId { get; set; }

    public required string ByUserText { get; set; }

    public string Reason { get; set; } = "";

    public DateTime Timestamp { get; set; }

    /// <summary>When the block ends; null for never.</summary>
    public DateTime? Expiry { get; set; }

    /// <summary>The user may not create accounts either.</summary>
    public bool NoCreate { get; set; }

    /// <summary>The user may still edit their own talk page.</summary>
    public bool AllowUserTalk { get; set; }

    /// <summary>For an IP address: only anonymous users of it are blocked.</summary>
    public bool AnonOnly { get; set; }

    public bool AutoBlock { get; set; }

    public bool NoEmail { get; set; }
}
