using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Trust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "trust_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    algorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    fingerprint = table.Column<string>(type: "character varying(71)", maxLength: 71, nullable: false),
                    public_key_pem = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    private_key = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: true),
                    revoked_at = table.Column<long>(type: "bigint", nullable: true),
                    revoked_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    revocation_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trust_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_trust_keys_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_trust_keys_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trust_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: false),
                    repository_pattern = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    require_all_teams = table.Column<bool>(type: "boolean", nullable: false),
                    enforce_deploy = table.Column<bool>(type: "boolean", nullable: false),
                    enforce_pull = table.Column<bool>(type: "boolean", nullable: false),
                    pull_principal_kinds = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trust_policies", x => x.id);
                    table.ForeignKey(
                        name: "FK_trust_policies_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trust_policy_teams",
                columns: table => new
                {
                    policy_id = table.Column<long>(type: "bigint", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trust_policy_teams", x => new { x.policy_id, x.team_id });
                    table.ForeignKey(
                        name: "FK_trust_policy_teams_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_trust_policy_teams_trust_policies_policy_id",
                        column: x => x.policy_id,
                        principalTable: "trust_policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_trust_keys_fingerprint",
                table: "trust_keys",
                column: "fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_keys_organization_id_name",
                table: "trust_keys",
                columns: new[] { "organization_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_keys_team_id",
                table: "trust_keys",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_trust_policies_organization_id",
                table: "trust_policies",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "IX_trust_policy_teams_team_id",
                table: "trust_policy_teams",
                column: "team_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "trust_keys");

            migrationBuilder.DropTable(
                name: "trust_policy_teams");

            migrationBuilder.DropTable(
                name: "trust_policies");
        }
    }
}
