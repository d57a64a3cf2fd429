using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ControlPlaneEngines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "collection_grants",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    subject_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    subject_id = table.Column<long>(type: "bigint", nullable: false),
                    role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_collection_grants", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "engines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    endpoint = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    ca_file = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    cert_file = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    key_file = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    created_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engines", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_collection_grants_collection",
                table: "collection_grants",
                column: "collection");

            migrationBuilder.CreateIndex(
                name: "IX_collection_grants_subject_kind_subject_id_role_collection",
                table: "collection_grants",
                columns: new[] { "subject_kind", "subject_id", "role", "collection" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engines_name",
                table: "engines",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "collection_grants");

            migrationBuilder.DropTable(
                name: "engines");
        }
    }
}
