using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Cli.Commands.Signing;

/// <summary>
/// <c>spbe sign IN.pdf -o OUT.pdf --signer NIP [--level B-B|B-T|B-LT|B-LTA] [--visible (--anchor TEXT | --page N --rect x,y,w,h)] [--json]</c>:
/// signs a PDF as the official; the passphrase that opens their key is read from stdin.
/// </summary>
internal static class SignCommand
{
    public static Command Create(CliOutput output)
    {
        var input = new Argument<FileInfo>("IN.pdf") { Description = "The PDF to sign" };
        var target = new Option<FileInfo>("--output", "-o") { Description = "Where to write the signed PDF", Required = true };
        var signer = new Option<string>("--signer") { Description = "The signing official's NIP", Required = true };
        var level = new Option<string>("--level") { Description = "PAdES level: B-B, B-T, B-LT (default) or B-LTA", DefaultValueFactory = _ => "B-LT" };
        var visible = new Option<bool>("--visible") { Description = "A visible stamp (name, jabatan, OPD, time, QR code); without it an invisible signature (paraf)" };
        var anchor = new Option<string?>("--anchor") { Description = "Put the stamp on this text, e.g. #ttd#" };
        var page = new Option<int?>("--page") { Description = "The page for the stamp (1-based)" };
        var rect = new Option<string?>("--rect") { Description = "The stamp's rectangle x,y,w,h in points from the page's lower left" };
        var detached = new Option<bool>("--detached") { Description = "Any file: write a detached CAdES signature (.p7s) to --output instead of a signed PDF" };
        var json = CliOptions.Json();
        var command = new Command("sign", "Sign a PDF (PAdES) as an official; the passphrase is read from stdin")
            { input, target, signer, level, visible, anchor, page, rect, detached, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var padesLevel = ParseLevel(parse.GetRequiredValue(level));
            if (padesLevel is null)
            {
                output.Fail(CliErrors.Usage, "--level must be B-B, B-T, B-LT or B-LTA");
                return ExitCodes.Usage;
            }

            StampPlacement? placement = null;
            var anchorText = parse.GetValue(anchor);
            if (parse.GetValue(visible))
            {
                if (anchorText is null)
                {
                    if (parse.GetValue(page) is not { } pageNumber || ParseRect(parse.GetValue(rect)) is not { } r)
                    {
                        output.Fail(CliErrors.Usage, "--visible needs --anchor TEXT or --page N --rect x,y,w,h");
                        return ExitCodes.Usage;
                    }

                    placement = new StampPlacement(pageNumber, r[0], r[1], r[2], r[3]);
                }
            }
            else if (anchorText is not null || parse.GetValue(page) is not null || parse.GetValue(rect) is not null)
            {
                output.Fail(CliErrors.Usage, "--anchor, --page and --rect place a visible stamp: add --visible");
                return ExitCodes.Usage;
            }

            if (await DocumentFiles.ReadAsync(output, parse.GetRequiredValue(input), cancellationToken) is not { } bytes)
            {
                return ExitCodes.Failure;
            }

            var passphrase = await output.ReadSecretAsync();
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var nip = parse.GetRequiredValue(signer);
            if (parse.GetValue(detached))
            {
                return await SignDetachedAsync(host.Services, output, bytes, new SignRequest(nip, passphrase, padesLevel.Value), parse.GetRequiredValue(target), parse.GetValue(json), cancellationToken);
            }

            var result = await host.Services.GetRequiredService<SigningService>().SignPdfAsync(bytes,
                new SignRequest(nip, passphrase, padesLevel.Value, anchorText, placement), cancellationToken);
            await RecordAsync(host.Services, nip, result.Success,
                result.Success ? $"document={result.Value!.DocumentId:N} serial={result.Value.Serial} sha256={result.Value.Sha256}" : result.ErrorCode, cancellationToken);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            var destination = parse.GetRequiredValue(target);
            await File.WriteAllBytesAsync(destination.FullName, result.Value!.Pdf, cancellationToken);
            var signed = result.Value;
            output.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { file = destination.FullName, document = signed.DocumentId.ToString("N"), serial = signed.Serial, signer = signed.SignerName, level = SigningService.LevelName(padesLevel.Value), sha256 = signed.Sha256 })
                : $"signed {destination.FullName} as {signed.SignerName} (certificate {signed.Serial}, {SigningService.LevelName(padesLevel.Value)}), document {signed.DocumentId:N}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> SignDetachedAsync(IServiceProvider services, CliOutput output, byte[] content, SignRequest request, FileInfo destination, bool json,
        CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<SigningService>().SignDetachedAsync(content, request, cancellationToken);
        await RecordAsync(services, request.Nip, result.Success, result.Success ? $"document={result.Value!.DocumentId:N} serial={result.Value.Serial} cades" : result.ErrorCode, cancellationToken);
        if (!result.Success)
        {
            output.Fail(result.ErrorCode!, result.Error!);
            return ExitCodes.Failure;
        }

        await File.WriteAllBytesAsync(destination.FullName, result.Value!.Signature, cancellationToken);
        output.Out.WriteLine(json
            ? JsonSerializer.Serialize(new { file = destination.FullName, document = result.Value.DocumentId.ToString("N"), serial = result.Value.Serial, signer = result.Value.SignerName, format = "CAdES", sha256 = result.Value.Sha256 })
            : $"signed (detached CAdES) as {result.Value.SignerName} (certificate {result.Value.Serial}): {destination.FullName}");
        return ExitCodes.Success;
    }

    /// <summary>Every signature and every refusal is a security event for the SOC (no document content, no passphrase).</summary>
    private static ValueTask RecordAsync(IServiceProvider services, string nip, bool success, string? reason, CancellationToken cancellationToken) =>
        services.GetRequiredService<ISecurityEventSink>().WriteAsync(new SecurityEvent(services.GetRequiredService<TimeProvider>().GetUtcNow(), SecurityEventActions.TteSign,
            success ? "success" : "failure", UserName: nip, Reason: reason, Actor: "spbe-cli"), cancellationToken);

    public static PadesLevel? ParseLevel(string text) => text.ToUpperInvariant() switch
    {
        "B-B" => PadesLevel.BB,
        "B-T" => PadesLevel.BT,
        "B-LT" => PadesLevel.BLT,
        "B-LTA" => PadesLevel.BLTA,
        _ => null,
    };

    private static double[]? ParseRect(string? text)
    {
        var parts = text?.Split(',');
        if (parts is not { Length: 4 })
        {
            return null;
        }

        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToArray();
        return values.Any(double.IsNaN) ? null : values;
    }
}
