namespace Spbe.Security.Soc.Wal;

/// <summary>What opening the write-ahead log found.</summary>
/// <param name="Segments">Segment files present.</param>
/// <param name="Records">Intact records read.</param>
/// <param name="LastSequence">The highest sequence number written so far (0 for an empty log).</param>
/// <param name="CorruptRecords">Damaged records found (a torn write at the end after a crash, or damage inside).</param>
/// <param name="TruncatedBytes">Bytes cut off or skipped because they were damaged.</param>
public sealed record WalRecovery(int Segments, long Records, long LastSequence, int CorruptRecords, long TruncatedBytes);
