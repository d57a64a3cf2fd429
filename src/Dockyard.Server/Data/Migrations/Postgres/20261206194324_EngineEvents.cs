using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EngineEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "engine_event_leases",
                columns: table => new
                {
                    engine = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    holder = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false),
                    state_time_nano = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engine_event_leases", x => x.engine);
                });

            migrationBuilder.CreateTable(
                name: "engine_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    time_nano = table.Column<long>(type: "bigint", nullable: false),
                    engine = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    node_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    actor_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    attributes = table.Column<string>(type: "text", nullable: false),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    collection = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    reconciled = table.Column<bool>(type: "boolean", nullable: false),
                    dedup_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engine_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_actor_id_time_nano",
                table: "engine_events",
                columns: new[] { "actor_id", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_actor_name_time_nano",
                table: "engine_events",
                columns: new[] { "actor_name", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_collection_time_nano",
                table: "engine_events",
                columns: new[] { "collection", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_dedup_key",
                table: "engine_events",
                column: "dedup_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_engine_time_nano",
                table: "engine_events",
                columns: new[] { "engine", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_node_id_time_nano",
                table: "engine_events",
                columns: new[] { "node_id", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_time_nano_id",
                table: "engine_events",
                columns: new[] { "time_nano", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_type_action_time_nano",
                table: "engine_events",
                columns: new[] { "type", "action", "time_nano" });

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_user_name_time_nano",
                table: "engine_events",
                columns: new[] { "user_name", "time_nano" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engine_event_leases");

            migrationBuilder.DropTable(
                name: "engine_events");
        }
    }
}
