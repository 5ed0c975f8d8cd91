using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Spbe.Security.Pki.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialPki : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "pki");

            migrationBuilder.CreateTable(
                name: "ca_state",
                schema: "pki",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CrlNumber = table.Column<long>(type: "bigint", nullable: false),
                    BaseCrlNumber = table.Column<long>(type: "bigint", nullable: false),
                    BaseCrlAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ca_state", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                schema: "pki",
                columns: table => new
                {
                    Serial = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Ca = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Profile = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true),
                    Opd = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    NotBefore = table.Column<long>(type: "bigint", nullable: false),
                    NotAfter = table.Column<long>(type: "bigint", nullable: false),
                    IssuedAt = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    ReleasedAt = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<int>(type: "integer", nullable: true),
                    Der = table.Column<byte[]>(type: "bytea", nullable: false),
                    Thumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificates", x => x.Serial);
                });

            migrationBuilder.CreateTable(
                name: "ledger",
                schema: "pki",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Details = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Profile = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Opd = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SubjectJson = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    Csr = table.Column<byte[]>(type: "bytea", nullable: true),
                    ServerKey = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    Note = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Serial = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Replaces = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "signer_keys",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Nip = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Serial = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Wrapped = table.Column<byte[]>(type: "bytea", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    LockedAt = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signer_keys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Ca_State",
                schema: "pki",
                table: "certificates",
                columns: new[] { "Ca", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Nip",
                schema: "pki",
                table: "certificates",
                column: "Nip");

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Opd",
                schema: "pki",
                table: "certificates",
                column: "Opd");

            migrationBuilder.CreateIndex(
                name: "IX_certificates_RevokedAt",
                schema: "pki",
                table: "certificates",
                column: "RevokedAt");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_State_Opd",
                schema: "pki",
                table: "registrations",
                columns: new[] { "State", "Opd" });

            migrationBuilder.CreateIndex(
                name: "IX_registrations_SubjectId",
                schema: "pki",
                table: "registrations",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_signer_keys_Nip",
                schema: "pki",
                table: "signer_keys",
                column: "Nip");

            migrationBuilder.CreateIndex(
                name: "IX_signer_keys_Serial",
                schema: "pki",
                table: "signer_keys",
                column: "Serial");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ca_state",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "certificates",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "ledger",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "registrations",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "signer_keys",
                schema: "pki");
        }
    }
}
