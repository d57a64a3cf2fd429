using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GarbageCollection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blobs",
                columns: table => new
                {
                    digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deleting_since = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blobs", x => x.digest);
                });

            migrationBuilder.CreateIndex(
                name: "IX_manifests_digest",
                table: "manifests",
                column: "digest");

            migrationBuilder.CreateIndex(
                name: "IX_manifest_references_child_digest",
                table: "manifest_references",
                column: "child_digest");

            // Blob records for everything indexed before they existed (last seen = when it was linked or pushed), so pushes
            // referencing existing blobs find their records. Hand-written: keep it when regenerating migrations.
            migrationBuilder.Sql(EfGarbageCollectionIndex.AdoptUntrackedBlobsSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blobs");

            migrationBuilder.DropIndex(
                name: "IX_manifests_digest",
                table: "manifests");

            migrationBuilder.DropIndex(
                name: "IX_manifest_references_child_digest",
                table: "manifest_references");
        }
    }
}
