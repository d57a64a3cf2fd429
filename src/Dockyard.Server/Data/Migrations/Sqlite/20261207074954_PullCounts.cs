using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PullCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "pull_count",
                table: "tags",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "last_pulled_at",
                table: "repositories",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "pull_count",
                table: "repositories",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // A repository was last pulled when its most recently pulled tag was (tags kept that before pull counts).
            migrationBuilder.Sql("UPDATE repositories SET last_pulled_at = (SELECT MAX(t.last_pulled_at) FROM tags t WHERE t.repository = repositories.name);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "pull_count",
                table: "tags");

            migrationBuilder.DropColumn(
                name: "last_pulled_at",
                table: "repositories");

            migrationBuilder.DropColumn(
                name: "pull_count",
                table: "repositories");
        }
    }
}
