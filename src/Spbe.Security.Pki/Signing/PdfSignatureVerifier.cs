using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Pki.Signing.Pdf;

namespace Spbe.Security.Pki.Signing;

/// <summary>Our own CA's word on a certificate it issued: its state and since when (null: not ours, or not known).</summary>
internal delegate Task<(CertificateState State, DateTimeOffset? Since)?> IssuerStatusLookup(string serialHex, CancellationToken cancellationToken);

/// <summary>
/// Validates every signature and document timestamp in a PDF in the spirit of ETSI EN 319 102-1: the byte range and
/// the hash (integrity), what changed after each signature (coverage: a content change is a shadow attack), the
/// signature value, the signer certificate (ESS signing-certificate-v2), the chain to a configured trust anchor at the
/// time a timestamp proves, revocation at that time from the embedded OCSP answers and CRLs (/DSS) or else our own
/// CA's records, the signature timestamp, and the PAdES level. Any file gets a report; none gets an exception.
/// </summary>
internal sealed class PdfSignatureVerifier(IReadOnlyList<X509Certificate2> trustAnchors, IssuerStatusLookup? issuerStatus, TimeProvider time)
{
    /// <summary>Validates <paramref name="pdf"/>.</summary>
    public async Task<VerificationReport> VerifyAsync(ReadOnlyMemory<byte> pdf, CancellationToken cancellationToken = default)
    {
        var documentHash = Convert.ToHexStringLower(SHA256.HashData(pdf.Span));
        PdfFile file;
        List<(string Field, PdfDictionary Signature)> fields;
        try
        {
            file = PdfFile.Open(pdf);
            if (file.IsEncrypted)
            {
                return new VerificationReport(Indications.Indeterminate, SubIndications.FormatFailure, documentHash, [], "the file is encrypted: its signatures cannot be validated here");
            }

            fields = SignatureFields(file);
        }
        catch (PdfFormatException ex)
        {
            return new VerificationReport(Indications.Indeterminate, SubIndications.FormatFailure, documentHash, [], "the file is not a readable PDF: " + ex.Message);
        }

        if (fields.Count == 0)
        {
            return new VerificationReport(Indications.Indeterminate, SubIndications.NoSignature, documentHash, [], null);
        }

        var dss = ReadDss(file);
        var parsed = fields.Select(f => Parse(file, f.Field, f.Signature)).OrderBy(p => p.SignedLength).ToList();
        var reports = new List<SignatureReport>();
        for (var i = 0; i < parsed.Count; i++)
        {
            var later = parsed.Skip(i + 1).ToList();
            reports.Add(await ValidateAsync(i + 1, file, parsed[i], later, dss, cancellationToken));
        }

        var failed = reports.FirstOrDefault(r => r.Indication == Indications.Failed);
        var open = reports.FirstOrDefault(r => r.Indication == Indications.Indeterminate);
        return failed is not null
            ? new VerificationReport(Indications.Failed, failed.SubIndication, documentHash, reports, null)
            : open is not null
                ? new VerificationReport(Indications.Indeterminate, open.SubIndication, documentHash, reports, null)
                : new VerificationReport(Indications.Passed, null, documentHash, reports, null);
    }

    /// <summary>Validates a detached CAdES signature (a <c>.p7s</c>) over <paramref name="content"/>.</summary>
    public async Task<VerificationReport> VerifyDetachedAsync(ReadOnlyMemory<byte> content, byte[] signature, CancellationToken cancellationToken = default)
    {
        var documentHash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var notes = new List<string>();
        SignatureReport Report(string indication, string? sub, bool intact = false, string coverage = "unknown", SignerIdentity? signer = null, string? serial = null,
            string? issuer = null, DateTimeOffset? tsTime = null, bool trusted = false, string revocation = "unknown", string? source = null, string? level = null) =>
            new(1, "p7s", "signature", indication, sub, intact, coverage, signer, serial, issuer, null, tsTime, trusted, revocation, source, level, notes);

        var report = await ValidateCmsAsync(signature, algorithm => CryptographicOperations.HashData(algorithm, content.Span), "whole-document", _ => null, new Dss([], [], []),
            (cms, timestamped, _, _) => cms.HasSigningCertificateV2 && cms.SigningCertificateMatches ? (timestamped ? "B-T" : "B-B") : null, notes, Report, cancellationToken);
        return new VerificationReport(report.Indication, report.SubIndication, documentHash, [report], null);
    }

