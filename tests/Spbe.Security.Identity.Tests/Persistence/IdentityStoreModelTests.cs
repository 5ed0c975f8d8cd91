using Spbe.Security.Testing;

namespace Spbe.Security.Identity.Persistence;

/// <summary>
/// The migrations and the compiled models are generated code: these tests fail when the model changed and one of
/// them was not regenerated (see README, Development notes).
/// </summary>
public sealed class IdentityStoreModelTests
{
    public static TheoryData<string> Engines => ["sqlite", "postgres"];

    private static IdentityStoreContext Create(string engine) => engine == "sqlite"
        ? new SqliteIdentityStoreDesignTimeFactory().CreateDbContext([])
        : new NpgsqlIdentityStoreDesignTimeFactory().CreateDbContext([]);

    [Theory]
    [MemberData(nameof(Engines))]
    public void Every_model_change_has_a_migration(string engine)
    {
        using var context = Create(engine);

        StoreModels.AssertNoPendingModelChanges(context, engine);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_compiled_model_matches_the_model(string engine)
    {
        using var context = Create(engine);

        StoreModels.AssertCompiledModelMatches(context);
    }
}
