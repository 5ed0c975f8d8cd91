using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Signing.Pdf;
using Spbe.Security.Pki.Revocation;
using Spbe.Security.Pki.Timestamping;

namespace Spbe.Security.Pki.Signing;

/// <summary>PAdES baseline levels (ETSI EN 319 142-1).</summary>
public enum PadesLevel
{
    /// <summary>B-B: the CMS signature with signing-certificate-v2.</summary>
    BB,

    /// <summary>B-T: plus a signature timestamp from the TSA.</summary>
    BT,

    /// <summary>B-LT: plus validation data (certificates, OCSP, CRLs) in /DSS.</summary>
    BLT,

    /// <summary>B-LTA: plus a document timestamp over everything.</summary>
    BLTA,
}

/// <summary>One signature to apply.</summary>
/// <param name="Key">The signer's private key (unlocked with the signer's passphrase).</param>
/// <param name="Chain">The signer's certificate, then its issuers up to the root (DER).</param>
/// <param name="Level">The PAdES level.</param>
/// <param name="SigningTime">The claimed signing time (/M); B-T adds a trusted one.</param>
/// <param name="SignerName">The signer's name (/Name).</param>
/// <param name="Reason">Why (/Reason), e.g. "Paraf" or "Penandatanganan naskah dinas".</param>
/// <param name="Placement">Where the visible stamp goes, or null for an invisible signature (paraf).</param>
/// <param name="Stamp">What the visible stamp shows (required with <paramref name="Placement"/>).</param>
internal sealed record PadesRequest(ISigningKey Key, IReadOnlyList<byte[]> Chain, PadesLevel Level, DateTimeOffset SigningTime, string SignerName,
    string? Reason, StampPlacement? Placement, StampContent? Stamp);

/// <summary>
/// Signs PDFs as PAdES by appending an incremental update: a signature field whose widget sits on the chosen page
/// (merged field/widget, /F Print|Locked), a signature dictionary /Adobe.PPKLite /ETSI.CAdES.detached whose
/// /ByteRange covers the whole file but the /Contents hex string, and the CMS from <see cref="CmsSignatureBuilder"/>.
/// The page (or its /Annots array) and the catalog (or its /AcroForm) are written anew in the update; nothing before
/// the update changes, so every earlier signature stays valid.
/// </summary>
internal sealed class PadesSigner(TimestampAuthority timestamps, CaHierarchy hierarchy, OcspResponder ocsp, CrlPublisher crls)
{
    private const string ContentsPlaceholder = "contents";
    private const string ByteRangePlaceholder = "byterange";

    // Note: room for the ByteRange numbers (10 digits each) so that the placeholder never has to grow.
    private static readonly byte[] ByteRangeInitial = Encoding.ASCII.GetBytes("[0 0000000000 0000000000 0000000000]");

