using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Ledger;

/// <summary>
/// The PKI's append-only audit ledger: every step (CA created, request, approval, issuance, revocation, CRL) is one
/// entry whose hash covers its fields and the previous entry's hash.
/// </summary>
internal static class LedgerChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Adds the next entry to <paramref name="context"/> (saved with the caller's other changes, in its
    /// transaction: the step and its record commit together or not at all).</summary>
    /// <remarks>Give <c>previous</c> when the caller appended it in the same context (a batch); otherwise the last stored
    /// entry is read.</remarks>
    public static async Task<LedgerRecord> AppendAsync(PkiStoreContext context, DateTimeOffset at, string action, string actor, string target,
        IReadOnlyDictionary<string, string?> details, CancellationToken cancellationToken, LedgerRecord? previous = null)
    {
        var last = previous ?? await LastAsync(context, cancellationToken);
        var entry = Next(last, at, action, actor, target, details);
        context.Ledger.Add(entry);
        return entry;
    }

    /// <summary>The entry that follows <paramref name="last"/> (null: the first entry), with its hash; not stored.</summary>
    public static LedgerRecord Next(LedgerRecord? last, DateTimeOffset at, string action, string actor, string target, IReadOnlyDictionary<string, string?> details)
    {
        var entry = new LedgerRecord
        {
            Sequence = (last?.Sequence ?? 0) + 1,
            At = at.ToUnixTimeMilliseconds(),
            Action = action,
            Actor = actor,
            Target = target,
            Details = JsonSerializer.Serialize(details),
            PreviousHash = last?.Hash ?? Genesis,
        };
        entry.Hash = HashOf(entry);
        return entry;
    }

    /// <summary>The last stored entry, or null when the ledger is empty.</summary>
    public static Task<LedgerRecord?> LastAsync(PkiStoreContext context, CancellationToken cancellationToken) => LastQuery(context, cancellationToken);

    private static readonly Func<PkiStoreContext, CancellationToken, Task<LedgerRecord?>> LastQuery =
        EF.CompileAsyncQuery((PkiStoreContext context, CancellationToken _) => context.Ledger.AsNoTracking().OrderByDescending(l => l.Sequence).FirstOrDefault());

    /// <summary>The hash an entry must carry: SHA-256 over a JSON array of its fields, lower-case hex.</summary>
    public static string HashOf(LedgerRecord entry)
    {
        var canonical = JsonSerializer.Serialize(new object[] { entry.Sequence, entry.At, entry.Action, entry.Actor, entry.Target, entry.Details, entry.PreviousHash });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>What <c>spbe pki audit verify</c> found.</summary>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="Valid">Whether the whole chain holds.</param>
/// <param name="BrokenAt">The first entry that does not fit, if any.</param>
/// <param name="Reason">Why it does not fit.</param>
/// <param name="Head">The hash of the last entry (to note down and compare later: truncation shows as a different head).</param>
public sealed record LedgerVerification(long Entries, bool Valid, long? BrokenAt, string? Reason, string Head);

/// <summary>Checks the audit ledger's hash chain.</summary>
public sealed class LedgerVerifier(IDbContextFactory<PkiStoreContext> contexts)
{
    /// <summary>Reads every entry in order and checks sequence, links and hashes.</summary>
    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var previous = LedgerChain.Genesis;
        long expected = 1, count = 0;
        await foreach (var entry in context.Ledger.AsNoTracking().OrderBy(l => l.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (entry.Sequence != expected)
            {
                return new LedgerVerification(count, false, entry.Sequence, $"entry {expected} is missing", previous);
            }

            if (entry.PreviousHash != previous)
            {
                return new LedgerVerification(count, false, entry.Sequence, "it does not link to the entry before it", previous);
            }

            if (LedgerChain.HashOf(entry) != entry.Hash)
            {
                return new LedgerVerification(count, false, entry.Sequence, "its content does not match its hash (altered)", previous);
            }

            previous = entry.Hash;
            expected++;
        }

        return new LedgerVerification(count, true, null, null, previous);
    }
}
