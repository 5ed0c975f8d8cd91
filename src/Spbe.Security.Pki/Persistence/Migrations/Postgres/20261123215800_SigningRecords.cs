using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SigningRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "signings",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DocumentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Opd = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SignerName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Jabatan = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Serial = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Level = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    Visible = table.Column<bool>(type: "boolean", nullable: false),
                    InputSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OutputSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_signings_DocumentId",
                schema: "pki",
                table: "signings",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_signings_Nip_At",
                schema: "pki",
                table: "signings",
                columns: new[] { "Nip", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_signings_Opd_At",
                schema: "pki",
                table: "signings",
                columns: new[] { "Opd", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "signings",
                schema: "pki");
        }
    }
}
