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
