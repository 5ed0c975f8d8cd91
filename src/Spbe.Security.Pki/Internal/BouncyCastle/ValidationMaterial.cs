using Org.BouncyCastle.Ocsp;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Revocation;

namespace Spbe.Security.Pki.Internal.BouncyCastle;

/// <summary>Validation data for B-LT (certificates, OCSP responses, CRLs), gathered from our own CA in-process.</summary>
/// <param name="Certificates">Every certificate a validator needs (DER), without duplicates.</param>
/// <param name="OcspResponses">OCSP responses (DER OCSPResponse) for the end-entity certificates.</param>
/// <param name="Crls">The current full CRLs of the issuing and root CAs (DER).</param>
internal sealed record ValidationMaterial(IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<byte[]> Crls)
{
    /// <summary>Collects validation data for the signer's chain and the TSA, asking our OCSP responder for each
    /// certificate our issuing CA issued.</summary>
    public static async Task<ValidationMaterial> CollectAsync(CaHierarchy hierarchy, OcspResponder responder, CrlPublisher crls,
        IEnumerable<byte[]> chain, CancellationToken cancellationToken)
    {
        var snapshot = hierarchy.Current;
        var certificates = new List<byte[]>();
        void AddCertificate(byte[] der)
        {
            if (!certificates.Any(c => c.AsSpan().SequenceEqual(der)))
            {
                certificates.Add(der);
            }
        }

        foreach (var der in chain.Concat([snapshot.Tsa.Der, snapshot.Ocsp.Der, snapshot.Issuing.Der, snapshot.Root.Der]))
        {
            AddCertificate(der);
        }

        var responses = new List<byte[]>();
        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        foreach (var der in certificates)
        {
            var certificate = parser.ReadCertificate(der);
            if (!certificate.IssuerDN.Equivalent(snapshot.Issuing.Certificate.SubjectDN) || certificate.Equals(snapshot.Ocsp.Certificate))
            {
                continue;
            }

            var generator = new OcspReqGenerator();
            generator.AddRequest(new CertificateID(CertificateID.DigestSha1, snapshot.Issuing.Certificate, certificate.SerialNumber));
            var answer = await responder.RespondAsync(generator.Generate().GetEncoded(), cancellationToken);
            if (answer.ErrorCode is null)
            {
                responses.Add(answer.Body);
            }
        }

        var lists = new List<byte[]>();
        foreach (var file in new[] { crls.FullFile(CaHierarchy.Issuing), crls.FullFile(CaHierarchy.Root) })
        {
            if (File.Exists(file))
            {
                lists.Add(await File.ReadAllBytesAsync(file, cancellationToken));
            }
        }

        return new ValidationMaterial(certificates, responses, lists);
    }
}
