using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Scoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "score_grade",
                table: "leads",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "score_model_version_id",
                table: "leads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "score_probability",
                table: "leads",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "scored_at",
                table: "leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    is_cold_start = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    promoted_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    promoted_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    promotion_note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    trained_from = table.Column<DateTime>(type: "TEXT", nullable: true),
                    trained_to = table.Column<DateTime>(type: "TEXT", nullable: true),
                    training_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    holdout_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    holdout_roc_auc = table.Column<double>(type: "REAL", nullable: true),
                    holdout_log_loss = table.Column<double>(type: "REAL", nullable: true),
                    report = table.Column<string>(type: "TEXT", nullable: false),
                    feature_schema = table.Column<string>(type: "TEXT", nullable: false),
                    model = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_versions", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_versions_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "lead_scores",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    team_id = table.Column<long>(type: "INTEGER", nullable: false),
                    lead_id = table.Column<long>(type: "INTEGER", nullable: false),
                    model_version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    probability = table.Column<double>(type: "REAL", nullable: false),
                    grade = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    scored_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_scores", x => x.id);
                    table.ForeignKey(
                        name: "FK_lead_scores_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_lead_scores_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_outcome_score_probability",
                table: "leads",
                columns: new[] { "team_id", "outcome", "score_probability" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_lead_id_scored_at",
                table: "lead_scores",
                columns: new[] { "lead_id", "scored_at" });

            migrationBuilder.CreateIndex(
                name: "IX_lead_scores_model_version_id",
                table: "lead_scores",
                column: "model_version_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_team_id_number",
                table: "model_versions",
                columns: new[] { "team_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_team_id_status",
                table: "model_versions",
                columns: new[] { "team_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_scores");

            migrationBuilder.DropTable(
                name: "model_versions");

            migrationBuilder.DropIndex(
                name: "IX_leads_team_id_outcome_score_probability",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "score_grade",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "score_model_version_id",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "score_probability",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "scored_at",
                table: "leads");
        }
    }
}
