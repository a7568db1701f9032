using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GrowthBrain.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BulkLoadAndOneActiveModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_leads_team_id_outcome",
                table: "leads");

            migrationBuilder.CreateTable(
                name: "pending_indexes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    table_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    index_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    create_sql = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_indexes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_one_active",
                table: "model_versions",
                column: "team_id",
                unique: true,
                filter: "status = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_indexes");

            migrationBuilder.DropIndex(
                name: "IX_model_versions_one_active",
                table: "model_versions");

            migrationBuilder.CreateIndex(
                name: "IX_leads_team_id_outcome",
                table: "leads",
                columns: new[] { "team_id", "outcome" });
        }
    }
}
