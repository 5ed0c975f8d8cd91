using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Data;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Persistence;

namespace Spbe.Security.Identity.Persistence;

/// <summary>Creates and migrates the Identity store and keeps its OPD table in step with the policy file.</summary>
internal sealed class IdentityStore : RelationalDataStore<IdentityStoreContext>
{
    private readonly OpdCatalog _opds;
    private readonly ClientPolicyCatalog _clients;
    private readonly IServiceScopeFactory _scopes;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _timeProvider;

    public IdentityStore(IDbContextFactory<IdentityStoreContext> contexts, DatabaseSettings settings, OpdCatalog opds, ClientPolicyCatalog clients,
        IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider timeProvider)
        : base(IdentityStoreContext.StoreName, contexts, settings)
    {
        _opds = opds;
        _clients = clients;
        _scopes = scopes;
        _configuration = configuration;
        _timeProvider = timeProvider;
    }

    protected override async Task SeedAsync(IdentityStoreContext context, List<InitializationStep> steps, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var stored = await context.Opds.ToDictionaryAsync(o => o.Code, StringComparer.Ordinal, cancellationToken);
        int added = 0, updated = 0, retired = 0;
        foreach (var opd in _opds.All)
        {
            var kind = opd.Kind.ToString().ToLowerInvariant();
            if (!stored.Remove(opd.Code, out var row))
            {
                context.Opds.Add(new OpdRecord { Code = opd.Code, Name = opd.Name, Kind = kind, Active = opd.Active, InPolicy = true, UpdatedAt = now });
                added++;
            }
            else if (row.Name != opd.Name || row.Kind != kind || row.Active != opd.Active || !row.InPolicy)
            {
                (row.Name, row.Kind, row.Active, row.InPolicy, row.UpdatedAt) = (opd.Name, kind, opd.Active, true, now);
                updated++;
            }
        }

        // Note: OPDs gone from the file are retired, not deleted: accounts, certificates and incidents refer to them.
        foreach (var row in stored.Values.Where(r => r.InPolicy))
        {
            (row.Active, row.InPolicy, row.UpdatedAt) = (false, false, now);
            retired++;
        }

        var existingRoles = await context.Roles.Select(r => r.Name ?? string.Empty).ToListAsync(cancellationToken);
        var newRoles = SpbeRoles.All.Except(existingRoles, StringComparer.Ordinal).ToList();
        foreach (var role in newRoles)
        {
            context.Roles.Add(new IdentityRole<Guid> { Id = Guid.NewGuid(), Name = role, NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        }

        await context.SaveChangesAsync(cancellationToken);
        var detail = $"{_opds.All.Count} in {OpdCatalog.FileName}: {added} added, {updated} updated, {retired} retired";
        steps.Add(added + updated + retired == 0 ? InitializationStep.Kept("OPD table", detail) : InitializationStep.Updated("OPD table", detail));
        steps.Add(newRoles.Count == 0
            ? InitializationStep.Kept("roles", string.Join(", ", SpbeRoles.All))
            : InitializationStep.Created("roles", string.Join(", ", newRoles)));

        {
            await using var scope = _scopes.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<ClientService>();
            foreach (var client in _clients.Clients)
            {
                var secret = client.SecretVariable is null ? null : _configuration[client.SecretVariable];
                var outcome = await service.SyncAsync(client, secret, cancellationToken);
                steps.Add(outcome.StartsWith("unchanged", StringComparison.Ordinal)
                    ? InitializationStep.Kept($"client {client.Registration.ClientId}", outcome)
                    : InitializationStep.Updated($"client {client.Registration.ClientId}", outcome));
            }

            var declared = _clients.Clients.Select(c => c.Registration.ClientId).ToHashSet(StringComparer.Ordinal);
            foreach (var removed in await service.RetireUndeclaredAsync(declared, cancellationToken))
            {
                steps.Add(InitializationStep.Updated($"client {removed}", "removed: no longer declared in policies/identity/clients"));
            }
        }
    }
}
