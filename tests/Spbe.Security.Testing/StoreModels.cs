using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Xunit;

namespace Spbe.Security.Testing;

/// <summary>Checks that a store's generated code (migrations, compiled model) matches its model.</summary>
public static class StoreModels
{
    /// <summary>Fails when the model changed without a migration for this engine.</summary>
    public static void AssertNoPendingModelChanges(DbContext context, string engine)
    {
        ArgumentNullException.ThrowIfNull(context);
        Assert.False(context.Database.HasPendingModelChanges(), $"add a migration for {engine} (dotnet ef migrations add)");
    }

    /// <summary>Fails when the compiled model (what the store runs on) differs from the model (what the code says).</summary>
    public static void AssertCompiledModelMatches(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compiled = context.Model;
        var designTime = context.GetService<IDesignTimeModel>().Model;

        Assert.NotSame(compiled, designTime);
        Assert.Equal(Shape(designTime), Shape(compiled));
    }

    // Note: the read-optimised compiled model cannot be diffed like a design-time one; its shape (tables, columns,
    // CLR types, nullability, keys) is what queries depend on, so that is what is compared.
    private static List<string> Shape(IModel model) =>
    [
        .. model.GetEntityTypes().SelectMany(entity =>
            entity.GetProperties().Select(p =>
                $"{entity.Name}|{entity.GetTableName()}|{p.Name}|{p.GetColumnName()}|{p.ClrType.Name}|{p.IsNullable}|{p.IsKey()}|{p.GetMaxLength()}"))
            .Order(StringComparer.Ordinal),
    ];
}
