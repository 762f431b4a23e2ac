using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CrossWiki.Server.Storage;

/// <summary>The farm's database: farm-wide accounts, per-wiki pages, revisions and preferences.</summary>
internal sealed class WikiDbContext(DbContextOptions<WikiDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<Page> Pages => Set<Page>();

    public DbSet<Revision> Revisions => Set<Revision>();

    public DbSet<UserPreference> Preferences => Set<UserPreference>();

    public DbSet<FarmSetting> Settings => Set<FarmSetting>();

    public DbSet<WikiCounter> Counters => Set<WikiCounter>();

    public DbSet<PageLink> PageLinks => Set<PageLink>();

    public DbSet<TemplateLink> TemplateLinks => Set<TemplateLink>();

    public DbSet<CategoryLink> CategoryLinks => Set<CategoryLink>();

    public DbSet<ImageLink> ImageLinks => Set<ImageLink>();

    public DbSet<ExternalLink> ExternalLinks => Set<ExternalLink>();

    public DbSet<RedirectTarget> Redirects => Set<RedirectTarget>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<PageProp> PageProps => Set<PageProp>();

    public DbSet<FileRecord> Files => Set<FileRecord>();

    public DbSet<OldFileRecord> OldFiles => Set<OldFileRecord>();

    public DbSet<StashedFile> Stash => Set<StashedFile>();

    public DbSet<RecentChange> RecentChanges => Set<RecentChange>();

    public DbSet<LogEntry> Logs => Set<LogEntry>();

    public DbSet<WatchedItem> Watchlist => Set<WatchedItem>();

    public DbSet<ArchivedRevision> Archive => Set<ArchivedRevision>();

    public DbSet<PageRestriction> Restrictions => Set<PageRestriction>();

    public DbSet<ProtectedTitle> ProtectedTitles => Set<ProtectedTitle>();

    public DbSet<UserBlock> Blocks => Set<UserBlock>();

    /// <summary>The factory this context goes back to when disposed.</summary>
    internal WikiDbContextFactory? Owner { get; init; }

    /// <summary>Commands kept compiled on <see cref="OwnConnection"/> by their SQL (see <see cref="SqliteStatementReuse"/>).</summary>
    internal Dictionary<string, Microsoft.Data.Sqlite.SqliteCommand>? KeptCommands { get; init; }

    /// <summary>The open connection a <see cref="WikiDbContextFactory"/> gave it; closed when the context is really disposed.</summary>
    internal System.Data.Common.DbConnection? OwnConnection { get; init; }

    /// <summary>
    /// 1 once the context went back to its factory (idle) or was closed for real, 0 while a request holds
    /// it; the factory sets it back to 0 when it hands the context out again (see <see cref="WikiDbContextFactory.Return"/>).
    /// </summary>
    internal int Returned;

    private int _closed;

    /// <summary>Set by <see cref="Close"/>: the next Dispose does not go back to the factory.</summary>
    private bool _closing;

    public override void Dispose()
    {
        if ((!_closing && Owner?.Return(this) == true) || Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        Returned = 1;
        base.Dispose();
        OwnConnection?.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        if ((!_closing && Owner?.Return(this) == true) || Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        Returned = 1;
        await base.DisposeAsync();
        if (OwnConnection is not null)
        {
            await OwnConnection.DisposeAsync();
        }
    }

    /// <summary>Disposes the context and its connection for real (once), without going back to the factory.</summary>
    internal void Close()
    {
        _closing = true;
        Dispose();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Name).IsUnique();
            e.Property(u => u.Name).HasMaxLength(255);
        });
        modelBuilder.Entity<Page>(e =>
        {
            e.ToTable("pages");
            e.HasKey(p => new { p.WikiId, p.Id });
            e.Property(p => p.Id).ValueGeneratedNever();
            e.HasIndex(p => new { p.WikiId, p.Namespace, p.DbKey }).IsUnique();
            e.HasIndex(p => new { p.WikiId, p.Random });
            e.Property(p => p.WikiId).HasMaxLength(64);
            e.Property(p => p.DbKey).HasMaxLength(512);
            e.Property(p => p.LatestRevisionId).IsConcurrencyToken();
        });
        modelBuilder.Entity<Revision>(e =>
        {
            e.ToTable("revisions");
            e.HasKey(r => new { r.WikiId, r.Id });
            e.Property(r => r.Id).ValueGeneratedNever();
            e.HasIndex(r => new { r.WikiId, r.PageId, r.Id });
            e.HasIndex(r => new { r.WikiId, r.UserId });
            e.HasIndex(r => new { r.WikiId, r.UserText, r.Timestamp });
            e.Property(r => r.WikiId).HasMaxLength(64);
        });
        modelBuilder.Entity<UserPreference>(e =>
        {
            e.ToTable("preferences");
            e.HasKey(p => new { p.WikiId, p.UserId, p.Name });
            e.Property(p => p.WikiId).HasMaxLength(64);
            e.Property(p => p.Name).HasMaxLength(255);
        });
        modelBuilder.Entity<WikiCounter>(e =>
        {
            e.ToTable("wiki_counters");
            e.HasKey(c => c.WikiId);
            e.Property(c => c.WikiId).HasMaxLength(64);
        });
        // The link tables: keyed by the linking page, with an index from the target for the reverse lists
        // (backlinks, embeddedin, categorymembers, imageusage, redirects).
        modelBuilder.Entity<PageLink>(e =>
        {
            e.ToTable("pagelinks");
            e.HasKey(l => new { l.WikiId, l.FromId, l.Namespace, l.Title });
            e.HasIndex(l => new { l.WikiId, l.Namespace, l.Title, l.FromId });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.Title).HasMaxLength(512);
        });
        modelBuilder.Entity<TemplateLink>(e =>
        {
            e.ToTable("templatelinks");
            e.HasKey(l => new { l.WikiId, l.FromId, l.Namespace, l.Title });
            e.HasIndex(l => new { l.WikiId, l.Namespace, l.Title, l.FromId });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.Title).HasMaxLength(512);
        });
        modelBuilder.Entity<CategoryLink>(e =>
        {
            e.ToTable("categorylinks");
            e.HasKey(l => new { l.WikiId, l.FromId, l.Category });
            e.HasIndex(l => new { l.WikiId, l.Category, l.Type, l.SortKey, l.FromId });
            e.HasIndex(l => new { l.WikiId, l.Category, l.Timestamp, l.FromId });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.Category).HasMaxLength(512);
            e.Property(l => l.SortKey).HasMaxLength(512);
            e.Property(l => l.Type).HasMaxLength(8);
        });
        modelBuilder.Entity<ImageLink>(e =>
        {
            e.ToTable("imagelinks");
            e.HasKey(l => new { l.WikiId, l.FromId, l.To });
            e.HasIndex(l => new { l.WikiId, l.To, l.FromId });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.To).HasMaxLength(512);
        });
        modelBuilder.Entity<ExternalLink>(e =>
        {
            e.ToTable("externallinks");
            e.HasKey(l => new { l.WikiId, l.FromId, l.Index });
            e.Property(l => l.WikiId).HasMaxLength(64);
        });
        modelBuilder.Entity<RedirectTarget>(e =>
        {
            e.ToTable("redirect");
            e.HasKey(l => new { l.WikiId, l.FromId });
            e.HasIndex(l => new { l.WikiId, l.Namespace, l.Title, l.FromId });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.Title).HasMaxLength(512);
        });
        modelBuilder.Entity<PageProp>(e =>
        {
            e.ToTable("page_props");
            e.HasKey(p => new { p.WikiId, p.PageId, p.Name });
            e.HasIndex(p => new { p.WikiId, p.Name, p.PageId });
            e.Property(p => p.WikiId).HasMaxLength(64);
            e.Property(p => p.Name).HasMaxLength(60);
        });
        modelBuilder.Entity<Job>(e =>
        {
            e.ToTable("job");
            e.HasKey(j => j.Id);
            e.Property(j => j.WikiId).HasMaxLength(64);
            e.Property(j => j.Type).HasMaxLength(32);
            e.Property(j => j.Title).HasMaxLength(512);
        });
        modelBuilder.Entity<FileRecord>(e =>
        {
            e.ToTable("image");
            e.HasKey(f => new { f.WikiId, f.Name });
            e.HasIndex(f => new { f.WikiId, f.Sha1 });
            e.HasIndex(f => new { f.WikiId, f.Timestamp });
            e.Property(f => f.WikiId).HasMaxLength(64);
            e.Property(f => f.Name).HasMaxLength(255);
        });
        modelBuilder.Entity<OldFileRecord>(e =>
        {
            e.ToTable("oldimage");
            e.HasKey(f => f.Id);
            e.HasIndex(f => new { f.WikiId, f.Name, f.Timestamp });
            e.HasIndex(f => new { f.WikiId, f.Sha1 });
            e.Property(f => f.WikiId).HasMaxLength(64);
            e.Property(f => f.Name).HasMaxLength(255);
        });
        modelBuilder.Entity<StashedFile>(e =>
        {
            e.ToTable("uploadstash");
            e.HasKey(f => new { f.WikiId, f.Key });
            e.HasIndex(f => f.Timestamp);
            e.Property(f => f.WikiId).HasMaxLength(64);
            e.Property(f => f.Key).HasMaxLength(255);
            e.Property(f => f.Stage).HasMaxLength(16);
        });
        modelBuilder.Entity<RecentChange>(e =>
        {
            e.ToTable("recentchanges");
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.WikiId, c.Timestamp, c.Id });
            e.HasIndex(c => new { c.WikiId, c.Namespace, c.Title, c.Timestamp });
            e.HasIndex(c => new { c.WikiId, c.UserText, c.Timestamp });
            e.Property(c => c.WikiId).HasMaxLength(64);
            e.Property(c => c.Title).HasMaxLength(255);
            e.Property(c => c.UserText).HasMaxLength(255);
            e.Property(c => c.LogType).HasMaxLength(32);
            e.Property(c => c.LogAction).HasMaxLength(32);
        });
        modelBuilder.Entity<LogEntry>(e =>
        {
            e.ToTable("logging");
            e.HasKey(l => l.Id);
            e.HasIndex(l => new { l.WikiId, l.Timestamp, l.Id });
            e.HasIndex(l => new { l.WikiId, l.Type, l.Timestamp, l.Id });
            e.HasIndex(l => new { l.WikiId, l.Namespace, l.Title, l.Timestamp });
            e.HasIndex(l => new { l.WikiId, l.UserText, l.Timestamp });
            e.Property(l => l.WikiId).HasMaxLength(64);
            e.Property(l => l.Type).HasMaxLength(32);
            e.Property(l => l.Action).HasMaxLength(32);
            e.Property(l => l.Title).HasMaxLength(255);
            e.Property(l => l.UserText).HasMaxLength(255);
        });
        modelBuilder.Entity<WatchedItem>(e =>
        {
            e.ToTable("watchlist");
            e.HasKey(w => new { w.WikiId, w.UserId, w.Namespace, w.Title });
            e.HasIndex(w => new { w.WikiId, w.Namespace, w.Title });
            e.Property(w => w.WikiId).HasMaxLength(64);
            e.Property(w => w.Title).HasMaxLength(255);
        });
        modelBuilder.Entity<ArchivedRevision>(e =>
        {
            e.ToTable("archive");
            e.HasKey(a => new { a.WikiId, a.RevisionId });
            e.HasIndex(a => new { a.WikiId, a.Namespace, a.Title, a.Timestamp });
            e.Property(a => a.WikiId).HasMaxLength(64);
            e.Property(a => a.Title).HasMaxLength(255);
            e.Property(a => a.UserText).HasMaxLength(255);
        });
        modelBuilder.Entity<PageRestriction>(e =>
        {
            e.ToTable("page_restrictions");
            e.HasKey(r => new { r.WikiId, r.PageId, r.Type });
            e.Property(r => r.WikiId).HasMaxLength(64);
            e.Property(r => r.Type).HasMaxLength(32);
            e.Property(r => r.Level).HasMaxLength(32);
        });
        modelBuilder.Entity<ProtectedTitle>(e =>
        {
            e.ToTable("protected_titles");
            e.HasKey(t => new { t.WikiId, t.Namespace, t.Title });
            e.Property(t => t.WikiId).HasMaxLength(64);
            e.Property(t => t.Title).HasMaxLength(255);
            e.Property(t => t.Level).HasMaxLength(32);
            e.Property(t => t.UserText).HasMaxLength(255);
        });
        modelBuilder.Entity<UserBlock>(e =>
        {
            e.ToTable("ipblocks");
            e.HasKey(b => b.Id);
            e.HasIndex(b => new { b.WikiId, b.Target }).IsUnique();
            e.HasIndex(b => new { b.WikiId, b.Timestamp });
            e.Property(b => b.WikiId).HasMaxLength(64);
            e.Property(b => b.Target).HasMaxLength(255);
            e.Property(b => b.ByUserText).HasMaxLength(255);
        });
        modelBuilder.Entity<FarmSetting>(e =>
        {
            e.ToTable("settings");
            e.HasKey(s => s.Name);
        });
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WikiDbContext>
{
    public WikiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WikiDbContext>().UseSqlite("Data Source=design.db").Options);
}
