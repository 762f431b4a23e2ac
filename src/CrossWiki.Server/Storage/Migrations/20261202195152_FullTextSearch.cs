using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>
    /// The full-text index (<see cref="Storage.SearchIndex"/>), outside the EF model: on SQLite an FTS5
    /// table with its rowids in <c>search_docs</c>, on PostgreSQL a table with generated <c>tsvector</c>
    /// columns and GIN indexes. Every page's latest text is indexed here; the save path keeps it after.
    /// PostgreSQL indexes the first 500,000 characters of a text (a <c>tsvector</c> holds at most 1 MB).
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
            {
                migrationBuilder.Sql("""
                    CREATE TABLE search_index (
                        "WikiId" character varying(64) NOT NULL,
                        "PageId" integer NOT NULL,
                        "Title" text NOT NULL,
                        "Text" text NOT NULL,
                        "TitleDocument" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "Title")) STORED,
                        "Document" tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('simple', "Title"), 'A') || setweight(to_tsvector('simple', left("Text", 500000)), 'B')) STORED,
                        PRIMARY KEY ("WikiId", "PageId"));
                    CREATE INDEX search_index_document ON search_index USING GIN ("Document");
                    CREATE INDEX search_index_title_document ON search_index USING GIN ("TitleDocument");
                    INSERT INTO search_index ("WikiId", "PageId", "Title", "Text")
                    SELECT p."WikiId", p."Id", replace(p."DbKey", '_', ' '), r."Text"
                    FROM pages p JOIN revisions r ON r."WikiId" = p."WikiId" AND r."Id" = p."LatestRevisionId";
                    """);
                return;
            }

            migrationBuilder.Sql("""
                CREATE TABLE search_docs ("Id" INTEGER PRIMARY KEY AUTOINCREMENT, "WikiId" TEXT NOT NULL, "PageId" INTEGER NOT NULL);
                CREATE UNIQUE INDEX search_docs_page ON search_docs ("WikiId", "PageId");
                CREATE VIRTUAL TABLE search_index USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO search_docs ("WikiId", "PageId") SELECT "WikiId", "Id" FROM pages ORDER BY "WikiId", "Id";
                INSERT INTO search_index (rowid, title, text)
                SELECT d."Id", replace(p."DbKey", '_', ' '), r."Text"
                FROM search_docs d
                JOIN pages p ON p."WikiId" = d."WikiId" AND p."Id" = d."PageId"
                JOIN revisions r ON r."WikiId" = p."WikiId" AND r."Id" = p."LatestRevisionId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
                ? "DROP TABLE search_index;"
                : "DROP TABLE search_index; DROP TABLE search_docs;");
        }
    }
}
