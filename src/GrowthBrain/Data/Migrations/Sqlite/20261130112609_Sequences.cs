using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sequences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "lead_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    due_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    enrolment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    done_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    done_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_lead_tasks_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_cursors",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    uid_validity = table.Column<long>(type: "INTEGER", nullable: false),
                    last_uid = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_cursors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sequences",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    steps = table.Column<string>(type: "TEXT", nullable: false),
                    archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequences", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequences_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sequence_enrolments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sequence_id = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    current_step = table.Column<int>(type: "INTEGER", nullable: false),
                    next_due_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    waiting_draft_id = table.Column<long>(type: "INTEGER", nullable: true),
                    enrolled_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    enrolled_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    last_step_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    paused_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    stopped_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    stop_reason = table.Column<int>(type: "INTEGER", nullable: true),
                    stopped_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequence_enrolments", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_sequences_sequence_id",
                        column: x => x.sequence_id,
                        principalTable: "sequences",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sequence_enrolments_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sequence_step_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    enrolment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step_index = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    claimed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    claimed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    draft_id = table.Column<long>(type: "INTEGER", nullable: true),
                    task_id = table.Column<long>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sequence_step_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_sequence_step_runs_sequence_enrolments_enrolment_id",
                        column: x => x.enrolment_id,
                        principalTable: "sequence_enrolments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_lead_tasks_lead_id_done_at",
                table: "lead_tasks",
                columns: new[] { "lead_id", "done_at" });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_cursors_mailbox",
                table: "mailbox_cursors",
                column: "mailbox",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_lead_id",
                table: "sequence_enrolments",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_sequence_id",
                table: "sequence_enrolments",
                column: "sequence_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_status_next_due_at",
                table: "sequence_enrolments",
                columns: new[] { "status", "next_due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_sequence_enrolments_team_id",
                table: "sequence_enrolments",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_draft_id",
                table: "sequence_step_runs",
                column: "draft_id");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_index",
                table: "sequence_step_runs",
                columns: new[] { "enrolment_id", "step_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sequences_team_id_name",
                table: "sequences",
                columns: new[] { "team_id", "name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_tasks");

            migrationBuilder.DropTable(
                name: "mailbox_cursors");

            migrationBuilder.DropTable(
                name: "sequence_step_runs");

            migrationBuilder.DropTable(
                name: "sequence_enrolments");

            migrationBuilder.DropTable(
                name: "sequences");
        }
    }
}
