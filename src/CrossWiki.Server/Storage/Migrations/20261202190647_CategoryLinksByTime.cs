using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>Category members listed by the time they were added (<c>cmsort=timestamp</c>) read an index range too.</summary>
    public partial class CategoryLinksByTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_categorylinks_WikiId_Category_Timestamp_FromId",
                table: "categorylinks",
                columns: new[] { "WikiId", "Category", "Timestamp", "FromId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_categorylinks_WikiId_Category_Timestamp_FromId",
                table: "categorylinks");
        }
    }
}
