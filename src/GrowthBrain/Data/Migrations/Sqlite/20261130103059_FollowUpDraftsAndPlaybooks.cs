using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FollowUpDraftsAndPlaybooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "follow_up_drafts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    writer = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    goal = table.Column<int>(type: "INTEGER", nullable: false),
                    tone = table.Column<int>(type: "INTEGER", nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    call_to_action = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    violations = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    playbook_version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    original_subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    original_body = table.Column<string>(type: "TEXT", nullable: false),
                    edit_diff = table.Column<string>(type: "TEXT", nullable: true),
                    edited_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    edited_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    approved_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rejected_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    rejected_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rejection_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    rating = table.Column<int>(type: "INTEGER", nullable: true),
                    rating_comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    rated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    rated_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    sent_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    send_started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follow_up_drafts", x => x.id);
                    table.ForeignKey(
                        name: "FK_follow_up_drafts_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_follow_up_drafts_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "team_playbooks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    auto_send_allowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    daily_cap_per_mailbox = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_playbooks", x => x.id);
                    table.ForeignKey(
                        name: "FK_team_playbooks_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_lead_id",
                table: "follow_up_drafts",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_mailbox_send_started_at",
                table: "follow_up_drafts",
                columns: new[] { "mailbox", "send_started_at" });

            migrationBuilder.CreateIndex(
                name: "IX_follow_up_drafts_team_id_status",
                table: "follow_up_drafts",
                columns: new[] { "team_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_team_playbooks_team_id",
                table: "team_playbooks",
                column: "team_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "follow_up_drafts");

            migrationBuilder.DropTable(
                name: "team_playbooks");
        }
    }
}
