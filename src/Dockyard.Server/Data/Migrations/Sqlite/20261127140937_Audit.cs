using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Audit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    time = table.Column<long>(type: "INTEGER", nullable: false),
                    actor_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    actor_id = table.Column<long>(type: "INTEGER", nullable: true),
                    auth_method = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    source_ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    repository = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    digest = table.Column<string>(type: "TEXT", maxLength: 160, nullable: true),
                    resource = table.Column<string>(type: "TEXT", nullable: true),
                    organization = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    details = table.Column<string>(type: "TEXT", nullable: true),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_organization_id",
                table: "audit_entries",
                columns: new[] { "organization", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_repository_id",
                table: "audit_entries",
                columns: new[] { "repository", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_time",
                table: "audit_entries",
                column: "time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
