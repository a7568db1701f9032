using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SequenceStepIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_index",
                table: "sequence_step_runs");

            migrationBuilder.AddColumn<int>(
                name: "last_step_id",
                table: "sequences",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "paused",
                table: "sequences",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "step_id",
                table: "sequence_step_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "current_step_id",
                table: "sequence_enrolments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_id",
                table: "sequence_step_runs",
                columns: new[] { "enrolment_id", "step_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_id",
                table: "sequence_step_runs");

            migrationBuilder.DropColumn(
                name: "last_step_id",
                table: "sequences");

            migrationBuilder.DropColumn(
                name: "paused",
                table: "sequences");

            migrationBuilder.DropColumn(
                name: "step_id",
                table: "sequence_step_runs");

            migrationBuilder.DropColumn(
                name: "current_step_id",
                table: "sequence_enrolments");

            migrationBuilder.CreateIndex(
                name: "IX_sequence_step_runs_enrolment_id_step_index",
                table: "sequence_step_runs",
                columns: new[] { "enrolment_id", "step_index" },
                unique: true);
        }
    }
}
