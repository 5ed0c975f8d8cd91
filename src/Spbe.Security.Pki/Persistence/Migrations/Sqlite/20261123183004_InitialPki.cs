using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialPki : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ca_state",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CrlNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    BaseCrlNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    BaseCrlAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ca_state", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    Serial = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Ca = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Profile = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    Opd = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<int>(type: "INTEGER", nullable: true),
                    Der = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificates", x => x.Serial);
                });

            migrationBuilder.CreateTable(
                name: "ledger",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Details = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Profile = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Opd = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SubjectJson = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Csr = table.Column<byte[]>(type: "BLOB", nullable: true),
                    ServerKey = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Replaces = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "signer_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Nip = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Wrapped = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signer_keys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Ca_State",
                table: "certificates",
                columns: new[] { "Ca", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Nip",
                table: "certificates",
                column: "Nip");

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Opd",
                table: "certificates",
                column: "Opd");

            migrationBuilder.CreateIndex(
                name: "IX_certificates_RevokedAt",
                table: "certificates",
                column: "RevokedAt");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_State_Opd",
                table: "registrations",
                columns: new[] { "State", "Opd" });

            migrationBuilder.CreateIndex(
                name: "IX_registrations_SubjectId",
                table: "registrations",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_signer_keys_Nip",
                table: "signer_keys",
                column: "Nip");

            migrationBuilder.CreateIndex(
                name: "IX_signer_keys_Serial",
                table: "signer_keys",
                column: "Serial");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ca_state");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "ledger");

            migrationBuilder.DropTable(
                name: "registrations");

            migrationBuilder.DropTable(
                name: "signer_keys");
        }
    }
}
