using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Watchlist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "watchlist",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    Namespace = table.Column<int>(nullable: false),
                    Title = table.Column<string>(maxLength: 255, nullable: false),
                    Expiry = table.Column<DateTime>(nullable: true),
                    NotificationTimestamp = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watchlist", x => new { x.WikiId, x.UserId, x.Namespace, x.Title });
                });

            migrationBuilder.CreateIndex(
                name: "IX_watchlist_WikiId_Namespace_Title",
                table: "watchlist",
                columns: new[] { "WikiId", "Namespace", "Title" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "watchlist");
        }
    }
}