    /// <summary>The signed file: <paramref name="pdf"/> followed by the signature's update (and, for B-LT and B-LTA, the
    /// /DSS update and the document timestamp's update).</summary>
    /// <exception cref="PdfFormatException">The file cannot be read, or is encrypted.</exception>
    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> pdf, PadesRequest request, CancellationToken cancellationToken = default) =>
        SignAsync(PdfFile.Open(pdf), request, cancellationToken);

    /// <summary>Signs <paramref name="pdf"/> and writes the signed file to <paramref name="destination"/>.</summary>
    /// <exception cref="PdfFormatException">The file cannot be read, or is encrypted.</exception>
    public Task SignAsync(ReadOnlyMemory<byte> pdf, PadesRequest request, Stream destination, CancellationToken cancellationToken = default) =>
        SignAsync(PdfFile.Open(pdf), request, destination, cancellationToken);

    /// <summary>Signs a file the caller has already opened (and checked).</summary>
    /// <exception cref="PdfFormatException">The file cannot be read, or is encrypted.</exception>
    public async Task<byte[]> SignAsync(PdfFile file, PadesRequest request, CancellationToken cancellationToken = default)
    {
        var (update, contents) = AppendSignature(file, request);
        var signed = Concatenate(file.Bytes, update);
        if (request.Level >= PadesLevel.BLT)
        {
            var material = await ValidationMaterial.CollectAsync(hierarchy, ocsp, crls, request.Chain, cancellationToken);
            signed = AppendValidationData(PdfFile.Open(signed), contents, material);
        }

        if (request.Level == PadesLevel.BLTA)
        {
            signed = AppendDocumentTimestamp(PdfFile.Open(signed));
        }

        return signed;
    }

    /// <summary>
    /// Signs a file the caller has already opened (and checked) and writes the signed file to <paramref name="destination"/>.
    /// At B-B and B-T the file is never assembled in memory: the original bytes and the signature's update are written one
    /// after the other (a 10 MB document costs no 10 MB buffer); B-LT and B-LTA read the signed file again to extend it.
    /// </summary>
    /// <exception cref="PdfFormatException">The file cannot be read, or is encrypted.</exception>
    public async Task SignAsync(PdfFile file, PadesRequest request, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (request.Level >= PadesLevel.BLT)
        {
            await destination.WriteAsync(await SignAsync(file, request, cancellationToken), cancellationToken);
            return;
        }

        var (update, _) = AppendSignature(file, request);
        await destination.WriteAsync(file.Bytes, cancellationToken);
        await destination.WriteAsync(update, cancellationToken);
    }

    /// <summary>The signature's incremental update, and its /Contents as a reader decodes it.</summary>
    private (byte[] Update, byte[] Contents) AppendSignature(PdfFile file, PadesRequest request)
    {
        if (file.IsEncrypted)
        {
            throw new PdfFormatException("the file is encrypted: it cannot be signed without changing its earlier bytes", 0);
        }

        var signature = new PdfDictionary
        {
            ["Type"] = new PdfName("Sig"),
            ["Filter"] = new PdfName("Adobe.PPKLite"),
            ["SubFilter"] = new PdfName("ETSI.CAdES.detached"),
            ["M"] = new PdfString(Encoding.ASCII.GetBytes(PdfDate(request.SigningTime)), false),
            ["Name"] = PdfString.Text(request.SignerName),
        };
        if (request.Reason is { } reason)
        {
            signature["Reason"] = PdfString.Text(reason);
        }

        return Append(file, signature, request.Placement, request.Stamp, EstimateSize(request), request.Key.Algorithm.SignatureHash,
            digest => CmsSignatureBuilder.Build(digest, request.Key, request.Chain, request.Level >= PadesLevel.BT ? timestamps : null));
    }

    private static byte[] Concatenate(ReadOnlyMemory<byte> pdf, byte[] update)
    {
        // Note: uninitialised: every byte is written just below (zeroing 10 MB first costs as much as the copy).
        var result = GC.AllocateUninitializedArray<byte>(pdf.Length + update.Length);
        pdf.Span.CopyTo(result);
        update.CopyTo(result.AsSpan(pdf.Length));
        return result;
    }

    /// <summary>Adds a document timestamp (ETSI.RFC3161) over the whole file as it is.</summary>
    public byte[] AppendDocumentTimestamp(PdfFile file)
    {
        var stamp = new PdfDictionary
        {
            ["Type"] = new PdfName("DocTimeStamp"),
            ["Filter"] = new PdfName("Adobe.PPKLite"),
            ["SubFilter"] = new PdfName("ETSI.RFC3161"),
        };
        var (update, _) = Append(file, stamp, null, null, 8192, HashAlgorithmName.SHA256,
            digest => CmsSignatureBuilder.Timestamp(timestamps, digest, HashAlgorithmName.SHA256));
        return Concatenate(file.Bytes, update);
    }

    /// <summary>Appends a signature (or document timestamp) dictionary with its field, then fills it: the update, and
    /// /Contents as a reader decodes it.</summary>
    private static (byte[] Update, byte[] Contents) Append(PdfFile file, PdfDictionary signature, StampPlacement? placement, StampContent? stamp, int reserved,
        HashAlgorithmName hash, Func<byte[], byte[]> cms)
    {
        var update = new PdfUpdate(file);
        signature["ByteRange"] = new PdfPlaceholder(ByteRangePlaceholder, ByteRangeInitial);
        signature["Contents"] = new PdfPlaceholder(ContentsPlaceholder, HexPlaceholder(reserved));
        AddField(file, update, update.Add(signature), placement, stamp);
        var (bytes, placeholders) = update.Write();
        return Finish(file.Bytes, bytes, placeholders, reserved, cms, hash);
    }

    /// <summary>Appends /DSS (ETSI EN 319 142-1 §5.4): the validation data, shared and per signature (/VRI, keyed by the
    /// SHA-1 of the signature's /Contents), merged with what earlier signatures put there.</summary>
    private static byte[] AppendValidationData(PdfFile file, byte[] contents, ValidationMaterial material)
    {
        var update = new PdfUpdate(file);
        var existing = file.ResolveDictionary(file.Catalog["DSS"]);
        PdfArray Streams(IEnumerable<byte[]> items) => new(items.Select(i => (PdfObject)update.Add(new PdfStream(new PdfDictionary(), i))));
        PdfArray Merge(string key, PdfArray added) => new([.. (file.Resolve(existing?[key]) as PdfArray)?.Items ?? [], .. added.Items]);

        var certificates = Streams(material.Certificates);
        var responses = Streams(material.OcspResponses);
        var lists = Streams(material.Crls);
        var vri = file.ResolveDictionary(existing?["VRI"]) is { } earlier ? new PdfDictionary(earlier) : new PdfDictionary();
        vri[Convert.ToHexString(SHA1.HashData(contents))] = new PdfDictionary
        {
            ["Cert"] = certificates,
            ["OCSP"] = responses,
            ["CRL"] = lists,
        };
        var dss = new PdfDictionary
        {
            ["Certs"] = Merge("Certs", certificates),
            ["OCSPs"] = Merge("OCSPs", responses),
            ["CRLs"] = Merge("CRLs", lists),
            ["VRI"] = vri,
        };
        update.Replace(file.CatalogReference, new PdfDictionary(file.Catalog) { ["DSS"] = update.Add(dss) });
        var (bytes, _) = update.Write();
        return Concatenate(file.Bytes, bytes);
    }

    /// <summary>Fills /ByteRange and /Contents in <paramref name="update"/>: hashes everything but the /Contents string,
    /// builds the CMS over that digest.</summary>
    private static (byte[] Update, byte[] Contents) Finish(ReadOnlyMemory<byte> pdf, byte[] update, IReadOnlyDictionary<string, long> placeholders, int reserved,
        Func<byte[], byte[]> cms, HashAlgorithmName hash)
    {
        var total = pdf.Length + update.Length;
        var contentsStart = placeholders[ContentsPlaceholder];
        var contentsEnd = contentsStart + 2 + (2 * reserved);
        var byteRange = string.Create(CultureInfo.InvariantCulture, $"[0 {contentsStart} {contentsEnd} {total - contentsEnd}]");
        var byteRangeAt = (int)(placeholders[ByteRangePlaceholder] - pdf.Length);
        var padded = Encoding.ASCII.GetBytes(byteRange[..^1].PadRight(ByteRangeInitial.Length - 1) + "]");
        padded.CopyTo(update.AsSpan(byteRangeAt));

        using var hasher = IncrementalHash.CreateHash(hash);
        var split = (int)(contentsStart - pdf.Length);
        hasher.AppendData(pdf.Span);
        hasher.AppendData(update.AsSpan(0, split));
        hasher.AppendData(update.AsSpan((int)(contentsEnd - pdf.Length)));
        var signature = cms(hasher.GetHashAndReset());
        if (signature.Length > reserved)
        {
            throw new InvalidOperationException($"the signature ({signature.Length} bytes) does not fit the {reserved} bytes reserved");
        }

        var hex = Encoding.ASCII.GetBytes(Convert.ToHexString(signature));
        hex.CopyTo(update.AsSpan(split + 1));
        // Note: /Contents as a reader decodes it: the CMS and the zero padding after it.
        var contents = new byte[reserved];
        signature.CopyTo(contents, 0);
        return (update, contents);
    }

    private static void AddField(PdfFile file, PdfUpdate update, PdfReference signature, StampPlacement? placement, StampContent? stamp)
    {
        var pageCount = file.PageCount;
        var pageIndex = placement is null ? 0 : placement.Page - 1;
        if (pageIndex < 0 || pageIndex >= pageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(placement), placement?.Page, $"the document has {pageCount} page(s)");
        }

        var page = file.Page(pageIndex);
        var acroForm = file.ResolveDictionary(file.Catalog["AcroForm"]);
        var existingFields = file.Resolve(acroForm?["Fields"]) as PdfArray;
        var names = (existingFields?.Items ?? []).Select(f => (file.ResolveDictionary(f)?["T"] as PdfString)?.Decode()).ToHashSet(StringComparer.Ordinal);
        var fieldName = Enumerable.Range(1, 10_000).Select(i => $"Signature{i}").First(n => !names.Contains(n));

        var rectangle = placement is null
            ? new PdfArray([new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L)])
            : new PdfArray([new PdfNumber(placement.X), new PdfNumber(placement.Y), new PdfNumber(placement.X + placement.Width), new PdfNumber(placement.Y + placement.Height)]);
        var appearance = placement is null || stamp is null
            ? SignatureStamp.Empty()
            : SignatureStamp.Appearance(placement.Width, placement.Height, stamp);
        var field = update.Add(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"),
            ["Subtype"] = new PdfName("Widget"),
            ["FT"] = new PdfName("Sig"),
            ["T"] = PdfString.Text(fieldName),
            ["V"] = signature,
            ["F"] = new PdfNumber(132L),
            ["Rect"] = rectangle,
            ["P"] = page.Reference,
            ["AP"] = new PdfDictionary { ["N"] = update.Add(appearance) },
        });

        // The page lists the widget among its annotations.
        switch (page.Dictionary["Annots"])
        {
            case PdfReference annotsReference when file.Resolve(annotsReference) is PdfArray shared:
                update.Replace(annotsReference, new PdfArray([.. shared.Items, field]));
                break;
            case PdfArray direct:
                update.Replace(page.Reference, new PdfDictionary(page.Dictionary) { ["Annots"] = new PdfArray([.. direct.Items, field]) });
                break;
            default:
                update.Replace(page.Reference, new PdfDictionary(page.Dictionary) { ["Annots"] = new PdfArray([field]) });
                break;
        }

        // The form lists the field; SigFlags 3: the document has signatures, and is to be updated incrementally only.
        var form = acroForm is null ? new PdfDictionary() : new PdfDictionary(acroForm);
        form["Fields"] = new PdfArray([.. existingFields?.Items ?? [], field]);
        form["SigFlags"] = new PdfNumber(3L);
        if (file.Catalog["AcroForm"] is PdfReference formReference)
        {
            update.Replace(formReference, form);
        }
        else
        {
            update.Replace(file.CatalogReference, new PdfDictionary(file.Catalog) { ["AcroForm"] = form });
        }
    }

    private static int EstimateSize(PadesRequest request)
    {
        var chain = request.Chain.Sum(c => c.Length);
        // Note: a timestamp token carries the TSA's certificate and its own signature; 6 KiB covers RSA-4096 chains.
        return chain + 2048 + (request.Level >= PadesLevel.BT ? 6144 : 0);
    }

    private static byte[] HexPlaceholder(int bytes)
    {
        var placeholder = new byte[2 + (2 * bytes)];
        placeholder.AsSpan().Fill((byte)'0');
        placeholder[0] = (byte)'<';
        placeholder[^1] = (byte)'>';
        return placeholder;
    }

    /// <summary>A PDF date (§7.9.4) in UTC: D:YYYYMMDDHHmmSSZ.</summary>
    internal static string PdfDate(DateTimeOffset time) => "D:" + time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
}
