using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "search_documents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    repository = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    organization = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    name_words = table.Column<string>(type: "text", nullable: false),
                    description_words = table.Column<string>(type: "text", nullable: false),
                    tag_words = table.Column<string>(type: "text", nullable: false),
                    label_words = table.Column<string>(type: "text", nullable: false),
                    annotation_words = table.Column<string>(type: "text", nullable: false),
                    image_words = table.Column<string>(type: "text", nullable: false),
                    labels = table.Column<string>(type: "text", nullable: false),
                    architectures = table.Column<string>(type: "text", nullable: false),
                    platforms = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    recent_tags = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    tag_count = table.Column<int>(type: "integer", nullable: false),
                    last_pushed_at = table.Column<long>(type: "bigint", nullable: true),
                    signed = table.Column<bool>(type: "boolean", nullable: false),
                    indexed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_search_documents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "search_images",
                columns: table => new
                {
                    repository = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    digest = table.Column<string>(type: "character varying(135)", maxLength: 135, nullable: false),
                    labels = table.Column<string>(type: "text", nullable: false),
                    annotations = table.Column<string>(type: "text", nullable: false),
                    platforms = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    base_image = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_search_images", x => new { x.repository, x.digest });
                });

            migrationBuilder.CreateIndex(
                name: "IX_search_documents_last_pushed_at",
                table: "search_documents",
                column: "last_pushed_at");

            migrationBuilder.CreateIndex(
                name: "IX_search_documents_organization",
                table: "search_documents",
                column: "organization");

            migrationBuilder.CreateIndex(
                name: "IX_search_documents_repository",
                table: "search_documents",
                column: "repository",
                unique: true);

            // Full text (written by hand: EF Core does not model it). A generated tsvector over the word columns,
            // weighted (name A, tags B, labels and image C, description and annotations D), with a GIN index; pg_trgm
            // (trusted since PostgreSQL 13, part of Debian's postgresql-15) for the trigram similarity of names in ranking.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS ("
                + "setweight(to_tsvector('simple', name_words), 'A') || setweight(to_tsvector('simple', tag_words), 'B') || "
                + "setweight(to_tsvector('simple', label_words || ' ' || image_words), 'C') || "
                + "setweight(to_tsvector('simple', description_words || ' ' || annotation_words), 'D')) STORED;");
            migrationBuilder.Sql("CREATE INDEX ix_search_documents_document ON search_documents USING GIN (document);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "search_documents");

            migrationBuilder.DropTable(
                name: "search_images");
        }
    }
}
