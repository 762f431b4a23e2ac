using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>
    /// The link tables the save path keeps (MediaWiki's pagelinks, templatelinks, categorylinks,
    /// imagelinks, externallinks and redirect). Pages saved before are filled in at the server's start
    /// (<c>LinkTablesBackfill</c>).
    /// </summary>
    public partial class LinkTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "categorylinks",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    Category = table.Column<string>(maxLength: 512, nullable: false),
                    SortKeyPrefix = table.Column<string>(nullable: false),
                    SortKey = table.Column<string>(maxLength: 512, nullable: false),
                    Type = table.Column<string>(maxLength: 8, nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_categorylinks", x => new { x.WikiId, x.FromId, x.Category });
                });

            migrationBuilder.CreateTable(
                name: "externallinks",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    Index = table.Column<int>(nullable: false),
                    Url = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_externallinks", x => new { x.WikiId, x.FromId, x.Index });
                });

            migrationBuilder.CreateTable(
                name: "imagelinks",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    To = table.Column<string>(maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_imagelinks", x => new { x.WikiId, x.FromId, x.To });
                });

            migrationBuilder.CreateTable(
                name: "pagelinks",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pagelinks", x => new { x.WikiId, x.FromId, x.Namespace, x.Title });
                });

            migrationBuilder.CreateTable(
                name: "redirect",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 512, nullable: false),
                    Fragment = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_redirect", x => new { x.WikiId, x.FromId });
                });

            migrationBuilder.CreateTable(
                name: "templatelinks",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    FromId = table.Column<int>(nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_templatelinks", x => new { x.WikiId, x.FromId, x.Namespace, x.Title });
                });

            migrationBuilder.CreateIndex(
                name: "IX_categorylinks_WikiId_Category_Type_SortKey_FromId",
                table: "categorylinks",
                columns: new[] { "WikiId", "Category", "Type", "SortKey", "FromId" });

            migrationBuilder.CreateIndex(
                name: "IX_imagelinks_WikiId_To_FromId",
                table: "imagelinks",
                columns: new[] { "WikiId", "To", "FromId" });

            migrationBuilder.CreateIndex(
                name: "IX_pagelinks_WikiId_Namespace_Title_FromId",
                table: "pagelinks",
                columns: new[] { "WikiId", "Namespace", "Title", "FromId" });

            migrationBuilder.CreateIndex(
                name: "IX_redirect_WikiId_Namespace_Title_FromId",
                table: "redirect",
                columns: new[] { "WikiId", "Namespace", "Title", "FromId" });

            migrationBuilder.CreateIndex(
                name: "IX_templatelinks_WikiId_Namespace_Title_FromId",
                table: "templatelinks",
                columns: new[] { "WikiId", "Namespace", "Title", "FromId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "categorylinks");

            migrationBuilder.DropTable(
                name: "externallinks");

            migrationBuilder.DropTable(
                name: "imagelinks");

            migrationBuilder.DropTable(
                name: "pagelinks");

            migrationBuilder.DropTable(
                name: "redirect");

            migrationBuilder.DropTable(
                name: "templatelinks");
        }
    }
}
