using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NaskahWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "naskah",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Opd = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DrafterNip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    Anchor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OriginalSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: true),
                    PurgeAt = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_naskah", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "naskah_steps",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    NaskahId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Jabatan = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: true),
                    SignatureId = table.Column<Guid>(type: "uuid", nullable: true),
                    Note = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_naskah_steps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_naskah_DrafterNip",
                schema: "pki",
                table: "naskah",
                column: "DrafterNip");

            migrationBuilder.CreateIndex(
                name: "IX_naskah_PurgeAt",
                schema: "pki",
                table: "naskah",
                column: "PurgeAt");

            migrationBuilder.CreateIndex(
                name: "IX_naskah_steps_NaskahId_Position",
                schema: "pki",
                table: "naskah_steps",
                columns: new[] { "NaskahId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_naskah_steps_Nip",
                schema: "pki",
                table: "naskah_steps",
                column: "Nip");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "naskah",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "naskah_steps",
                schema: "pki");
        }
    }
}
