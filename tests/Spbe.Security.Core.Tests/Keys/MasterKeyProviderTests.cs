using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Testing;

namespace Spbe.Security.Keys;

public sealed class MasterKeyProviderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private MasterKeyProvider Provider(SpbeOptions? options = null) =>
        new(Options.Create(options ?? new SpbeOptions()), new DataDirectory(_temp.Path));

    [Fact]
    public void Generates_an_owner_only_key_file_once_and_reads_it_back()
    {
        using var provider = Provider();
        var key = provider.LoadOrCreate(mayGenerate: true, out var created);
        var file = new DataDirectory(_temp.Path).GeneratedMasterKeyFile;

        Assert.True(created);
        Assert.Equal(MasterKeySource.GeneratedFile, provider.Source);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        using var again = Provider();
        Assert.Equal(key.KeyId, again.LoadOrCreate(mayGenerate: true, out var createdAgain).KeyId);
        Assert.False(createdAgain);
    }

    [Fact]
    public void Missing_key_is_not_generated_when_generation_is_not_allowed()
    {
        using var provider = Provider();

        var error = Assert.Throws<SpbeException>(() => provider.LoadOrCreate(mayGenerate: false, out _));

        Assert.Equal(DataErrors.MasterKeyMissing, error.Code);
        Assert.False(File.Exists(new DataDirectory(_temp.Path).GeneratedMasterKeyFile));
    }

    [Fact]
    public void Damaged_key_file_is_reported_and_left_as_it_is()
    {
        var file = new DataDirectory(_temp.Path).GeneratedMasterKeyFile;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "spbe-master-key-v1:bm90IGEga2V5\n");

        using var provider = Provider();
        var error = Assert.Throws<SpbeException>(() => provider.LoadOrCreate(mayGenerate: true, out _));

        Assert.Equal(DataErrors.MasterKeyCorrupt, error.Code);
        Assert.Equal("spbe-master-key-v1:bm90IGEga2V5\n", File.ReadAllText(file));
    }

    [Fact]
    public void Configured_key_takes_precedence_and_must_be_32_bytes_of_base64()
    {
        var base64 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        using var provider = Provider(new SpbeOptions { MasterKey = base64, MasterKeyFile = "/nonexistent" });
        Assert.Equal(MasterKeySource.Configuration, provider.Source);
        Assert.Equal(new MasterKey(Convert.FromBase64String(base64)).KeyId, provider.GetKey().KeyId);

        using var invalid = Provider(new SpbeOptions { MasterKey = "c2hvcnQ=" });
        Assert.Equal(DataErrors.MasterKeyInvalid, Assert.Throws<SpbeException>(invalid.GetKey).Code);
    }

    [Fact]
    public void Configured_key_file_must_exist_and_is_never_generated()
    {
        var path = _temp.Combine("secrets", "master.key");
        using var provider = Provider(new SpbeOptions { MasterKeyFile = path });

        var error = Assert.Throws<SpbeException>(() => provider.LoadOrCreate(mayGenerate: true, out _));

        Assert.Equal(DataErrors.MasterKeyMissing, error.Code);
        Assert.False(File.Exists(path));
    }
}
