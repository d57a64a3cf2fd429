using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialRegistryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blob_links",
                columns: table => new
                {
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blob_links", x => new { x.repository, x.digest });
                });

            migrationBuilder.CreateTable(
                name: "manifest_references",
                columns: table => new
                {
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    manifest_digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    child_digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manifest_references", x => new { x.repository, x.manifest_digest, x.child_digest });
                });

            migrationBuilder.CreateTable(
                name: "manifests",
                columns: table => new
                {
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    media_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    artifact_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    subject = table.Column<string>(type: "TEXT", maxLength: 135, nullable: true),
                    annotations = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manifests", x => new { x.repository, x.digest });
                });

            migrationBuilder.CreateTable(
                name: "repositories",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_repositories", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    manifest_digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tags", x => new { x.repository, x.name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_blob_links_digest",
                table: "blob_links",
                column: "digest");

            migrationBuilder.CreateIndex(
                name: "IX_manifest_references_repository_child_digest",
                table: "manifest_references",
                columns: new[] { "repository", "child_digest" });

            migrationBuilder.CreateIndex(
                name: "IX_manifests_repository_subject",
                table: "manifests",
                columns: new[] { "repository", "subject" });

            migrationBuilder.CreateIndex(
                name: "IX_tags_repository_manifest_digest",
                table: "tags",
                columns: new[] { "repository", "manifest_digest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blob_links");

            migrationBuilder.DropTable(
                name: "manifest_references");

            migrationBuilder.DropTable(
                name: "manifests");

            migrationBuilder.DropTable(
                name: "repositories");

            migrationBuilder.DropTable(
                name: "tags");
        }
    }
}
