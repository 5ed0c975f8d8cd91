using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SigningRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "signings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Opd = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SignerName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Jabatan = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Visible = table.Column<bool>(type: "INTEGER", nullable: false),
                    InputSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OutputSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_signings_DocumentId",
                table: "signings",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_signings_Nip_At",
                table: "signings",
                columns: new[] { "Nip", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_signings_Opd_At",
                table: "signings",
                columns: new[] { "Opd", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "signings");
        }
    }
}
