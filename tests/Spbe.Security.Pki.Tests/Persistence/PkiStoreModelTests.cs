using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

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

        Assert.False(context.Database.HasPendingModelChanges(), $"add a migration for {engine} (dotnet ef migrations add)");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_compiled_model_matches_the_model(string engine)
    {
        using var context = Create(engine);
        var compiled = context.Model;
        var designTime = context.GetService<IDesignTimeModel>().Model;

        Assert.NotSame(compiled, designTime);
        Assert.Equal(Shape(designTime), Shape(compiled));
    }

    private static List<string> Shape(IModel model) =>
    [
        .. model.GetEntityTypes().SelectMany(entity =>
            entity.GetProperties().Select(p =>
                $"{entity.Name}|{entity.GetTableName()}|{p.Name}|{p.GetColumnName()}|{p.ClrType.Name}|{p.IsNullable}|{p.IsKey()}|{p.GetMaxLength()}"))
            .Order(StringComparer.Ordinal),
    ];
}
