using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardAggregates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "closed_lead_days",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false),
                    cycle_days = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_closed_lead_days", x => new { x.team_id, x.day, x.outcome });
                });

            migrationBuilder.CreateTable(
                name: "open_lead_stages",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    activity_day = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_open_lead_stages", x => new { x.team_id, x.stage, x.activity_day });
                });

            migrationBuilder.CreateTable(
                name: "team_lead_counts",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_lead_counts", x => x.team_id);
                });

            migrationBuilder.CreateTable(
                name: "won_cycle_months",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    month = table.Column<int>(type: "INTEGER", nullable: false),
                    cycle_days = table.Column<int>(type: "INTEGER", nullable: false),
                    leads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_won_cycle_months", x => new { x.team_id, x.month, x.cycle_days });
                });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_outcome_last_activity_at",
                table: "leads",
                columns: new[] { "team_id", "outcome", "last_activity_at" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_team_id_scored_at",
                table: "lead_scores",
                columns: new[] { "team_id", "scored_at" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_at",
                table: "audit_entries",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "closed_lead_days");

            migrationBuilder.DropTable(
                name: "open_lead_stages");

            migrationBuilder.DropTable(
                name: "team_lead_counts");

            migrationBuilder.DropTable(
                name: "won_cycle_months");

            migrationBuilder.DropIndex(
                name: "IX_leads_team_id_outcome_last_activity_at",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "IX_lead_scores_team_id_scored_at",
                table: "lead_scores");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_at",
                table: "audit_entries");
        }
    }
}
