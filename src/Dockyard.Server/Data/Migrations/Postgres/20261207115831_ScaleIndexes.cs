using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_repositories_visibility",
                table: "repositories",
                column: "visibility");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_actor_name_id",
                table: "audit_entries",
                columns: new[] { "actor_name", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_repositories_visibility",
                table: "repositories");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_actor_name_id",
                table: "audit_entries");
        }
    }
}
