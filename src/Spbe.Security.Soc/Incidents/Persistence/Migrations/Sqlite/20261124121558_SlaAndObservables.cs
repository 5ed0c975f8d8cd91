using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Soc.Incidents.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SlaAndObservables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AckBreachedAt",
                table: "incidents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hashes",
                table: "incidents",
                type: "TEXT",
                maxLength: 8192,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ResolveBreachedAt",
                table: "incidents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Urls",
                table: "incidents",
                type: "TEXT",
                maxLength: 32768,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_CreatedAt",
                table: "incidents",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_incidents_CreatedAt",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "AckBreachedAt",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "Hashes",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "ResolveBreachedAt",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "Urls",
                table: "incidents");
        }
    }
}
