using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spbe.Security.Keys;

public sealed class MasterKeyTests
{
    private static readonly MasterKey Key = MasterKey.Generate();

    [Property]
    public bool Seal_then_unseal_returns_the_plaintext(byte[] plaintext, NonEmptyString purpose)
    {
        var sealedData = Key.Seal(plaintext, purpose.Get.Trim() is { Length: > 0 } p ? p : "x");
        return Key.TryUnseal(sealedData, purpose.Get.Trim() is { Length: > 0 } q ? q : "x", out var opened)
            && opened.AsSpan().SequenceEqual(plaintext);
    }

    [Property]
    public Property Any_altered_byte_is_detected(byte[] plaintext, PositiveInt position, byte flip)
    {
        var sealedData = Key.Seal(plaintext, "test");
        var index = position.Get % sealedData.Length;
        var mask = flip == 0 ? (byte)1 : flip;
        sealedData[index] ^= mask;
        return (!Key.TryUnseal(sealedData, "test", out _)).ToProperty();
    }

    [Fact]
    public void Material_sealed_for_one_purpose_does_not_open_as_another()
    {
        var sealedData = Key.Seal("secret"u8, "tls/https-key");

        Assert.False(Key.TryUnseal(sealedData, "pki/ca-key", out _));
        Assert.True(Key.TryUnseal(sealedData, "tls/https-key", out _));
    }

    [Fact]
    public void Another_key_cannot_open_sealed_material()
    {
        using var other = MasterKey.Generate();

        Assert.False(other.TryUnseal(Key.Seal("secret"u8, "p"), "p", out _));
        Assert.NotEqual(Key.KeyId, other.KeyId);
    }

    [Fact]
    public void Sealing_twice_gives_different_ciphertexts()
    {
        Assert.NotEqual(Key.Seal("same"u8, "p"), Key.Seal("same"u8, "p"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(28)]
    public void Short_or_foreign_input_is_refused_without_throwing(int length)
    {
        Assert.False(Key.TryUnseal(new byte[length], "p", out var opened));
        Assert.Empty(opened);
    }

    [Fact]
    public void Key_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => new MasterKey(new byte[16]));
    }
}