    private sealed record Parsed(string Field, PdfDictionary Signature, long[]? ByteRange, byte[]? Contents, long SignedLength, string? Problem, bool IsDocumentTimestamp);

    private sealed record Dss(List<byte[]> Certificates, List<byte[]> Ocsps, List<byte[]> Crls);

    private static List<(string, PdfDictionary)> SignatureFields(PdfFile file)
    {
        var found = new List<(string, PdfDictionary)>();
        var form = file.ResolveDictionary(file.Catalog["AcroForm"]);
        var stack = new Stack<(PdfObject Node, string Prefix, int Depth)>();
        foreach (var field in ((file.Resolve(form?["Fields"]) as PdfArray)?.Items ?? []).AsEnumerable().Reverse())
        {
            stack.Push((field, string.Empty, 0));
        }

        var visited = new HashSet<int>();
        while (stack.Count > 0 && found.Count < 1000)
        {
            var (node, prefix, depth) = stack.Pop();
            if ((node is PdfReference r && !visited.Add(r.Number)) || depth > 32 || file.ResolveDictionary(node) is not { } dictionary)
            {
                continue;
            }

            var name = (file.Resolve(dictionary["T"]) as PdfString)?.Decode();
            var full = name is null ? prefix : prefix.Length == 0 ? name : prefix + "." + name;
            if (file.Resolve(dictionary["FT"]) is PdfName { Value: "Sig" } && file.ResolveDictionary(dictionary["V"]) is { } value)
            {
                found.Add((full, value));
            }

            foreach (var kid in ((file.Resolve(dictionary["Kids"]) as PdfArray)?.Items ?? []).AsEnumerable().Reverse())
            {
                stack.Push((kid, full, depth + 1));
            }
        }

        return found;
    }

    private static Parsed Parse(PdfFile file, string field, PdfDictionary signature)
    {
        var isTimestamp = (file.Resolve(signature["SubFilter"]) as PdfName)?.Value == "ETSI.RFC3161";
        var range = (file.Resolve(signature["ByteRange"]) as PdfArray)?.Items.Select(i => (file.Resolve(i) as PdfNumber)?.AsLong ?? -1).ToArray();
        var contents = (file.Resolve(signature["Contents"]) as PdfString)?.Bytes;
        var length = file.Bytes.Length;
        if (range is not { Length: 4 } || contents is null)
        {
            return new Parsed(field, signature, null, null, 0, "the signature has no /ByteRange of four numbers or no /Contents", isTimestamp);
        }

        var span = file.Bytes.Span;
        if (range[0] != 0 || range[1] <= 0 || range[2] <= range[1] || range[3] < 0 || range[2] + range[3] > length)
        {
            return new Parsed(field, signature, range, contents, 0, "the /ByteRange does not start at 0 or reaches outside the file", isTimestamp);
        }

        // Note: the gap must be exactly the /Contents hex string; anything else could hide unsigned bytes.
        if (span[(int)range[1]] != '<' || span[(int)range[2] - 1] != '>' || range[2] - range[1] != 2 + (2L * contents.Length)
            || !IsHex(span[((int)range[1] + 1)..((int)range[2] - 1)]))
        {
            return new Parsed(field, signature, range, contents, range[2] + range[3], "the gap in /ByteRange is not exactly the /Contents string", isTimestamp);
        }

        return new Parsed(field, signature, range, TrimPadding(contents), range[2] + range[3], null, isTimestamp);
    }

