using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Data;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Alerts;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Persistence;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Benchmarks;

/// <summary>
/// <c>incident-group DIR ALERTS SUBJECTS BATCH</c>: grouping throughput. Feeds ALERTS alerts (level 10, SSH brute force)
/// from SUBJECTS distinct source addresses spread over 12 OPDs, in batches of BATCH as the intake hands them over, into
/// the incident service on a fresh store in DIR (SQLite; PostgreSQL when <c>ConnectionStrings__Postgres</c> is set), and
/// reports alerts per second, incidents made and the process's peak memory. Alert times advance 1 ms per alert, so the
/// run spans ALERTS ms of alert time inside the one-day window: every repeat joins its incident.
/// </summary>
internal static class IncidentGroupingDriver
{
    private static readonly string[] Opds = ["DINKES", "BAPENDA", "DISDUKCAPIL", "BAPPEDA", "DISKOMINFO", "SETDA", "DISHUB", "DINSOS", "DISDIK", "DPMPTSP", "BKPSDM", "INSPEKTORAT"];

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = args[1];
        var total = int.Parse(args[2], CultureInfo.InvariantCulture);
        var subjects = int.Parse(args[3], CultureInfo.InvariantCulture);
        var batchSize = int.Parse(args[4], CultureInfo.InvariantCulture);
        Directory.CreateDirectory(directory);
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var builder = TestHosts.CreateBuilder(directory, settings: postgres is null ? [] : [new("ConnectionStrings:Postgres", postgres)]);
        builder.AddSpbeSoc();
        using var host = builder.Build();
        var store = host.Services.GetServices<IDataStore>().Single(s => s.Name == IncidentStoreContext.StoreName);
        await store.InitializeAsync();
        var service = host.Services.GetRequiredService<IncidentService>();
        var start = TimeProvider.System.GetUtcNow();
        var created = 0L;
        var clock = Stopwatch.StartNew();
        var batch = new List<SocEvent>(batchSize);
        for (var i = 0; i < total; i++)
        {
            var subject = i % subjects;
            var at = start.AddMilliseconds(i);
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.{subject / 65536 % 256}.{subject / 256 % 256}.{subject % 256}");
            batch.Add(new SocEvent
            {
                Sequence = i + 1, Timestamp = at, Opd = Opds[subject % Opds.Length], Source = "web", Syslog = new SyslogMessage { Hostname = "web01" },
                Alert = new SocAlert
                {
                    Sequence = i + 1, Timestamp = at, RuleId = 100122, Level = 10, Description = "SSH: brute force dari " + ip,
                    Groups = ["authentication_failures", "spbe_brute_force"], Mitre = ["T1110"], Fields = [new("srcip", ip), new("srcuser", "root")],
                },
            });
            if (batch.Count == batchSize || i == total - 1)
            {
                created += (await service.RecordAsync(batch)).Count;
                batch = new List<SocEvent>(batchSize);
            }

            if ((i + 1) % 200_000 == 0)
            {
                Console.WriteLine($"  {i + 1:N0} alerts, {(i + 1) / clock.Elapsed.TotalSeconds:N0}/s");
            }
        }

        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var engine = postgres is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"grouped {total:N0} alerts ({subjects:N0} subjects, batches of {batchSize}) on {engine} in {clock.Elapsed.TotalSeconds:N1} s: "
            + $"{total / clock.Elapsed.TotalSeconds:N0} alerts/s, {created:N0} incidents, peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MB");
        var page = await service.ListAsync(new IncidentFilter { PageSize = 1 });
        Console.WriteLine($"store: {page.Total:N0} incidents, {page.Items[0].AlertCount:N0} alerts in the newest");
        return 0;
    }
}
