using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Sqlite
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
                    engine = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    holder = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state_time_nano = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engine_event_leases", x => x.engine);
                });

            migrationBuilder.CreateTable(
                name: "engine_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    time_nano = table.Column<long>(type: "INTEGER", nullable: false),
                    engine = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    node_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    attributes = table.Column<string>(type: "TEXT", nullable: false),
                    scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    collection = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    reconciled = table.Column<bool>(type: "INTEGER", nullable: false),
                    dedup_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
