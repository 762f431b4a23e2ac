using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PageProps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "page_props",
                columns: table => new
                {
                    WikiId = table.Column<string>(maxLength: 64, nullable: false),
                    PageId = table.Column<int>(nullable: false),
                    Name = table.Column<string>(maxLength: 60, nullable: false),
                    Value = table.Column<string>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_page_props", x => new { x.WikiId, x.PageId, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_page_props_WikiId_Name_PageId",
                table: "page_props",
                columns: new[] { "WikiId", "Name", "PageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "page_props");
        }
    }
}
