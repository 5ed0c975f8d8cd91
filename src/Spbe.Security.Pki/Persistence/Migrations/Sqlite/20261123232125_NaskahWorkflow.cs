using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NaskahWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "naskah",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Opd = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DrafterNip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Anchor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OriginalSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PurgeAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_naskah", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "naskah_steps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    NaskahId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Jabatan = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: true),
                    SignatureId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_naskah_steps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_naskah_DrafterNip",
                table: "naskah",
                column: "DrafterNip");

            migrationBuilder.CreateIndex(
                name: "IX_naskah_PurgeAt",
                table: "naskah",
                column: "PurgeAt");

            migrationBuilder.CreateIndex(
                name: "IX_naskah_steps_NaskahId_Position",
                table: "naskah_steps",
                columns: new[] { "NaskahId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_naskah_steps_Nip",
                table: "naskah_steps",
                column: "Nip");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "naskah");

            migrationBuilder.DropTable(
                name: "naskah_steps");
        }
    }
}
