using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>
    /// The first schema, for both providers: column types come from the provider that applies it
    /// (SQLite or PostgreSQL), and each identity column carries both providers' annotations.
    /// </summary>
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pages",
                columns: table => new
                {
                    Id = table.Column<int>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    DbKey = table.Column<string>(maxLength: 512, nullable: false),
                    LatestRevisionId = table.Column<int>(nullable: false),
                    Touched = table.Column<DateTime>(nullable: false),
                    Length = table.Column<int>(nullable: false),
                    IsNew = table.Column<bool>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "preferences",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    Name = table.Column<string>(maxLength: 255, nullable: false),
                    Value = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_preferences", x => new { x.WikiId, x.UserId, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "revisions",
                columns: table => new
                {
                    Id = table.Column<int>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PageId = table.Column<int>(nullable: false),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    ParentId = table.Column<int>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    Comment = table.Column<string>(nullable: false),
                    Minor = table.Column<bool>(nullable: false),
                    Text = table.Column<string>(nullable: false),
                    Length = table.Column<int>(nullable: false),
                    Sha1 = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    Name = table.Column<string>(nullable: false),
                    Value = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<int>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(maxLength: 255, nullable: false),
                    PasswordHash = table.Column<string>(nullable: false),
                    Groups = table.Column<string>(nullable: false),
                    RealName = table.Column<string>(nullable: false),
                    Email = table.Column<string>(nullable: false),
                    Registration = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pages_WikiId_Namespace_DbKey",
                table: "pages",
                columns: new[] { "WikiId", "Namespace", "DbKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_revisions_PageId_Id",
                table: "revisions",
                columns: new[] { "PageId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_revisions_WikiId_UserId",
                table: "revisions",
                columns: new[] { "WikiId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_users_Name",
                table: "users",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pages");

            migrationBuilder.DropTable(
                name: "preferences");

            migrationBuilder.DropTable(
                name: "revisions");

            migrationBuilder.DropTable(
                name: "settings");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
