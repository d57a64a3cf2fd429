using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dockyard.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EngineEventStack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "stack",
                table: "engine_events",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_engine_events_stack_time_nano_id",
                table: "engine_events",
                columns: new[] { "stack", "time_nano", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_engine_events_stack_time_nano_id",
                table: "engine_events");

            migrationBuilder.DropColumn(
                name: "stack",
                table: "engine_events");
        }
    }
}
