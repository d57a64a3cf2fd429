using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScaleOutAndUi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_pulled_at",
                table: "tags",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pushed_by",
                table: "tags",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "storage_quota_bytes",
                table: "organizations",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "content_size",
                table: "manifests",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "platforms",
                table: "manifests",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "blobs",
                columns: table => new
                {
                    digest = table.Column<string>(type: "character varying(135)", maxLength: 135, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    last_seen_at = table.Column<long>(type: "bigint", nullable: false),
                    deleting_since = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blobs", x => x.digest);
                });

            migrationBuilder.CreateTable(
                name: "immutability_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: true),
                    repository = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    tag_pattern = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    repository_pattern = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false)
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
                name: "leases",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    holder = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "retention_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_id = table.Column<long>(type: "bigint", nullable: true),
                    repository = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    keep_last_tags = table.Column<int>(type: "integer", nullable: true),
                    keep_tag_patterns = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    delete_untagged_after_seconds = table.Column<long>(type: "bigint", nullable: true),
                    include_recent = table.Column<bool>(type: "boolean", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
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
                name: "IX_tags_updated_at",
                table: "tags",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "IX_manifests_digest",
                table: "manifests",
                column: "digest");

            migrationBuilder.CreateIndex(
                name: "IX_manifest_references_child_digest",
                table: "manifest_references",
                column: "child_digest");

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

            // Blobs stored before garbage collection existed get their records: a manifest push naming one would otherwise
            // fail until the first collection adopted it.
            migrationBuilder.Sql(EfGarbageCollectionIndex.AdoptUntrackedBlobsSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blobs");

            migrationBuilder.DropTable(
                name: "immutability_rules");

            migrationBuilder.DropTable(
                name: "leases");

            migrationBuilder.DropTable(
                name: "retention_policies");

            migrationBuilder.DropIndex(
                name: "IX_tags_updated_at",
                table: "tags");

            migrationBuilder.DropIndex(
                name: "IX_manifests_digest",
                table: "manifests");

            migrationBuilder.DropIndex(
                name: "IX_manifest_references_child_digest",
                table: "manifest_references");

            migrationBuilder.DropColumn(
                name: "last_pulled_at",
                table: "tags");

            migrationBuilder.DropColumn(
                name: "pushed_by",
                table: "tags");

            migrationBuilder.DropColumn(
                name: "storage_quota_bytes",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "content_size",
                table: "manifests");

            migrationBuilder.DropColumn(
                name: "platforms",
                table: "manifests");
        }
    }
}
