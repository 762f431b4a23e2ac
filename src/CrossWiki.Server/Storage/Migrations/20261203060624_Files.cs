using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Files : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "image",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Name = table.Column<string>(maxLength: 255, nullable: false),
                    Size = table.Column<long>(nullable: false),
                    Width = table.Column<int>(nullable: false),
                    Height = table.Column<int>(nullable: false),
                    Mime = table.Column<string>(nullable: false),
                    MediaType = table.Column<string>(nullable: false),
                    Sha1 = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(nullable: false),
                    Description = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image", x => new { x.WikiId, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "oldimage",
                columns: table => new
                {
                    Id = table.Column<long>(nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Name = table.Column<string>(maxLength: 255, nullable: false),
                    ArchiveName = table.Column<string>(nullable: false),
                    Size = table.Column<long>(nullable: false),
                    Width = table.Column<int>(nullable: false),
                    Height = table.Column<int>(nullable: false),
                    Mime = table.Column<string>(nullable: false),
                    MediaType = table.Column<string>(nullable: false),
                    Sha1 = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    UserText = table.Column<string>(nullable: false),
                    Description = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oldimage", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "uploadstash",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    Key = table.Column<string>(maxLength: 255, nullable: false),
                    UserId = table.Column<int>(nullable: false),
                    OriginalName = table.Column<string>(nullable: false),
                    Size = table.Column<long>(nullable: false),
                    ExpectedSize = table.Column<long>(nullable: false),
                    Chunks = table.Column<int>(nullable: false),
                    Stage = table.Column<string>(maxLength: 16, nullable: false),
                    Mime = table.Column<string>(nullable: false),
                    MediaType = table.Column<string>(nullable: false),
                    Width = table.Column<int>(nullable: false),
                    Height = table.Column<int>(nullable: false),
                    Sha1 = table.Column<string>(nullable: false),
                    Timestamp = table.Column<DateTime>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_uploadstash", x => new { x.WikiId, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_image_WikiId_Sha1",
                table: "image",
                columns: new[] { "WikiId", "Sha1" });

            migrationBuilder.CreateIndex(
                name: "IX_image_WikiId_Timestamp",
                table: "image",
                columns: new[] { "WikiId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_oldimage_WikiId_Name_Timestamp",
                table: "oldimage",
                columns: new[] { "WikiId", "Name", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_oldimage_WikiId_Sha1",
                table: "oldimage",
                columns: new[] { "WikiId", "Sha1" });

            migrationBuilder.CreateIndex(
                name: "IX_uploadstash_Timestamp",
                table: "uploadstash",
                column: "Timestamp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image");

            migrationBuilder.DropTable(
                name: "oldimage");

            migrationBuilder.DropTable(
                name: "uploadstash");
        }
    }
}
