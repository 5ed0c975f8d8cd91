namespace Spbe.Security.Pki.Persistence;

/// <summary>
/// A signing key the server generated for an official, wrapped (AES-256-GCM) under a key derived with Argon2id from
/// the official's own passphrase: without the passphrase the server cannot use it. Wrong passphrases count towards a
/// lock.
/// </summary>
internal sealed class SignerKeyRecord
{
    /// <summary>The registration request the key was made for.</summary>
    public Guid Id { get; set; }

    public string Nip { get; set; } = string.Empty;

    /// <summary>The certificate issued for it, once issued.</summary>
    public string? Serial { get; set; }

    /// <summary>The wrapped PKCS#8 key with its parameters (see the key wrapper's format).</summary>
    public byte[] Wrapped { get; set; } = [];

    /// <summary>The public key (SubjectPublicKeyInfo, DER).</summary>
    public byte[] PublicKey { get; set; } = [];

    public int FailedAttempts { get; set; }

    /// <summary>When it was locked after too many wrong passphrases (Unix milliseconds), or null.</summary>
    public long? LockedAt { get; set; }

    public long CreatedAt { get; set; }

    public int Version { get; set; }
}