    private static bool IsHex(ReadOnlySpan<byte> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The DER object at the start of /Contents (the zero padding after it dropped).</summary>
    private static byte[] TrimPadding(byte[] contents)
    {
        try
        {
            var reader = new AsnReader(contents, AsnEncodingRules.BER);
            return reader.ReadEncodedValue().ToArray();
        }
        catch (AsnContentException)
        {
            return contents;
        }
    }

    private static Dss ReadDss(PdfFile file)
    {
        var dss = new Dss([], [], []);
        try
        {
            var dictionary = file.ResolveDictionary(file.Catalog["DSS"]);
            foreach (var (key, list) in new[] { ("Certs", dss.Certificates), ("OCSPs", dss.Ocsps), ("CRLs", dss.Crls) })
            {
                foreach (var item in ((file.Resolve(dictionary?[key]) as PdfArray)?.Items ?? []).Take(1000))
                {
                    if (file.Resolve(item) is PdfStream stream)
                    {
                        list.Add(file.Decode(stream));
                    }
                }
            }
        }
        catch (PdfFormatException)
        {
            // Note: unreadable validation data is as if there were none (the signature ends INDETERMINATE, not PASSED).
        }

        return dss;
    }

    private async Task<SignatureReport> ValidateAsync(int index, PdfFile file, Parsed parsed, List<Parsed> later, Dss dss, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var kind = parsed.IsDocumentTimestamp ? "document-timestamp" : "signature";
        SignatureReport Report(string indication, string? sub, bool intact = false, string coverage = "unknown", SignerIdentity? signer = null, string? serial = null,
            string? issuer = null, DateTimeOffset? tsTime = null, bool trusted = false, string revocation = "unknown", string? source = null, string? level = null) =>
            new(index, parsed.Field, kind, indication, sub, intact, coverage, signer, serial, issuer, ClaimedTime(file, parsed.Signature), tsTime, trusted, revocation, source, level, notes);

        if (parsed.Problem is not null)
        {
            notes.Add(parsed.Problem);
            return Report(Indications.Failed, SubIndications.FormatFailure);
        }

        var coverage = Coverage(file, parsed, notes);
        var range = parsed.ByteRange!;
        if (parsed.IsDocumentTimestamp)
        {
            return ValidateDocumentTimestamp(file, parsed, range, coverage, notes, Report);
        }

        return await ValidateCmsAsync(parsed.Contents!, algorithm => HashRanges(file.Bytes.Span, range, algorithm), coverage,
            found => later.Where(l => l.IsDocumentTimestamp && l.Problem is null).Select(l => DocumentTimestampTime(file, l, dss, found)).FirstOrDefault(t => t is not null),
            dss, (cms, timestamped, revocation, source) => Level(cms, timestamped, dss, revocation, source, later, file), notes, Report, cancellationToken);
    }

    /// <summary>The report's constructor for one signature (the index, field and claimed time already bound).</summary>
    private delegate SignatureReport ReportFactory(string indication, string? sub, bool intact = false, string coverage = "unknown", SignerIdentity? signer = null,
        string? serial = null, string? issuer = null, DateTimeOffset? tsTime = null, bool trusted = false, string revocation = "unknown", string? source = null,
        string? level = null);

    /// <summary>Validates one CMS signature over content whose digest <paramref name="digestOf"/> computes: integrity,
    /// signer certificate, proof of existence, chain, revocation, level; shared by PAdES and detached CAdES.</summary>
    private async Task<SignatureReport> ValidateCmsAsync(byte[] contents, Func<HashAlgorithmName, byte[]> digestOf, string coverage,
        Func<List<string>, DateTimeOffset?> laterProof, Dss dss, Func<CmsFacts, bool, string, string?, string?> levelOf, List<string> notes, ReportFactory report,
        CancellationToken cancellationToken)
    {
        CmsFacts cms;
        try
        {
            cms = CmsInspector.Inspect(contents);
        }
        catch (FormatException ex)
        {
            notes.Add(ex.Message);
            return report(Indications.Failed, SubIndications.FormatFailure, coverage: coverage);
        }

        if (cms.SignerCertificate is null)
        {
            notes.Add("the signer's certificate is not in the signature");
            return report(Indications.Indeterminate, SubIndications.NoCertificateChainFound, coverage: coverage);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(cms.SignerCertificate);
        var signer = SignerIdentity.Of(certificate);
        var serial = certificate.SerialNumber;
        var issuer = certificate.Issuer;
        var digest = digestOf(cms.Digest);
        var intact = cms.MessageDigest is not null && CryptographicOperations.FixedTimeEquals(digest, cms.MessageDigest) && VerifySignature(certificate, cms);
        if (!intact)
        {
            notes.Add(cms.MessageDigest is not null && !CryptographicOperations.FixedTimeEquals(digest, cms.MessageDigest)
                ? "the signed bytes do not hash to the signed message digest: the document was altered"
                : "the signature value does not verify with the signer's key");
            return report(Indications.Failed, cms.MessageDigest is not null && !CryptographicOperations.FixedTimeEquals(digest, cms.MessageDigest) ? SubIndications.HashFailure : SubIndications.SigCryptoFailure,
                false, coverage, signer, serial, issuer);
        }

        if (!cms.HasSigningCertificateV2 || !cms.SigningCertificateMatches)
        {
            notes.Add(cms.HasSigningCertificateV2 ? "signing-certificate-v2 names another certificate" : "no signing-certificate-v2 attribute (not PAdES)");
            if (cms.HasSigningCertificateV2)
            {
                return report(Indications.Failed, SubIndications.FormatFailure, true, coverage, signer, serial, issuer);
            }
        }

        // Proof of existence: the signature timestamp, else a later document timestamp, else now.
        DateTimeOffset? poe = null;
        if (cms.SignatureTimestamp is { } token)
        {
            poe = ValidTimestampTime(token, SHA256.HashData(cms.SignatureValue), cms.Certificates.Concat(dss.Certificates), notes, "signature timestamp");
        }

        poe ??= laterProof(notes);
        var at = poe ?? time.GetUtcNow();
        var trusted = ChainTrusted(certificate, cms.Certificates.Concat(dss.Certificates), at, notes);
        var (revocation, source) = await RevocationAsync(certificate, dss, at, notes, cancellationToken);
        var level = levelOf(cms, poe is not null && cms.SignatureTimestamp is not null, revocation, source);

        if (coverage == "modified-after-signing")
        {
            return report(Indications.Failed, SubIndications.SigConstraintsFailure, true, coverage, signer, serial, issuer, poe, trusted, revocation, source, level);
        }

        if (revocation is "revoked" or "on-hold")
        {
            var revokedBeforePoe = poe is not null;
            notes.Add(revokedBeforePoe ? "the certificate was revoked before the time the signature is proven to exist" : "the certificate is revoked and nothing proves the signature was made before");
            return report(revokedBeforePoe ? Indications.Failed : Indications.Indeterminate, revokedBeforePoe ? SubIndications.Revoked : SubIndications.RevokedNoPoe,
                true, coverage, signer, serial, issuer, poe, trusted, revocation, source, level);
        }

        if (!trusted)
        {
            var expired = at > certificate.NotAfter.ToUniversalTime() || at < certificate.NotBefore.ToUniversalTime();
            return report(Indications.Indeterminate, expired ? SubIndications.OutOfBoundsNoPoe : SubIndications.NoCertificateChainFound, true, coverage, signer, serial, issuer, poe,
                false, revocation, source, level);
        }

        if (revocation == "unknown")
        {
            notes.Add("no revocation information for the signer's certificate");
            return report(Indications.Indeterminate, SubIndications.TryLater, true, coverage, signer, serial, issuer, poe, trusted, revocation, source, level);
        }

        return report(Indications.Passed, null, true, coverage, signer, serial, issuer, poe, trusted, revocation, source, level);
    }

    private SignatureReport ValidateDocumentTimestamp(PdfFile file, Parsed parsed, long[] range, string coverage, List<string> notes, ReportFactory report)
    {
        try
        {
            var facts = CmsInspector.InspectTimestamp(parsed.Contents!);
            var digest = HashRanges(file.Bytes.Span, range, facts.ImprintAlgorithm);
            if (!CryptographicOperations.FixedTimeEquals(digest, facts.Imprint) || !facts.SignatureValid)
            {
                notes.Add(facts.SignatureValid ? "the document timestamp does not match the document: altered" : "the timestamp's signature does not verify");
                return report(Indications.Failed, SubIndications.HashFailure, coverage: coverage);
            }

            using var tsa = facts.TsaCertificate is null ? null : X509CertificateLoader.LoadCertificate(facts.TsaCertificate);
            var trusted = tsa is not null && ChainTrusted(tsa, facts.Certificates, facts.Time, notes);
            var signer = tsa is null ? null : SignerIdentity.Of(tsa);
            return coverage == "modified-after-signing"
                ? report(Indications.Failed, SubIndications.SigConstraintsFailure, true, coverage, signer, tsa?.SerialNumber, tsa?.Issuer, facts.Time, trusted, "not-checked")
                : report(trusted ? Indications.Passed : Indications.Indeterminate, trusted ? null : SubIndications.NoCertificateChainFound, true, coverage, signer, tsa?.SerialNumber,
                    tsa?.Issuer, facts.Time, trusted, "not-checked");
        }
        catch (FormatException ex)
        {
            notes.Add(ex.Message);
            return report(Indications.Failed, SubIndications.FormatFailure, coverage: coverage);
        }
    }

    private DateTimeOffset? DocumentTimestampTime(PdfFile file, Parsed stamp, Dss dss, List<string> notes)
    {
        try
        {
            var facts = CmsInspector.InspectTimestamp(stamp.Contents!);
            var digest = HashRanges(file.Bytes.Span, stamp.ByteRange!, facts.ImprintAlgorithm);
            using var tsa = facts.TsaCertificate is null ? null : X509CertificateLoader.LoadCertificate(facts.TsaCertificate);
            return facts.SignatureValid && tsa is not null && CryptographicOperations.FixedTimeEquals(digest, facts.Imprint)
                && ChainTrusted(tsa, facts.Certificates.Concat(dss.Certificates), facts.Time, notes) ? facts.Time : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private DateTimeOffset? ValidTimestampTime(byte[] token, byte[] expectedImprint, IEnumerable<byte[]> extra, List<string> notes, string what)
    {
        try
        {
            var facts = CmsInspector.InspectTimestamp(token);
            using var tsa = facts.TsaCertificate is null ? null : X509CertificateLoader.LoadCertificate(facts.TsaCertificate);
            if (!facts.SignatureValid || tsa is null || !CryptographicOperations.FixedTimeEquals(facts.Imprint, expectedImprint))
            {
                notes.Add($"the {what} is not valid for this signature");
                return null;
            }

            return ChainTrusted(tsa, facts.Certificates.Concat(extra), facts.Time, notes) ? facts.Time : null;
        }
        catch (FormatException ex)
        {
            notes.Add($"the {what} cannot be read: {ex.Message}");
            return null;
        }
    }

    private bool ChainTrusted(X509Certificate2 certificate, IEnumerable<byte[]> extra, DateTimeOffset at, List<string> notes)
    {
        if (trustAnchors.Count == 0)
        {
            notes.Add("no trust anchor is configured");
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        foreach (var der in extra.Take(100))
        {
            try
            {
                chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                // Note: an unreadable extra certificate simply does not help build the chain.
            }
        }

        var built = chain.Build(certificate);
        if (!built)
        {
            notes.Add($"{certificate.GetNameInfo(X509NameType.SimpleName, false)}: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct()));
        }

        // Note: the chain hands out certificates of its own; left to the finalizer, they kept its thread busy through the
        // verification benchmark. Contains compares by issuer and serial, so references decide what is ours to dispose.
        foreach (var element in chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, certificate) && !trustAnchors.Any(a => ReferenceEquals(a, element.Certificate)))
            {
                element.Certificate.Dispose();
            }
        }

        foreach (var extraCertificate in chain.ChainPolicy.ExtraStore)
        {
            extraCertificate.Dispose();
        }

        return built;
    }

    private async Task<(string Status, string? Source)> RevocationAsync(X509Certificate2 certificate, Dss dss, DateTimeOffset at, List<string> notes, CancellationToken cancellationToken)
    {
        var serial = certificate.SerialNumberBytes.Span.TrimStart((byte)0).ToArray();
        foreach (var der in dss.Ocsps)
        {
            try
            {
                foreach (var answer in CmsInspector.InspectOcsp(der).Where(a => a.Serial.AsSpan().SequenceEqual(serial)))
                {
                    // Note: the answer counts only if its signer is trusted (a responder certificate that chains, or the CA).
                    var signedByTrusted = answer.ResponderCertificates.Any(c =>
                    {
                        using var responder = X509CertificateLoader.LoadCertificate(c);
                        return answer.SignedBy(c) && ChainTrusted(responder, dss.Certificates, answer.ProducedAt, []);
                    });
                    if (!signedByTrusted)
                    {
                        notes.Add("an embedded OCSP answer is not signed by a trusted responder");
                        continue;
                    }

                    return answer.Status == "revoked" && answer.RevokedAt <= at ? ("revoked", "embedded-ocsp")
                        : answer.Status == "unknown" ? ("unknown", "embedded-ocsp")
                        : ("good", "embedded-ocsp");
                }
            }
            catch (FormatException)
            {
                notes.Add("an embedded OCSP answer cannot be read");
            }
        }

        foreach (var der in dss.Crls)
        {
            try
            {
                var crl = CmsInspector.InspectCrl(der);
                if (!crl.Issuer.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
                {
                    continue;
                }

                if (!dss.Certificates.Concat(trustAnchors.Select(a => a.RawData)).Any(c => crl.SignedBy(c)))
                {
                    notes.Add("an embedded CRL is not signed by its issuer");
                    continue;
                }

                return crl.Revoked.TryGetValue(Convert.ToHexString(serial), out var revokedAt) && revokedAt <= at ? ("revoked", "embedded-crl") : ("good", "embedded-crl");
            }
            catch (FormatException)
            {
                notes.Add("an embedded CRL cannot be read");
            }
        }

        if (issuerStatus is not null && await issuerStatus(Convert.ToHexString(serial), cancellationToken) is { } own)
        {
            return own.State switch
            {
                CertificateState.Good => ("good", "issuing-ca"),
                _ when own.Since is { } since && since > at => ("good", "issuing-ca"),
                CertificateState.OnHold => ("on-hold", "issuing-ca"),
                _ => ("revoked", "issuing-ca"),
            };
        }

        return ("unknown", null);
    }

    private static string? Level(CmsFacts cms, bool timestamped, Dss dss, string revocation, string? source, List<Parsed> later, PdfFile file)
    {
        if (!cms.HasSigningCertificateV2 || !cms.SigningCertificateMatches || cms.HasSigningTime)
        {
            return null;
        }

        if (!timestamped)
        {
            return "B-B";
        }

        var hasValidationData = source is "embedded-ocsp" or "embedded-crl" && revocation == "good" && dss.Certificates.Count > 0;
        if (!hasValidationData)
        {
            return "B-T";
        }

        return later.Any(l => l.IsDocumentTimestamp && l.Problem is null && l.SignedLength == file.Bytes.Length) ? "B-LTA" : "B-LT";
    }

    /// <summary>
    /// What happened after the signed revision: nothing (whole-document), only what signing and validation data add
    /// (new objects; catalog /AcroForm, /DSS; page /Annots; form /Fields; arrays that only grew), or anything else —
    /// a changed content stream, page, resource or deleted object: modified-after-signing.
    /// </summary>
    private static string Coverage(PdfFile file, Parsed parsed, List<string> notes)
    {
        if (parsed.SignedLength == file.Bytes.Length)
        {
            return "whole-document";
        }

        try
        {
            var revision = PdfFile.Open(file.Bytes[..(int)parsed.SignedLength]);
            var formNumber = (revision.Catalog["AcroForm"] as PdfReference)?.Number;
            var changed = file.Sections.Where(s => s.Offset >= parsed.SignedLength).SelectMany(s => s.Objects).Distinct().Where(revision.Exists);
            foreach (var number in changed)
            {
                var before = revision.Get(number);
                var after = file.Get(number);
                if (after is null)
                {
                    notes.Add($"object {number} was deleted after signing");
                    return "modified-after-signing";
                }

                if (!AllowedChange(file, before, after, number == revision.CatalogReference.Number, number == formNumber))
                {
                    notes.Add($"object {number} ({Describe(before)}) was changed after signing");
                    return "modified-after-signing";
                }
            }

            var deleted = revision.Sections.SelectMany(s => s.Objects).Distinct().Where(n => !file.Exists(n)).ToList();
            if (deleted.Count > 0)
            {
                notes.Add($"object {deleted[0]} was deleted after signing");
                return "modified-after-signing";
            }

            return "later-updates-allowed";
        }
        catch (PdfFormatException ex)
        {
            notes.Add("the signed revision cannot be read on its own: " + ex.Message);
            return "modified-after-signing";
        }
    }

    private static bool AllowedChange(PdfFile current, PdfObject? before, PdfObject after, bool isCatalog, bool isForm)
    {
        if (before is PdfArray oldArray && after is PdfArray newArray)
        {
            // Note: an array (annotations, form fields) may only grow, and only by signature fields: a grown
            // /Contents array or an added annotation could lay new content over what was signed.
            return GrewBySignatureFields(current, oldArray.Items, newArray);
        }

        if (before is not PdfDictionary oldDictionary || after is not PdfDictionary newDictionary)
        {
            return false;
        }

        var allowed = isCatalog ? new HashSet<string> { "AcroForm", "DSS", "Extensions" }
            : isForm ? ["Fields", "SigFlags", "DA", "DR", "NeedAppearances"]
            : oldDictionary.NameOf("Type") == "Page" ? ["Annots"]
            : oldDictionary["FT"] is PdfName { Value: "Sig" } && oldDictionary["V"] is null ? ["V", "AP", "F", "Rect", "P", "MK"]
            : [];
        var keys = oldDictionary.Entries.Select(e => e.Key).Union(newDictionary.Entries.Select(e => e.Key));
        foreach (var key in keys)
        {
            if (Same(oldDictionary[key], newDictionary[key]))
            {
                continue;
            }

            if (!allowed.Contains(key))
            {
                return false;
            }

            // A page's /Annots written in the page: the same rule, from what the page had (possibly nothing).
            if (key == "Annots" && !(current.Resolve(newDictionary[key]) is PdfArray newAnnots
                && GrewBySignatureFields(current, (current.Resolve(oldDictionary[key]) as PdfArray)?.Items ?? [], newAnnots)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool GrewBySignatureFields(PdfFile current, IReadOnlyList<PdfObject> before, PdfArray after) =>
        after.Count >= before.Count
        && before.Select((item, i) => Same(item, after[i])).All(x => x)
        && after.Items.Skip(before.Count).All(added => IsSignatureField(current, added));

    private static bool IsSignatureField(PdfFile file, PdfObject value)
    {
        var field = file.ResolveDictionary(value);
        for (var depth = 0; field is not null && depth < 8; depth++)
        {
            if (file.Resolve(field["FT"]) is PdfName { Value: "Sig" })
            {
                return field.NameOf("Subtype") is null or "Widget";
            }

            field = file.ResolveDictionary(field["Parent"]);
        }

        return false;
    }

    private static bool Same(PdfObject? a, PdfObject? b) =>
        (a is null && b is null) || (a is not null && b is not null && PdfSerializer.ToBytes(a).AsSpan().SequenceEqual(PdfSerializer.ToBytes(b)));

    private static string Describe(PdfObject? value) => value switch
    {
        PdfStream s => "a stream" + (s.Dictionary.NameOf("Type") is { } t ? " /" + t : string.Empty),
        PdfDictionary d => d.NameOf("Type") is { } t ? "/" + t : "a dictionary",
        _ => value?.GetType().Name.Replace("Pdf", string.Empty, StringComparison.Ordinal).ToLowerInvariant() ?? "nothing",
    };

    private static DateTimeOffset? ClaimedTime(PdfFile file, PdfDictionary signature)
    {
        var text = (file.Resolve(signature["M"]) as PdfString)?.Decode();
        if (text is null || !text.StartsWith("D:", StringComparison.Ordinal) || text.Length < 16)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text[2..16], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    private static byte[] HashRanges(ReadOnlySpan<byte> bytes, long[] range, HashAlgorithmName hash)
    {
        using var hasher = IncrementalHash.CreateHash(hash);
        hasher.AppendData(bytes.Slice((int)range[0], (int)range[1]));
        hasher.AppendData(bytes.Slice((int)range[2], (int)range[3]));
        return hasher.GetHashAndReset();
    }

    private static bool VerifySignature(X509Certificate2 certificate, CmsFacts cms)
    {
        var hash = cms.SignatureAlgorithm switch
        {
            "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => cms.Digest,
        };
        try
        {
            using var ec = certificate.GetECDsaPublicKey();
            if (ec is not null)
            {
                return ec.VerifyData(cms.SignedAttributes, cms.SignatureValue, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = certificate.GetRSAPublicKey();
            return rsa is not null && cms.SignatureAlgorithm != "1.2.840.113549.1.1.10"
                && rsa.VerifyData(cms.SignedAttributes, cms.SignatureValue, hash, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
