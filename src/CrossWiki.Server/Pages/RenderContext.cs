using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Pages;

/// <summary>
/// The link targets of one rendering: whether each exists (red links), looked up once per title on one
/// database context, and which were missing (a cached rendering is stale once one of them is created).
/// </summary>
internal sealed class LinkTargets(Wiki wiki, IDbContextFactory<WikiDbContext> dbFactory) : IDisposable
{
    private readonly Dictionary<(int Namespace, string DbKey), bool> _known = [];
    private WikiDbContext? _db;

    /// <summary>Titles linked to that did not exist, in first-seen order.</summary>
    public List<Title> Missing { get; } = [];

    public WikitextContext Context => field ??= new WikitextContext(wiki.Namespaces, Exists, wiki.ArticlePath, wiki.ScriptPath);

    private bool Exists(Title title)
    {
        if (_known.TryGetValue((title.Namespace, title.DbKey), out var known))
        {
            return known;
        }

        var exists = title.Namespace >= 0 && PageReads.PageExists(_db ??= dbFactory.CreateDbContext(), wiki.Id, title.Namespace, title.DbKey);
        _known[(title.Namespace, title.DbKey)] = exists;
        if (!exists)
        {
            Missing.Add(title);
        }

        return exists;
    }

    public void Dispose() => _db?.Dispose();
}
