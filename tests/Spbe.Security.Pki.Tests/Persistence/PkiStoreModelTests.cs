using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Persistence;

/// <summary>The migrations and the compiled models are generated code: these tests fail when the model changed and one
/// of them was not regenerated (see README, Development notes).</summary>
public sealed class PkiStoreModelTests
{
    public static TheoryData<string> Engines => ["sqlite", "postgres"];

    private static PkiStoreContext Create(string engine) => engine == "sqlite"
        ? new SqlitePkiStoreDesignTimeFactory().CreateDbContext([])
        : new NpgsqlPkiStoreDesignTimeFactory().CreateDbContext([]);

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
