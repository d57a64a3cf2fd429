using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UiTagActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_pulled_at",
                table: "tags",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pushed_by",
                table: "tags",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_tags_updated_at",
                table: "tags",
                column: "updated_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tags_updated_at",
                table: "tags");

            migrationBuilder.DropColumn(
                name: "last_pulled_at",
                table: "tags");

            migrationBuilder.DropColumn(
                name: "pushed_by",
                table: "tags");
        }
    }
}
