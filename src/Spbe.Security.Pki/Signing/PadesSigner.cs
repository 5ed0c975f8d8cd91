using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Signing.Pdf;
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
internal sealed class PadesSigner(TimestampAuthority timestamps)
{
    private const string ContentsPlaceholder = "contents";
    private const string ByteRangePlaceholder = "byterange";

    // Note: room for the ByteRange numbers (10 digits each) so that the placeholder never has to grow.
    private static readonly byte[] ByteRangeInitial = Encoding.ASCII.GetBytes("[0 0000000000 0000000000 0000000000]");

    /// <summary>The signed file: <paramref name="pdf"/> followed by the signature's update.</summary>
    /// <exception cref="PdfFormatException">The file cannot be read.</exception>
    public byte[] Sign(ReadOnlyMemory<byte> pdf, PadesRequest request)
    {
        var file = PdfFile.Open(pdf);
        if (file.IsEncrypted)
        {
            throw new PdfFormatException("the file is encrypted", 0);
        }

        var update = new PdfUpdate(file);
        var reserved = EstimateSize(request);
        var signature = new PdfDictionary
        {
            ["Type"] = new PdfName("Sig"),
            ["Filter"] = new PdfName("Adobe.PPKLite"),
            ["SubFilter"] = new PdfName("ETSI.CAdES.detached"),
            ["ByteRange"] = new PdfPlaceholder(ByteRangePlaceholder, ByteRangeInitial),
            ["Contents"] = new PdfPlaceholder(ContentsPlaceholder, HexPlaceholder(reserved)),
            ["M"] = new PdfString(Encoding.ASCII.GetBytes(PdfDate(request.SigningTime)), false),
            ["Name"] = PdfString.Text(request.SignerName),
        };
        if (request.Reason is { } reason)
        {
            signature["Reason"] = PdfString.Text(reason);
        }

        var signatureReference = update.Add(signature);
        AddField(file, update, signatureReference, request);
        var (bytes, placeholders) = update.Write();
        var signed = Finish(pdf, bytes, placeholders, reserved, digest => CmsSignatureBuilder.Build(digest, request.Key, request.Chain,
            request.Level >= PadesLevel.BT ? timestamps : null), request.Key.Algorithm.SignatureHash);
        return signed;
    }

    /// <summary>Fills /ByteRange and /Contents: hashes everything but the /Contents string, builds the CMS over that digest.</summary>
    internal static byte[] Finish(ReadOnlyMemory<byte> pdf, byte[] update, IReadOnlyDictionary<string, long> placeholders, int reserved,
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
        var result = new byte[total];
        pdf.Span.CopyTo(result);
        update.CopyTo(result.AsSpan(pdf.Length));
        return result;
    }

    private static void AddField(PdfFile file, PdfUpdate update, PdfReference signature, PadesRequest request)
    {
        var pages = file.Pages;
        var placement = request.Placement;
        var pageIndex = placement is null ? 0 : placement.Page - 1;
        if (pageIndex < 0 || pageIndex >= pages.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(request), placement?.Page, $"the document has {pages.Count} page(s)");
        }

        var page = pages[pageIndex];
        var acroForm = file.ResolveDictionary(file.Catalog["AcroForm"]);
        var existingFields = file.Resolve(acroForm?["Fields"]) as PdfArray;
        var names = (existingFields?.Items ?? []).Select(f => (file.ResolveDictionary(f)?["T"] as PdfString)?.Decode()).ToHashSet(StringComparer.Ordinal);
        var fieldName = Enumerable.Range(1, 10_000).Select(i => $"Signature{i}").First(n => !names.Contains(n));

        var rectangle = placement is null
            ? new PdfArray([new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L)])
            : new PdfArray([new PdfNumber(placement.X), new PdfNumber(placement.Y), new PdfNumber(placement.X + placement.Width), new PdfNumber(placement.Y + placement.Height)]);
        var appearance = placement is null || request.Stamp is null
            ? SignatureStamp.Empty()
            : SignatureStamp.Appearance(placement.Width, placement.Height, request.Stamp);
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
