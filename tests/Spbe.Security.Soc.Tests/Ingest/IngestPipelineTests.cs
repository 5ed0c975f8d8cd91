using System.Text;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Ingest;

public sealed class IngestPipelineTests
{
    [Fact]
    public async Task QuietIngest_BringsTheTextIndexUpToDate()
    {
        await using var server = await SocTestServer.StartAsync();
        var records = Enumerable.Range(0, 20)
            .Select(i => new IngestRecord(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), IngestTransport.Tcp, IngestFlags.None, "127.0.0.1",
                new SourceIdentity("host-uji", "DISKOMINFO"), Encoding.UTF8.GetBytes($"<13>Nov 24 08:00:00 web01 app: kejadian {i}")))
            .ToList();
        await server.Pipeline.SubmitAsync(records, durable: true);
        await server.Pipeline.DrainAsync();
        Assert.Equal(20, await server.Store.CountAsync(new EventQuery { Text = "kejadian" }));

        // Note: a second after the last write the pipeline flushes the store; searches found the events before as well.
        await SocTestServer.WaitUntilAsync(() => server.Store.UnindexedRows == 0);
        Assert.Equal(0, server.Store.UnindexedRows);
        Assert.Equal(20, await server.Store.CountAsync(new EventQuery { Text = "kejadian" }));
    }
}
