using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Benchmarks;

/// <summary>
/// <c>soc-query DIR EVENTS LOG</c>: fills an event store in DIR with EVENTS events (the lines of LOG over and over, from
/// 12 OPDs, arrivals spread evenly over one day) unless it already holds them, then measures the latency of the
/// queries an analyst runs on a one-hour window: the newest page, a full-text search, an OPD's page, and a count.
/// </summary>
internal static class SocQueryDriver
{
    private static readonly string[] Opds = ["DINKES", "BAPENDA", "DISDUKCAPIL", "BAPPEDA", "DISKOMINFO", "SETDA", "DISHUB", "DINSOS", "DISDIK", "DPMPTSP", "BKPSDM", "INSPEKTORAT"];

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = args[1];
        var total = long.Parse(args[2], CultureInfo.InvariantCulture);
        var lines = File.ReadAllLines(args[3]).Select(Encoding.UTF8.GetBytes).ToArray();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
        var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(1).TotalMilliseconds / total;
        using var store = new SqliteEventStore(directory, zone);
        var have = await store.CountAsync(new EventQuery());
        if (have < total)
        {
            var clock = Stopwatch.StartNew();
            var batch = new List<SocEvent>(8192);
            var parsing = new Stopwatch();
            for (var i = have; i < total; i++)
            {
                var record = new IngestRecord(day.ToUnixTimeMilliseconds() + (long)(i * step), IngestTransport.Tcp, IngestFlags.None, "10.20.0." + (i % 200),
                    new SourceIdentity("sumber-" + (i % 40), Opds[i % Opds.Length]), lines[i % lines.Length]) { Sequence = i + 1 };
                parsing.Start();
                batch.Add(EventNormalizer.Normalize(record, zone));
                parsing.Stop();
                if (batch.Count == batch.Capacity)
                {
                    store.Write(batch);
                    batch.Clear();
                }

                if ((i + 1) % 1_000_000 == 0)
                {
                    Console.WriteLine($"  filled {i + 1:N0} events, {(i + 1 - have) / clock.Elapsed.TotalSeconds:N0}/s");
                }
            }

            store.Write(batch);
            store.Flush();
            Console.WriteLine($"filled {total - have:N0} events in {clock.Elapsed.TotalSeconds:N1} s ({(total - have) / clock.Elapsed.TotalSeconds:N0}/s; parsing {parsing.Elapsed.TotalSeconds:N1} s of it)");
        }

        var size = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"store: {await store.CountAsync(new EventQuery()):N0} events, {size / 1048576.0:N0} MiB on disk");
        var queries = new (string Name, Func<DateTimeOffset, EventQuery> Build)[]
        {
            ("newest 100 in the hour", h => new EventQuery { Since = h, Until = h.AddHours(1), Limit = 100 }),
            ("full text 'Failed password' in the hour", h => new EventQuery { Since = h, Until = h.AddHours(1), Text = "Failed password", Limit = 100 }),
            ("one OPD (scoped analyst) in the hour", h => new EventQuery { Since = h, Until = h.AddHours(1), Scope = ["BAPENDA"], Limit = 100 }),
            ("full text 'Failed password', one OPD", h => new EventQuery { Since = h, Until = h.AddHours(1), Text = "Failed password", Scope = ["BAPENDA"], Limit = 100 }),
        };
        foreach (var (name, build) in queries)
        {
            await MeasureAsync(name, hour => store.QueryAsync(build(hour)).ContinueWith(t => (long)t.Result.Events.Count, TaskScheduler.Default), day);
        }

        await MeasureAsync("count of the hour", hour => store.CountAsync(new EventQuery { Since = hour, Until = hour.AddHours(1) }), day);
        return 0;
    }

    private static async Task MeasureAsync(string name, Func<DateTimeOffset, Task<long>> run, DateTimeOffset day)
    {
        // Note: a warm-up pass, then 48 timed queries over varying hours (each hour twice, in a shuffled order).
        for (var h = 0; h < 4; h++)
        {
            await run(day.AddHours(h));
        }

        var times = new List<double>();
        long found = 0;
        for (var i = 0; i < 48; i++)
        {
            var hour = day.AddHours((i * 7) % 24);
            var clock = Stopwatch.StartNew();
            found += await run(hour);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"{name,-44} p50 {times[times.Count / 2],8:N1} ms  p95 {times[(int)(times.Count * 0.95)],8:N1} ms  max {times[^1],8:N1} ms  (avg result {found / times.Count:N0})");
    }
}
