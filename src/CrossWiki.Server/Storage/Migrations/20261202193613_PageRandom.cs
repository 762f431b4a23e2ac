using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrossWiki.Server.Storage.Migrations
{
    /// <summary>
    /// Pages get MediaWiki's <c>page_random</c>, the order list=random reads them in; existing pages draw
    /// theirs here, new ones when they are created.
    /// </summary>
    public partial class PageRandom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Random",
                table: "pages",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateIndex(
                name: "IX_pages_WikiId_Random",
                table: "pages",
                columns: new[] { "WikiId", "Random" });

            migrationBuilder.Sql(migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
                ? "UPDATE pages SET \"Random\" = random();"
                : "UPDATE pages SET \"Random\" = (random() & 9007199254740991) / 9007199254740992.0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_pages_WikiId_Random",
                table: "pages");

            migrationBuilder.DropColumn(
                name: "Random",
                table: "pages");
        }
    }
}
