using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_lead_scores_team_id_scored_at",
                table: "lead_scores");

            migrationBuilder.CreateTable(
                name: "lead_first_responses",
                columns: table => new
                {
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    first_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    hours = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_first_responses", x => x.lead_id);
                    table.ForeignKey(
                        name: "FK_lead_first_responses_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lead_group_stats",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    dimension = table.Column<int>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    days = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false),
                    won = table.Column<long>(type: "INTEGER", nullable: false),
                    lost = table.Column<long>(type: "INTEGER", nullable: false),
                    scored = table.Column<long>(type: "INTEGER", nullable: false),
                    score_micros = table.Column<long>(type: "INTEGER", nullable: false),
                    top_graded = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_group_stats", x => new { x.team_id, x.dimension, x.named, x.name, x.days });
                });

            migrationBuilder.CreateTable(
                name: "lead_score_moves",
                columns: table => new
                {
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    from_probability = table.Column<double>(type: "REAL", nullable: false),
                    to_probability = table.Column<double>(type: "REAL", nullable: false),
                    change = table.Column<double>(type: "REAL", nullable: false),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_score_moves", x => x.lead_id);
                });

            migrationBuilder.CreateTable(
                name: "owner_activity_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    activities = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_owner_activity_days", x => new { x.team_id, x.type, x.day, x.named, x.owner });
                });

            migrationBuilder.CreateTable(
                name: "owner_lead_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    named = table.Column<int>(type: "INTEGER", nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_owner_lead_days", x => new { x.team_id, x.kind, x.day, x.named, x.owner });
                });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_closed_at",
                table: "leads",
                columns: new[] { "team_id", "closed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_first_responses_team_id_created_at_owner_hours",
                table: "lead_first_responses",
                columns: new[] { "team_id", "created_at", "owner", "hours" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_score_moves_team_id_day_change_lead_id",
                table: "lead_score_moves",
                columns: new[] { "team_id", "day", "change", "lead_id" },
                descending: new[] { false, false, true, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_first_responses");

            migrationBuilder.DropTable(
                name: "lead_group_stats");

            migrationBuilder.DropTable(
                name: "lead_score_moves");

            migrationBuilder.DropTable(
                name: "owner_activity_days");

            migrationBuilder.DropTable(
                name: "owner_lead_days");

            migrationBuilder.DropIndex(
                name: "IX_leads_team_id_closed_at",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_team_id_scored_at",
                table: "lead_scores",
                columns: new[] { "team_id", "scored_at" });
        }
    }
}
