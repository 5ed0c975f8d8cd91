using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Data;

namespace Spbe.Security.Pki.Persistence;

/// <summary>The prepared-insert path of group commit must store exactly what EF's change tracker would (value
/// conversions for Guid, enum and nullable columns included), on the leg's engine.</summary>
[Trait("Category", "Database")]
public sealed class RowInserterTests
{
    private static CertificateRecord Record(string serial, Guid? request, long? revokedAt) => new()
    {
        Serial = serial,
        Ca = "issuing",
        Profile = "pejabat-signing",
        Subject = "CN=Budi Santoso, O=Kota \"Uji\"; OU='DISKOMINFO'",
        Nip = request is null ? null : "198503302010011002",
        Opd = "DISKOMINFO",
        NotBefore = 1_700_000_000_000,
        NotAfter = 1_800_000_000_000,
        IssuedAt = 1_700_000_000_123,
        State = CertificateState.Revoked,
        RevokedAt = revokedAt,
        Reason = revokedAt is null ? null : 1,
        Der = [0x30, 0x00, 0xFF, 0x00],
        Thumbprint = new string('a', 64),
        RequestId = request,
        Version = 3,
    };

    [Fact]
    public async Task Rows_inserted_read_back_exactly_as_those_saved_through_EF()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        var contexts = ca.Host.Services.GetRequiredService<IDbContextFactory<PkiStoreContext>>();
        var request = Guid.NewGuid();
        var viaInserter = new[] { Record("7F01", request, 1_750_000_000_000), Record("7F02", null, null) };
        var viaEf = new[] { Record("7F03", request, 1_750_000_000_000), Record("7F04", null, null) };

        await using (var context = await contexts.CreateDbContextAsync())
        {
            await using var transaction = await context.Database.BeginTransactionAsync();
            await using var inserter = RowInserter<CertificateRecord>.Create(context);
            foreach (var row in viaInserter)
            {
                await inserter.InsertAsync(row);
            }

            await transaction.CommitAsync();
        }

        await using (var context = await contexts.CreateDbContextAsync())
        {
            context.Certificates.AddRange(viaEf);
            await context.SaveChangesAsync();
        }

        await using var reader = await contexts.CreateDbContextAsync();
        // Note: the query filters on the converted columns, so a different stored form of the Guid or the enum would
        // find one row, not two.
        var byRequest = await reader.Certificates.AsNoTracking().Where(c => c.RequestId == request && c.State == CertificateState.Revoked)
            .OrderBy(c => c.Serial).Select(c => c.Serial).ToListAsync();
        Assert.Equal(["7F01", "7F03"], byRequest);
        foreach (var (inserted, saved) in viaInserter.Zip(viaEf))
        {
            var a = await reader.Certificates.AsNoTracking().SingleAsync(c => c.Serial == inserted.Serial);
            var b = await reader.Certificates.AsNoTracking().SingleAsync(c => c.Serial == saved.Serial);
            b.Serial = a.Serial;
            Assert.Equivalent(b, a, strict: true);
            Assert.Equivalent(inserted, a, strict: true);
        }
    }

    [Fact]
    public async Task Nothing_stays_when_the_transaction_is_not_committed()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        var contexts = ca.Host.Services.GetRequiredService<IDbContextFactory<PkiStoreContext>>();
        await using (var context = await contexts.CreateDbContextAsync())
        {
            await using var transaction = await context.Database.BeginTransactionAsync();
            await using var inserter = RowInserter<CertificateRecord>.Create(context);
            await inserter.InsertAsync(Record("7F05", null, null));
        }

        await using var reader = await contexts.CreateDbContextAsync();
        Assert.False(await reader.Certificates.AnyAsync(c => c.Serial == "7F05"));
    }
}
