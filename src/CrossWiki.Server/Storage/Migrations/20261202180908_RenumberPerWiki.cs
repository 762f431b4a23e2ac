using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>
    /// The existing rows of every wiki are renumbered from 1 in their old order (revisions' pages and
    /// parents and pages' latest revisions follow), and each wiki's counter starts after them. Down leaves
    /// the numbers as they are: ids shared by the farm cannot be told apart again.
    /// </summary>
    public partial class RenumberPerWiki : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Renumbered under the new keys: ids only need to be unique within a wiki now. Each row goes
            // to a negative id first, so that no new id meets an old one of the same wiki mid-update.
            migrationBuilder.Sql("""
                CREATE TABLE renumber_pages AS SELECT "Id" AS old_id, ROW_NUMBER() OVER (PARTITION BY "WikiId" ORDER BY "Id") AS new_id FROM pages;
                CREATE TABLE renumber_revisions AS SELECT "Id" AS old_id, ROW_NUMBER() OVER (PARTITION BY "WikiId" ORDER BY "Id") AS new_id FROM revisions;
                CREATE UNIQUE INDEX renumber_pages_old ON renumber_pages (old_id);
                CREATE UNIQUE INDEX renumber_revisions_old ON renumber_revisions (old_id);
                UPDATE revisions SET
                    "PageId" = (SELECT new_id FROM renumber_pages WHERE old_id = revisions."PageId"),
                    "ParentId" = COALESCE((SELECT new_id FROM renumber_revisions WHERE old_id = revisions."ParentId"), 0);
                UPDATE pages SET "LatestRevisionId" = COALESCE((SELECT new_id FROM renumber_revisions WHERE old_id = pages."LatestRevisionId"), 0);
                UPDATE revisions SET "Id" = -"Id";
                UPDATE revisions SET "Id" = (SELECT new_id FROM renumber_revisions WHERE old_id = -revisions."Id");
                UPDATE pages SET "Id" = -"Id";
                UPDATE pages SET "Id" = (SELECT new_id FROM renumber_pages WHERE old_id = -pages."Id");
                DROP TABLE renumber_pages;
                DROP TABLE renumber_revisions;
                """);

            migrationBuilder.Sql("""
                INSERT INTO wiki_counters ("WikiId", "NextPageId", "NextRevisionId")
                SELECT p."WikiId", MAX(p."Id") + 1, COALESCE((SELECT MAX(r."Id") FROM revisions r WHERE r."WikiId" = p."WikiId"), 0) + 1
                FROM pages p GROUP BY p."WikiId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
