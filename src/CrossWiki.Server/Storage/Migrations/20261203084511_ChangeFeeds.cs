using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ChangeFeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "logging",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Type = table.Column<string>(maxLength: 32, nullable: false),
                    Action = table.Column<string>(maxLength: 32, nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(maxLength: 255, nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 255, nullable: false),
                    PageId = table.Column<int>(nullable: false),
                    Comment = table.Column<string>(nullable: false),
                    Params = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_logging", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "recentchanges",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(maxLength: 255, nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 255, nullable: false),
                    Comment = table.Column<string>(nullable: false),
                    Minor = table.Column<bool>(nullable: false),
                    Bot = table.Column<bool>(nullable: false),
                    Type = table.Column<int>(nullable: false),
                    PageId = table.Column<int>(nullable: false),
                    RevisionId = table.Column<int>(nullable: false),
                    ParentId = table.Column<int>(nullable: false),
                    OldLength = table.Column<int>(nullable: false),
                    NewLength = table.Column<int>(nullable: false),
                    Patrolled = table.Column<int>(nullable: false),
                    LogId = table.Column<long>(nullable: false),
                    LogType = table.Column<string>(maxLength: 32, nullable: true),
                    LogAction = table.Column<string>(maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recentchanges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_revisions_WikiId_UserText_Timestamp",
                table: "revisions",
                columns: new[] { "WikiId", "UserText", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_logging_WikiId_Namespace_Title_Timestamp",
                table: "logging",
                columns: new[] { "WikiId", "Namespace", "Title", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_logging_WikiId_Timestamp_Id",
                table: "logging",
                columns: new[] { "WikiId", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_logging_WikiId_Type_Timestamp_Id",
                table: "logging",
                columns: new[] { "WikiId", "Type", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_logging_WikiId_UserText_Timestamp",
                table: "logging",
                columns: new[] { "WikiId", "UserText", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_recentchanges_WikiId_Namespace_Title_Timestamp",
                table: "recentchanges",
                columns: new[] { "WikiId", "Namespace", "Title", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_recentchanges_WikiId_Timestamp_Id",
                table: "recentchanges",
                columns: new[] { "WikiId", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_recentchanges_WikiId_UserText_Timestamp",
                table: "recentchanges",
                columns: new[] { "WikiId", "UserText", "Timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "logging");

            migrationBuilder.DropTable(
                name: "recentchanges");

            migrationBuilder.DropIndex(
                name: "IX_revisions_WikiId_UserText_Timestamp",
                table: "revisions");
        }
    }
}
