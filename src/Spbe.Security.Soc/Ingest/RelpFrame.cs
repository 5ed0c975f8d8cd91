namespace Spbe.Security.Soc.Ingest;

/// <summary>One RELP frame: <c>TXNR SP COMMAND SP DATALEN [SP DATA] LF</c>.</summary>
/// <param name="transaction">The transaction number (1-999999999).</param>
/// <param name="command">open, syslog, close, rsp, serverclose.</param>
/// <param name="data">The data (valid until the next frame is read).</param>
internal readonly ref struct RelpFrame(long transaction, string command, ReadOnlySpan<byte> data)
{
    public long Transaction { get; } = transaction;

    public string Command { get; } = command;

    public ReadOnlySpan<byte> Data { get; } = data;
}
