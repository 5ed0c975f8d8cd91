using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Spbe.Security.Pki.Keys;

/// <summary>
/// CA keys on a PKCS#11 token (an HSM; SoftHSM2 in tests): generated on the token as sensitive, non-extractable
/// objects and used there; only public keys and signatures leave it. The user PIN comes from the environment variable
/// named by <see cref="PkiOptions.Pkcs11PinVariable"/>.
/// </summary>
public sealed class Pkcs11KeyStore : IKeyStore, IDisposable
{
    private static readonly Pkcs11InteropFactories Factories = new();
    private static int _resolverSet;

    private readonly PkiOptions _options;
    private readonly Lock _gate = new();
    private IPkcs11Library? _library;
    private ISession? _session;

    /// <summary>Creates the store; the token is opened on first use.</summary>
    public Pkcs11KeyStore(IOptions<PkiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <inheritdoc />
    public KeyStoreKind Kind => KeyStoreKind.Pkcs11;

    /// <inheritdoc />
    public bool Exists(string label)
    {
        lock (_gate)
        {
            return Find(Session(), CKO.CKO_PRIVATE_KEY, label) is not null;
        }
    }

    /// <inheritdoc />
    public ISigningKey Generate(string label, KeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        lock (_gate)
        {
            var session = Session();
            if (Find(session, CKO.CKO_PRIVATE_KEY, label) is not null)
            {
                throw new InvalidOperationException($"a key labelled '{label}' already exists on the token");
            }

            var id = RandomNumberGenerator.GetBytes(16);
            var publicTemplate = new List<IObjectAttribute>
            {
                Factories.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, true),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_PRIVATE, false),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_VERIFY, true),
            };
            var privateTemplate = new List<IObjectAttribute>
            {
                Factories.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, true),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_PRIVATE, true),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_SIGN, true),
                // Note: the private key can be used on the token but never read out of it, not even wrapped.
                Factories.ObjectAttributeFactory.Create(CKA.CKA_SENSITIVE, true),
                Factories.ObjectAttributeFactory.Create(CKA.CKA_EXTRACTABLE, false),
            };
            IMechanism mechanism;
            if (algorithm.IsEcdsa)
            {
                publicTemplate.Add(Factories.ObjectAttributeFactory.Create(CKA.CKA_EC_PARAMS, CurveOid(algorithm)));
                mechanism = Factories.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN);
            }
            else
            {
                publicTemplate.Add(Factories.ObjectAttributeFactory.Create(CKA.CKA_MODULUS_BITS, (ulong)algorithm.RsaBits));
                publicTemplate.Add(Factories.ObjectAttributeFactory.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
                mechanism = Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN);
            }

            using (mechanism)
            {
                session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out _, out _);
            }
        }

        return Open(label);
    }

    /// <inheritdoc />
    public ISigningKey Open(string label)
    {
        lock (_gate)
        {
            var session = Session();
            var privateKey = Find(session, CKO.CKO_PRIVATE_KEY, label);
            var publicKey = Find(session, CKO.CKO_PUBLIC_KEY, label);
            if (privateKey is null || publicKey is null)
            {
                throw new SpbeException(PkiErrors.TokenUnavailable, $"the token '{_options.Pkcs11TokenLabel}' has no key pair labelled '{label}'");
            }

            var type = session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();
            AsymmetricAlgorithm material;
            if (type == (ulong)CKK.CKK_EC)
            {
                var values = session.GetAttributeValue(publicKey, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
                var curveOid = new AsnReader(values[0].GetValueAsByteArray(), AsnEncodingRules.DER).ReadObjectIdentifier();
                // Note: CKA_EC_POINT is the point wrapped in a DER OCTET STRING (04 41 04 X Y for P-256).
                var point = new AsnReader(values[1].GetValueAsByteArray(), AsnEncodingRules.DER).ReadOctetString();
                var half = (point.Length - 1) / 2;
                material = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.CreateFromValue(curveOid),
                    Q = new ECPoint { X = point[1..(1 + half)], Y = point[(1 + half)..] },
                });
            }
            else
            {
                var values = session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
                material = RSA.Create(new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() });
            }

            var algorithm = KeyAlgorithm.Of(new System.Security.Cryptography.X509Certificates.PublicKey(material));
            if (algorithm is null)
            {
                material.Dispose();
                throw new SpbeException(PkiErrors.TokenUnavailable, $"the key '{label}' on the token is of an unsupported type");
            }

            return new Pkcs11SigningKey(this, label, algorithm, privateKey, material);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _session?.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Note: the module may already be finalised (PKCS#11 state is per process); nothing is left to close.
            }

            _session?.Dispose();
            _library?.Dispose();
            _session = null;
            _library = null;
        }
    }

    /// <summary>Signs on the token: the hash is computed here, the private-key operation there.</summary>
    internal byte[] Sign(IObjectHandle privateKey, KeyAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var session = Session();
            if (algorithm.IsEcdsa)
            {
                var hash = algorithm.SignatureHash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA384.HashData(data);
                using var mechanism = Factories.MechanismFactory.Create(CKM.CKM_ECDSA);
                var raw = session.Sign(mechanism, privateKey, hash);
                return ToDer(raw);
            }

            using var rsa = Factories.MechanismFactory.Create(algorithm.SignatureHash == HashAlgorithmName.SHA256 ? CKM.CKM_SHA256_RSA_PKCS : CKM.CKM_SHA384_RSA_PKCS);
            return session.Sign(rsa, privateKey, data.ToArray());
        }
    }

    // Note: PKCS#11 returns r || s, each padded to the curve size; X.509 and CMS want the DER
    // SEQUENCE { INTEGER r, INTEGER s } with minimal integers, so the padding zeros go (about one
    // signature in 128 has r or s starting with a zero byte).
    internal static byte[] ToDer(ReadOnlySpan<byte> raw)
    {
        var half = raw.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw[..half]));
            writer.WriteIntegerUnsigned(Minimal(raw[half..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static byte[] CurveOid(KeyAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(algorithm == KeyAlgorithm.EcdsaP256 ? "1.2.840.10045.3.1.7" : "1.3.132.0.34");
        return writer.Encode();
    }

    private static IObjectHandle? Find(ISession session, CKO objectClass, string label) =>
        session.FindAllObjects(
        [
            Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, objectClass),
            Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label),
        ]).FirstOrDefault();

    private ISession Session()
    {
        if (_session is not null)
        {
            return _session;
        }

        if (Interlocked.Exchange(ref _resolverSet, 1) == 0)
        {
            // Note: Pkcs11Interop P/Invokes "libdl", which glibc 2.36 ships only as libdl.so.2.
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly,
                (name, _, _) => name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);
        }

        var pin = Environment.GetEnvironmentVariable(_options.Pkcs11PinVariable);
        if (string.IsNullOrEmpty(pin))
        {
            throw new SpbeException(PkiErrors.TokenUnavailable, $"the token PIN is not set: put it in the environment variable {_options.Pkcs11PinVariable}");
        }

        try
        {
            _library ??= Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, _options.Pkcs11ModulePath, AppType.MultiThreaded);
            // Note: token initialisation reassigns slot ids: find the slot by the token's label, never by number.
            var slot = _library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == _options.Pkcs11TokenLabel)
                ?? throw new SpbeException(PkiErrors.TokenUnavailable, $"no PKCS#11 token labelled '{_options.Pkcs11TokenLabel}' in {_options.Pkcs11ModulePath}");
            var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Note: another session of this process logged in already; the login is per token and application.
            }

            _session = session;
            return session;
        }
        catch (Pkcs11Exception ex)
        {
            throw new SpbeException(PkiErrors.TokenUnavailable, $"the PKCS#11 token '{_options.Pkcs11TokenLabel}' cannot be opened ({ex.RV})", ex);
        }
    }

    private sealed class Pkcs11SigningKey(Pkcs11KeyStore store, string label, KeyAlgorithm algorithm, IObjectHandle privateKey, AsymmetricAlgorithm publicKey) : ISigningKey
    {
        public string Label => label;

        public KeyAlgorithm Algorithm => algorithm;

        public byte[] ExportSubjectPublicKeyInfo() => publicKey.ExportSubjectPublicKeyInfo();

        public byte[] SignData(ReadOnlySpan<byte> data) => store.Sign(privateKey, algorithm, data);

        public void Dispose() => publicKey.Dispose();
    }
}
