using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CrmSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "crm_object",
                table: "pending_crm_erasures",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "crm_object",
                table: "crm_links",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "pulled_hash",
                table: "crm_links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "pushed_at",
                table: "crm_links",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "pushed_hash",
                table: "crm_links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "crm_sync_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    direction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    crm_object = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    record_key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    first_failed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_failed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crm_sync_failures", x => x.id);
                    table.ForeignKey(
                        name: "FK_crm_sync_failures_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "crm_sync_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    full = table.Column<bool>(type: "INTEGER", nullable: false),
                    dry_run = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    phase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    pulled = table.Column<int>(type: "INTEGER", nullable: false),
                    created = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    pushed = table.Column<int>(type: "INTEGER", nullable: false),
                    failed = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crm_sync_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_crm_sync_runs_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "crm_sync_states",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    mapping = table.Column<string>(type: "TEXT", nullable: true),
                    watermarks = table.Column<string>(type: "TEXT", nullable: false),
                    resume_object = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    resume_cursor = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    resume_since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    resume_max_seen = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    sync_requested_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crm_sync_states", x => x.id);
                    table.ForeignKey(
                        name: "FK_crm_sync_states_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "crm_webhook_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    crm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    crm_object = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    record_key = table.Column<string>(type: "TEXT", maxLength: 330, nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crm_webhook_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_crm_webhook_events_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_failures_crm_direction_record_key",
                table: "crm_sync_failures",
                columns: new[] { "crm", "direction", "record_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_failures_team_id",
                table: "crm_sync_failures",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_runs_crm_started_at",
                table: "crm_sync_runs",
                columns: new[] { "crm", "started_at" });

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_runs_team_id",
                table: "crm_sync_runs",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_states_crm",
                table: "crm_sync_states",
                column: "crm",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_crm_sync_states_team_id",
                table: "crm_sync_states",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_crm_webhook_events_crm_record_key",
                table: "crm_webhook_events",
                columns: new[] { "crm", "record_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_crm_webhook_events_team_id",
                table: "crm_webhook_events",
                column: "team_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "crm_sync_failures");

            migrationBuilder.DropTable(
                name: "crm_sync_runs");

            migrationBuilder.DropTable(
                name: "crm_sync_states");

            migrationBuilder.DropTable(
                name: "crm_webhook_events");

            migrationBuilder.DropColumn(
                name: "crm_object",
                table: "pending_crm_erasures");

            migrationBuilder.DropColumn(
                name: "crm_object",
                table: "crm_links");

            migrationBuilder.DropColumn(
                name: "pulled_hash",
                table: "crm_links");

            migrationBuilder.DropColumn(
                name: "pushed_at",
                table: "crm_links");

            migrationBuilder.DropColumn(
                name: "pushed_hash",
                table: "crm_links");
        }
    }
}
