using System.CommandLine;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki</c>: the certificate authority.</summary>
internal static class PkiCommand
{
    /// <summary>Who the ledger records for a command run from the CLI.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    public static Command Create(CliOutput output) => new("pki", "The certificate authority: hierarchy, issuance, revocation, CRLs, audit")
    {
        PkiInitCommand.Create(output),
        PkiStatusCommand.Create(output),
        PkiIssueCommand.Create(output),
        PkiCertificatesCommand.Create(output),
        PkiRequestCommand.Create(output),
        PkiDecisionCommands.List(output),
        PkiDecisionCommands.Approve(output),
        PkiDecisionCommands.Reject(output),
        PkiDecisionCommands.Enroll(output),
        PkiRevokeCommand.Create(output),
        PkiReleaseCommand.Create(output),
        PkiCrlCommand.Create(output),
        PkiRootCommand.Create(output),
        new Command("audit", "The hash-chained audit ledger")
        {
            PkiAuditVerifyCommand.Create(output),
        },
    };
}
