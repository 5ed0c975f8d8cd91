using Microsoft.EntityFrameworkCore;
using Spbe.Security.Persistence;

namespace Spbe.Security.Pki.Persistence;

/// <summary>Creates and migrates the PKI store. The CA hierarchy itself is created by <c>spbe pki init</c>.</summary>
internal sealed class PkiStore(IDbContextFactory<PkiStoreContext> contexts, DatabaseSettings settings)
    : RelationalDataStore<PkiStoreContext>(PkiStoreContext.StoreName, contexts, settings);
