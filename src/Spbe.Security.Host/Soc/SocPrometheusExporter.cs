using Prometheus;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Host.Soc;

/// <summary>Publishes <see cref="SocMetrics"/> at <c>/metrics</c> as <c>spbe_soc_*</c>, read at each scrape.</summary>
internal static class SocPrometheusExporter
{
    private static readonly Dictionary<string, (string Help, string Label)> Help = new(StringComparer.Ordinal)
    {
        ["received"] = ("Events received, by transport.", "transport"),
        ["parsed"] = ("Events parsed, by header format (none, rfc3164, rfc5424, json).", "format"),
        ["flagged"] = ("Events stored with a flag, by flag.", "flag"),
        ["dropped"] = ("Events or connections dropped, by reason.", "reason"),
        ["stored"] = ("Events written to the event store.", ""),
        ["alerts"] = ("Alerts raised by the detection rules, by rule level.", "level"),
        ["wal_written_bytes"] = ("Bytes appended to the write-ahead log.", ""),
        ["wal_corrupt_records"] = ("Damaged write-ahead log records cut off on start.", ""),
    };

    /// <summary>Registers the scrape callback once for <paramref name="metrics"/>.</summary>
    public static void Register(SocMetrics metrics)
    {
        var counters = Help.ToDictionary(
            h => h.Key,
            h => h.Value.Label.Length == 0
                ? Metrics.CreateCounter($"spbe_soc_{h.Key}_total", h.Value.Help)
                : Metrics.CreateCounter($"spbe_soc_{h.Key}_total", h.Value.Help, new CounterConfiguration { LabelNames = [h.Value.Label] }),
            StringComparer.Ordinal);
        var walSize = Metrics.CreateGauge("spbe_soc_wal_size_bytes", "Bytes in the write-ahead log's segments.");
        var lag = Metrics.CreateGauge("spbe_soc_store_lag_events", "Events in the write-ahead log not yet in the event store.");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            foreach (var sample in metrics.Counters())
            {
                if (counters.TryGetValue(sample.Name, out var counter))
                {
                    if (sample.Label.Length == 0)
                    {
                        counter.IncTo(sample.Value);
                    }
                    else
                    {
                        counter.WithLabels(sample.Label).IncTo(sample.Value);
                    }
                }
            }

            walSize.Set(metrics.WalSizeBytes);
            lag.Set(metrics.StoreLag);
        });
    }
}
