using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GrowthBrain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OverviewCycleSpread : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "cycle_days_squared",
                table: "closed_lead_days",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cycle_days_squared",
                table: "closed_lead_days");
        }
    }
}
