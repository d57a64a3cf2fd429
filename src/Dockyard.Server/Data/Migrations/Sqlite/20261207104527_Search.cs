using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    organization = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    name_words = table.Column<string>(type: "TEXT", nullable: false),
                    description_words = table.Column<string>(type: "TEXT", nullable: false),
                    tag_words = table.Column<string>(type: "TEXT", nullable: false),
                    label_words = table.Column<string>(type: "TEXT", nullable: false),
                    annotation_words = table.Column<string>(type: "TEXT", nullable: false),
                    image_words = table.Column<string>(type: "TEXT", nullable: false),
                    labels = table.Column<string>(type: "TEXT", nullable: false),
                    architectures = table.Column<string>(type: "TEXT", nullable: false),
                    platforms = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    recent_tags = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    tag_count = table.Column<int>(type: "INTEGER", nullable: false),
                    last_pushed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    signed = table.Column<bool>(type: "INTEGER", nullable: false),
                    indexed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_search_documents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "search_images",
                columns: table => new
                {
                    repository = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    digest = table.Column<string>(type: "TEXT", maxLength: 135, nullable: false),
                    labels = table.Column<string>(type: "TEXT", nullable: false),
                    annotations = table.Column<string>(type: "TEXT", nullable: false),
                    platforms = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    base_image = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
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

            // Full text (written by hand: EF Core does not model FTS5). An external-content FTS5 table over the word
            // columns, kept in step by triggers, so every write of search_documents (EF, ExecuteDelete) updates it.
            // prefix='2 3' adds prefix indexes for the short prefixes a search box sends first.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE search_fts USING fts5(name_words, description_words, tag_words, label_words, annotation_words, image_words, content='search_documents', content_rowid='id', tokenize='unicode61', prefix='2 3');");
            migrationBuilder.Sql("CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN INSERT INTO search_fts(rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES (new.id, new.name_words, new.description_words, new.tag_words, new.label_words, new.annotation_words, new.image_words); END;");
            migrationBuilder.Sql("CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES ('delete', old.id, old.name_words, old.description_words, old.tag_words, old.label_words, old.annotation_words, old.image_words); END;");
            migrationBuilder.Sql("CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN INSERT INTO search_fts(search_fts, rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES ('delete', old.id, old.name_words, old.description_words, old.tag_words, old.label_words, old.annotation_words, old.image_words); INSERT INTO search_fts(rowid, name_words, description_words, tag_words, label_words, annotation_words, image_words) VALUES (new.id, new.name_words, new.description_words, new.tag_words, new.label_words, new.annotation_words, new.image_words); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE search_fts;");
            migrationBuilder.DropTable(
                name: "search_documents");

            migrationBuilder.DropTable(
                name: "search_images");
        }
    }
}
