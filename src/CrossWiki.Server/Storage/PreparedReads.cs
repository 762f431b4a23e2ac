using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrossWiki.Server.Storage;

/// <summary>
/// The two lookups every page read does (a page by title, a revision by id) as SQLite statements
/// prepared once per connection and reused. Microsoft.Data.Sqlite compiles the SQL of every new
/// command again (it keeps no statement cache, dotnet/efcore#14044), and for a lookup by key that
/// compilation costs more than the lookup. The SQL is generated from the EF model's table and column
/// names, and rows are read into the same entities EF would materialize, so EF stays the single
/// description of the schema. Only contexts of <see cref="WikiDbContextFactory"/> use it (their
/// connection stays open, so the statements stay prepared); inside a transaction, or on another
/// provider, callers use their EF query instead.
/// </summary>
internal sealed class PreparedReads
{
    private static readonly Lock Gate = new();
    private static (IModel Model, string PageSql, string RevisionSql, string[] PageColumns, string[] RevisionColumns)? s_sql;

    private readonly SqliteConnection _connection;
    private readonly string _pageSql;
    private readonly string _revisionSql;
    private SqliteCommand? _pageByTitle;
    private SqliteCommand? _revisionById;

    private PreparedReads(SqliteConnection connection, string pageSql, string revisionSql)
    {
        _connection = connection;
        _pageSql = pageSql;
        _revisionSql = revisionSql;
    }

    /// <summary>The prepared reads of a context, or null when it cannot use them now.</summary>
    public static PreparedReads? For(WikiDbContext db)
    {
        if (db.OwnConnection is not SqliteConnection { State: System.Data.ConnectionState.Open } connection || db.Database.CurrentTransaction is not null)
        {
            return null;
        }

        if (db.Prepared is { } prepared)
        {
            return prepared;
        }

        var sql = Sql(db.Model);
        return db.Prepared = new PreparedReads(connection, sql.PageSql, sql.RevisionSql);
    }

    /// <summary>The page of a wiki with this namespace and key, as <c>db.Pages.AsNoTracking()</c> would read it.</summary>
    public Page? PageByTitle(string wikiId, int ns, string dbKey)
    {
        var command = _pageByTitle ??= Prepare(_pageSql, "$wiki", "$ns", "$key");
        command.Parameters[0].Value = wikiId;
        command.Parameters[1].Value = ns;
        command.Parameters[2].Value = dbKey;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new Page
        {
            Id = reader.GetInt32(0),
            WikiId = reader.GetString(1),
            Namespace = reader.GetInt32(2),
            DbKey = reader.GetString(3),
            LatestRevisionId = reader.GetInt32(4),
            Touched = reader.GetDateTime(5),
            Length = reader.GetInt32(6),
            IsNew = reader.GetBoolean(7),
        };
    }

    /// <summary>A revision by id, as <c>db.Revisions.AsNoTracking()</c> would read it.</summary>
    public Revision? RevisionById(int id)
    {
        var command = _revisionById ??= Prepare(_revisionSql, "$id");
        command.Parameters[0].Value = id;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new Revision
        {
            Id = reader.GetInt32(0),
            PageId = reader.GetInt32(1),
            WikiId = reader.GetString(2),
            ParentId = reader.GetInt32(3),
            UserId = reader.GetInt32(4),
            UserText = reader.GetString(5),
            Timestamp = reader.GetDateTime(6),
            Comment = reader.GetString(7),
            Minor = reader.GetBoolean(8),
            Text = reader.GetString(9),
            Length = reader.GetInt32(10),
            Sha1 = reader.GetString(11),
        };
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    /// <summary>
    /// The statements, from the model. The columns are listed in the order the readers above use; a
    /// property added to the entities without being added here fails at the first use, not silently.
    /// </summary>
    private static (IModel Model, string PageSql, string RevisionSql, string[] PageColumns, string[] RevisionColumns) Sql(IModel model)
    {
        lock (Gate)
        {
            if (s_sql is { } known && ReferenceEquals(known.Model, model))
            {
                return known;
            }

            string[] pageProperties = [nameof(Page.Id), nameof(Page.WikiId), nameof(Page.Namespace), nameof(Page.DbKey), nameof(Page.LatestRevisionId), nameof(Page.Touched), nameof(Page.Length), nameof(Page.IsNew)];
            string[] revisionProperties =
            [
                nameof(Revision.Id), nameof(Revision.PageId), nameof(Revision.WikiId), nameof(Revision.ParentId), nameof(Revision.UserId), nameof(Revision.UserText),
                nameof(Revision.Timestamp), nameof(Revision.Comment), nameof(Revision.Minor), nameof(Revision.Text), nameof(Revision.Length), nameof(Revision.Sha1),
            ];
            var page = model.FindEntityType(typeof(Page))!;
            var revision = model.FindEntityType(typeof(Revision))!;
            var pageColumns = Columns(page, pageProperties);
            var revisionColumns = Columns(revision, revisionProperties);
            var pageSql = $"SELECT {string.Join(", ", pageColumns)} FROM {Quote(page.GetTableName()!)} "
                + $"WHERE {pageColumns[1]} = $wiki AND {pageColumns[2]} = $ns AND {pageColumns[3]} = $key LIMIT 1";
            var revisionSql = $"SELECT {string.Join(", ", revisionColumns)} FROM {Quote(revision.GetTableName()!)} WHERE {revisionColumns[0]} = $id";
            s_sql = (model, pageSql, revisionSql, pageColumns, revisionColumns);
            return s_sql.Value;
        }
    }

    private static string[] Columns(IEntityType type, string[] properties)
    {
        var mapped = type.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal);
        if (!mapped.SequenceEqual(properties.Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException($"PreparedReads reads {type.ClrType.Name} as [{string.Join(", ", properties)}], but the model maps [{string.Join(", ", mapped)}].");
        }

        return [.. properties.Select(p => Quote(type.FindProperty(p)!.GetColumnName()))];
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
