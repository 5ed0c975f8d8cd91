namespace Spbe.Security.Pki.Keys;

/// <summary>Where CA keys are created and kept: sealed files (<see cref="FileKeyStore"/>) or a PKCS#11 token.</summary>
public interface IKeyStore
{
    /// <summary>The kind of store, as <c>spbe pki status</c> reports it.</summary>
    KeyStoreKind Kind { get; }

    /// <summary>Whether a key with this label exists.</summary>
    bool Exists(string label);

    /// <summary>Creates a key with this label; the private part never leaves the store unencrypted.</summary>
    /// <exception cref="InvalidOperationException">A key with that label already exists.</exception>
    ISigningKey Generate(string label, KeyAlgorithm algorithm);

    /// <summary>Opens the key with this label.</summary>
    /// <exception cref="SpbeException">It is missing or cannot be read (<c>PKI-0015</c>, <c>PKI-0019</c>).</exception>
    ISigningKey Open(string label);
}
