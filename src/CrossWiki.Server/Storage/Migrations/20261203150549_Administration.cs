using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Administration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "archive",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    RevisionId = table.Column<int>(nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 255, nullable: false),
                    PageId = table.Column<int>(nullable: false),
                    ParentId = table.Column<int>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(maxLength: 255, nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    Comment = table.Column<string>(nullable: false),
                    Minor = table.Column<bool>(nullable: false),
                    Text = table.Column<string>(nullable: false),
                    Length = table.Column<int>(nullable: false),
                    Sha1 = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_archive", x => new { x.WikiId, x.RevisionId });
                });

            migrationBuilder.CreateTable(
                name: "ipblocks",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Target = table.Column<string>(maxLength: 255, nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    ByUserId = table.Column<int>(nullable: false),
                    ByUserText = table.Column<string>(maxLength: 255, nullable: false),
                    Reason = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    Expiry = table.Column<DateTime>(nullable: true),
                    NoCreate = table.Column<bool>(nullable: false),
                    AllowUserTalk = table.Column<bool>(nullable: false),
                    AnonOnly = table.Column<bool>(nullable: false),
                    AutoBlock = table.Column<bool>(nullable: false),
                    NoEmail = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ipblocks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "page_restrictions",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    PageId = table.Column<int>(nullable: false),
                    Type = table.Column<string>(maxLength: 32, nullable: false),
                    Level = table.Column<string>(maxLength: 32, nullable: false),
                    Expiry = table.Column<DateTime>(nullable: true),
                    Cascade = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_page_restrictions", x => new { x.WikiId, x.PageId, x.Type });
                });

            migrationBuilder.CreateTable(
                name: "protected_titles",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 255, nullable: false),
                    Level = table.Column<string>(maxLength: 32, nullable: false),
                    Expiry = table.Column<DateTime>(nullable: true),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(maxLength: 255, nullable: false),
                    Reason = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_protected_titles", x => new { x.WikiId, x.Namespace, x.Title });
                });

            migrationBuilder.CreateIndex(
                name: "IX_archive_WikiId_Namespace_Title_Timestamp",
                table: "archive",
                columns: new[] { "WikiId", "Namespace", "Title", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_ipblocks_WikiId_Target",
                table: "ipblocks",
                columns: new[] { "WikiId", "Target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ipblocks_WikiId_Timestamp",
                table: "ipblocks",
                columns: new[] { "WikiId", "Timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive");

            migrationBuilder.DropTable(
                name: "ipblocks");

            migrationBuilder.DropTable(
                name: "page_restrictions");

            migrationBuilder.DropTable(
                name: "protected_titles");
        }
    }
}
