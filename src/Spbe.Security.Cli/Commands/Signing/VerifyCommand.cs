using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Cli.Commands.Signing;

/// <summary>
/// <c>spbe verify FILE.pdf [--json]</c>: validates every signature; prints the report and exits 0 only when the
/// document is TOTAL-PASSED (1 for TOTAL-FAILED or INDETERMINATE).
/// </summary>
internal static class VerifyCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Command Create(CliOutput output)
    {
        var input = new Argument<FileInfo>("FILE.pdf") { Description = "The signed PDF" };
        var signature = new Option<FileInfo?>("--signature") { Description = "A detached CAdES signature (.p7s) of FILE (any kind of file)" };
        var json = CliOptions.Json();
        var command = new Command("verify", "Validate the signatures of a PDF, or a detached .p7s of any file (ETSI EN 319 102-1 style report)") { input, signature, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(input);
            if (await DocumentFiles.ReadAsync(output, file, cancellationToken) is not { } bytes)
            {
                return ExitCodes.Failure;
            }

            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var verifier = host.Services.GetRequiredService<DocumentVerifier>();
            VerificationReport report;
            if (parse.GetValue(signature) is { } p7s)
            {
                if (!p7s.Exists || p7s.Length > 1024 * 1024)
                {
                    output.Fail(SigningErrors.DocumentUnreadable, $"{p7s.FullName} does not exist or is not a signature");
                    return ExitCodes.Failure;
                }

                report = await verifier.VerifyDetachedAsync(bytes, await File.ReadAllBytesAsync(p7s.FullName, cancellationToken), cancellationToken);
            }
            else
            {
                report = await verifier.VerifyPdfAsync(bytes, cancellationToken);
            }

            // Every verification is a security event for the SOC, as on the Host (the document's hash, never its content).
            await host.Services.GetRequiredService<ISecurityEventSink>().WriteAsync(new SecurityEvent(host.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
                SecurityEventActions.TteVerify, report.Indication, Reason: report.EventReason(),
                Actor: "spbe-cli"), cancellationToken);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            }
            else
            {
                Print(output.Out, file.Name, report);
            }

            return report.Indication == Indications.Passed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>Text from the document (names, field names) with control characters made visible: a hostile PDF must
    /// not drive the terminal.</summary>
    private static string Safe(string? text) => text is null ? "-" : string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));

    private static void Print(TextWriter writer, string name, VerificationReport report)
    {
        writer.WriteLine($"{name}: {report.Indication}{(report.SubIndication is null ? string.Empty : " / " + report.SubIndication)}");
        if (report.Error is not null)
        {
            writer.WriteLine($"  {report.Error}");
        }

        foreach (var s in report.Signatures)
        {
            writer.WriteLine($"  #{s.Index} {Safe(s.Field)} ({s.Kind}): {s.Indication}{(s.SubIndication is null ? string.Empty : " / " + s.SubIndication)}");
            if (s.Signer is { } signer)
            {
                writer.WriteLine($"     signer    {Safe(signer.Name)} NIP {Safe(signer.Nip)}, {Safe(signer.Jabatan)}, {Safe(signer.Opd)}");
            }

            writer.WriteLine($"     level     {s.Level ?? "-"}; intact {(s.Intact ? "yes" : "no")}; coverage {s.Coverage}; chain {(s.ChainTrusted ? "trusted" : "not trusted")}; revocation {s.Revocation}{(s.RevocationSource is null ? string.Empty : $" ({s.RevocationSource})")}");
            writer.WriteLine($"     time      claimed {s.ClaimedSigningTime?.ToString("u") ?? "-"}, timestamp {s.TimestampTime?.ToString("u") ?? "-"}");
            foreach (var note in s.Notes)
            {
                writer.WriteLine($"     note      {Safe(note)}");
            }
        }
    }
}
