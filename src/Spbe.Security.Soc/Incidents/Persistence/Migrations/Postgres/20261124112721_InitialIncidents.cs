using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Spbe.Security.Soc.Incidents.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialIncidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "incidents");

            migrationBuilder.CreateTable(
                name: "incident_alerts",
                schema: "incidents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    RuleId = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Description = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    User = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Host = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    TruePositive = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_alerts", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "incident_attachments",
                schema: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    AddedBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AddedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_attachments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "incident_entries",
                schema: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Actor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "character varying(4200)", maxLength: 4200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "incident_tasks",
                schema: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    Title = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Done = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_tasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                schema: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Severity = table.Column<int>(type: "integer", nullable: false),
                    SeveritySet = table.Column<bool>(type: "boolean", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Assignee = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true),
                    Opd = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    RuleId = table.Column<int>(type: "integer", nullable: false),
                    MaxLevel = table.Column<int>(type: "integer", nullable: false),
                    Groups = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Mitre = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    SourceIps = table.Column<string>(type: "text", nullable: false),
                    Users = table.Column<string>(type: "text", nullable: false),
                    Hosts = table.Column<string>(type: "text", nullable: false),
                    AlertCount = table.Column<long>(type: "bigint", nullable: false),
                    FirstSeen = table.Column<long>(type: "bigint", nullable: false),
                    LastSeen = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "bigint", nullable: true),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true),
                    MergedInto = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incidents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incident_alerts_IncidentId_At",
                schema: "incidents",
                table: "incident_alerts",
                columns: new[] { "IncidentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_incident_attachments_IncidentId",
                schema: "incidents",
                table: "incident_attachments",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_incident_entries_IncidentId_At",
                schema: "incidents",
                table: "incident_entries",
                columns: new[] { "IncidentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_incident_tasks_IncidentId",
                schema: "incidents",
                table: "incident_tasks",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Key",
                schema: "incidents",
                table: "incidents",
                column: "Key");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_LastSeen",
                schema: "incidents",
                table: "incidents",
                column: "LastSeen");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Opd_Id",
                schema: "incidents",
                table: "incidents",
                columns: new[] { "Opd", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Status_Id",
                schema: "incidents",
                table: "incidents",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_alerts",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incident_attachments",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incident_entries",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incident_tasks",
                schema: "incidents");

            migrationBuilder.DropTable(
                name: "incidents",
                schema: "incidents");
        }
    }
}
