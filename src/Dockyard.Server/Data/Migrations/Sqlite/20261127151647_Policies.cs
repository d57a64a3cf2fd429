using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Policies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "storage_quota_bytes",
                table: "organizations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "immutability_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    organization_id = table.Column<long>(type: "INTEGER", nullable: true),
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    tag_pattern = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    repository_pattern = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_immutability_rules", x => x.id);
                    table.ForeignKey(
                        name: "FK_immutability_rules_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_immutability_rules_repositories_repository",
                        column: x => x.repository,
                        principalTable: "repositories",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "retention_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    organization_id = table.Column<long>(type: "INTEGER", nullable: true),
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    keep_last_tags = table.Column<int>(type: "INTEGER", nullable: true),
                    keep_tag_patterns = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    delete_untagged_after_seconds = table.Column<long>(type: "INTEGER", nullable: true),
                    include_recent = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_retention_policies", x => x.id);
                    table.ForeignKey(
                        name: "FK_retention_policies_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_retention_policies_repositories_repository",
                        column: x => x.repository,
                        principalTable: "repositories",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_immutability_rules_organization_id",
                table: "immutability_rules",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "IX_immutability_rules_repository",
                table: "immutability_rules",
                column: "repository");

            migrationBuilder.CreateIndex(
                name: "IX_retention_policies_organization_id",
                table: "retention_policies",
                column: "organization_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_retention_policies_repository",
                table: "retention_policies",
                column: "repository",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "immutability_rules");

            migrationBuilder.DropTable(
                name: "retention_policies");

            migrationBuilder.DropColumn(
                name: "storage_quota_bytes",
                table: "organizations");
        }
    }
}
