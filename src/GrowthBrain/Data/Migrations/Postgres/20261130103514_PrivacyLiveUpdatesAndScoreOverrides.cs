using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GrowthBrain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PrivacyLiveUpdatesAndScoreOverrides : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_team_playbooks_teams_team_id",
                table: "team_playbooks");

            migrationBuilder.AddColumn<DateTime>(
                name: "anonymised_at",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "consent_at",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "consent_source",
                table: "leads",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "consent_status",
                table: "leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "lawful_basis",
                table: "leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "model_grade",
                table: "leads",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "model_probability",
                table: "leads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "score_override_id",
                table: "leads",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "pending_crm_erasures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    crm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    record_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    external_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    email_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    requested_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_crm_erasures", x => x.id);
                    table.ForeignKey(
                        name: "FK_pending_crm_erasures_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "score_overrides",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    lead_id = table.Column<long>(type: "bigint", nullable: false),
                    grade = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    probability = table.Column<double>(type: "double precision", nullable: true),
                    rank_probability = table.Column<double>(type: "double precision", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    set_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    set_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    model_probability = table.Column<double>(type: "double precision", nullable: true),
                    model_grade = table.Column<string>(type: "text", nullable: true),
                    cleared_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    cleared_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    clear_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_overrides", x => x.id);
                    table.ForeignKey(
                        name: "FK_score_overrides_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_changes",
                columns: table => new
                {
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    changed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    what = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_changes", x => x.team_id);
                    table.ForeignKey(
                        name: "FK_team_changes_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pending_crm_erasures_team_id_crm",
                table: "pending_crm_erasures",
                columns: new[] { "team_id", "crm" });

            migrationBuilder.CreateIndex(
                name: "IX_score_overrides_lead_id_set_at",
                table: "score_overrides",
                columns: new[] { "lead_id", "set_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_crm_erasures");

            migrationBuilder.DropTable(
                name: "score_overrides");

            migrationBuilder.DropTable(
                name: "team_changes");

            migrationBuilder.DropColumn(
                name: "anonymised_at",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "consent_at",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "consent_source",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "consent_status",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "lawful_basis",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "model_grade",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "model_probability",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "score_override_id",
                table: "leads");

            migrationBuilder.AddForeignKey(
                name: "FK_team_playbooks_teams_team_id",
                table: "team_playbooks",
                column: "team_id",
                principalTable: "teams",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
