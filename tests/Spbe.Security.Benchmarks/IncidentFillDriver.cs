using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Data;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Persistence;
using Spbe.Security.Testing;

namespace Spbe.Security.Benchmarks;

/// <summary>
/// <c>incident-fill DATADIR INCIDENTS</c>: writes INCIDENTS incidents into the incident store of the data directory
/// DATADIR (the one a host uses), as a year of a city's work looks: opened evenly over the last 365 days across 12 OPDs
/// and four rules, nine in ten of them closed after being acknowledged, each with a linked alert and a timeline entry.
/// For measuring the console's pages with a full store (bench/soc/console.sh).
/// </summary>
internal static class IncidentFillDriver
{
    private static readonly string[] Opds = ["DINKES", "BAPENDA", "DISDUKCAPIL", "BAPPEDA", "DISKOMINFO", "SETDA", "DISHUB", "DINSOS", "DISDIK", "DPMPTSP", "BKPSDM", "INSPEKTORAT"];
    private static readonly (int Rule, int Level, string Title, string Groups)[] Rules =
    [
        (100122, 10, "SSH: brute force dari {0}", "spbe sshd authentication_failures spbe_brute_force"),
        (100142, 10, "Web: serangan berulang dari {0}", "spbe web web_attack attack"),
        (100103, 10, "SSO: password spraying dari {0}", "spbe sso authentication_failures spbe_brute_force password_spraying"),
        (100130, 13, "Login berhasil dari {0}, alamat yang sebelumnya melakukan brute force", "spbe correlation compromise"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = args[1];
        var total = int.Parse(args[2], CultureInfo.InvariantCulture);
        var builder = TestHosts.CreateBuilder(directory);
        builder.AddSpbeSoc();
        using var host = builder.Build();
        await host.Services.GetServices<IDataStore>().Single(s => s.Name == IncidentStoreContext.StoreName).InitializeAsync();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<IncidentStoreContext>>();
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var span = (long)TimeSpan.FromDays(365).TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        const int Chunk = 5_000;
        for (var from = 0; from < total; from += Chunk)
        {
            await using var db = await contexts.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var incidents = new List<IncidentRecord>(Chunk);
            for (var i = from; i < Math.Min(total, from + Chunk); i++)
            {
                var (rule, level, title, groups) = Rules[i % Rules.Length];
                var ip = string.Create(CultureInfo.InvariantCulture, $"203.0.{i / 256 % 256}.{i % 256}");
                var created = now - span + (span * i / total);
                var closed = i % 10 != 0;
                incidents.Add(new IncidentRecord
                {
                    Key = string.Create(CultureInfo.InvariantCulture, $"{Opds[i % Opds.Length]}|{rule}|ip:{ip}|{i}"),
                    Title = string.Format(CultureInfo.InvariantCulture, title, ip), Severity = IncidentSeverities.FromLevel(level),
                    Status = closed ? (i % 7 == 0 ? IncidentStatus.PositifPalsu : IncidentStatus.Selesai) : (i % 3 == 0 ? IncidentStatus.Baru : IncidentStatus.Penanganan),
                    Assignee = closed || i % 3 != 0 ? "198001012005011002" : null, Opd = Opds[i % Opds.Length], RuleId = rule, MaxLevel = level, Groups = groups, Mitre = "T1110",
                    SourceIps = ip, Users = "root", Hosts = "web01", AlertCount = 1 + (i % 50), FirstSeen = created, LastSeen = created + 60_000, CreatedAt = created,
                    AcknowledgedAt = closed || i % 3 != 0 ? created + ((i % 90) * 60_000L) : null,
                    ClosedAt = closed ? created + ((i % 48) * 3_600_000L) : null,
                });
            }

            db.AddRange(incidents);
            await db.SaveChangesAsync();
            foreach (var incident in incidents)
            {
                db.Add(new IncidentAlertRecord
                {
                    Sequence = incident.Id, IncidentId = incident.Id, At = incident.FirstSeen, RuleId = incident.RuleId, Level = incident.MaxLevel,
                    Description = incident.Title, SourceIp = incident.SourceIps, User = "root", Host = "web01",
                });
                db.Add(new IncidentEntryRecord { IncidentId = incident.Id, At = incident.CreatedAt, Actor = IncidentService.SystemActor, Kind = IncidentEntryKinds.Created, Text = "Dibuat dari aturan" });
            }

            await db.SaveChangesAsync();
        }

        Console.WriteLine($"filled {total:N0} incidents in {clock.Elapsed.TotalSeconds:N1} s");
        return 0;
    }
}
