using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Soc.Incidents.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SlaAndObservables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AckBreachedAt",
                schema: "incidents",
                table: "incidents",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hashes",
                schema: "incidents",
                table: "incidents",
                type: "character varying(8192)",
                maxLength: 8192,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ResolveBreachedAt",
                schema: "incidents",
                table: "incidents",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Urls",
                schema: "incidents",
                table: "incidents",
                type: "character varying(32768)",
                maxLength: 32768,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_CreatedAt",
                schema: "incidents",
                table: "incidents",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_incidents_CreatedAt",
                schema: "incidents",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "AckBreachedAt",
                schema: "incidents",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "Hashes",
                schema: "incidents",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "ResolveBreachedAt",
                schema: "incidents",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "Urls",
                schema: "incidents",
                table: "incidents");
        }
    }
}
